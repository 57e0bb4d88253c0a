from django.urls import path

from tiaojie.reviews.views import rectifications, reviews, rounds, sheets

app_name = "reviews"
urlpatterns = [
    path("", rounds.round_list, name="round_list"),
    path("new/", rounds.round_create, name="round_create"),
    path("<int:pk>/", rounds.round_detail, name="round_detail"),
    path("<int:pk>/sample/", rounds.round_sample, name="round_sample"),
    path("<int:pk>/assign/", rounds.round_assign, name="round_assign"),
    path("<int:pk>/auto-assign/", rounds.round_auto_assign, name="round_auto_assign"),
    path("<int:pk>/close/", rounds.round_close, name="round_close"),
    path("<int:pk>/results.xlsx", rounds.round_export, name="round_export"),
    path("mine/", reviews.my_reviews, name="my_reviews"),
    path("files/<int:pk>/", reviews.review_score, name="review_score"),
    path(
        "files/<int:pk>/rectify/",
        rectifications.rectification_request,
        name="rectification_request",
    ),
    path("rectifications/", rectifications.rectification_list, name="rectification_list"),
    path(
        "rectifications/<int:pk>/", rectifications.rectification_detail, name="rectification_detail"
    ),
    path("sheets/", sheets.sheet_list, name="sheet_list"),
    path("sheets/new/", sheets.sheet_create, name="sheet_create"),
    path("sheets/<int:pk>/", sheets.sheet_edit, name="sheet_edit"),
    path("sheets/<int:pk>/copy/", sheets.sheet_copy, name="sheet_copy"),
]
