from django.urls import path

from tiaojie.mediators import (
    views,
    views_evaluation,
    views_promotions,
    views_roster,
    views_staffing,
    views_training,
)

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
    path("<int:pk>/insurance/", views_staffing.policy_add, name="policy_add"),
    path("staffing/", views_staffing.staffing_report, name="staffing_report"),
    path("staffing/norms/", views_staffing.staffing_norms, name="staffing_norms"),
    path("insurance/", views_staffing.insurance_report, name="insurance_report"),
    path("training/", views_training.training_report, name="training_report"),
    path("training/export.xlsx", views_training.training_export, name="training_export"),
    path("training/rule/", views_training.training_rule, name="training_rule"),
    path("training/courses/", views_training.course_list, name="course_list"),
    path("training/courses/new/", views_training.course_create, name="course_create"),
    path("training/courses/<int:pk>/", views_training.course_detail, name="course_detail"),
    path(
        "training/courses/<int:pk>/attendance/",
        views_training.attendance_add,
        name="attendance_add",
    ),
    path("evaluation/", views_evaluation.evaluation_list, name="evaluation_list"),
    path("evaluation/<int:pk>/", views_evaluation.evaluation_detail, name="evaluation_detail"),
    path("evaluation/weights/", views_evaluation.evaluation_weights, name="evaluation_weights"),
    path("<int:pk>/promotion/", views_promotions.promotion_propose, name="promotion_propose"),
    path("<int:pk>/honours/", views_promotions.honour_add, name="honour_add"),
    path("promotions/", views_promotions.promotion_list, name="promotion_list"),
    path("promotions/<int:pk>/decide/", views_promotions.promotion_decide, name="promotion_decide"),
    path("honours/", views_promotions.honour_list, name="honour_list"),
    path("roster.xlsx", views_roster.roster_export, name="roster_export"),
    path("import/", views_roster.roster_import_page, name="roster_import"),
    path("import/template.xlsx", views_roster.roster_template, name="roster_template"),
]
