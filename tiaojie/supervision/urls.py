from django.urls import path

from tiaojie.supervision.views import ledger, supervision, trace

app_name = "supervision"
urlpatterns = [
    path("", supervision.supervision_list, name="supervision_list"),
    path("<int:pk>/", supervision.supervision_detail, name="supervision_detail"),
    path("<int:pk>/act/", supervision.supervision_action, name="supervision_action"),
    path("cases/<int:pk>/flag/", supervision.supervision_flag, name="supervision_flag"),
    path("cases/<int:pk>/panel/", supervision.case_panel, name="case_panel"),
    path("cases/<int:pk>/trace/", trace.case_trace_page, name="case_trace"),
    path("cases/<int:pk>/close-out/", ledger.close_out, name="close_out"),
    path("cases/<int:pk>/close-out/reopen/", ledger.close_out_reopen, name="close_out_reopen"),
    path("ledger/", ledger.ledger_page, name="ledger"),
    path("ledger/export/", ledger.ledger_export, name="ledger_export"),
    path("ledger/carry-over/", ledger.carry_over, name="ledger_carry_over"),
    path("trace/", trace.trace_report, name="trace_report"),
]
