from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from liangze import access


class CarriedRefusalMiddleware:
    """Writes refusals raised inside a service's transaction, once it has rolled back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        access.record_carried_refusal(exception)
