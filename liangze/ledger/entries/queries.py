"""Reads behind the ledger pages (LEDGER-1 … 3), scoped by core.access.

Each page takes a fixed number of queries whatever the number of items and entries.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liangze import access
from liangze.accounts.models import User
from liangze.core.models import Evidence
from liangze.core.periods import Period, end_of, quarters
from liangze.duties import queries as duty_queries
from liangze.duties.models import DutyItem, DutyList
from liangze.ledger import policy
from liangze.ledger.entries.clock import CellStatus, cell_status, entry_deadline, is_missed
from liangze.ledger.models import Activity, CellComment, ProgressEntry

# The 责任名称 filter's value for the unit's own items, which have no catalogue ref.
OWN_ITEMS = "_own"

_ENTRY_RELATED = (
    "item__duty_list__org",
    "item__duty_list__person",
    "item__responsible",
    "entered_by__person",
    "reviewed_by__person",
)


def _live_evidence() -> Prefetch[str, QuerySet[Evidence], str]:
    return Prefetch("evidence", queryset=Evidence.objects.filter(is_deleted=False))


# Lists ----------------------------------------------------------------------------------


def current_published_q() -> Q:
    """The versions ledgers run on: those in force (DutyList.in_force).

    A published list stays in force while its revision is drafted, signed and reviewed, and
    its ledger stays open; the revision takes over when it is published.
    """
    return Q(in_force=True)


def in_force_on_q(on: date) -> Q:
    """The versions in force at the end of a past day: published by then, and no later
    version of the same holder's list published by then. A filter on DutyList.

    Lets a back-filled weekly snapshot read the lists as they stood that week, not the
    ones in force today.
    """
    moment = end_of(on)
    replaced = DutyList.objects.filter(
        org=OuterRef("org"),
        year=OuterRef("year"),
        list_type=OuterRef("list_type"),
        holder_key=OuterRef("holder_key"),
        version__gt=OuterRef("version"),
        published_at__lt=moment,
    )
    return Q(~Exists(replaced), published_at__lt=moment)


def current_lists(year: int, on: date | None = None) -> QuerySet[DutyList]:
    """The lists whose ledgers run in `year`: in force today, or at the end of a past day `on`."""
    if on is None or on >= timezone.localdate():
        return DutyList.objects.filter(current_published_q(), year=year)
    return DutyList.objects.filter(in_force_on_q(on), year=year)


def published_lists_for(user: User, year: int) -> QuerySet[DutyList]:
    """The ledgers `user` can see for `year`, with how far each has got."""
    submitted = Q(items__entries__status=ProgressEntry.Status.SUBMITTED)
    verified = Q(items__entries__status=ProgressEntry.Status.VERIFIED)
    return (
        duty_queries.duty_lists_visible_to(user)
        .filter(current_published_q(), year=year)
        .annotate(
            item_count=Count("items", distinct=True),
            pending_count=Count("items__entries", filter=submitted, distinct=True),
            verified_count=Count("items__entries", filter=verified, distinct=True),
        )
        .order_by("org__path", "list_type", "holder_key")
    )


def get_ledger_list_for_user(user: User, code: UUID) -> DutyList:
    """A list whose ledger `user` may read; a list not yet published has no ledger (404)."""
    lists = DutyList.objects.filter(current_published_q()).select_related(*duty_queries.RELATED)
    return access.get_for_user(user, lists, code=code)


# The year grid --------------------------------------------------------------------------


@dataclass(frozen=True)
class FilterChoices:
    people: list[tuple[int, str]]
    responsibilities: list[tuple[str, str]]


def filter_choices(duty_list: DutyList) -> FilterChoices:
    """The 责任人 and 责任名称 a grid can be narrowed to: those on the list (one query)."""
    people: dict[int, str] = {}
    names: dict[str, str] = {}
    rows = duty_list.items.order_by("seq").values_list(
        "responsible_id", "responsible__name", "entry__ref", "name"
    )
    for person_id, person_name, ref, name in rows:
        if person_id is not None:
            people.setdefault(person_id, person_name)
        names.setdefault(ref or OWN_ITEMS, name if ref else str(_("自选事项")))
    return FilterChoices(list(people.items()), list(names.items()))


@dataclass(frozen=True)
class Cell:
    period: Period
    status: CellStatus
    deadline: date
    entries: list[ProgressEntry]  # newest first, rejected ones included
    locked: bool  # past the deadline: a new entry is a 补录
    missed: bool  # nothing on time: counts against the unit even after a 补录
    comments: int = 0  # 批注 on the quarter and its months

    @property
    def filled_late(self) -> bool:
        """Done, but only by a 补录 after the deadline."""
        return self.missed and self.status in (CellStatus.DONE, CellStatus.VERIFIED)


@dataclass(frozen=True)
class Row:
    item: DutyItem
    cells: list[Cell]


@dataclass(frozen=True)
class Grid:
    duty_list: DutyList
    quarters: list[tuple[Period, date]]  # with their deadlines, for the column heads
    rows: list[Row]
    counts: list[tuple[CellStatus, int]]  # the legend, with how many cells are in each state
    may_record: bool
    may_verify: bool
    is_open: bool  # the list takes entries: its current version is the published one


def _quarter_index(entry: ProgressEntry) -> int:
    """Monthly entries count towards the quarter they fall in."""
    return Period.containing(Period.parse(entry.period).start, "quarter").index


def ledger_grid(
    user: User,
    duty_list: DutyList,
    *,
    person: int | None = None,
    entry_ref: str | None = None,
    today: date,
) -> Grid:
    """Items × quarters of the list's year, each cell with its state and its entries."""
    entries = ProgressEntry.objects.select_related("entered_by__person").prefetch_related(
        _live_evidence()
    )
    items = (
        duty_list.items.select_related("responsible", "entry")
        .prefetch_related(Prefetch("entries", queryset=entries.order_by("-entered_at")))
        .order_by("seq")
    )
    if person is not None:
        items = items.filter(responsible_id=person)
    if entry_ref == OWN_ITEMS:
        items = items.filter(entry__isnull=True)
    elif entry_ref:
        items = items.filter(entry__ref=entry_ref)
    periods = quarters(duty_list.year)
    deadlines = {quarter: entry_deadline(quarter) for quarter in periods}
    comment_counts = comments_by_quarter(duty_list)
    rows: list[Row] = []
    tally = dict.fromkeys(CellStatus, 0)
    for item in items:
        by_quarter: dict[int, list[ProgressEntry]] = {q.index: [] for q in periods}
        for entry in item.entries.all():
            by_quarter[_quarter_index(entry)].append(entry)
        cells = []
        for quarter in periods:
            found = by_quarter[quarter.index]
            status = cell_status(quarter, found, today)
            tally[status] += 1
            cells.append(
                Cell(
                    period=quarter,
                    status=status,
                    deadline=deadlines[quarter],
                    entries=found,
                    locked=today > deadlines[quarter],
                    missed=is_missed(quarter, found, today),
                    comments=comment_counts.get((item.pk, quarter.index), 0),
                )
            )
        rows.append(Row(item, cells))
    org = duty_list.org
    return Grid(
        duty_list=duty_list,
        quarters=list(deadlines.items()),
        rows=rows,
        counts=list(tally.items()),
        may_record=policy.may_record(user, org),
        may_verify=policy.may_verify(user, org),
        is_open=duty_list.in_force,
    )


