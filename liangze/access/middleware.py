from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from liangze import access
from liangze.access import page


class CarriedRefusalMiddleware:
    """Names the page on every refusal met in the request, and writes those raised inside
    a service's transaction once it has rolled back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = page.enter(request.method or "", request.path)
        try:
            return self.get_response(request)
        finally:
            page.leave(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        access.record_carried_refusal(exception)
