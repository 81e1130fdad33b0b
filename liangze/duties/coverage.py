"""全覆盖 (LIST-6): who has an accepted list, rolled up the tree level by level.

For an org and a year, every unit and every required person in its subtree
is counted once per list type, grouped by the child of the org it lies
under (one GROUP BY over the materialized-path prefix per type), so the
page costs the same number of queries at a township and at the province root.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from liangze.duties.models import Catalogue, DutyList, ListType
from liangze.orgs.models import (
    DisciplineBody,
    Org,
    OrgKind,
    Position,
    PositionKind,
)
from liangze.orgs.tree import PATH_STEP, ancestor_paths

DONE = (DutyList.Status.ACCEPTED, DutyList.Status.PUBLISHED)
PARTY_KINDS = [k for k in OrgKind.values if k != OrgKind.GOVERNMENT]
PERSON_KINDS: dict[str, tuple[str, ...]] = {
    ListType.PRINCIPAL: (PositionKind.PRINCIPAL, PositionKind.BRANCH_SECRETARY),
    ListType.MEMBER: (PositionKind.MEMBER,),
}


@dataclass
class Cell:
    required: int = 0
    done: int = 0

    @property
    def missing(self) -> int:
        return self.required - self.done

    @property
    def percent(self) -> float:
        return round(100 * self.done / self.required, 1) if self.required else 100.0


@dataclass
class Row:
    org: Org | None  # None for the org's own level ("本级")
    cells: dict[str, Cell] = field(default_factory=lambda: {t: Cell() for t in ListType.values})

    @property
    def total(self) -> Cell:
        return Cell(
            sum(c.required for c in self.cells.values()), sum(c.done for c in self.cells.values())
        )


@dataclass
class Coverage:
    org: Org
    year: int
    on: date
    own: Row
    rows: list[Row]
    total: Row


def reference_date(org: Org, year: int) -> date:
    """Whose lists are required is decided by positions on the submission deadline.

    The deadline is that of the nearest catalogue issued for the year to this
    org's branch of the tree; without one, today (this year) or year end.
    """
    deadline = (
        Catalogue.objects.filter(
            year=year,
            status=Catalogue.Status.ISSUED,
            issuer__path__in=[*ancestor_paths(org.path), org.path],
            submit_deadline__isnull=False,
        )
        .order_by("-issuer__depth")
        .values_list("submit_deadline", flat=True)
        .first()
    )
    if deadline:
        return deadline
    today = timezone.localdate()
    return today if today.year == year else date(year, 12, 31)


def _on_duty(on: date) -> Q:
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


def _done_lists(year: int, list_type: str) -> QuerySet[DutyList]:
    return DutyList.objects.filter(year=year, list_type=list_type, is_current=True, status__in=DONE)


def required_units(org: Org) -> QuerySet[Org]:
    return Org.objects.filter(org.subtree_q(), kind__in=PARTY_KINDS, is_active=True)


def required_positions(org: Org, list_type: str, on: date) -> QuerySet[Position]:
    return Position.objects.filter(
        _on_duty(on), org.subtree_q("org__"), kind__in=PERSON_KINDS[list_type]
    )


def required_bodies(org: Org) -> QuerySet[DisciplineBody]:
    return DisciplineBody.objects.filter(org.subtree_q("org__"))


def _required(org: Org, list_type: str, year: int, on: date) -> tuple[QuerySet[Any], Q, str]:
    """The required rows of one type, the condition “has an accepted list”, and their path.

    The condition is used in WHERE, never as an annotation: in WHERE PostgreSQL
    plans EXISTS as one hash semi-join, where an annotation is a sub-plan run
    once per row — seconds at the province root (bench/README.md).
    """
    done = _done_lists(year, list_type)
    if list_type == ListType.COLLECTIVE:
        return required_units(org), Q(Exists(done.filter(org=OuterRef("pk")))), "path"
    if list_type == ListType.SUPERVISORY:
        ok = Exists(done.filter(discipline_body=OuterRef("pk")))
        return required_bodies(org), Q(ok), "org__path"
    ok = Exists(done.filter(org=OuterRef("org_id"), person=OuterRef("person_id")))
    return required_positions(org, list_type, on), Q(ok), "org__path"


def _by_branch(rows: QuerySet[Any], path_field: str, prefix_len: int) -> dict[str, int]:
    grouped = (
        rows.annotate(branch=Substr(path_field, 1, prefix_len))
        .values("branch")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {group["branch"]: group["n"] for group in grouped}


# A roll-up at the province root reads every org and position (seconds); it is
# cached per node and year until an accepted list appears or disappears
# (`invalidate`, called by the services) or, for position changes, the TTL ends.
CACHE_SECONDS = 600
_GENERATION = "liangze:coverage:generation"


def invalidate() -> None:
    """Forget every cached roll-up: a list became, or stopped being, accepted."""
    try:
        cache.incr(_GENERATION)
    except ValueError:
        cache.set(_GENERATION, 1, None)


def coverage(org: Org, year: int) -> Coverage:
    """The roll-up for `org`: its own level, then each child's whole subtree."""
    key = f"liangze:coverage:{cache.get_or_set(_GENERATION, 0, None)}:{org.pk}:{year}"
    report: Coverage | None = cache.get(key)
    if report is None:
        report = _coverage(org, year)
        cache.set(key, report, CACHE_SECONDS)
    return report


def _coverage(org: Org, year: int) -> Coverage:
    on = reference_date(org, year)
    prefix_len = len(org.path) + PATH_STEP
    counts: dict[str, dict[str, Cell]] = defaultdict(lambda: defaultdict(Cell))
    for list_type in ListType.values:
        rows, ok, path_field = _required(org, list_type, year, on)
        required = _by_branch(rows, path_field, prefix_len)
        done = _by_branch(rows.filter(ok), path_field, prefix_len)
        for branch, n in required.items():
            counts[branch][list_type] = Cell(n, done.get(branch, 0))
    children = list(org.children.order_by("sort_order", "path"))
    result_rows = [
        Row(child, {t: counts[child.path][t] for t in ListType.values}) for child in children
    ]
    own = Row(None, {t: counts[org.path][t] for t in ListType.values})
    total = Row(
        org,
        {
            t: Cell(
                sum(counts[b][t].required for b in counts), sum(counts[b][t].done for b in counts)
            )
            for t in ListType.values
        },
    )
    return Coverage(org=org, year=year, on=on, own=own, rows=result_rows, total=total)


def missing(org: Org, year: int, list_type: str, *, own_level_only: bool = False) -> QuerySet[Any]:
    """The units / positions / bodies in the subtree still without an accepted list of this type."""
    rows, ok, path_field = _required(org, list_type, year, reference_date(org, year))
    rows = rows.exclude(ok)
    if own_level_only:
        rows = rows.filter(**{path_field: org.path})
    if list_type in PERSON_KINDS:
        return rows.select_related("org", "person").order_by("org__path", "person__name")
    if list_type == ListType.SUPERVISORY:
        return rows.select_related("org").order_by("org__path", "name")
    return rows.order_by("path")
