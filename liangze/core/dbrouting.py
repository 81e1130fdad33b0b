"""Reads go to the read replica only inside `reporting()`.

Everywhere else a page reads the primary, so what a user has just saved is
what the next page shows; a replica may lag by seconds, which a report over a
year of records does not notice. Without LIANGZE_DATABASE_REPLICA_URL there is
no replica and `reporting()` changes nothing.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db.models import Model

REPLICA = "replica"
_reporting: ContextVar[bool] = ContextVar("liangze_reporting", default=False)


@contextmanager
def reporting() -> Iterator[None]:
    """Reads in this block may come from the replica (writes still go to the primary)."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


class ReplicaRouter:
    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if _reporting.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # The replica takes its schema from the primary by replication.
        return db != REPLICA
