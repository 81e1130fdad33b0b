"""Reads behind escalation reminders (SUP-1): the ledger cells the job looks at, the
reminders a user receives, and why one was raised — the records behind its cause.

Scoped by core.access: a reminder is seen by its recipient and by whoever's scope
covers the unit (a higher level sees the ladder); only the recipient acknowledges.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from liangze import access
from liangze.accounts.models import User
from liangze.core.periods import Period, end_of, quarters
from liangze.duties.models import DutyItem, DutyList
from liangze.ledger import queries as ledger
from liangze.ledger.models import Activity, ProgressEntry, Rule
from liangze.ledger.queries import CellStatus, Indicator, Status, cell_status, entry_deadline
from liangze.orgs.models import Org
from liangze.supervision.models import LadderVersion, Reminder
from liangze.supervision.reminders import ladder as escalation
from liangze.supervision.reminders import policy, resolution
from liangze.supervision.reminders.ladder import CellFact, LadderBook, LadderIssue, load_ladder

# Ledger cells, as the job and the reminder page read them ------------------------------


@dataclass(frozen=True)
class _Entry:
    """Just what cell_status needs of an entry, read with values_list."""

    status: str
    is_late: bool


def _as_of(status: str, reviewed_at: Any, on: date) -> str:
    """An entry's status at the end of `on`: verified or returned only once that happened."""
    if reviewed_at is None or reviewed_at >= end_of(on):
        return ProgressEntry.Status.SUBMITTED
    return status


def quarter_of(period: str) -> int:
    """Monthly entries count towards the quarter they fall in, as on the grid."""
    return Period.containing(Period.parse(period).start, "quarter").index


def cell_facts(year: int, on: date, lists: Q | None = None) -> list[CellFact]:
    """Every item × quarter of the year's current published lists (those `lists` selects),
    in the state it was in at the end of `on`. Two queries whatever the number of items."""
    current = DutyList.objects.filter(ledger.current_published_q(), year=year)
    if lists is not None:
        current = current.filter(lists)
    items = (
        DutyItem.objects.filter(duty_list__in=current)
        .order_by("duty_list__org__path", "duty_list_id", "seq")
        .values_list("pk", "duty_list__org_id", "responsible_id", "duty_list__person_id")
    )
    by_cell: dict[tuple[int, int], list[_Entry]] = {}
    rows = ProgressEntry.objects.filter(
        item__duty_list__in=current, entered_at__lt=end_of(on)
    ).values_list("item_id", "period", "status", "reviewed_at", "is_late")
    for item_id, period, status, reviewed_at, is_late in rows:
        entry = _Entry(_as_of(status, reviewed_at, on), is_late)
        by_cell.setdefault((item_id, quarter_of(period)), []).append(entry)
    periods = quarters(year)
    deadlines = {quarter.index: entry_deadline(quarter) for quarter in periods}
    return [
        CellFact(
            item_id=item_id,
            period=str(quarter),
            status=cell_status(quarter, by_cell.get((item_id, quarter.index), []), on),
            deadline=deadlines[quarter.index],
            responsible_id=responsible_id or holder_id,
            org_id=org_id,
        )
        for item_id, org_id, responsible_id, holder_id in items
        for quarter in periods
    ]


# The reminders list ---------------------------------------------------------------------

MINE = "mine"
ALL = "all"
UNREAD = "unread"
READ = "read"
RESOLVED = "resolved"

_RELATED = (
    "org",
    "duty_list",
    "duty_item",
    "rule",
    "subject_person",
    "recipient_person",
    "recipient_body",
)


def addressed_to_q(user: User) -> Q:
    """Reminders addressed to the user, or to a discipline body they work in."""
    if access.role(user) or not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    scope = access.scope_for(user)
    mine = Q(recipient_body_id__in=scope.bodies)
    if scope.own_person_id is not None:
        mine |= Q(recipient_person_id=scope.own_person_id)
    return mine


def reminder_search(
    user: User, *, scope: str = MINE, step: str = "", state: str = "", text: str = ""
) -> QuerySet[Reminder]:
    """The user's reminders (or all they may see), newest first; a page is one query."""
    found = Reminder.objects.filter(access.visible_q(user, Reminder))
    if scope != ALL:
        found = found.filter(addressed_to_q(user))
    if step:
        found = found.filter(step=step)
    if state == UNREAD:
        found = found.filter(acknowledged_at__isnull=True, resolved_on__isnull=True)
    elif state == READ:
        found = found.filter(acknowledged_at__isnull=False)
    elif state == RESOLVED:
        found = found.filter(resolved_on__isnull=False)
    if text:
        found = found.filter(Q(message__icontains=text) | Q(org__name__icontains=text))
    return found.select_related(*_RELATED).order_by("-raised_on", "step", "-pk")


