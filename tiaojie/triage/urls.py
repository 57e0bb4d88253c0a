from django.urls import path

from tiaojie.triage import views

app_name = "triage"
urlpatterns = [
    path("suggest", views.suggest, name="suggest"),
]
