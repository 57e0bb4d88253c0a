from django.urls import path

from tiaojie.statistics import views, views_filing

app_name = "statistics"
urlpatterns = [
    path("", views.report_page, name="report"),
    path("export.<str:fmt>", views.report_export, name="report_export"),
    path("cases/", views.figure_cases, name="figure_cases"),
    path("filing/", views_filing.filing_page, name="filing"),
    path("filing/<int:pk>/act/", views_filing.filing_action, name="filing_action"),
]
