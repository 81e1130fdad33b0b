from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from liangze.accounts import services


class TokenAuth(HttpBearer):
    """`Authorization: Bearer lz_…`; the token acts with its owner's access."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = services.user_for_token(token)
        if user is not None:
            request.user = user
        return user
