from django.urls import path

from tiaojie.core import views

app_name = "core"
urlpatterns = [
    path("settings/", views.configuration, name="configuration"),
]
