from django.urls import path

from tiaojie.statistics import views, views_dashboard, views_filing

app_name = "statistics"
urlpatterns = [
    path("", views.report_page, name="report"),
    path("export.<str:fmt>", views.report_export, name="report_export"),
    path("cases/", views.figure_cases, name="figure_cases"),
    path("dashboard/", views_dashboard.dashboard_page, name="dashboard"),
    path("screen/", views_dashboard.screen_page, name="screen"),
    path("filing/", views_filing.filing_page, name="filing"),
    path("filing/<int:pk>/act/", views_filing.filing_action, name="filing_action"),
]
