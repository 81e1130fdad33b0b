from django.http import HttpRequest

from liangze.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request past LoginRequiredMiddleware or the API's TokenAuth: `user` is a real account."""

    user: User