def get_reminder_for_user(user: User, code: UUID, action: str = access.VIEW) -> Reminder:
    reminders = Reminder.objects.select_related(*_RELATED, "duty_list__org", "recipient_body__org")
    return access.get_for_user(user, reminders, action, code=code)


EXPORT_HEADERS = (
    _("生成日期"),
    _("督促环节"),
    _("单位"),
    _("期间"),
    _("截止日期"),
    _("内容"),
    _("接收人"),
    _("已阅时间"),
    _("消除日期"),
)


def export_rows(found: QuerySet[Reminder]) -> list[list[Any]]:
    return [
        [
            r.raised_on,
            str(r.get_step_display()),
            r.org.name,
            r.period,
            r.deadline,
            r.message,
            r.recipient_person.name if r.recipient_person else r.recipient_body.name,  # type: ignore[union-attr]  # a person or a body
            r.acknowledged_at.replace(tzinfo=None) if r.acknowledged_at else None,
            r.resolved_on,
        ]
        for r in found.iterator()
    ]


# Why a reminder was raised ----------------------------------------------------------------


@dataclass(frozen=True)
class CellLine:
    """One ledger cell behind a reminder, as it stands today."""

    item: DutyItem
    period: Period
    status: CellStatus
    deadline: date
    entries: list[ProgressEntry]


@dataclass(frozen=True)
class FigureLine:
    """One quantified duty's figure behind a reminder, as it stands today."""

    period: Period
    indicator: Indicator
    activities: list[Activity]
    population: int


@dataclass(frozen=True)
class ReminderPage:
    reminder: Reminder
    cells: list[CellLine]
    figures: list[FigureLine]
    may_acknowledge: bool
    indicators_url_period: str  # for the link to the indicators page


def _cells(reminder: Reminder, today: date) -> list[CellLine]:
    """The item's cell, or every overdue cell of the unit for a unit-wide 约谈."""
    year = int(reminder.period[:4])
    item = reminder.duty_item
    lists = Q(pk=item.duty_list_id) if item else Q(org_id=reminder.org_id)
    facts = cell_facts(year, today, lists)
    if item is not None:
        chosen = [f for f in facts if f.item_id == item.pk and f.period == reminder.period]
    else:
        chosen = [f for f in facts if f.status == CellStatus.OVERDUE]
    items = DutyItem.objects.select_related("duty_list").in_bulk({f.item_id for f in chosen})
    entries: dict[tuple[int, int], list[ProgressEntry]] = {}
    for entry in ProgressEntry.objects.filter(item_id__in={f.item_id for f in chosen}).order_by(
        "-entered_at"
    ):
        entries.setdefault((entry.item_id, quarter_of(entry.period)), []).append(entry)
    return [
        CellLine(
            item=items[f.item_id],
            period=Period.parse(f.period),
            status=CellStatus(f.status),
            deadline=f.deadline,
            entries=entries.get((f.item_id, Period.parse(f.period).index), []),
        )
        for f in chosen
    ]


def _periods(reminder: Reminder) -> list[Period]:
    unmet: Sequence[str] = reminder.facts.get("unmet_periods") or [reminder.period]
    return [Period.parse(p) for p in unmet]


def _figures(reminder: Reminder, today: date) -> list[FigureLine]:
    """The rule's figure for the subject in each period behind the reminder, computed now."""
    rule = reminder.rule
    assert rule is not None  # noqa: S101 — only called for an indicator's reminder
    periods = _periods(reminder)
    figures = ledger.compute_indicators(
        [reminder.org_id],
        [rule],
        lambda _rule: periods,
        today=today,
    )
    mine = [f for f in figures if f.person_id == reminder.subject_person_id]
    ids = {i for f in mine for i in f.indicator.activity_ids}
    activities = Activity.objects.select_related("host").in_bulk(ids)
    return [
        FigureLine(
            period=f.period,
            indicator=f.indicator,
            activities=[activities[i] for i in f.indicator.activity_ids],
            population=f.population,
        )
        for f in mine
    ]


def reminder_page(user: User, reminder: Reminder, today: date) -> ReminderPage:
    is_figure = reminder.rule_id is not None
    periods = _periods(reminder) if is_figure else []
    return ReminderPage(
        reminder=reminder,
        cells=[] if is_figure else _cells(reminder, today),
        figures=_figures(reminder, today) if is_figure else [],
        may_acknowledge=reminder.acknowledged_at is None
        and access.user_can(user, policy.ACKNOWLEDGE, reminder),
        indicators_url_period=str(periods[-1]) if periods else "",
    )


# The ladder by jurisdiction --------------------------------------------------------------


