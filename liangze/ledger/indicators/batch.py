"""Indicators of many units at once, set-based and chunk by chunk (RULE-2 at any scale).

For one chunk of units a fixed number of queries reads, as plain values, what
the rules need — the leaders and the units they are in charge of (分管) or
liaise with (联系), the heads of the units below and of those units, the
activities of the kinds and days the rules read, their participants and their
first evidence — and the pure functions of `indicators` evaluate every figure.
`stream` walks any number of units a chunk at a time, so memory holds one
chunk's activities, never a province's; the
pages (indicator_queries), the escalation job and the benchmark all compute
through this one path.

As of `today`: an activity counts once it has been recorded, a file once it has
been uploaded, a progress entry's files once the entry has been verified. On the
present day that leaves nothing out; for a past day it gives the figure as it
stood then, which lets the escalation job catch up on days it did not run.

Evidence of a meeting: the files attached to the activity itself, and those of a
progress entry that names the activity (关联活动) once a supervisor has verified
that entry (对账销号, LEDGER-2) — the unit files the photo with its ledger entry,
the supervisor matches it to the meeting. Either way the date that counts is the
upload, not the verification: the unit's duty is to file in time.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice

from django.db.models import F, Q
from django.utils import timezone

from liangze.core.periods import Period, end_of
from liangze.ledger.indicators import measures as indicators
from liangze.ledger.indicators.measures import Indicator, Record
from liangze.ledger.models import Activity, ProgressEntry, Rule
from liangze.orgs.models import DisciplineBody, OrgKind, Position, PositionKind

# Who answers for a unit: its 主要负责人, or a branch's 支部书记.
PRINCIPAL_KINDS = (PositionKind.PRINCIPAL, PositionKind.BRANCH_SECRETARY)
TEAM_KINDS = (*PRINCIPAL_KINDS, PositionKind.MEMBER)
# Who answers for a unit's 监督责任: the head of its own 纪委 (纪检组, 纪工委), or its
# 纪检委员. A 派驻纪检监察组 sits at the org that sent it and answers to that org's 纪委.
DISCIPLINE_HEADS = (PositionKind.DISCIPLINE_SECRETARY, PositionKind.DISCIPLINE_MEMBER)
# The orgs with a 党委 or 党组 leadership: 民主生活会 and the 中心组 are theirs, not a branch's.
COMMITTEE_KINDS = (OrgKind.PARTY_COMMITTEE, OrgKind.PARTY_GROUP, OrgKind.WORK_COMMITTEE)
# Units per chunk: big enough that a province is a few hundred round trips, small
# enough that one chunk's activities (a few tens of thousands) sit lightly in memory.
CHUNK = 500
# Ids per IN (…) list: well inside SQLite's 32,766 parameters; a chunk's talks fit in one or two.
ID_SLICE = 10_000

# For each rule, the periods to evaluate.
Slots = Callable[[Rule], Sequence[Period]]


@dataclass
class Team:
    """The leadership of one org as the rules see it, by person id."""

    principals: list[int] = field(default_factory=list)
    members: list[int] = field(default_factory=list)
    # Person id → the units they are in charge of (分管) or liaise with (联系).
    liaison: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    discipline: list[int] = field(default_factory=list)
    committee: bool = False  # a 党委's or 党组's leadership, not a branch's

    def holding(self, actor: str) -> list[int]:
        if actor == Rule.Actor.PRINCIPAL:
            return self.principals
        if actor == Rule.Actor.MEMBER:
            return self.members
        if actor == Rule.Actor.DISCIPLINE:
            return self.discipline
        return [*self.principals, *self.members]

    def subjects(self, actor: str) -> list[int | None]:
        """Whom a rule measures here: the unit itself (None), or each person holding the post."""
        if actor == Rule.Actor.UNIT:
            return [None]
        if actor == Rule.Actor.COMMITTEE:
            return [None] if self.committee else []
        return [*self.holding(actor)]

    @property
    def ids(self) -> set[int]:
        return {*self.principals, *self.members}


@dataclass(frozen=True)
class Figure:
    """One rule's figure for one subject — a unit (person_id None) or a leader — in one period."""

    rule: Rule
    org_id: int
    person_id: int | None
    period: Period
    population: int  # how many people a proportional rule is measured against
    indicator: Indicator


@dataclass
class Facts:
    teams: dict[int, Team]
    heads: dict[int, set[int]]  # org id → its principals' person ids
    children: dict[int, set[int]]  # org id → its direct children's ids
    records: dict[int, list[Record]]  # org id → its activities, oldest first


def on_duty(on: date) -> Q:
    """Positions held on `on`."""
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


