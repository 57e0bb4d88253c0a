from django.urls import path

from tiaojie.routing.views import admin, panel, queue, rules

app_name = "routing"
urlpatterns = [
    path("", queue.queue, name="queue"),
    path("queue/<int:pk>/route/", queue.route_suggested, name="route_suggested"),
    path("queue/<int:pk>/elsewhere/", queue.route_elsewhere, name="route_elsewhere"),
    path("rules/", rules.rule_list, name="rules"),
    path("rules/new/", rules.rule_create, name="rule_create"),
    path("rules/<int:pk>/", rules.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/deactivate/", rules.rule_deactivate_view, name="rule_deactivate"),
    path("centres/", admin.centre_list, name="centres"),
    path("centres/<int:pk>/", admin.centre_edit, name="centre_edit"),
    path("transfers/", admin.transfer_list, name="transfers"),
    path("transfers/<int:pk>/decide/", panel.transfer_decide, name="transfer_decide"),
    path("expertise/", admin.expertise, name="expertise"),
    path("cases/<int:pk>/panel/", panel.case_panel, name="case_panel"),
    path("cases/<int:pk>/transfer/", panel.transfer_request_view, name="transfer_request"),
    path("cases/<int:pk>/joint/", panel.joint_add, name="joint_add"),
    path(
        "cases/<int:pk>/joint/<int:committee_pk>/remove/",
        panel.joint_remove,
        name="joint_remove",
    ),
]
