"""The home page's to-do list: each domain app contributes what a user must do now.

Apps register a provider at start-up; core never imports them, so the home
page grows as modules are built without knowing about them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Todo:
    kind: str  # what sort of work, e.g. “签字背书”
    text: str  # on what, e.g. the list's name
    url: str
    due: date | None = None
    overdue: bool = False


# A provider takes the AUTH_USER_MODEL, which core does not name (the layers).
Provider = Callable[[Any], Iterable[Todo]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def for_user(user: object) -> list[Todo]:
    """Everything the user must do, the newest deadline first (issue 4), undated last.

    Newest first keeps this week's work on top: a reminder about a February
    deadline that nobody answered sinks instead of burying what is due now.
    """
    todos = [todo for provider in _providers for todo in provider(user)]
    todos.sort(key=lambda t: t.kind)
    todos.sort(key=lambda t: t.due or date.min, reverse=True)
    return sorted(todos, key=lambda t: t.due is None)
