"""What the current request is, for the audit trail, without passing it everywhere."""

from contextvars import ContextVar

_ip: ContextVar[str | None] = ContextVar("liangze_ip", default=None)


def current_ip() -> str | None:
    return _ip.get()


def set_ip(ip: str | None) -> object:
    return _ip.set(ip)


def reset_ip(token: object) -> None:
    _ip.reset(token)  # type: ignore[arg-type]
