from django.urls import path

from tiaojie.subsidies import views

app_name = "subsidies"
urlpatterns = [
    path("", views.sheet_list, name="sheet_list"),
    path("compute/", views.sheet_compute, name="sheet_compute"),
    path("<int:pk>/", views.sheet_detail, name="sheet_detail"),
    path("<int:pk>/act/", views.sheet_action, name="sheet_action"),
    path("<int:pk>/export/", views.sheet_export, name="sheet_export"),
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/new/", views.rule_create, name="rule_create"),
    path("rules/<int:pk>/", views.rule_detail, name="rule_detail"),
]
