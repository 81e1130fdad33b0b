"""数字准: the figures of a subtree recomputed the slow, obvious way and set beside the pages'.

The pages compute set-based for speed — indicators in chunked batches, ledger cells in
GROUP BY roll-ups, coverage from stored tallies. This walks one org at a time with plain
filters: who held which post on each period's last day, whom each leader is measured
against, which activities and first evidence count; then the pure rule (ledger's
`evaluate`, tested on hand-made data) gives each figure. Ledger cells are counted item by
item from the lists in force, coverage from the lists in force and the live roll-up.

Run by `manage.py reconcile_figures` and by the reconciliation test and bench; an empty
answer means every figure reconciles.
"""

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.db.models import Q
from django.utils import timezone

from liangze.core.models import Evidence
from liangze.core.periods import Kind, Period, end_of, quarters
from liangze.duties import queries as duty_queries
from liangze.duties.models import DutyItem, DutyList, ListType
from liangze.ledger import queries as ledger
from liangze.ledger.models import Activity, ProgressEntry, Rule
from liangze.orgs.models import DisciplineBody, Org, OrgKind, Position, PositionKind

LEADER_KINDS = (*ledger.PRINCIPAL_KINDS, PositionKind.MEMBER)
# The heads of a unit's own 纪委 or its 纪检委员; a 派驻组's leader is not one of them.
DISCIPLINE_HEADS = (PositionKind.DISCIPLINE_SECRETARY, PositionKind.DISCIPLINE_MEMBER)
COMMITTEES = (OrgKind.PARTY_COMMITTEE, OrgKind.PARTY_GROUP, OrgKind.WORK_COMMITTEE)
# The entry periods that fill a quarter's cell: the quarter and its months.
FILLED = (ProgressEntry.Status.SUBMITTED, ProgressEntry.Status.VERIFIED)


@dataclass(frozen=True)
class Mismatch:
    what: str  # 指标 / 台账 / 覆盖
    where: str
    expected: Any  # recomputed here
    shown: Any  # as the pages compute it

    def __str__(self) -> str:
        return f"{self.what} {self.where}：应为 {self.expected}，页面为 {self.shown}"


