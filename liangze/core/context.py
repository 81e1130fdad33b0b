"""What the current request is, for the audit trail and the logs, without passing it everywhere."""

from contextvars import ContextVar, Token
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class RequestContext:
    ip: str | None
    request: HttpRequest | None = None


_current: ContextVar[RequestContext | None] = ContextVar("liangze_request", default=None)


def current() -> RequestContext | None:
    return _current.get()


def current_ip() -> str | None:
    now = _current.get()
    return now.ip if now is not None else None


def enter(now: RequestContext) -> Token[RequestContext | None]:
    return _current.set(now)


def leave(token: Token[RequestContext | None]) -> None:
    _current.reset(token)
