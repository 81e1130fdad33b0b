"""What a notice is drafted from: settled lists, the team, task assignments, overdue ledger cells.

Reads only. Each function takes a fixed number of queries whatever the size
of the unit; overdue cells come from the ledger's own query, not a copy of it.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from liangze.core.periods import Period
from liangze.core.workdays import workdays_between
from liangze.duties.models import DutyItem, DutyList, ListType
from liangze.ledger.queries import CellStatus
from liangze.notices.models import TaskAssignment
from liangze.orgs.models import LEADER_KINDS, DisciplineBody, Org, Person, Position, PositionKind
from liangze.orgs.tree import subtree_bounds
from liangze.supervision.reminders import queries as reminder_queries

# A list is settled once the higher level accepted it; publishing does not change its content.
SETTLED = (DutyList.Status.ACCEPTED, DutyList.Status.PUBLISHED)
QUARTER_NAMES = ("一季度", "二季度", "三季度", "四季度")


@dataclass(frozen=True)
class Issuer:
    """In whose name a notice goes out: a Party committee, or a discipline body in an org."""

    org: Org
    body: DisciplineBody | None = None

    @property
    def key(self) -> str:
        return f"b{self.body.pk}" if self.body is not None else f"o{self.org.pk}"

    @property
    def name(self) -> str:
        return self.body.name if self.body is not None else self.org.name

    def area_q(self, prefix: str = "") -> Q:
        """The orgs it may address: the committee's subtree, or the body's supervised subtrees."""
        if self.body is None:
            return _subtree_q([self.org.path], prefix)
        paths = [o.path for o in self.body.supervised_orgs.all()]
        return _subtree_q(paths, prefix)


def _subtree_q(paths: Iterable[str], prefix: str) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        low, high = subtree_bounds(path)
        part = Q(**{f"{prefix}path__gte": low})
        if high is not None:
            part &= Q(**{f"{prefix}path__lt": high})
        q |= part
    return q


def settled_lists(org: Org, year: int) -> dict[tuple[str, str], DutyList]:
    """The unit's lists of the year as last accepted, by (list type, holder)."""
    rows = (
        DutyList.objects.filter(org=org, year=year, status__in=SETTLED)
        .select_related("org", "person")
        .order_by("list_type", "holder_key", "-version")
    )
    latest: dict[tuple[str, str], DutyList] = {}
    for duty_list in rows:
        latest.setdefault((duty_list.list_type, duty_list.holder_key), duty_list)
    return latest


def collective_list(org: Org, year: int) -> DutyList | None:
    return settled_lists(org, year).get((ListType.COLLECTIVE, ""))


# 责任分工告知书 ----------------------------------------------------------------------


@dataclass(frozen=True)
class DutyLine:
    source: str  # which list it comes from
    name: str
    task: str
    measures: tuple[str, str, str, str]


@dataclass(frozen=True)
class MemberDuties:
    person: Person
    title: str
    is_principal: bool
    portfolio: str
    liaison: tuple[str, ...]
    lines: tuple[DutyLine, ...]
    source_list: DutyList | None  # the person's own list, else the collective one


