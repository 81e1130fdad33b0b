"""全覆盖 (LIST-6): who has a list in force, rolled up the tree level by level.

For an org and a year, every unit and every required person in its subtree
is counted once per list type, grouped by the child of the org it lies
under (one GROUP BY over the materialized-path prefix per type), so the
page costs the same number of queries at a township and at the province root.

Computed live that reads every holder in the subtree (seconds at a province
root), so a roll-up reads the stored per-subtree counts of tallies.py when
they are there for the node, year and reference (date and unit setting), and computes live only
when they are not. Missing names always come from live, paginated queries.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, overload

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from liangze.duties.models import Catalogue, CoverageTally, DutyList, ListType
from liangze.orgs.models import (
    DisciplineBody,
    Org,
    OrgKind,
    Position,
    PositionKind,
)
from liangze.orgs.tree import PATH_STEP, ancestor_paths

PARTY_KINDS = [k for k in OrgKind.values if k != OrgKind.GOVERNMENT]
# Without a catalogue for the year, as a new catalogue would have it (004 参照执行).
COVERS_BY_DEFAULT: bool = Catalogue._meta.get_field("covers_units_without_committee").default
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


@dataclass(frozen=True)
class Basis:
    """What a roll-up counts by, as the catalogue that governs it says."""

    on: date  # whose posts: those held on this day
    covers_units_without_committee: bool  # whether such units need a collective list


def unit_kinds(covers_units_without_committee: bool) -> list[str]:
    """The org kinds that must have a 领导班子主体责任清单."""
    return list(OrgKind.values) if covers_units_without_committee else PARTY_KINDS


@dataclass
class Coverage:
    org: Org
    year: int
    on: date
    covers_units_without_committee: bool
    own: Row
    rows: list[Row]
    total: Row
    # When the stored tallies read were recounted (None: computed live just now). A post
    # that ends on a date, with no write to announce it, counts until the next recount.
    computed_at: datetime | None = None

    @property
    def basis(self) -> Basis:
        return Basis(self.on, self.covers_units_without_committee)


def reference(org: Org, year: int) -> Basis:
    """Whose lists are required: positions on the submission deadline, and units as the
    catalogue says.

    Both come from the nearest catalogue issued for the year to this org's
    branch of the tree (of two issued by the same org, the later); without
    one, positions today (this year) or at year end, and the default setting.
    """
    found = (
        Catalogue.objects.filter(
            year=year,
            status=Catalogue.Status.ISSUED,
            issuer__path__in=[*ancestor_paths(org.path), org.path],
            submit_deadline__isnull=False,
        )
        .order_by("-issuer__depth", F("issued_at").desc(nulls_last=True), "-pk")
        .values_list("submit_deadline", "covers_units_without_committee")
        .first()
    )
    deadline, covers = found or (None, COVERS_BY_DEFAULT)
    return Basis(deadline or fallback_date(year), covers)


def fallback_date(year: int) -> date:
    """The reference date where no catalogue with a deadline was issued for the year."""
    today = timezone.localdate()
    return today if today.year == year else date(year, 12, 31)


def _on_duty(on: date) -> Q:
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


def _done_lists(year: int, list_type: str) -> QuerySet[DutyList]:
    """A holder is covered by a list in force (published; a revision keeps the old one in force)."""
    return DutyList.objects.filter(year=year, list_type=list_type, in_force=True)


def required_units(org: Org, covers_units_without_committee: bool) -> QuerySet[Org]:
    kinds = unit_kinds(covers_units_without_committee)
    return Org.objects.filter(org.subtree_q(), kind__in=kinds, is_active=True)


def required_positions(org: Org, list_type: str, on: date) -> QuerySet[Position]:
    return Position.objects.filter(
        _on_duty(on), org.subtree_q("org__"), kind__in=PERSON_KINDS[list_type]
    )


def required_bodies(org: Org) -> QuerySet[DisciplineBody]:
    return DisciplineBody.objects.filter(org.subtree_q("org__"))


def _required(org: Org, list_type: str, year: int, basis: Basis) -> tuple[QuerySet[Any], Q, str]:
    """The required rows of one type, the condition “has a list in force”, and their path.

    The condition is used in WHERE, never as an annotation: in WHERE PostgreSQL
    plans EXISTS as one hash semi-join, where an annotation is a sub-plan run
    once per row — seconds at the province root (bench/README.md).
    """
    done = _done_lists(year, list_type)
    if list_type == ListType.COLLECTIVE:
        units = required_units(org, basis.covers_units_without_committee)
        return units, Q(Exists(done.filter(org=OuterRef("pk")))), "path"
    if list_type == ListType.SUPERVISORY:
        ok = Exists(done.filter(discipline_body=OuterRef("pk")))
        return required_bodies(org), Q(ok), "org__path"
    ok = Exists(done.filter(org=OuterRef("org_id"), person=OuterRef("person_id")))
    return required_positions(org, list_type, basis.on), Q(ok), "org__path"


def _by_branch(rows: QuerySet[Any], path_field: str, prefix_len: int) -> dict[str, int]:
    grouped = (
        rows.annotate(branch=Substr(path_field, 1, prefix_len))
        .values("branch")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {group["branch"]: group["n"] for group in grouped}


# A roll-up at the province root reads every org and position (seconds); it is
# cached per node and year until a list comes into or goes out of force
# (`invalidate`, called by the services) or, for position changes, the TTL ends.
CACHE_SECONDS = 600
_GENERATION = "liangze:coverage:generation"


def invalidate() -> None:
    """Forget every cached roll-up: a list came into or went out of force."""
    try:
        cache.incr(_GENERATION)
    except ValueError:
        cache.set(_GENERATION, 1, None)


def coverage(org: Org, year: int) -> Coverage:
    """The roll-up for `org`: its own level, then each child's whole subtree."""
    key = f"liangze:coverage:{cache.get_or_set(_GENERATION, 0, None)}:{org.pk}:{year}"
    report: Coverage | None = cache.get(key)
    if report is None:
        basis, children = reference(org, year), _children(org)
        report = _from_tallies(org, year, basis, children) or _coverage(org, year, basis, children)
        cache.set(key, report, CACHE_SECONDS)
    return report