def comments_by_quarter(duty_list: DutyList) -> dict[tuple[int, int], int]:
    """How many 批注 each (item, quarter) cell has — one grouped query for the whole grid."""
    rows = (
        CellComment.objects.filter(item__duty_list=duty_list)
        .values_list("item_id", "period")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[tuple[int, int], int] = {}
    for item_id, period, n in rows:
        quarter = Period.containing(Period.parse(period).start, "quarter").index
        counts[item_id, quarter] = counts.get((item_id, quarter), 0) + n
    return counts


def cell_periods(period: Period) -> list[Period]:
    """A quarter's thread takes in its months' comments; a month's is its own."""
    return [period, *period.parts("month")] if period.kind == "quarter" else [period]


def cell_thread(item: DutyItem, period: Period) -> list[CellComment]:
    return list(
        CellComment.objects.filter(item=item, period__in=[str(p) for p in cell_periods(period)])
    )


def cell_entries(item: DutyItem, period: Period) -> list[ProgressEntry]:
    """The entries a cell page lists: those of the period, or of its months for a quarter."""
    periods = [str(p) for p in cell_periods(period)]
    return list(
        ProgressEntry.objects.filter(item=item, period__in=periods)
        .select_related("entered_by__person")
        .order_by("-entered_at")
    )


def linkable_activities(duty_list: DutyList, period: Period) -> QuerySet[Activity]:
    """The unit's activities held in the period, which an entry for it may name as its basis."""
    return (
        Activity.objects.filter(org=duty_list.org, held_on__gte=period.start)
        .filter(held_on__lte=period.end)
        .select_related("host")
        .order_by("-held_on", "-created_at")
    )


def measure_for(item: DutyItem, period: Period) -> str:
    """What the list planned for the item in the quarter `period` is (or falls) in."""
    return item.measures[Period.containing(period.start, "quarter").index - 1]


# Entries --------------------------------------------------------------------------------


def get_entry_for_user(user: User, code: UUID, action: str = access.VIEW) -> ProgressEntry:
    entries = ProgressEntry.objects.select_related(*_ENTRY_RELATED)
    return access.get_for_user(user, entries, action, code=code)


@dataclass(frozen=True)
class Event:
    """One line of an item-period's history: entered, verified or returned."""

    at: datetime
    label: str
    who: User | None
    note: str
    entry: ProgressEntry


def _history(entries: Sequence[ProgressEntry]) -> list[Event]:
    events: list[Event] = []
    for entry in entries:
        entered = _("补录") if entry.is_late else _("填报")
        events.append(Event(entry.entered_at, str(entered), entry.entered_by, "", entry))
        if entry.reviewed_at is not None:
            events.append(
                Event(
                    entry.reviewed_at,
                    str(entry.get_status_display()),
                    entry.reviewed_by,
                    entry.review_reason,
                    entry,
                )
            )
    return sorted(events, key=lambda event: event.at)


@dataclass(frozen=True)
class EntryPage:
    entry: ProgressEntry
    period: Period
    evidence: list[Evidence]
    activities: list[Activity]
    history: list[Event]
    may_verify: bool
    may_reenter: bool  # returned, and the unit may enter the period again


def entry_page(user: User, entry: ProgressEntry) -> EntryPage:
    """One entry with its evidence, and every entry of the same item and period as history."""
    siblings = ProgressEntry.objects.filter(item=entry.item, period=entry.period).select_related(
        "entered_by__person", "reviewed_by__person"
    )
    duty_list = entry.item.duty_list
    return EntryPage(
        entry=entry,
        period=Period.parse(entry.period),
        evidence=list(entry.evidence.filter(is_deleted=False).order_by("uploaded_at")),
        activities=list(entry.activities.select_related("host").order_by("held_on")),
        history=_history(list(siblings)),
        may_verify=entry.status == ProgressEntry.Status.SUBMITTED
        and policy.may_verify(user, duty_list.org),
        may_reenter=entry.status == ProgressEntry.Status.REJECTED
        and duty_list.in_force
        and policy.may_record(user, duty_list.org),
    )


def pending_verification(user: User) -> QuerySet[ProgressEntry]:
    """Submitted entries `user` may verify: of units their discipline body supervises,
    or of units below the ones they lead — the same test as policy.may_verify."""
    if access.role(user):
        return ProgressEntry.objects.none()
    scope = access.scope_for(user)
    org = "item__duty_list__org__"
    mine = scope.supervises_q(org) | scope.above_q(org)
    return (
        ProgressEntry.objects.filter(access.visible_q(user, ProgressEntry))
        .filter(mine, status=ProgressEntry.Status.SUBMITTED)
        .select_related(*_ENTRY_RELATED)
        .order_by("entered_at")
    )
