"""Which page a refusal was met on, for its audit event, without passing the request down."""

from contextvars import ContextVar, Token

_page: ContextVar[str] = ContextVar("liangze_access_page", default="")


def current() -> str:
    return _page.get()


def enter(method: str, path: str) -> Token[str]:
    return _page.set(f"{method} {path}")


def leave(token: Token[str]) -> None:
    _page.reset(token)
