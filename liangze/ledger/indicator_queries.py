"""Indicators of an org's quantified duties, from its recorded activities (RULE-2, RULE-3).

Everything is fetched in a fixed number of queries — the rules, the leadership
positions and the heads the populations are made of, the activities with their
first evidence upload, their participants — and computed by the pure functions
of `indicators`, so a unit with forty leaders costs what a branch with three does.

Who is measured: positions held on the last day of the period, or today while
the period runs. 主要负责人 are the principals and branch secretaries; 班子成员
the members; a 班子 rule (team) measures both.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import cast

from django.db.models import Min, Q
from django.utils import timezone

from liangze.core.periods import Kind, Period
from liangze.ledger import indicators
from liangze.ledger.indicators import Indicator, Record, Status
from liangze.ledger.models import Activity, Rule
from liangze.orgs.models import Org, Person, Position, PositionKind

PRINCIPAL_KINDS = (PositionKind.PRINCIPAL, PositionKind.BRANCH_SECRETARY)
TEAM_KINDS = (*PRINCIPAL_KINDS, PositionKind.MEMBER)
# The page reads from the monthly duties to the yearly ones, the order PeriodKind declares.
FREQUENCY = Rule.PeriodKind.values


@dataclass(frozen=True)
class Row:
    """One figure: a rule, whom it measures, a period, and the records behind it."""

    rule: Rule
    org: Org
    subject: Person | Org
    period: Period
    indicator: Indicator
    activities: list[Activity]
    population: int  # how many people a proportional rule is measured against

    @property
    def is_unit(self) -> bool:
        return isinstance(self.subject, Org)

    @property
    def required(self) -> int:
        return self.indicator.required

    @property
    def actual(self) -> int:
        return self.indicator.actual

    @property
    def status(self) -> Status:
        return self.indicator.status

    @property
    def deadline(self) -> date:
        return self.indicator.deadline

    @property
    def records(self) -> list[tuple[Activity, bool]]:
        """(activity, came late) for each record that counts."""
        return [(a, a.pk in self.indicator.late_ids) for a in self.activities]


@dataclass
class Summary:
    """How one child org stands on its own indicators, for a dashboard of the level below."""

    org: Org
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def met(self) -> int:
        return self.counts[Status.MET]

    @property
    def unmet(self) -> int:
        return self.counts[Status.UNMET]

    @property
    def pending(self) -> int:
        return self.counts[Status.PENDING]

    @property
    def late(self) -> int:
        return self.counts[Status.LATE]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def current_period() -> Period:
    """What the pages show unless told otherwise: the quarter we are in."""
    return Period.containing(timezone.localdate(), "quarter")


def active_rules(year: int) -> list[Rule]:
    """The newest active version of each rule issued by `year`."""
    newest: dict[str, Rule] = {}
    for rule in Rule.objects.filter(is_active=True, year__lte=year).order_by("key", "-version"):
        newest.setdefault(rule.key, rule)
    return sorted(newest.values(), key=lambda rule: (FREQUENCY.index(rule.period_kind), rule.pk))


def _slots(rule: Rule, period: Period) -> list[Period]:
    """The rule's own periods within the asked one (the months of a quarter), or the one
    around it (the year of a quarter)."""
    kind = cast(Kind, rule.period_kind)
    if FREQUENCY.index(kind) <= FREQUENCY.index(period.kind):
        return period.parts(kind)
    return [Period.containing(period.start, kind)]


def _on_duty(on: date) -> Q:
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


@dataclass
class _Team:
    """The leadership of one org as the rules see it."""

    principals: list[Person] = field(default_factory=list)
    members: list[Person] = field(default_factory=list)
    liaison: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))

    def holding(self, actor: str) -> list[Person]:
        if actor == Rule.Actor.PRINCIPAL:
            return self.principals
        if actor == Rule.Actor.MEMBER:
            return self.members
        return [*self.principals, *self.members]

    @property
    def ids(self) -> set[int]:
        return {p.pk for p in (*self.principals, *self.members)}


@dataclass
class _Facts:
    teams: dict[int, _Team]
    heads: dict[int, set[int]]  # org id → its principals' person ids
    children: dict[int, set[int]]  # org id → its direct children's ids
    records: dict[int, list[Record]]  # org id → its activities
    activities: dict[int, Activity]


def _teams(org_ids: list[int], on: date) -> dict[int, _Team]:
    """Two queries: the leadership positions, and the liaison units of each."""
    positions = (
        Position.objects.filter(_on_duty(on), org_id__in=org_ids, kind__in=TEAM_KINDS)
        .select_related("person")
        .prefetch_related("liaison_orgs")
        .order_by("org_id", "start_date", "person__name")
    )
    teams: dict[int, _Team] = defaultdict(_Team)
    # Principals first: who holds both posts at one org is measured as its principal.
    for position in sorted(positions, key=lambda p: p.kind not in PRINCIPAL_KINDS):
        team = teams[position.org_id]
        if position.person_id not in team.ids:
            is_principal = position.kind in PRINCIPAL_KINDS
            (team.principals if is_principal else team.members).append(position.person)
        team.liaison[position.person_id] |= {o.pk for o in position.liaison_orgs.all()}
    return teams


def _heads(
    org_ids: list[int], liaison_ids: set[int], on: date
) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """One query: the principals of the orgs' children and of the liaison units."""
    heads: dict[int, set[int]] = defaultdict(set)
    children: dict[int, set[int]] = defaultdict(set)
    for org_id, parent_id, person_id in (
        Position.objects.filter(
            _on_duty(on),
            Q(org__parent_id__in=org_ids) | Q(org_id__in=liaison_ids),
            kind__in=PRINCIPAL_KINDS,
        )
        .values_list("org_id", "org__parent_id", "person_id")
        .order_by()
    ):
        heads[org_id].add(person_id)
        if parent_id is not None:
            children[parent_id].add(org_id)
    return heads, children


