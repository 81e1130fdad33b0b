"""Double submissions: the row lock that puts them in line, and the answer to the second one.

Two clicks on 签字 arrive together. Each service that changes the state of one
row first takes that row's lock and reads it again (`lock`), so the second
call sees what the first did and raises `AlreadyDone`; the page then shows a
neutral note and goes on as after success, instead of an error or a 500.
"""

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model

M = TypeVar("M", bound=Model)


class AlreadyDone(ValidationError):
    """The act was done already (by this user, a moment ago): a note, not a refusal.

    A ValidationError still, so callers that do not know it (the API, commands)
    refuse the repeat rather than repeat the act. `existing` is the row the first
    act made, for a page that shows it.
    """

    def __init__(self, message: str, *, existing: Model | None = None) -> None:
        super().__init__(message)
        self.existing = existing


def hold(obj: Model) -> None:
    """Waits for and holds `obj`'s row until the transaction ends.

    On SQLite the write transaction (BEGIN IMMEDIATE) already holds the whole file;
    elsewhere SELECT … FOR UPDATE queues the concurrent callers on the row.
    """
    type(obj)._default_manager.select_for_update().filter(pk=obj.pk).values_list("pk").get()


def lock(obj: M) -> M:
    """`hold`, then reloads `obj` in place: what the caller before us left is what we check."""
    hold(obj)
    obj.refresh_from_db()
    return obj