def teams(org_ids: Sequence[int], on: date) -> dict[int, Team]:
    """Two queries: the positions held on `on` that rules measure, and their 分管 and liaison
    units (both link tables in one read)."""
    own_discipline = Q(kind__in=DISCIPLINE_HEADS) & ~Q(
        discipline_body__kind=DisciplineBody.Kind.DISPATCHED
    )
    positions = list(
        Position.objects.filter(
            on_duty(on), Q(kind__in=TEAM_KINDS) | own_discipline, org_id__in=org_ids
        )
        .order_by("org_id", "start_date", "person__name")
        .values_list("pk", "org_id", "person_id", "kind", "org__kind")
    )
    liaison: dict[int, set[int]] = defaultdict(set)
    if positions:
        ids = [p[0] for p in positions]
        links = [
            through.objects.filter(position_id__in=ids).values_list("position_id", "org_id")
            for through in (Position.liaison_orgs.through, Position.portfolio_orgs.through)
        ]
        for position_id, org_id in links[0].union(links[1], all=True):
            liaison[position_id].add(org_id)
    found: dict[int, Team] = defaultdict(Team)
    # Principals first: who holds both posts at one org is measured as its principal.
    for position_id, org_id, person_id, kind, org_kind in sorted(
        positions, key=lambda p: p[3] not in PRINCIPAL_KINDS
    ):
        team = found[org_id]
        team.committee = org_kind in COMMITTEE_KINDS
        if kind in DISCIPLINE_HEADS:
            # A 纪委书记 is often a 班子成员 as well: measured on each post's own duties.
            if person_id not in team.discipline:
                team.discipline.append(person_id)
            continue
        if person_id not in team.ids:
            (team.principals if kind in PRINCIPAL_KINDS else team.members).append(person_id)
        team.liaison[person_id] |= liaison[position_id]
    return found


def _heads(
    org_ids: Sequence[int], liaison_ids: set[int], on: date
) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """One query: the principals of the orgs' children and of the liaison units."""
    heads: dict[int, set[int]] = defaultdict(set)
    children: dict[int, set[int]] = defaultdict(set)
    rows = (
        Position.objects.filter(
            on_duty(on),
            Q(org__parent_id__in=org_ids) | Q(org_id__in=liaison_ids),
            kind__in=PRINCIPAL_KINDS,
        )
        .values_list("org_id", "org__parent_id", "person_id")
        .order_by()
    )
    for org_id, parent_id, person_id in rows:
        heads[org_id].add(person_id)
        if parent_id is not None:
            children[parent_id].add(org_id)
    return heads, children


def _wanted(rules: Iterable[Rule], slots: Slots) -> Q:
    """The activities the rules read: each rule its own kind over its own days.

    A report on the year is held in the next one, so those days may reach past the periods.
    """
    wanted = Q(pk__in=[])
    for rule in rules:
        windows = [indicators.window(rule, slot) for slot in slots(rule)]
        if windows:
            wanted |= Q(
                kind=rule.activity_kind,
                held_on__gte=min(w[0] for w in windows),
                held_on__lte=max(w[1] for w in windows),
            )
    return wanted


