from django.urls import path

from tiaojie.screening.views import escalations, findings, rounds

app_name = "screening"
urlpatterns = [
    path("", rounds.round_list, name="round_list"),
    path("overdue/", rounds.overdue, name="overdue"),
    path("schedule/", rounds.schedule, name="schedule"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/findings/", rounds.finding_add, name="finding_add"),
    path("rounds/<int:pk>/report/", rounds.round_report, name="round_report"),
    path("rounds/<int:pk>/assign/", rounds.round_assign, name="round_assign"),
    path("findings/<int:pk>/", findings.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/case/", findings.finding_to_case, name="finding_to_case"),
    path("findings/<int:pk>/close/", findings.finding_close, name="finding_close"),
    path("cases/<int:case_id>/escalations/", escalations.case_escalations, name="case_escalations"),
]
