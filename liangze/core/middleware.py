import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from liangze.core import busy, context, network

REQUEST_ID_HEADER = "X-Request-ID"
# Kept in the WSGI environ (namespaced, as servers keep theirs) so that records logged
# after the middleware has returned (Django logs 4xx responses there) still find them.
REQUEST_ID = "liangze.request_id"
CLIENT = "liangze.client"
# What nginx's $request_id or another proxy may send; anything else is replaced.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def _request_id(request: HttpRequest) -> str:
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    if given and _REQUEST_ID.fullmatch(given) and network.from_trusted_proxy(request.META):
        return str(given)
    return uuid.uuid4().hex[:12]


class RequestContextMiddleware:
    """Makes the client address and a request id known to the audit trail and the logs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ip = network.client_address(request.META)
        request.META[REQUEST_ID] = _request_id(request)
        request.META[CLIENT] = ip
        token = context.enter(context.RequestContext(ip=ip, request=request))
        try:
            response = self.get_response(request)
        finally:
            context.leave(token)
        response[REQUEST_ID_HEADER] = request.META[REQUEST_ID]
        return response


class BusyDatabaseMiddleware:
    """A view that met a busy database answers 503 with a way to retry, not a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return busy.busy_response(request) if busy.is_busy(exception) else None
