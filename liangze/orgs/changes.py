"""Listeners told which orgs' units, posts or bodies changed, inside the changing transaction.

Apps that keep figures per org (the coverage tallies) register here at start-up,
as to-do providers do in core.todos: orgs is what the other apps build on and
cannot import them.
"""

from collections.abc import Callable, Iterable

Listener = Callable[[set[int]], None]
_listeners: list[Listener] = []


def register(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def orgs_changed(org_ids: Iterable[int]) -> None:
    ids = set(org_ids)
    if ids:
        for listener in _listeners:
            listener(ids)