def _children(org: Org) -> list[Org]:
    return list(org.children.order_by("sort_order", "path"))


def _from_tallies(org: Org, year: int, basis: Basis, children: list[Org]) -> Coverage | None:
    """The roll-up from the stored tallies of `org` and its children, or None without them.

    One query whatever the subtree's size. The rows must have been counted on
    this org's `basis`; a child added since the last rebuild has none, and
    then the roll-up is computed live rather than shown incomplete.
    """
    stored = {
        row.org_id: row
        for row in CoverageTally.objects.filter(
            org_id__in=[org.pk, *(child.pk for child in children)],
            year=year,
            **tally_key(basis),
        )
    }
    mine = stored.get(org.pk)
    if mine is None or any(child.pk not in stored for child in children):
        return None

    def cells(row: CoverageTally, level: str) -> dict[str, Cell]:
        return {
            t: Cell(
                getattr(row, CoverageTally.column(t, f"required_{level}")),
                getattr(row, CoverageTally.column(t, f"done_{level}")),
            )
            for t in ListType.values
        }

    return Coverage(
        org=org,
        year=year,
        on=basis.on,
        covers_units_without_committee=basis.covers_units_without_committee,
        own=Row(None, cells(mine, "own")),
        rows=[Row(child, cells(stored[child.pk], "sub")) for child in children],
        total=Row(org, cells(mine, "sub")),
        computed_at=min(row.computed_at for row in stored.values()),
    )


def tally_key(basis: Basis) -> dict[str, Any]:
    """The filter on CoverageTally for the rows counted on `basis`."""
    return {
        "as_of": basis.on,
        "covers_units_without_committee": basis.covers_units_without_committee,
    }


def _coverage(
    org: Org, year: int, basis: Basis | None = None, children: list[Org] | None = None
) -> Coverage:
    """The roll-up computed live (`basis` and `children` when the caller has them already)."""
    basis = basis or reference(org, year)
    children = _children(org) if children is None else children
    prefix_len = len(org.path) + PATH_STEP
    counts: dict[str, dict[str, Cell]] = defaultdict(lambda: defaultdict(Cell))
    for list_type in ListType.values:
        rows, ok, path_field = _required(org, list_type, year, basis)
        required = _by_branch(rows, path_field, prefix_len)
        done = _by_branch(rows.filter(ok), path_field, prefix_len)
        for branch, n in required.items():
            counts[branch][list_type] = Cell(n, done.get(branch, 0))
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
    return Coverage(
        org=org,
        year=year,
        on=basis.on,
        covers_units_without_committee=basis.covers_units_without_committee,
        own=own,
        rows=result_rows,
        total=total,
    )