def _slices(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    """Ids in lists a database takes as parameters (SQLite's limit is 32,766)."""
    for start in range(0, len(ids), ID_SLICE):
        yield ids[start : start + ID_SLICE]


def _first_uploads(activity_ids: Sequence[int], moment: datetime) -> dict[int, date]:
    """The first file on record for each activity from its day on, its own or a verified
    entry's (a query per slice of ids: one for a chunk's meetings).

    A file uploaded before the activity was held cannot be its evidence (会后…报送佐证材料),
    so it is left out in the query, compared on the local date as the rule's days are;
    one on the day itself counts.
    """
    first: dict[int, datetime] = {}
    entry = "progressentry__"
    held_on = F("activity__held_on")
    for ids in _slices(activity_ids):
        own = Activity.evidence.through.objects.filter(
            activity_id__in=ids,
            evidence__is_deleted=False,
            evidence__uploaded_at__lt=moment,
            evidence__uploaded_at__date__gte=held_on,
        ).values_list("activity_id", "evidence__uploaded_at")
        filed = ProgressEntry.activities.through.objects.filter(
            activity_id__in=ids,
            **{
                f"{entry}status": ProgressEntry.Status.VERIFIED,
                f"{entry}reviewed_at__lt": moment,
                f"{entry}evidence__is_deleted": False,
                f"{entry}evidence__uploaded_at__lt": moment,
                f"{entry}evidence__uploaded_at__date__gte": held_on,
            },
        ).values_list("activity_id", f"{entry}evidence__uploaded_at")
        for activity_id, uploaded_at in own.union(filed, all=True):
            if activity_id not in first or uploaded_at < first[activity_id]:
                first[activity_id] = uploaded_at
    return {activity_id: timezone.localdate(at) for activity_id, at in first.items()}


def _participants(activity_ids: Sequence[int]) -> dict[int, set[int]]:
    """The people each activity names (a query per slice of ids: one for a chunk's talks)."""
    talked_to: dict[int, set[int]] = defaultdict(set)
    through = Activity.participants.through
    for ids in _slices(activity_ids):
        for activity_id, person_id in through.objects.filter(activity_id__in=ids).values_list(
            "activity_id", "person_id"
        ):
            talked_to[activity_id].add(person_id)
    return talked_to


def _records(
    org_ids: Sequence[int], rules: Sequence[Rule], slots: Slots, today: date
) -> dict[int, list[Record]]:
    """Three queries: the activities, the people talked to, the first evidence.

    The last two read by the ids the first found, so that the database walks the
    link tables by their index however large they have grown.
    """
    moment = end_of(today)
    rows = list(
        Activity.objects.filter(_wanted(rules, slots), org_id__in=org_ids, created_at__lt=moment)
        .order_by("held_on", "pk")
        .values_list(
            "pk", "org_id", "kind", "held_on", "host_id", "subject", "report_kind", "recipients"
        )
    )
    counted = {r.activity_kind for r in rules if r.population != Rule.Population.NONE}
    talked_to = _participants([row[0] for row in rows if row[2] in counted])
    timed = {r.activity_kind for r in rules if r.evidence_workdays is not None}
    uploads = _first_uploads([row[0] for row in rows if row[2] in timed], moment)
    records: dict[int, list[Record]] = defaultdict(list)
    for pk, org_id, kind, held_on, host_id, subject, report_kind, recipients in rows:
        records[org_id].append(
            Record(
                id=pk,
                kind=kind,
                held_on=held_on,
                host_id=host_id,
                participant_ids=frozenset(talked_to.get(pk, ())),
                subject=subject,
                evidence_first_uploaded_on=uploads.get(pk),
                report_kind=report_kind,
                recipients=frozenset(recipients),
            )
        )
    return records


def facts(
    org_ids: Sequence[int], rules: Sequence[Rule], slots: Slots, *, on: date, today: date
) -> Facts:
    """Six queries for any number of orgs, people and activities."""
    found = teams(org_ids, on)
    liaison_ids = {o for team in found.values() for ids in team.liaison.values() for o in ids}
    heads, children = _heads(org_ids, liaison_ids, on)
    return Facts(found, heads, children, _records(org_ids, rules, slots, today))


def population(rule: Rule, org_id: int, person_id: int | None, facts: Facts) -> frozenset[int]:
    """Whom a proportional rule measures the person against; empty for a count."""
    if person_id is None or rule.population == Rule.Population.NONE:
        return frozenset()
    team = facts.teams[org_id]
    sub_heads = {p for child in facts.children[org_id] for p in facts.heads[child]}
    if rule.population == Rule.Population.TEAM_AND_SUB_HEADS:
        return frozenset((team.ids - {person_id}) | sub_heads)
    if rule.population == Rule.Population.SUB_HEADS:
        return frozenset(sub_heads - {person_id})
    return frozenset(p for unit in team.liaison[person_id] for p in facts.heads[unit])


def evaluate(
    org_ids: Sequence[int], rules: Sequence[Rule], slots: Slots, facts: Facts, today: date
) -> Iterator[Figure]:
    """Every figure of the orgs, in the order the page shows them: by org, rule, subject, period."""
    for org_id in org_ids:
        team = facts.teams.get(org_id) or Team()
        # Each rule reads one kind, a person's rule only what they hosted: sorted out once.
        records: dict[tuple[int | None, str], list[Record]] = defaultdict(list)
        for record in facts.records.get(org_id, ()):
            records[(None, record.kind)].append(record)
            records[(record.host_id, record.kind)].append(record)
        for rule in rules:
            periods = slots(rule)
            for person_id in team.subjects(rule.actor):
                own = records.get((person_id, rule.activity_kind), [])
                people = population(rule, org_id, person_id, facts)
                for period in periods:
                    yield Figure(
                        rule=rule,
                        org_id=org_id,
                        person_id=person_id,
                        period=period,
                        population=len(people),
                        indicator=indicators.evaluate(
                            rule, period, own, population=people, today=today
                        ),
                    )


def compute(
    org_ids: Sequence[int], rules: Sequence[Rule], slots: Slots, *, on: date, today: date
) -> list[Figure]:
    """The figures of a few orgs: one chunk's worth of queries."""
    found = facts(org_ids, rules, slots, on=on, today=today)
    return list(evaluate(org_ids, rules, slots, found, today))


def stream(
    org_ids: Iterable[int],
    rules: Sequence[Rule],
    slots: Slots,
    *,
    on: date,
    today: date,
    chunk: int = CHUNK,
) -> Iterator[Figure]:
    """The figures of any number of orgs, read and evaluated `chunk` orgs at a time.

    Pass the ids as an iterator (a queryset's `.iterator()`) and not even the ids
    of a province sit in memory at once.
    """
    ids = iter(org_ids)
    while batch := list(islice(ids, chunk)):
        found = facts(batch, rules, slots, on=on, today=today)
        yield from evaluate(batch, rules, slots, found, today)


def year_slots(year: int) -> Slots:
    """Every period of the year in each rule's own frequency (the bench, the dashboard's year)."""
    whole = Period(year, "year")

    def slots(rule: Rule) -> list[Period]:
        return whole.parts(rule.period_kind)  # type: ignore[arg-type]  # a PeriodKind choice

    return slots
