"""What the current request is, for the audit trail, without passing it everywhere."""

from contextvars import ContextVar, Token

_ip: ContextVar[str | None] = ContextVar("liangze_ip", default=None)


def current_ip() -> str | None:
    return _ip.get()


def set_ip(ip: str | None) -> Token[str | None]:
    return _ip.set(ip)


def reset_ip(token: Token[str | None]) -> None:
    _ip.reset(token)
