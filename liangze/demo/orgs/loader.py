"""Writes generated rows through liangze.core.bulk: COPY on PostgreSQL, executemany elsewhere.

Seeded rows skip the services and the audit trail on purpose: a county is
3,000 people and a province 5.6 million, and neither is anyone's act to audit.
Each batch is one transaction, so PostgreSQL checks the (deferred) foreign
keys per county rather than queueing a province's worth until the end.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.db import models, transaction

from liangze.core.bulk import reset_sequences, write_rows
from liangze.demo.orgs.rows import (
    BODY_COLUMNS,
    ORG_COLUMNS,
    PERSON_COLUMNS,
    POSITION_COLUMNS,
    Batch,
    Builder,
)
from liangze.orgs.models import DisciplineBody, Org, Person, Position

BULK_SIZE = 2000

Liaison = Position.liaison_orgs.through
PortfolioUnits = Position.portfolio_orgs.through
Supervision = DisciplineBody.supervised_orgs.through


@dataclass
class Counts:
    orgs: int = 0
    bodies: int = 0
    people: int = 0
    positions: int = 0
    links: int = 0
    resumed: int = 0  # batches a killed run had written already

    @property
    def rows(self) -> int:
        return self.orgs + self.bodies + self.people + self.positions + self.links

    def add(self, batch: Batch) -> None:
        self.orgs += len(batch.orgs)
        self.bodies += len(batch.bodies)
        self.people += len(batch.people)
        self.positions += len(batch.positions)
        self.links += sum(len(p.liaison) + len(p.portfolio_units) for p in batch.positions)
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
        (
            PortfolioUnits,
            ("position_id", "org_id"),
            ((p.id, org_id) for p in batch.positions for org_id in p.portfolio_units),
        ),
    ]


def _write(batch: Batch) -> None:
    for model, columns, rows in _tables(batch):
        write_rows(model, columns, rows)


def _written(batch: Batch) -> bool:
    """Did an earlier, killed run write this batch? Batches are all-or-nothing and the
    generator repeats itself, so its first row tells."""
    for model, rows in ((Org, batch.orgs), (DisciplineBody, batch.bodies), (Person, batch.people)):
        if rows:
            return model.objects.filter(pk=rows[0].id).exists()
    return False


def load(
    builder: Builder,
    batches: Iterable[Batch],
    *,
    on_batch: Callable[[Counts], None] | None = None,
    resume: bool = False,
) -> Counts:
    """Write every batch, then what only the end knows: child counts and id sequences.

    With `resume`, the batches already in the database (a run killed part-way, same seed
    and scale) are skipped, so a rerun completes the load instead of colliding with it.
    """
    counts = Counts()
    for batch in batches:
        if resume and _written(batch):
            counts.resumed += 1
        else:
            with transaction.atomic():
                _write(batch)
        counts.add(batch)
        if on_batch:
            on_batch(counts)
    with transaction.atomic():
        stale = builder.take_stale()
        stale_orgs = [Org(id=row.id, child_count=row.child_count) for row in stale]
        Org.objects.bulk_update(stale_orgs, ["child_count"], batch_size=BULK_SIZE)
        reset_sequences([Org, DisciplineBody, Person, Position])
    return counts
