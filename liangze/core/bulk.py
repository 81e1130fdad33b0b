"""Writing many rows at once: COPY on PostgreSQL, executemany elsewhere.

`write_rows` is for seeding and benchmarks only: the rows skip the models' save(),
the services and the audit trail on purpose (a province's worth of generated rows
is nobody's act to audit). `update_objects` serves services that write in bulk and
audit the whole act themselves (the org import): bulk_update builds one CASE per
field and row, which costs milliseconds a row; one UPDATE run by executemany costs
microseconds.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

# Values executemany takes as they are; the fields convert the rest (UUIDs, dates,
# booleans) the way they would when saving.
_AS_IS = (str, int, type(None))


def write_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert `rows` (values in the order of the attribute names `columns`), streaming them."""
    quote = connection.ops.quote_name
    field_of = {f.attname: f for f in model._meta.concrete_fields}
    fields = [field_of[c] for c in columns]
    names = ", ".join(quote(f.column) for f in fields)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The psycopg 3 cursor under Django's wrapper: COPY is not in the DB-API.
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(fields))
        prepared = (
            tuple(_prepared(f, v) for f, v in zip(fields, row, strict=True)) for row in rows
        )
        # Names come from the models' metadata, quoted; values are parameters. A generator,
        # not a list: the backends take any iterable, and a batch need not sit in memory.
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
        cursor.executemany(sql, prepared)  # type: ignore[arg-type]  # any iterable will do, as said above


def _prepared(field: models.Field[Any, Any], value: Any) -> Any:
    return value if type(value) in _AS_IS else field.get_db_prep_save(value, connection)


def update_objects(objs: Sequence[models.Model], fields: Sequence[str]) -> None:
    """Saves `fields` (field names, as bulk_update takes them) of saved `objs`, by primary key."""
    if not objs:
        return
    meta = objs[0]._meta
    quote = connection.ops.quote_name
    by_name = {f.name: f for f in meta.concrete_fields}
    targets = [by_name[name] for name in fields]
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in targets)
    # Names come from the models' metadata, quoted; values are parameters.
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {assignments} "  # noqa: S608
        f"WHERE {quote(meta.pk.column)} = %s"
    )
    params = [(*(_prepared(f, getattr(obj, f.attname)) for f in targets), obj.pk) for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def reset_sequences(models_: Sequence[type[models.Model]]) -> None:
    """Rows came with their own ids; move the sequences past them (a no-op on SQLite)."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(models_)):
            cursor.execute(statement)
