from django.urls import path

from tiaojie.accounts import views, views_twofactor

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views_twofactor.login_verify, name="login_verify"),
    path("logout/", views.logout_view, name="logout"),
    path("account/two-factor/", views_twofactor.two_factor, name="two_factor"),
    path("password/", views.password_change_view, name="password_change"),
    path("password/set/<str:token>/", views.password_set_view, name="password_set"),
    path("accounts/lockouts/", views.lockouts, name="lockouts"),
    path("accounts/approvals/", views.approval_list, name="approvals"),
    path("accounts/", views.user_list, name="user_list"),
    path("accounts/new/", views.user_create, name="user_create"),
    path("accounts/<int:pk>/", views.user_detail, name="user_detail"),
    path("accounts/<int:pk>/revoke-tokens/", views.token_revoke_all, name="token_revoke_all"),
]