def missing(
    org: Org,
    year: int,
    list_type: str,
    *,
    own_level_only: bool = False,
    basis: Basis | None = None,
) -> QuerySet[Any]:
    """The units / positions / bodies in the subtree still without a list in force of this type.

    `basis` is the org's reference when the caller has it already.
    """
    basis = basis or reference(org, year)
    rows, ok, path_field = _required(org, list_type, year, basis)
    rows = rows.exclude(ok)
    if own_level_only:
        rows = rows.filter(**{path_field: org.path})
    if list_type in PERSON_KINDS:
        return rows.select_related("org", "person").order_by("org__path", "person__name")
    if list_type == ListType.SUPERVISORY:
        return rows.select_related("org").order_by("org__path", "name")
    return rows.order_by("path")


# From this row on, a page of the missing is found through the tallies instead of OFFSET:
# skipping 50,000 rows in path order costs a second at a province root.
SEEK_FROM = 1000


class CountedRows:
    """Missing rows for the paginator, counted by the roll-up instead of a COUNT query.

    Counting the missing at a province root reads every holder again (0.7 s);
    the roll-up above the list has the number already, and the pager then
    agrees with the table. With stored tallies, a page deep in the list starts
    where the tallies say its first row lies (`_seek`), so every page costs
    about the same.
    """

    def __init__(
        self, rows: QuerySet[Any], count: int, list_type: str, report: Coverage | None
    ) -> None:
        self.rows, self._count = rows, count
        self.list_type, self.report = list_type, report
        self.path_field = "path" if list_type == ListType.COLLECTIVE else "org__path"

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if not isinstance(index, slice):
            return self.rows[index]
        start, stop = index.start or 0, index.stop
        if self.report is not None and start >= SEEK_FROM and stop is not None:
            found = _seek(self.report, self.list_type, start)
            if found is not None:
                path, skip = found
                rows = self.rows.filter(**{f"{self.path_field}__gte": path})
                return list(rows[skip : skip + stop - start])
        return list(self.rows[index])

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)


def missing_counted(report: Coverage, list_type: str) -> CountedRows:
    """`missing()` for the report's org and year, with the report's count of them."""
    rows = missing(report.org, report.year, list_type, basis=report.basis)
    from_tallies = report if report.computed_at is not None else None
    return CountedRows(rows, report.total.cells[list_type].missing, list_type, from_tallies)


def _seek(report: Coverage, list_type: str, offset: int) -> tuple[str, int] | None:
    """The org whose own missing rows hold the `offset`-th of the subtree's, and where.

    The missing are listed in path order, each org's own before its children's:
    going down from the report's org, skip the own level and then whole child
    subtrees by their stored counts — one query per level. None when the
    tallies run out (a child added since the rebuild), and OFFSET is used.
    """
    required_own, done_own = (
        CoverageTally.column(list_type, "required_own"),
        CoverageTally.column(list_type, "done_own"),
    )
    required_sub, done_sub = (
        CoverageTally.column(list_type, "required_sub"),
        CoverageTally.column(list_type, "done_sub"),
    )
    node, path = report.org.pk, report.org.path
    while True:
        children = list(Org.objects.filter(parent=node).order_by("path").values_list("pk", "path"))
        rows = {
            org_id: counts
            for org_id, *counts in CoverageTally.objects.filter(
                org_id__in=[node, *(pk for pk, _ in children)],
                year=report.year,
                **tally_key(report.basis),
            ).values_list("org_id", required_own, done_own, required_sub, done_sub)
        }
        if len(rows) != 1 + len(children):
            return None
        own = rows[node][0] - rows[node][1]
        if offset < own:
            return path, offset
        offset -= own
        for child, child_path in children:
            below = rows[child][2] - rows[child][3]
            if offset < below:
                node, path = child, child_path
                break
            offset -= below
        else:
            return None
