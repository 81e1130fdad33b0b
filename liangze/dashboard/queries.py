"""Reads behind the supervision dashboard (issue 4 item 7), scoped by core.access.

Where the figures come from, decided by level and size and measured in bench/dashboard.py:
- county and below: live, from ledger.rollups (a fixed number of queries; cached
  a few minutes, since a county's indicators read a quarter of its activities) when
  the subtree is small; a large county opens on its snapshot and may be asked live;
- city and province: the latest weekly snapshot, with its date on the page — a
  live roll-up there reads every activity of the province, the weekly job's work.
Either way the page costs the same number of queries whatever the size of the tree.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from liangze import access
from liangze.accounts.models import User
from liangze.dashboard import policy
from liangze.dashboard.models import ScaleVersion, WarningSnapshot
from liangze.dashboard.warning import (
    RANK,
    Colour,
    Scale,
    ScaleBook,
    ScaleIssue,
    classify,
    parse_scale,
    person_metrics,
    scale_for,
    unit_metrics,
)
from liangze.ledger import queries as rollups
from liangze.ledger.queries import CellStatus, Tally
from liangze.orgs import queries as org_queries
from liangze.orgs.models import Org, OrgLevel, Person

Source = Literal["live", "snapshot"]

# Levels whose figures come from the weekly snapshot unless asked otherwise.
SNAPSHOT_LEVELS = (OrgLevel.PROVINCE, OrgLevel.CITY)
# Below those levels a subtree this small opens live by default (the demo county's
# 395 orgs: well under a second). A larger county opens on its snapshot and can still be
# asked live: 2,934 orgs took 6.2 s live, 0.3 s from the snapshot (bench/README.md).
LIVE_DEFAULT_MAX_ORGS = 1000
LIVE_CACHE_SECONDS = 300
HISTORY_WEEKS = 12

# The bar chart's stacks, from done to late; their colours live in dashboard.js.
CHART_STATUSES = (
    CellStatus.VERIFIED,
    CellStatus.DONE,
    CellStatus.ON_TRACK,
    CellStatus.NOT_DUE,
    CellStatus.DUE_SOON,
    CellStatus.OVERDUE,
)


# Rectifications ------------------------------------------------------------------------


def _rectifications_by_child() -> Callable[[Org, int, date], dict[int, int]] | None:
    """supervision.queries.open_rectifications_by_child, while that app provides it."""
    try:
        from liangze.supervision.queries import open_rectifications_by_child
    except ImportError:  # pragma: no cover — the supervision app not (yet) installed
        return None
    return open_rectifications_by_child


def open_rectifications(org: Org, year: int, as_of: date) -> dict[int, int]:
    """org id → open on `as_of`: the org's own, and each direct child's whole subtree."""
    by_child = _rectifications_by_child()
    return by_child(org, year, as_of) if by_child else {}


def own_rectifications(orgs: Sequence[Org], root: Org, year: int, as_of: date) -> dict[int, int]:
    """Each org's own rectifications open on `as_of`, for the orgs of `root`'s subtree given.

    Asks supervision one level at a time, and only down the branches that have
    any: one query per org with open rectifications below it, not one per org.
    """
    by_child = _rectifications_by_child()
    if by_child is None:
        return {}
    children: dict[int, list[Org]] = defaultdict(list)
    for org in orgs:
        if org.parent_id is not None:
            children[org.parent_id].append(org)
    own: dict[int, int] = {}
    pending = [root]
    while pending:
        org = pending.pop()
        counts = by_child(org, year, as_of)
        own[org.pk] = counts.get(org.pk, 0)
        for child in children.get(org.pk, []):
            n = counts.get(child.pk, 0)
            if not n:
                continue
            if children.get(child.pk):
                pending.append(child)
            else:
                own[child.pk] = n
    return own


# Rows ------------------------------------------------------------------------------------


def tally_json(tally: Tally) -> dict[str, Any]:
    """A tally as the snapshot keeps it beside the classified metrics."""
    return {
        "cells": {k: v for k, v in tally.cells.items() if v},
        "indicators": {k: v for k, v in tally.indicators.items() if v},
    }


def tally_from_json(metrics: dict[str, Any]) -> Tally:
    return Tally(
        cells=Counter(metrics.get("cells", {})),
        due_cells=int(metrics.get("due_cells", 0)),
        indicators=Counter(metrics.get("indicators", {})),
    )


def _minus(whole: Tally, parts: Sequence[Tally]) -> Tally:
    rest = Tally(Counter(whole.cells), whole.due_cells, Counter(whole.indicators))
    for part in parts:
        rest.cells.subtract(part.cells)
        rest.due_cells -= part.due_cells
        rest.indicators.subtract(part.indicators)
    return rest


@dataclass
class UnitRow:
    """One line of the table: the org's own level, a direct child's subtree, or the total."""

    label: str
    org: Org | None
    tally: Tally
    open_rectifications: int
    colour: Colour
    metrics: dict[str, float]
    drillable: bool = False

    @property
    def cells(self) -> list[tuple[str, int]]:
        return [(status, self.tally.cells[status]) for status in CHART_STATUSES]


@dataclass
class PersonRow:
    person: Person
    tally: Tally
    colour: Colour
    metrics: dict[str, float]
    history: list[tuple[date, str]] = field(default_factory=list)  # (week, colour), oldest first


@dataclass
class Dashboard:
    org: Org
    year: int
    on: date
    source: Source
    as_of: date | None  # the snapshot's date; None when live or when there is none
    scale: Scale
    own: UnitRow | None
    rows: list[UnitRow]
    total: UnitRow | None
    people: list[PersonRow]
    unassigned: Tally  # the org's own items that nobody answers for
    trend: dict[str, Any]
    live_allowed: bool

    @property
    def chart(self) -> dict[str, Any]:
        """The stacked bar: cells by state for the org's own level and each child that
        has a ledger (the table names the others)."""
        bars = [r for r in ([self.own] if self.own else []) + self.rows if r.tally.total_cells]
        return {
            "units": [row.label for row in bars],
            "series": [
                {
                    "status": status.value,
                    "name": str(status.label),
                    "data": [row.tally.cells[status] for row in bars],
                }
                for status in CHART_STATUSES
            ],
        }

    @property
    def colour_counts(self) -> list[tuple[Colour, int, str]]:
        """How many direct children are in each colour, with what the colour means."""
        counted = Counter(row.colour for row in self.rows)
        return [(c, counted[c], self.scale.colours[c].meaning) for c in Colour]


def _unit_row(
    label: str, org: Org | None, tally: Tally, rect: int, scale: Scale, drillable: bool = False
) -> UnitRow:
    metrics = unit_metrics(tally, rect)
    return UnitRow(label, org, tally, rect, classify(metrics, scale, "unit"), metrics, drillable)


def _children(org: Org) -> list[Org]:
    return list(org.children.filter(is_active=True).order_by("sort_order", "path"))


def _live(org: Org, year: int, on: date) -> tuple[dict[str, Tally], dict[int, int]]:
    key = f"liangze:dashboard:live:{org.pk}:{year}:{on.isoformat()}"
    cached: tuple[dict[str, Tally], dict[int, int]] | None = cache.get(key)
    if cached is None:
        cached = (rollups.by_branch(org, year, on), open_rectifications(org, year, on))
        cache.set(key, cached, LIVE_CACHE_SECONDS)
    return cached


def _live_rows(
    org: Org, children: list[Org], year: int, on: date, book: ScaleBook
) -> tuple[UnitRow, list[UnitRow], UnitRow]:
    scale = book.scale_for(org.path)
    tallies, rect = _live(org, year, on)
    own_tally = tallies.get(org.path, Tally())
    own = _unit_row("本级", None, own_tally, rect.get(org.pk, 0), scale)
    rows = [
        _unit_row(
            child.name,
            child,
            tallies.get(child.path, Tally()),
            rect.get(child.pk, 0),
            book.scale_for(child.path),
            drillable=child.child_count > 0,
        )
        for child in children
    ]
    total = _unit_row("合计", org, rollups.add_up(tallies.values()), sum(rect.values()), scale)
    return own, rows, total


def latest_week(org: Org, on: date) -> date | None:
    return (
        WarningSnapshot.objects.filter(org=org, person=None, week__lte=on)
        .order_by("-week")
        .values_list("week", flat=True)
        .first()
    )


def _snapshot_rows(
    org: Org, children: list[Org], week: date, book: ScaleBook
) -> tuple[UnitRow, list[UnitRow], UnitRow, date]:
    scale = book.scale_for(org.path)
    ids = [org.pk, *(child.pk for child in children)]
    snapshots = {
        s.org_id: s
        for s in WarningSnapshot.objects.filter(week=week, person=None, org_id__in=ids).only(
            "org_id", "metrics", "colour", "taken_on"
        )
    }

    def tally_of(org_id: int) -> tuple[Tally, int]:
        snapshot = snapshots.get(org_id)
        if snapshot is None:
            return Tally(), 0
        return tally_from_json(snapshot.metrics), int(snapshot.metrics["open_rectifications"])

    rows = []
    for child in children:
        tally, rect = tally_of(child.pk)
        child_scale = book.scale_for(child.path)
        rows.append(_unit_row(child.name, child, tally, rect, child_scale, child.child_count > 0))
    whole, whole_rect = tally_of(org.pk)
    own_tally = _minus(whole, [row.tally for row in rows])
    own_rect = whole_rect - sum(row.open_rectifications for row in rows)
    own = _unit_row("本级", None, own_tally, own_rect, scale)
    total = _unit_row("合计", org, whole, whole_rect, scale)
    taken_on = snapshots[org.pk].taken_on if org.pk in snapshots else week
    return own, rows, total, taken_on


def _people(org: Org, year: int, on: date, scale: Scale) -> tuple[list[PersonRow], Tally]:
    """The org's own people, live: their items and figures are a few dozen rows."""
    tallies = rollups.by_person(org, year, on)
    unassigned = tallies.pop(None, Tally())
    people = Person.objects.in_bulk(list(tallies))
    rows = []
    for person_id, tally in tallies.items():
        metrics = person_metrics(tally)
        rows.append(
            PersonRow(people[person_id], tally, classify(metrics, scale, "person"), metrics)
        )
    since = on - timedelta(weeks=HISTORY_WEEKS)
    history: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for person_id, week, colour in (
        WarningSnapshot.objects.filter(org=org, person_id__in=list(tallies), week__gt=since)
        .order_by("week")
        .values_list("person_id", "week", "colour")
    ):
        history[person_id].append((week, colour))
    for row in rows:
        row.history = history[row.person.pk]
    rows.sort(key=lambda r: (-RANK[r.colour], -r.tally.overdue_cells, r.person.name))
    return rows, unassigned


