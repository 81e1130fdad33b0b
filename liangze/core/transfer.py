"""Copy every row from one database to another through the ORM, keeping what the digests cover.

`dumpdata`/`loaddata` round timestamps to milliseconds in JSON, while the audit
digest covers microseconds; rows copied here go from one connection's Python
values straight to the other's, keeping microseconds, primary keys and the
timestamps that `auto_now` fields would otherwise overwrite.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import dj_database_url
from django.apps import apps
from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.db.utils import load_backend

# Filled in by `migrate` on an empty database; copied over from the source instead.
REGENERATED = ("contenttypes.contenttype", "auth.permission")


def connect(alias: str, url: str) -> None:
    """Open the database given by URL under `alias`, in this thread only.

    Left out of settings.DATABASES on purpose: Django treats it as a connection
    made at run time, which nothing else (requests, tests) will touch or close.
    """
    configured = connections.configure_settings(
        {"default": connections.settings["default"], alias: dj_database_url.parse(url)}
    )[alias]
    connections[alias] = load_backend(configured["ENGINE"]).DatabaseWrapper(configured, alias)


def disconnect(alias: str) -> None:
    connections[alias].close()
    del connections[alias]


def same_database(one: str, other: str) -> bool:
    keys = ("ENGINE", "NAME", "HOST", "PORT")
    first, second = connections[one].settings_dict, connections[other].settings_dict
    return all(str(first.get(k) or "") == str(second.get(k) or "") for k in keys)


def copied_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def tables_with_rows(using: str) -> list[str]:
    return [
        model._meta.label_lower
        for model in copied_models()
        if model._meta.label_lower not in REGENERATED and model._base_manager.using(using).exists()
    ]


@contextmanager
def _stored_timestamps(copied: list[type[models.Model]]) -> Iterator[None]:
    fields = [
        field
        for model in copied
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]  # type: ignore[attr-defined]
    for field in fields:
        field.auto_now = field.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add  # type: ignore[attr-defined]


def copy_rows(source: str, target: str, batch_size: int = 2000) -> dict[str, int]:
    """Copy all rows in one transaction on the target; rows per model label.

    Foreign keys are checked at commit on SQLite and PostgreSQL alike (Django
    creates them deferred), so tables go in any order and the copy is all or nothing.
    """
    copied = copied_models()
    counts: dict[str, int] = {}
    with _stored_timestamps(copied), transaction.atomic(using=target):
        for model in copied:
            rows = model._base_manager.using(source).order_by("pk").iterator(chunk_size=batch_size)
            batch: list[models.Model] = []
            count = 0
            for row in rows:
                batch.append(row)
                if len(batch) == batch_size:
                    model._base_manager.using(target).bulk_create(batch)
                    count, batch = count + len(batch), []
            if batch:
                model._base_manager.using(target).bulk_create(batch)
                count += len(batch)
            if count:
                counts[model._meta.label_lower] = count
        connection = connections[target]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), copied):
                cursor.execute(sql)
    return counts