def ladder_book(year: int) -> LadderBook:
    """One query: each issuer's newest thresholds up to `year` (of the latest year, then the
    last issued), over the default of ladder.json."""
    issued: dict[str, LadderIssue] = {}
    versions = (
        LadderVersion.objects.filter(year__lte=year)
        .select_related("issuer")
        .order_by("issuer_id", "-year", "-version")
    )
    for version in versions:
        issued.setdefault(
            version.issuer.path,
            LadderIssue(
                version.thresholds,
                version.allow_tighten,
                _("%(issuer)s第%(version)s版")
                % {"issuer": version.issuer_name, "version": version.version},
            ),
        )
    return LadderBook(load_ladder(), issued)


def ladder_versions_visible(user: User) -> QuerySet[LadderVersion]:
    """Every ladder version the user may see, newest first."""
    versions = LadderVersion.objects.filter(access.visible_q(user, LadderVersion))
    return versions.select_related("issuer").order_by("-created_at", "-pk")


# Reminders whose cause has gone -------------------------------------------------------------


def _ladders(org_ids: Sequence[int], on: date) -> Callable[[int], escalation.Ladder]:
    """Each org's ladder, that of its own jurisdiction (its path read only when a level has
    issued one)."""
    book = ladder_book(on.year)
    paths: dict[int, str] = {}
    if book.issued:
        paths = dict(Org.objects.filter(pk__in=org_ids).values_list("pk", "path"))
    return lambda org_id: book.ladder_for(paths.get(org_id, ""))


def _stale_cells(rows: Sequence[tuple[Any, ...]], org_ids: Sequence[int], on: date) -> list[int]:
    """Of (pk, step, org, item, period) rows, those whose cell is filled or no longer
    measured, or whose unit has caught up: a cell_facts read per year they name."""
    ladder = _ladders(org_ids, on)
    stale = []
    for year in sorted({int(row[4][:4]) for row in rows}):
        facts = cell_facts(year, on, Q(org_id__in=org_ids))
        status = {(f.item_id, f.period): f.status for f in facts}
        overdue = Counter(f.org_id for f in facts if f.status == CellStatus.OVERDUE)
        for pk, _step, org_id, item_id, period in rows:
            if int(period[:4]) != year:
                continue
            if item_id is None:
                gone = resolution.unit_resolved(overdue[org_id], ladder(org_id))
            else:
                gone = resolution.cell_resolved(status.get((item_id, period)))
            if gone:
                stale.append(pk)
    return stale


def _periods_of(slots: list[Period], _rule: Rule) -> list[Period]:
    return slots


def _stale_figures(rows: Sequence[tuple[Any, ...]], on: date) -> list[int]:
    """Of (pk, step, org, rule, person, period, facts) rows, those whose figures settled:
    one indicator computation per rule for the orgs and periods its reminders name."""
    ladder = _ladders(sorted({row[2] for row in rows}), on)
    periods: dict[int, set[str]] = defaultdict(set)
    orgs: dict[int, set[int]] = defaultdict(set)
    for _pk, _step, org_id, rule_id, _person, period, facts in rows:
        periods[rule_id] |= set(facts.get("unmet_periods") or [period])
        orgs[rule_id].add(org_id)
    rules = Rule.objects.in_bulk(list(periods))
    figures: dict[tuple[int, int, int | None, str], Indicator] = {}
    for rule_id, rule in rules.items():
        slots = [Period.parse(p) for p in sorted(periods[rule_id])]
        computed = ledger.compute_indicators(
            sorted(orgs[rule_id]), [rule], partial(_periods_of, slots), today=on
        )
        for figure in computed:
            key = (rule_id, figure.org_id, figure.person_id, str(figure.period))
            figures[key] = figure.indicator
    stale = []
    for pk, step, org_id, rule_id, person_id, period, facts in rows:
        unmet = facts.get("unmet_periods") or []
        if unmet:
            still = [
                Period.parse(p)
                for p in unmet
                if (found := figures.get((rule_id, org_id, person_id, p))) is not None
                and found.status == Status.UNMET
            ]
            gone = resolution.pattern_resolved(step, still, ladder(org_id))
        else:
            gone = resolution.figure_resolved(
                step, figures.get((rule_id, org_id, person_id, period))
            )
        if gone:
            stale.append(pk)
    return stale


def stale_reminders(org_ids: Sequence[int], on: date) -> list[int]:
    """The live reminders of the orgs whose cause no longer holds at the end of `on`."""
    live = Reminder.objects.filter(org_id__in=org_ids, resolved_on__isnull=True).values_list(
        "pk", "step", "org_id", "duty_item_id", "rule_id", "subject_person_id", "period", "facts"
    )
    cells: list[tuple[Any, ...]] = []
    figures: list[tuple[Any, ...]] = []
    for pk, step, org_id, item_id, rule_id, person_id, period, facts in live:
        if rule_id is None:
            cells.append((pk, step, org_id, item_id, period))
        else:
            figures.append((pk, step, org_id, rule_id, person_id, period, facts))
    stale = _stale_cells(cells, org_ids, on) if cells else []
    return stale + (_stale_figures(figures, on) if figures else [])
