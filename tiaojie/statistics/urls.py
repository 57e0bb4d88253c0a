from django.urls import path

from tiaojie.statistics import views, views_analysis, views_dashboard, views_filing, views_history

app_name = "statistics"
urlpatterns = [
    path("", views.report_page, name="report"),
    path("export.<str:fmt>", views.report_export, name="report_export"),
    path("cases/", views.figure_cases, name="figure_cases"),
    path("dashboard/", views_dashboard.dashboard_page, name="dashboard"),
    path("screen/", views_dashboard.screen_page, name="screen"),
    path("screen/data.json", views_dashboard.screen_data, name="screen_data"),
    path("filing/", views_filing.filing_page, name="filing"),
    path("filing/<int:pk>/act/", views_filing.filing_action, name="filing_action"),
    path("history/", views_history.history_page, name="history"),
    path("analysis/", views_analysis.analysis_page, name="analysis"),
    path("analysis/request/", views_analysis.analysis_request, name="analysis_request"),
    path("analysis/<int:pk>/status/", views_analysis.analysis_status, name="analysis_status"),
    path("analysis/<int:pk>/file.<str:fmt>", views_analysis.analysis_file, name="analysis_file"),
    path("history/template.xlsx", views_history.history_template, name="history_template"),
]
