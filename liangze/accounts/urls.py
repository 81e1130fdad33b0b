from django.urls import path, re_path

from liangze.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("users/", views.users, name="users"),
    re_path(
        r"^users/(?P<code>[0-9a-f-]{36})/(?P<action>reset|unlock|disable|enable)/$",
        views.user_action,
        name="user_action",
    ),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<uuid:code>/revoke/", views.token_revoke, name="token_revoke"),
]
