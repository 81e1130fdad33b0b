from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from liangze.core import context


class RequestContextMiddleware:
    """Makes the client address available to the audit trail for this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = context.set_ip(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            context.reset_ip(token)
