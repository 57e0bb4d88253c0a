from django.urls import path

from tiaojie.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("export.csv", views.event_export, name="event_export"),
]
