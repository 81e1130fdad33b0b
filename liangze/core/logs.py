"""Log records that say which request and which user they belong to.

Each record gets `request_id`, `user` and `client` ("-" outside a request),
from the request it names (Django's request logger) or the one being served
(core.middleware), so that a 500's traceback, the audit event and the proxy's
access line of one request can be found together.
"""

import json
import logging
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.functional import LazyObject, empty

from liangze.core import context
from liangze.core.middleware import CLIENT, REQUEST_ID


def _username(request: HttpRequest) -> str:
    user: Any = getattr(request, "user", None)
    # Logging must not query: a user the request has not loaded yet stays unnamed.
    if user is None or (isinstance(user, LazyObject) and getattr(user, "_wrapped", None) is empty):
        return "-"
    return str(user.get_username()) if user.is_authenticated else "-"


def _request_of(record: logging.LogRecord) -> HttpRequest | None:
    request = getattr(record, "request", None)
    if isinstance(request, HttpRequest):
        return request
    now = context.current()
    return now.request if now is not None else None


class RequestFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = _request_of(record)
        if request is None:
            record.request_id = record.user = record.client = "-"
        else:
            record.request_id = request.META.get(REQUEST_ID, "-")
            record.user = _username(request)
            record.client = request.META.get(CLIENT) or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for journald or a log collector."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "user": getattr(record, "user", "-"),
            "client": getattr(record, "client", "-"),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