def trend(org: Org, year: int, has_children: bool) -> dict[str, Any]:
    """Colours per week over the year: how many direct children were in each colour,
    or for a unit without children its own colour (one query)."""
    rows = WarningSnapshot.objects.filter(
        person=None, week__gte=date(year, 1, 1) - timedelta(days=6), week__lte=date(year, 12, 31)
    )
    rows = rows.filter(org__parent=org) if has_children else rows.filter(org=org)
    counted: dict[date, Counter[str]] = defaultdict(Counter)
    for week, colour, n in (
        rows.values("week", "colour").annotate(n=Count("pk")).values_list("week", "colour", "n")
    ):
        counted[week][colour] += n
    weeks = sorted(counted)
    return {
        "weeks": [f"{week:%m-%d}" for week in weeks],
        "series": [
            {
                "colour": colour.value,
                "name": str(colour.label),
                "data": [counted[week][colour] for week in weeks],
            }
            for colour in Colour
        ],
        "per_unit": has_children,
    }


def _small(org: Org) -> bool:
    """At most LIVE_DEFAULT_MAX_ORGS orgs in the subtree, counted no further than that."""
    below = Org.objects.filter(org.subtree_q()).values("pk")[: LIVE_DEFAULT_MAX_ORGS + 1]
    return below.count() <= LIVE_DEFAULT_MAX_ORGS


