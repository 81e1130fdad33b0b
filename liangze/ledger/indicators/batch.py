"""Indicators of many units at once, set-based and chunk by chunk (RULE-2 at any scale).

For one chunk of units a fixed number of queries reads, as plain values, what
the rules need — the leaders and the units they are in charge of (分管) or
liaise with (联系), the heads of the units below and of those units, the
activities of the kinds and days the rules read, their participants and their
first evidence — and the pure functions of `indicators` evaluate every figure.
`stream` walks any number of units a chunk at a time, so memory holds one
chunk's activities, never a province's; the pages (indicator_queries), the
escalation job and the benchmark all compute through this one path.

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
        """Whom a rule of people or of the committee measures here: each person holding the
        post, or the unit itself (None) if its leadership is a committee's."""
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


@dataclass(frozen=True)
class Roster:
    """Who held which post on one day: the teams, and the heads populations are made of."""

    teams: dict[int, Team]
    heads: dict[int, set[int]]  # org id → its principals' person ids
    children: dict[int, set[int]]  # org id → its direct children that have a principal


@dataclass(frozen=True)
class _Held:
    """A post as the rosters read it: held from `start` to `end` (open while None)."""

    org_id: int
    parent_id: int | None
    person_id: int
    kind: str
    start: date
    end: date | None
    liaison: frozenset[int]  # the units of the post's portfolio (分管) and its liaison units
    committee: bool = False  # held at a 党委 or 党组

    def on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


@dataclass
class Facts:
    """What the rules read for a chunk of orgs: the posts held over the periods, and the records.

    A period's figure is measured on the roster of its last day (today while it runs), so a
    month reads the same whatever view asks for it: the month, its quarter or its year.
    """

    posts: list[_Held]  # the chunk's leaders, principals first
    heads: list[_Held]  # the principals of the chunk's children and of the liaison units
    records: dict[int, list[Record]]  # org id → its activities, oldest first
    today: date
    _rosters: dict[date, Roster] = field(default_factory=dict)

    def roster(self, period: Period) -> Roster:
        """The roster a figure of `period` is measured on."""
        return self.roster_on(min(period.end, self.today))

    def roster_on(self, day: date) -> Roster:
        """Who held which post on `day` (worked out once per day, then kept)."""
        if day not in self._rosters:
            self._rosters[day] = _roster(self.posts, self.heads, day)
        return self._rosters[day]


def on_duty(on: date) -> Q:
    """Positions held on `on`."""
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


def _overlapping(first: date, last: date) -> Q:
    """Positions held on some day from `first` to `last`."""
    return Q(start_date__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gte=first))


def _posts(org_ids: Sequence[int], first: date, last: date) -> list[_Held]:
    """Two queries: the posts rules measure held between the days, and their 分管 and liaison
    units (both link tables in one read)."""
    own_discipline = Q(kind__in=DISCIPLINE_HEADS) & ~Q(
        discipline_body__kind=DisciplineBody.Kind.DISPATCHED
    )
    rows = list(
        Position.objects.filter(
            _overlapping(first, last), Q(kind__in=TEAM_KINDS) | own_discipline, org_id__in=org_ids
        )
        .order_by("org_id", "start_date", "person__name")
        .values_list("pk", "org_id", "person_id", "kind", "start_date", "end_date", "org__kind")
    )
    liaison: dict[int, set[int]] = defaultdict(set)
    if rows:
        ids = [row[0] for row in rows]
        links = [
            through.objects.filter(position_id__in=ids).values_list("position_id", "org_id")
            for through in (Position.liaison_orgs.through, Position.portfolio_orgs.through)
        ]
        for position_id, org_id in links[0].union(links[1], all=True):
            liaison[position_id].add(org_id)
    # Principals first: who holds both posts at one org is measured as its principal.
    rows.sort(key=lambda row: row[3] not in PRINCIPAL_KINDS)
    return [
        _Held(
            org_id,
            None,
            person_id,
            kind,
            start,
            end,
            frozenset(liaison[pk]),
            committee=org_kind in COMMITTEE_KINDS,
        )
        for pk, org_id, person_id, kind, start, end, org_kind in rows
    ]


def _heads(org_ids: Sequence[int], liaison_ids: set[int], first: date, last: date) -> list[_Held]:
    """One query: the principals of the orgs' children and of the liaison units."""
    rows = (
        Position.objects.filter(
            _overlapping(first, last),
            Q(org__parent_id__in=org_ids) | Q(org_id__in=liaison_ids),
            kind__in=PRINCIPAL_KINDS,
        )
        .values_list("org_id", "org__parent_id", "person_id", "kind", "start_date", "end_date")
        .order_by()
    )
    return [_Held(*row, liaison=frozenset()) for row in rows]


