from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from liangze.accounts import services

# What the client is told; an unknown token gets the API's plain 401 (None below).
_ANSWERS = {
    services.TokenRefused.EXPIRED: (401, "令牌已过期"),
    services.TokenRefused.REVOKED: (401, "令牌已吊销"),
    services.TokenRefused.READ_ONLY: (403, "令牌只读"),
}


class TokenAuth(HttpBearer):
    """`Authorization: Bearer lz_…`; the token acts with its owner's access, within its scope."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        try:
            user = services.token_authenticate(token, method=request.method or "GET")
        except services.TokenRefused as refused:
            if refused.reason not in _ANSWERS:
                return None
            status, message = _ANSWERS[refused.reason]
            raise HttpError(status, message) from refused
        request.user = user
        return user