def _activities(
    org_ids: list[int], rules: Sequence[Rule], period: Period
) -> tuple[dict[int, list[Record]], dict[int, Activity]]:
    """Two queries: the activities with their first evidence upload, and their participants."""
    # Each rule reads its own kind over its own days; a report on the year is held in the
    # next one, so those days may reach past the period.
    wanted = Q(pk__in=[])
    for rule in rules:
        windows = [indicators.window(rule, slot) for slot in _slots(rule, period)]
        wanted |= Q(
            kind=rule.activity_kind,
            held_on__gte=min(w[0] for w in windows),
            held_on__lte=max(w[1] for w in windows),
        )
    held = Activity.objects.filter(wanted, org_id__in=org_ids)
    talked_to: dict[int, set[int]] = defaultdict(set)
    for activity_id, person_id in Activity.participants.through.objects.filter(
        activity__in=held
    ).values_list("activity_id", "person_id"):
        talked_to[activity_id].add(person_id)
    records: dict[int, list[Record]] = defaultdict(list)
    activities: dict[int, Activity] = {}
    # The minutes may run long and no figure needs them.
    for a in (
        held.defer("minutes")
        .annotate(first_upload=Min("evidence__uploaded_at", filter=Q(evidence__is_deleted=False)))
        .order_by("held_on", "pk")
    ):
        activities[a.pk] = a
        records[a.org_id].append(
            Record(
                id=a.pk,
                kind=a.kind,
                held_on=a.held_on,
                host_id=a.host_id,
                participant_ids=frozenset(talked_to[a.pk]),
                subject=a.subject,
                evidence_first_uploaded_on=(
                    timezone.localdate(a.first_upload) if a.first_upload else None
                ),
            )
        )
    return records, activities


def _facts(orgs: Sequence[Org], rules: Sequence[Rule], period: Period, on: date) -> _Facts:
    """Five queries for any number of orgs, people and activities."""
    org_ids = [org.pk for org in orgs]
    teams = _teams(org_ids, on)
    liaison_ids = {o for team in teams.values() for ids in team.liaison.values() for o in ids}
    heads, children = _heads(org_ids, liaison_ids, on)
    records, activities = _activities(org_ids, rules, period)
    return _Facts(teams, heads, children, records, activities)


def _population(rule: Rule, org: Org, person: Person | None, facts: _Facts) -> frozenset[int]:
    if person is None or rule.population == Rule.Population.NONE:
        return frozenset()
    team = facts.teams[org.pk]
    if rule.population == Rule.Population.TEAM_AND_SUB_HEADS:
        sub_heads = {p for child in facts.children[org.pk] for p in facts.heads[child]}
        return frozenset((team.ids - {person.pk}) | sub_heads)
    return frozenset(p for unit in team.liaison[person.pk] for p in facts.heads[unit])


def _rows(org: Org, rules: Iterable[Rule], period: Period, today: date, facts: _Facts) -> list[Row]:
    rows = []
    for rule in rules:
        people: list[Person | None] = (
            [None] if rule.actor == Rule.Actor.UNIT else [*facts.teams[org.pk].holding(rule.actor)]
        )
        for person in people:
            records = facts.records[org.pk]
            if person is not None:
                records = [r for r in records if r.host_id == person.pk]
            population = _population(rule, org, person, facts)
            for slot in _slots(rule, period):
                indicator = indicators.evaluate(
                    rule, slot, records, population=population, today=today
                )
                rows.append(
                    Row(
                        rule=rule,
                        org=org,
                        subject=person or org,
                        period=slot,
                        indicator=indicator,
                        activities=[facts.activities[i] for i in indicator.activity_ids],
                        population=len(population),
                    )
                )
    return rows


def _compute(orgs: Sequence[Org], period: Period, today: date | None) -> dict[int, list[Row]]:
    today = today or timezone.localdate()
    rules = active_rules(period.year)
    facts = _facts(orgs, rules, period, min(today, period.end))
    return {org.pk: _rows(org, rules, period, today, facts) for org in orgs}


def indicators_for(org: Org, period: Period, *, today: date | None = None) -> list[Row]:
    """Every active rule's figure for the org and each of its leaders, in `period`."""
    return _compute([org], period, today)[org.pk]


def indicators_for_subtree(org: Org, period: Period, *, today: date | None = None) -> list[Summary]:
    """For each direct child of the org, how many of its own figures are met, unmet, …"""
    children = list(org.children.filter(is_active=True).order_by("sort_order", "path"))
    by_org = _compute(children, period, today)
    return [Summary(child, Counter(row.status for row in by_org[child.pk])) for child in children]