def _roster(posts: Iterable[_Held], heads: Iterable[_Held], day: date) -> Roster:
    """The teams and heads of the posts held on `day`."""
    teams: dict[int, Team] = defaultdict(Team)
    for post in (p for p in posts if p.on(day)):
        team = teams[post.org_id]
        team.committee = post.committee
        if post.kind in DISCIPLINE_HEADS:
            # A 纪委书记 is often a 班子成员 as well: measured on each post's own duties.
            if post.person_id not in team.discipline:
                team.discipline.append(post.person_id)
            continue
        if post.person_id not in team.ids:
            (team.principals if post.kind in PRINCIPAL_KINDS else team.members).append(
                post.person_id
            )
        team.liaison[post.person_id] |= post.liaison
    by_org: dict[int, set[int]] = defaultdict(set)
    children: dict[int, set[int]] = defaultdict(set)
    for head in heads:
        if head.on(day):
            by_org[head.org_id].add(head.person_id)
            if head.parent_id is not None:
                children[head.parent_id].add(head.org_id)
    return Roster(dict(teams), by_org, children)


def teams(org_ids: Sequence[int], on: date) -> dict[int, Team]:
    """The leadership of the orgs on one day (three queries)."""
    return _roster(_posts(org_ids, on, on), (), on).teams


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


def _roster_days(rules: Sequence[Rule], slots: Slots, today: date) -> tuple[date, date]:
    """The first and last day a figure of the slots is measured on."""
    days = [min(period.end, today) for rule in rules for period in slots(rule)] or [today]
    return min(days), max(days)


def facts(org_ids: Sequence[int], rules: Sequence[Rule], slots: Slots, *, today: date) -> Facts:
    """Six queries for any number of orgs, people, activities and periods."""
    first, last = _roster_days(rules, slots, today)
    posts = _posts(org_ids, first, last)
    liaison_ids = {unit for post in posts for unit in post.liaison}
    heads = _heads(org_ids, liaison_ids, first, last)
    return Facts(posts, heads, _records(org_ids, rules, slots, today), today)


def population(rule: Rule, org_id: int, person_id: int | None, roster: Roster) -> frozenset[int]:
    """Whom a proportional rule measures the person against; empty for a count."""
    if person_id is None or rule.population == Rule.Population.NONE:
        return frozenset()
    team = roster.teams.get(org_id) or Team()
    sub_heads = {p for child in roster.children[org_id] for p in roster.heads[child]}
    if rule.population == Rule.Population.TEAM_AND_SUB_HEADS:
        return frozenset((team.ids - {person_id}) | sub_heads)
    if rule.population == Rule.Population.SUB_HEADS:
        return frozenset(sub_heads - {person_id})
    return frozenset(p for unit in team.liaison[person_id] for p in roster.heads[unit])


def _subjects(rule: Rule, org_id: int, periods: Sequence[Period], facts: Facts) -> list[int | None]:
    """Whom the rule measures at the org in any of the periods, in the order first held."""
    if rule.actor == Rule.Actor.UNIT:
        return [None]
    found: dict[int | None, None] = {}
    for period in periods:
        team = facts.roster(period).teams.get(org_id) or Team()
        found.update(dict.fromkeys(team.subjects(rule.actor)))
    return list(found)


def evaluate(
    org_ids: Sequence[int], rules: Sequence[Rule], slots: Slots, facts: Facts, today: date
) -> Iterator[Figure]:
    """Every figure of the orgs, in the order the page shows them: by org, rule, subject, period.

    A leader has a figure for the periods whose roster has them in post, and only those.
    """
    for org_id in org_ids:
        # Each rule reads one kind, a person's rule only what they hosted: sorted out once.
        records: dict[tuple[int | None, str], list[Record]] = defaultdict(list)
        for record in facts.records.get(org_id, ()):
            records[(None, record.kind)].append(record)
            records[(record.host_id, record.kind)].append(record)
        for rule in rules:
            periods = slots(rule)
            for person_id in _subjects(rule, org_id, periods, facts):
                own = records.get((person_id, rule.activity_kind), [])
                for period in periods:
                    roster = facts.roster(period)
                    team = roster.teams.get(org_id) or Team()
                    if person_id is not None and person_id not in team.holding(rule.actor):
                        continue
                    people = population(rule, org_id, person_id, roster)
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
    org_ids: Sequence[int], rules: Sequence[Rule], slots: Slots, *, today: date
) -> list[Figure]:
    """The figures of a few orgs: one chunk's worth of queries."""
    found = facts(org_ids, rules, slots, today=today)
    return list(evaluate(org_ids, rules, slots, found, today))


def stream(
    org_ids: Iterable[int],
    rules: Sequence[Rule],
    slots: Slots,
    *,
    today: date,
    chunk: int = CHUNK,
) -> Iterator[Figure]:
    """The figures of any number of orgs, read and evaluated `chunk` orgs at a time.

    Pass the ids as an iterator (a queryset's `.iterator()`) and not even the ids
    of a province sit in memory at once.
    """
    ids = iter(org_ids)
    while batch := list(islice(ids, chunk)):
        found = facts(batch, rules, slots, today=today)
        yield from evaluate(batch, rules, slots, found, today)


def year_slots(year: int) -> Slots:
    """Every period of the year in each rule's own frequency (the bench, the dashboard's year)."""
    whole = Period(year, "year")

    def slots(rule: Rule) -> list[Period]:
        return whole.parts(rule.period_kind)  # type: ignore[arg-type]  # a PeriodKind choice

    return slots
