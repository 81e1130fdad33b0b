from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

OPEN_PREFIXES = ("/accounts/login/", "/static/", "/api/", "/healthz", "/readyz")


class LoginRequiredMiddleware:
    """Every page needs a login, and an initial password must be changed first.

    The API authenticates by token itself, so it is left to ninja.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if not path.startswith(OPEN_PREFIXES):
            user = request.user
            if not user.is_authenticated:
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={path}")
            change_url = reverse("accounts:password_change")
            if user.must_change_password and path not in (change_url, reverse("accounts:logout")):
                return redirect(change_url)
        return self.get_response(request)