def team_positions(org: Org, on: date) -> list[Position]:
    """The current leadership team, principal first, one position per person."""
    positions = (
        Position.objects.filter(org=org, kind__in=LEADER_KINDS, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("person")
        .prefetch_related(Prefetch("liaison_orgs", queryset=Org.objects.order_by("path")))
        .order_by("start_date", "pk")
    )
    principal_kinds = (PositionKind.PRINCIPAL, PositionKind.BRANCH_SECRETARY)
    ordered = sorted(positions, key=lambda p: (p.kind not in principal_kinds, p.start_date, p.pk))
    seen: set[int] = set()
    team = []
    for position in ordered:
        if position.person_id not in seen:
            seen.add(position.person_id)
            team.append(position)
    return team


def _line(item: DutyItem, source: str) -> DutyLine:
    return DutyLine(source, item.name, item.task, (item.q1, item.q2, item.q3, item.q4))


def member_duties(org: Org, year: int, on: date) -> list[MemberDuties]:
    """Each team member's share: their items in the collective list, then their own list."""
    lists = settled_lists(org, year)
    collective = lists.get((ListType.COLLECTIVE, ""))
    items = (
        DutyItem.objects.filter(duty_list__in=list(lists.values()))
        .select_related("duty_list")
        .order_by("duty_list__list_type", "seq")
    )
    by_list: dict[int, list[DutyItem]] = defaultdict(list)
    for item in items:
        by_list[item.duty_list_id].append(item)
    found = []
    for position in team_positions(org, on):
        person = position.person
        principal = position.kind != PositionKind.MEMBER
        own_type = ListType.PRINCIPAL if principal else ListType.MEMBER
        own = lists.get((own_type, f"p{person.pk}"))
        lines: list[DutyLine] = []
        if collective is not None:
            label = str(ListType.COLLECTIVE.label)
            lines += [
                _line(i, label) for i in by_list[collective.pk] if i.responsible_id == person.pk
            ]
        if own is not None:
            lines += [_line(i, str(ListType(own_type).label)) for i in by_list[own.pk]]
        found.append(
            MemberDuties(
                person=person,
                title=position.title,
                is_principal=principal,
                portfolio=position.portfolio,
                liaison=tuple(o.name for o in position.liaison_orgs.all()),
                lines=tuple(lines),
                source_list=own or collective,
            )
        )
    return found


# 目标任务通知书 ----------------------------------------------------------------------


def assignable_orgs(org: Org) -> QuerySet[Org]:
    """Where a committee may place a task: the units and departments directly below it."""
    return Org.objects.filter(parent=org, is_active=True).order_by("sort_order", "path")


def task_items(duty_list: DutyList) -> list[DutyItem]:
    """The collective list's items with their assignment, lead and assisting units (3 queries)."""
    assignments = TaskAssignment.objects.select_related("lead_org").prefetch_related(
        Prefetch("assisting_orgs", queryset=Org.objects.order_by("path"))
    )
    items = duty_list.items.select_related("responsible").order_by("seq")
    return list(items.prefetch_related(Prefetch("assignment", queryset=assignments)))


def assignment_of(item: DutyItem) -> TaskAssignment | None:
    try:
        return item.assignment
    except TaskAssignment.DoesNotExist:
        return None


@dataclass
class LeadTasks:
    lead: Org
    tasks: list[tuple[DutyItem, TaskAssignment]] = field(default_factory=list)

    @property
    def assisting(self) -> list[Org]:
        """Every unit assisting in any of the lead's tasks, once each, in tree order."""
        found = {o.pk: o for _item, a in self.tasks for o in a.assisting_orgs.all()}
        return sorted(found.values(), key=lambda o: o.path)


def tasks_by_lead(duty_list: DutyList) -> list[LeadTasks]:
    grouped: dict[int, LeadTasks] = {}
    for item in task_items(duty_list):
        assignment = assignment_of(item)
        if assignment is None:
            continue
        lead = grouped.setdefault(assignment.lead_org_id, LeadTasks(assignment.lead_org))
        lead.tasks.append((item, assignment))
    return sorted(grouped.values(), key=lambda g: g.lead.path)


# 任务落实督办书 ----------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueCell:
    item: DutyItem
    period: Period
    deadline: date
    days: int  # working days overdue
    responsible: Person | None  # named on the item, else the holder of a personal list

    @property
    def measure(self) -> str:
        return self.item.measures[self.period.index - 1]


def overdue_cells(area: Q, year: int, on: date) -> list[OverdueCell]:
    """The overdue cells of the year's ledgers in `area` (a filter on DutyList), 4 queries.

    The cells come from the ledger's own query, so a cell is overdue here exactly
    when the ledger grid and the escalation job say so.
    """
    facts = reminder_queries.cell_facts(year, on, area)
    overdue = [f for f in facts if f.status == CellStatus.OVERDUE]
    if not overdue:
        return []
    wanted = {f.item_id for f in overdue}
    # The published lists of the area hold every item the ledger looked at (and a few
    # superseded ones, left out by `wanted`); read so rather than by a long IN list.
    published = DutyList.objects.filter(area, year=year, status=DutyList.Status.PUBLISHED)
    items = {
        item.pk: item
        for item in DutyItem.objects.filter(duty_list__in=published).select_related(
            "duty_list__org", "duty_list__person", "responsible"
        )
        if item.pk in wanted
    }
    # A handful of deadlines (one a quarter) shared by thousands of cells: count each once.
    days = {deadline: workdays_between(deadline, on) for deadline in {f.deadline for f in overdue}}
    return [
        OverdueCell(
            item=item,
            period=Period.parse(fact.period),
            deadline=fact.deadline,
            days=days[fact.deadline],
            responsible=item.responsible or item.duty_list.person,
        )
        for fact in overdue
        if (item := items.get(fact.item_id)) is not None
    ]


@dataclass
class Laggard:
    """A unit, or a person in a unit, with the cells they let lapse."""

    org: Org
    person: Person | None
    cells: list[OverdueCell] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.cells)

    @property
    def oldest(self) -> date:
        return min(c.deadline for c in self.cells)

    @property
    def key(self) -> str:
        return f"p{self.person.pk}" if self.person is not None else f"o{self.org.pk}"

    @property
    def items(self) -> list[str]:
        """The names of the items behind the cells, each once."""
        return list(dict.fromkeys(c.item.name for c in self.cells))


def laggards(cells: Iterable[OverdueCell], minimum: int) -> tuple[list[Laggard], list[Laggard]]:
    """Units and people with at least `minimum` overdue cells, the worst first."""
    units: dict[int, Laggard] = {}
    people: dict[int, Laggard] = {}
    for cell in cells:
        org = cell.item.duty_list.org
        units.setdefault(org.pk, Laggard(org, None)).cells.append(cell)
        person = cell.responsible
        if person is not None:
            people.setdefault(person.pk, Laggard(org, person)).cells.append(cell)

    def worst(found: dict[int, Laggard]) -> list[Laggard]:
        kept = [lag for lag in found.values() if lag.count >= minimum]
        return sorted(kept, key=lambda lag: (-lag.count, lag.org.path, lag.key))

    return worst(units), worst(people)


def by_item(cells: Iterable[OverdueCell]) -> list[list[OverdueCell]]:
    """The cells grouped by item, in the order the items come."""
    grouped: dict[int, list[OverdueCell]] = {}
    for cell in cells:
        grouped.setdefault(cell.item.pk, []).append(cell)
    return list(grouped.values())
