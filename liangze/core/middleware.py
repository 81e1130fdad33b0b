from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from liangze.core import busy, context


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


class BusyDatabaseMiddleware:
    """A view that met a busy database answers 503 with a way to retry, not a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return busy.busy_response(request) if busy.is_busy(exception) else None
