"""The answer when the database stays busy past its timeout: 503 and a way back, never a 500.

On SQLite one writer at a time holds the file; a request that waited the whole
busy timeout gets "database is locked". That is a moment of load, not a fault, so
the user is told to try again, and after a POST that nothing was saved.
"""

import logging
import sys

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template import loader
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5

# Fields whose value must not be written back into a page, and what no page can resend.
_SECRET_PARTS = ("password", "secret", "otp", "token")


def is_busy(exception: BaseException) -> bool:
    """SQLite's busy errors; other backends report contention through their own exceptions."""
    message = str(exception)
    return isinstance(exception, OperationalError) and (
        "database is locked" in message or "database table is locked" in message
    )


def _resendable(request: HttpRequest) -> list[tuple[str, str]] | None:
    """The posted fields to send again as they were, or None when one cannot be resent."""
    if request.FILES:
        return None
    fields: list[tuple[str, str]] = []
    for name, values in request.POST.lists():
        if name == "csrfmiddlewaretoken":
            continue
        if any(part in name.lower() for part in _SECRET_PARTS):
            return None
        fields += [(name, value) for value in values]
    return fields


def busy_response(request: HttpRequest) -> HttpResponse:
    logger.warning("database busy past its timeout: %s %s", request.method, request.path)
    posted = request.method == "POST"
    context = {
        "posted": posted,
        "fields": _resendable(request) if posted else None,
        "path": request.get_full_path(),
        "csrf_token": get_token(request),
    }
    # Rendered without context processors: they may read the database that is busy.
    content = loader.get_template("busy.html").render(context)
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a busy database met outside a view (saving the session) is still a 503."""
    exception = sys.exc_info()[1]
    if exception is not None and is_busy(exception):
        return busy_response(request)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "服务器内部错误，已记录，请联系系统管理员。"}, status=500)
    return defaults.server_error(request)
