"""Video mediation: the staff's pages under /video/, the party's room under /v/<token>/."""

from django.urls import path

from tiaojie.video import views

app_name = "video"
urlpatterns = [
    path("video/cases/<int:pk>/panel/", views.case_panel, name="case_panel"),
    path("video/cases/<int:pk>/open/", views.room_open, name="room_open"),
    path("video/rooms/<int:room_id>/", views.room, name="room"),
    path("video/rooms/<int:room_id>/invite/", views.invite, name="invite"),
    path("video/rooms/<int:room_id>/close/", views.room_close, name="room_close"),
    path("video/rooms/<int:room_id>/recording/", views.recording_upload, name="recording_upload"),
    path("video/rooms/<int:room_id>/poll/", views.staff_poll, name="staff_poll"),
    path("video/rooms/<int:room_id>/signal/", views.staff_signal, name="staff_signal"),
    path("video/rooms/<int:room_id>/consent/", views.staff_consent, name="staff_consent"),
    path("v/<str:token>/", views.join, name="join"),
    path("v/<str:token>/poll/", views.party_poll, name="party_poll"),
    path("v/<str:token>/signal/", views.party_signal, name="party_signal"),
    path("v/<str:token>/consent/", views.party_consent, name="party_consent"),
]