@dataclass(frozen=True)
class _Post:
    person_id: int
    kind: str
    start: date
    end: date | None
    units: frozenset[int]  # its 分管 and liaison units

    def held(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def _posts(org_ids: list[int], kinds: tuple[str, ...]) -> dict[int, list[_Post]]:
    rows = (
        Position.objects.filter(org_id__in=org_ids, kind__in=kinds)
        .exclude(discipline_body__kind=DisciplineBody.Kind.DISPATCHED)
        .order_by("start_date", "person__name")
    )
    found: dict[int, list[_Post]] = defaultdict(list)
    for post in rows.prefetch_related("liaison_orgs", "portfolio_orgs"):
        units = frozenset(o.pk for o in [*post.liaison_orgs.all(), *post.portfolio_orgs.all()])
        found[post.org_id].append(
            _Post(post.person_id, post.kind, post.start_date, post.end_date, units)
        )
    return found


def _first_files(activities: list[Activity], today: date) -> dict[int, date]:
    """Each activity's first file from its day on, its own or a verified entry's."""
    moment = end_of(today)
    first: dict[int, date] = {}
    for activity in activities:
        own = Evidence.objects.filter(
            activity=activity, is_deleted=False, uploaded_at__lt=moment
        ).values_list("uploaded_at", flat=True)
        filed = Evidence.objects.filter(
            progressentry__activities=activity,
            progressentry__status=ProgressEntry.Status.VERIFIED,
            progressentry__reviewed_at__lt=moment,
            is_deleted=False,
            uploaded_at__lt=moment,
        ).values_list("uploaded_at", flat=True)
        days = [d for d in map(timezone.localdate, [*own, *filed]) if d >= activity.held_on]
        if days:
            first[activity.pk] = min(days)
    return first


def _records(org: Org, rules: list[Rule], today: date) -> list[ledger.Record]:
    activities = list(
        Activity.objects.filter(
            org=org,
            kind__in={r.activity_kind for r in rules},
            created_at__lt=end_of(today),
        ).prefetch_related("participants")
    )
    timed_kinds = {r.activity_kind for r in rules if r.evidence_workdays}
    files = _first_files([a for a in activities if a.kind in timed_kinds], today)
    return [
        ledger.Record(
            id=a.pk,
            kind=a.kind,
            held_on=a.held_on,
            host_id=a.host_id,
            participant_ids=frozenset(p.pk for p in a.participants.all()),
            subject=a.subject,
            evidence_first_uploaded_on=files.get(a.pk),
            report_kind=a.report_kind,
            recipients=frozenset(a.recipients),
        )
        for a in activities
    ]


def _periods(rule: Rule, year: int) -> list[Period]:
    return Period(year, "year").parts(cast(Kind, rule.period_kind))


def _heads_on(posts: list[_Post], day: date) -> set[int]:
    return {p.person_id for p in posts if p.kind in ledger.PRINCIPAL_KINDS and p.held(day)}


@dataclass(frozen=True)
class _Org:
    """One org's posts as the rules read them: its leaders, its discipline heads, the
    principals of its children and of its leaders' liaison and 分管 units."""

    own: list[_Post]
    discipline: list[_Post]
    children: list[int]
    below: dict[int, list[_Post]]
    liaison: dict[int, list[_Post]]

    def subjects(self, rule: Rule, org: Org, year: int, day: date, today: date) -> set[int | None]:
        principals = _heads_on(self.own, day)
        members = {p.person_id for p in self.own if p.held(day)} - principals
        if rule.actor == Rule.Actor.UNIT:
            return {None}
        if rule.actor == Rule.Actor.COMMITTEE:
            # A committee's duty, asked of it while anyone holds a post there in the year.
            posts = [*self.own, *self.discipline]
            held = any(p.held(min(q.end, today)) for q in _periods(rule, year) for p in posts)
            return {None} if org.kind in COMMITTEES and held else set()
        if rule.actor == Rule.Actor.PRINCIPAL:
            return set(principals)
        if rule.actor == Rule.Actor.MEMBER:
            return set(members)
        if rule.actor == Rule.Actor.DISCIPLINE:
            return {p.person_id for p in self.discipline if p.held(day)}
        return set(principals | members)

    def population(self, rule: Rule, person: int | None, day: date) -> frozenset[int]:
        if person is None or rule.population == Rule.Population.NONE:
            return frozenset()
        sub_heads = {h for c in self.children for h in _heads_on(self.below.get(c, []), day)}
        if rule.population == Rule.Population.SUB_HEADS:
            return frozenset(sub_heads - {person})
        if rule.population == Rule.Population.TEAM_AND_SUB_HEADS:
            team = {p.person_id for p in self.own if p.held(day)}
            return frozenset((team | sub_heads) - {person})
        mine = {u for p in self.own if p.person_id == person and p.held(day) for u in p.units}
        return frozenset(h for u in mine for h in _heads_on(self.liaison.get(u, []), day))


def _figures(org: Org, rules: list[Rule], year: int, today: date) -> Iterator[tuple[Any, ...]]:
    """(rule, person, period, required, actual, status) of every figure of the org."""
    own = _posts([org.pk], LEADER_KINDS)[org.pk]
    children = list(Org.objects.filter(parent=org).values_list("pk", flat=True))
    units = sorted({u for post in own for u in post.units})
    posts = _Org(
        own=own,
        discipline=_posts([org.pk], DISCIPLINE_HEADS)[org.pk],
        children=children,
        below=_posts(children, ledger.PRINCIPAL_KINDS),
        liaison=_posts(units, ledger.PRINCIPAL_KINDS),
    )
    records = _records(org, rules, today)
    for rule in rules:
        for period in _periods(rule, year):
            day = min(period.end, today)
            for person in posts.subjects(rule, org, year, day, today):
                hosted = [r for r in records if person is None or r.host_id == person]
                population = posts.population(rule, person, day)
                figure = ledger.evaluate(rule, period, hosted, population=population, today=today)
                yield (rule.key, person, str(period), figure.required, figure.actual, figure.status)


def _indicators(orgs: list[Org], year: int, today: date) -> tuple[list[Mismatch], Counter[str]]:
    # Each org under the rules of its own jurisdiction, as the pages measure it.
    book = ledger.RuleBook.load(year)
    if not book.every_rule:
        return [], Counter()
    names = {o.pk: o.name for o in orgs}
    shown = {
        (f.rule.key, f.org_id, f.person_id, str(f.period)): (
            f.indicator.required,
            f.indicator.actual,
            f.indicator.status,
        )
        for f in ledger.compute_governed_indicators(
            [(o.pk, o.path) for o in orgs],
            book,
            lambda rule: _periods(rule, year),
            today=today,
        )
    }
    problems = []
    statuses: Counter[str] = Counter()
    expected_keys = set()
    for org in orgs:
        rules = book.rules_for(org.path)
        for key, person, period, required, actual, status in _figures(org, rules, year, today):
            expected_keys.add((key, org.pk, person, period))
            if status != ledger.Status.NOT_APPLICABLE:
                statuses[status] += 1
            page = shown.get((key, org.pk, person, period))
            if page != (required, actual, status):
                where = f"{names[org.pk]} {key} {person or ''} {period}"
                problems.append(Mismatch("指标", where, (required, actual, str(status)), page))
    for extra in set(shown) - expected_keys:
        problems.append(Mismatch("指标", f"{names[extra[1]]} {extra}", None, shown[extra]))
    return problems, statuses


def _cells(root: Org, year: int, today: date) -> Counter[str]:
    """Cells of the lists in force, counted item by item: all, filled, verified."""
    counted: Counter[str] = Counter()
    moment = end_of(today)
    lists = DutyList.objects.filter(root.subtree_q("org__"), year=year, in_force=True)
    for item in DutyItem.objects.filter(duty_list__in=lists):
        entries = list(
            ProgressEntry.objects.filter(item=item, entered_at__lt=moment).values_list(
                "period", "status", "reviewed_at"
            )
        )
        for quarter in quarters(year):
            counted["cells"] += 1
            periods = {str(quarter), *(str(m) for m in quarter.parts("month"))}
            mine = [e for e in entries if e[0] in periods]
            live = [
                e
                for e in mine
                if not (e[1] == ProgressEntry.Status.REJECTED and e[2] and e[2] < moment)
            ]
            if live:
                counted["filled"] += 1
            if any(e[1] == ProgressEntry.Status.VERIFIED and e[2] and e[2] < moment for e in live):
                counted["verified"] += 1
    return counted


def reconcile(root: Org, year: int, *, today: date | None = None) -> list[Mismatch]:
    """Every disagreement between the recomputed figures of `root`'s subtree and the pages'."""
    today = today or timezone.localdate()
    orgs = list(Org.objects.filter(root.subtree_q(), is_active=True).order_by("path"))
    problems, statuses = _indicators(orgs, year, today)
    # The dashboard's 合计 row, as its live roll-up adds it up.
    total = ledger.add_up(ledger.by_branch(root, year, today).values())
    shown_statuses = Counter(total.indicators)
    if +shown_statuses != +statuses:
        where = f"{root.name} 仪表盘合计"
        problems.append(Mismatch("指标", where, dict(+statuses), dict(+shown_statuses)))
    cells = _cells(root, year, today)
    shown_cells = {
        "cells": total.total_cells,
        "filled": total.cells[ledger.CellStatus.DONE] + total.cells[ledger.CellStatus.VERIFIED],
        "verified": total.cells[ledger.CellStatus.VERIFIED],
    }
    if shown_cells != {k: cells[k] for k in shown_cells}:
        problems.append(Mismatch("台账", f"{root.name} 仪表盘合计", dict(cells), shown_cells))
    problems += _coverage(root, year)
    return problems


def _coverage(root: Org, year: int) -> list[Mismatch]:
    """The stored roll-up equals the live one, and its done units are the lists in force."""
    report = duty_queries.coverage(root, year)
    stored = report.total.cells
    live = duty_queries.live_coverage(root, year).total.cells
    problems = [
        Mismatch(
            "覆盖",
            f"{root.name} {t}",
            (live[t].required, live[t].done),
            (stored[t].required, stored[t].done),
        )
        for t in ListType.values
        if (live[t].required, live[t].done) != (stored[t].required, stored[t].done)
    ]
    units_in_force = (
        DutyList.objects.filter(
            root.subtree_q("org__"), year=year, list_type=ListType.COLLECTIVE, in_force=True
        )
        .filter(Q(org__in=duty_queries.required_units(root, report.covers_units_without_committee)))
        .values("org_id")
        .distinct()
        .count()
    )
    if units_in_force != stored[ListType.COLLECTIVE].done:
        problems.append(
            Mismatch(
                "覆盖",
                f"{root.name} 集体清单已完成",
                units_in_force,
                stored[ListType.COLLECTIVE].done,
            )
        )
    return problems
