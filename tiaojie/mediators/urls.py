from django.urls import path

from tiaojie.mediators import views, views_roster

app_name = "mediators"
urlpatterns = [
    path("", views.mediator_list, name="mediator_list"),
    path("new/", views.mediator_create, name="mediator_create"),
    path("<int:pk>/", views.mediator_detail, name="mediator_detail"),
    path("<int:pk>/edit/", views.mediator_edit, name="mediator_edit"),
    path("<int:pk>/reveal/", views.mediator_reveal, name="mediator_reveal"),
    path("<int:pk>/status/", views.mediator_move, name="mediator_move"),
    path("<int:pk>/memberships/", views.membership_add, name="membership_add"),
    path(
        "<int:pk>/memberships/<int:membership_pk>/end/",
        views.membership_end,
        name="membership_end",
    ),
    path("grades/", views.grade_ladder, name="grade_ladder"),
    path("roster.xlsx", views_roster.roster_export, name="roster_export"),
    path("import/", views_roster.roster_import_page, name="roster_import"),
    path("import/template.xlsx", views_roster.roster_template, name="roster_template"),
]