def dashboard(
    user: User, org: Org, *, year: int, on: date | None = None, source: Source | None = None
) -> Dashboard:
    """Everything the page shows for `org`, in a fixed number of queries."""
    on = on or timezone.localdate()
    if year != on.year:
        # A past year is judged as it stood at its end; a future one as of today.
        on = min(date(year, 12, 31), on) if year < on.year else on
    # Each unit is coloured by the scale of its own jurisdiction; the legend shows the org's.
    book = scale_book(year)
    scale = book.scale_for(org.path)
    live_allowed = org.level not in SNAPSHOT_LEVELS
    chosen: Source = source or ("live" if live_allowed and _small(org) else "snapshot")
    if chosen == "live" and not live_allowed:
        chosen = "snapshot"
    children = _children(org)
    as_of: date | None = None
    own: UnitRow | None
    total: UnitRow | None
    week = latest_week(org, on) if chosen == "snapshot" else None
    if week is None and live_allowed and source is None:
        chosen = "live"  # a large county before its first weekly snapshot: slow, not empty
    if chosen == "live":
        own, rows, total = _live_rows(org, children, year, on, book)
    elif week is None:
        own, rows, total = None, [], None
    else:
        own, rows, total, as_of = _snapshot_rows(org, children, week, book)
    people, unassigned = _people(org, year, on, scale)
    return Dashboard(
        org=org,
        year=year,
        on=on,
        source=chosen,
        as_of=as_of,
        scale=scale,
        own=own,
        rows=rows,
        total=total,
        people=people,
        unassigned=unassigned,
        trend=trend(org, year, bool(children)),
        live_allowed=live_allowed,
    )


def ancestors_in_view(user: User, org: Org) -> list[Org]:
    """The breadcrumb: the ancestors the user may watch as well."""
    return [a for a in org_queries.ancestors_of(org) if policy.may_watch(user, a)]


def scale_book(year: int) -> ScaleBook:
    """One query: each issuer's newest scale up to `year` (of the latest year, then the last
    issued), over the default file's."""
    issued: dict[str, ScaleIssue] = {}
    versions = (
        ScaleVersion.objects.filter(year__lte=year)
        .select_related("issuer")
        .order_by("issuer_id", "-year", "-version")
    )
    for version in versions:
        if version.issuer.path in issued:
            continue
        name = gettext("%(issuer)s第%(version)s版") % {
            "issuer": version.issuer_name,
            "version": version.version,
        }
        issued[version.issuer.path] = ScaleIssue(
            parse_scale(version.data, name), version.allow_tighten, name
        )
    return ScaleBook(scale_for(year), issued)


def scale_versions_visible(user: User) -> QuerySet[ScaleVersion]:
    """Every scale version the user may see, newest first."""
    versions = ScaleVersion.objects.filter(access.visible_q(user, ScaleVersion))
    return versions.select_related("issuer").order_by("-created_at", "-pk")
