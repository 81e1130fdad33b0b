"""Writes generated rows: COPY on PostgreSQL, executemany elsewhere.

Seeded rows skip the services and the audit trail on purpose: a county is
3,000 people and a province 5.6 million, and neither is anyone's act to audit.
Each batch is one transaction, so PostgreSQL checks the (deferred) foreign
keys per county rather than queueing a province's worth until the end.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction

from liangze.orgs.demo.rows import (
    BODY_COLUMNS,
    ORG_COLUMNS,
    PERSON_COLUMNS,
    POSITION_COLUMNS,
    Batch,
    Builder,
)
from liangze.orgs.models import DisciplineBody, Org, Person, Position

BULK_SIZE = 2000
# Values the portable path passes through unconverted; see _insert.
_AS_IS = (str, int, type(None))

Liaison = Position.liaison_orgs.through
Supervision = DisciplineBody.supervised_orgs.through


@dataclass
class Counts:
    orgs: int = 0
    bodies: int = 0
    people: int = 0
    positions: int = 0
    links: int = 0

    @property
    def rows(self) -> int:
        return self.orgs + self.bodies + self.people + self.positions + self.links

    def add(self, batch: Batch) -> None:
        self.orgs += len(batch.orgs)
        self.bodies += len(batch.bodies)
        self.people += len(batch.people)
        self.positions += len(batch.positions)
        self.links += sum(len(p.liaison) for p in batch.positions)
        self.links += sum(len(b.supervised) for b in batch.bodies)


def _tables(
    batch: Batch,
) -> list[tuple[type[models.Model], Sequence[str], Iterable[tuple[Any, ...]]]]:
    """(model, columns, row tuples) in the order foreign keys need them written."""
    return [
        (Org, ORG_COLUMNS, map(attrgetter(*ORG_COLUMNS), batch.orgs)),
        (DisciplineBody, BODY_COLUMNS, map(attrgetter(*BODY_COLUMNS), batch.bodies)),
        (
            Supervision,
            ("disciplinebody_id", "org_id"),
            ((b.id, org_id) for b in batch.bodies for org_id in b.supervised),
        ),
        (Person, PERSON_COLUMNS, map(attrgetter(*PERSON_COLUMNS), batch.people)),
        (Position, POSITION_COLUMNS, map(attrgetter(*POSITION_COLUMNS), batch.positions)),
        (
            Liaison,
            ("position_id", "org_id"),
            ((p.id, org_id) for p in batch.positions for org_id in p.liaison),
        ),
    ]


def _copy(batch: Batch) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model, columns, rows in _tables(batch):
            column_of = {f.attname: f.column for f in model._meta.concrete_fields}
            names = ", ".join(quote(column_of[c]) for c in columns)
            sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
            # The psycopg 3 cursor under Django's wrapper: COPY is not in the DB-API.
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)


def _insert(batch: Batch) -> None:
    """Plain INSERTs through executemany: the portable path, without bulk_create's compiler."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model, columns, rows in _tables(batch):
            fields = {f.attname: f for f in model._meta.concrete_fields}
            prepare = [fields[c] for c in columns]
            names = ", ".join(quote(f.column) for f in prepare)
            marks = ", ".join(["%s"] * len(columns))
            table = quote(model._meta.db_table)
            values = [
                tuple(
                    # Strings, ints and NULLs go as they are; the backend converts the rest
                    # (UUIDs, dates, booleans) the way the field would.
                    v if type(v) in _AS_IS else f.get_db_prep_save(v, connection)
                    for f, v in zip(prepare, row, strict=True)
                )
                for row in rows
            ]
            # Names come from the models' metadata, quoted; values are parameters.
            insert = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(insert, values)


def load(
    builder: Builder,
    batches: Iterable[Batch],
    *,
    on_batch: Callable[[Counts], None] | None = None,
) -> Counts:
    """Write every batch, then what only the end knows: child counts and id sequences."""
    write = _copy if connection.vendor == "postgresql" else _insert
    counts = Counts()
    for batch in batches:
        with transaction.atomic():
            write(batch)
        counts.add(batch)
        if on_batch:
            on_batch(counts)
    with transaction.atomic():
        stale = builder.take_stale()
        stale_orgs = [Org(id=row.id, child_count=row.child_count) for row in stale]
        Org.objects.bulk_update(stale_orgs, ["child_count"], batch_size=BULK_SIZE)
        # Rows came with their own ids; move the sequences past them (no-op on SQLite).
        sql = connection.ops.sequence_reset_sql(no_style(), [Org, DisciplineBody, Person, Position])
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)
    return counts
