"""Ledger roll-ups for the supervision dashboard (issue 4 item 7; LEDGER-3, RULE-2, SUP-1).

How a subtree stands on its ledger cells and its quantified indicators, counted
set-based: every cell count is one GROUP BY over the items and one over the
entries — by the direct child's materialized-path prefix, by org or by the
person responsible — and every indicator comes from indicator_batch, which
reads and evaluates 500 orgs at a time in a fixed number of queries. No query
per row: a township and a county of under 500 units cost the same, a county of
3,000 a few chunks more.

A cell is one item of a current published list in one quarter of the list's
year, with the state `ledger_rules.cell_status` gives it. Counts are "as of" a
date so a weekly snapshot can be re-taken for a past week: an entry counts from
the day it was entered, a verification or a return from the day it was made.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, Substr

from liangze.core.periods import Period, end_of, quarters
from liangze.duties.models import DutyItem, DutyList
from liangze.ledger.entries.clock import CellStatus, cell_status, entry_deadline
from liangze.ledger.entries.queries import current_lists
from liangze.ledger.indicators import batch as indicator_batch
from liangze.ledger.indicators import jurisdiction
from liangze.ledger.indicators.jurisdiction import RuleBook
from liangze.ledger.indicators.measures import Status
from liangze.ledger.models import ProgressEntry
from liangze.orgs.models import Org
from liangze.orgs.tree import PATH_STEP


@dataclass
class Tally:
    """Cells and indicators of one branch, org or person; tallies add up along the tree."""

    cells: Counter[str] = field(default_factory=Counter)  # CellStatus → cells
    due_cells: int = 0  # cells whose entry deadline has passed, done or not
    indicators: Counter[str] = field(default_factory=Counter)  # indicators.Status → figures

    def add(self, other: "Tally") -> None:
        self.cells.update(other.cells)
        self.due_cells += other.due_cells
        self.indicators.update(other.indicators)

    @property
    def overdue_cells(self) -> int:
        return self.cells[CellStatus.OVERDUE]

    @property
    def failing_indicators(self) -> int:
        """Figures whose period is over and whose duty was not done, not even late."""
        return self.indicators[Status.UNMET]

    @property
    def assessed_indicators(self) -> int:
        """Figures already decided: met, met late, or failed."""
        return sum(self.indicators[s] for s in (Status.MET, Status.LATE, Status.UNMET))

    @property
    def total_cells(self) -> int:
        return sum(self.cells.values())


# Cells ------------------------------------------------------------------------------


def _quarter_periods(quarter: Period) -> list[str]:
    """The entry periods that count for a quarter: itself and its months (as on the grid)."""
    return [str(quarter), *(str(month) for month in quarter.parts("month"))]


def _cell_counts(
    year: int, lists: QuerySet[DutyList], groups: Sequence[Any], on: date
) -> dict[Any, Tally]:
    """Two queries: items per group, and per group and quarter the items done and verified.

    `groups` are expressions on DutyItem; a key is the group's value, or the tuple of
    values when there are several.
    """
    names = [f"g{n}" for n in range(len(groups))]
    on_items = dict(zip(names, groups, strict=True))
    on_entries = {name: _through_item(expr) for name, expr in on_items.items()}

    def key(row: dict[str, Any]) -> Any:
        return row[names[0]] if len(names) == 1 else tuple(row[n] for n in names)

    items = DutyItem.objects.filter(duty_list__in=lists)
    sized = items.annotate(**on_items).values(*names).annotate(n=Count("pk")).order_by()
    sizes = {key(row): row["n"] for row in sized}
    if not sizes:
        return {}
    moment = end_of(on)
    # As of `on`: entered by then and not returned by then; verified once verified by then.
    counted = Q(entered_at__lt=moment) & ~Q(
        status=ProgressEntry.Status.REJECTED, reviewed_at__lt=moment
    )
    verified = Q(status=ProgressEntry.Status.VERIFIED, reviewed_at__lt=moment)
    periods = quarters(year)
    aggregates: dict[str, Any] = {}
    for quarter in periods:
        in_quarter = Q(period__in=_quarter_periods(quarter))
        aggregates[f"done{quarter.index}"] = Count("item_id", distinct=True, filter=in_quarter)
        aggregates[f"verified{quarter.index}"] = Count(
            "item_id", distinct=True, filter=in_quarter & verified
        )
    done_rows = (
        ProgressEntry.objects.filter(counted, item__duty_list__in=lists)
        .annotate(**on_entries)
        .values(*names)
        .annotate(**aggregates)
        .order_by()
    )
    done = {key(row): row for row in done_rows}
    # What an empty cell of each quarter is on `on` is the same for every item.
    empty = {quarter.index: cell_status(quarter, [], on) for quarter in periods}
    past = {quarter.index for quarter in periods if on > entry_deadline(quarter)}
    tallies: dict[Any, Tally] = {}
    for group, size in sizes.items():
        row = done.get(group, {})
        tally = Tally()
        for quarter in periods:
            n_done = row.get(f"done{quarter.index}", 0)
            n_verified = row.get(f"verified{quarter.index}", 0)
            tally.cells[CellStatus.VERIFIED] += n_verified
            tally.cells[CellStatus.DONE] += n_done - n_verified
            tally.cells[empty[quarter.index]] += size - n_done
            if quarter.index in past:
                tally.due_cells += size
        tallies[group] = tally
    return tallies


def _through_item(expression: Any) -> Any:
    """The same grouping read from an entry: every field reference gets the item__ prefix."""
    if isinstance(expression, F):
        return F(f"item__{expression.name}")
    if isinstance(expression, Substr):
        field_ref, start, length = expression.source_expressions
        return Substr(_through_item(field_ref), start, length)
    if isinstance(expression, Coalesce):
        return Coalesce(*(_through_item(e) for e in expression.source_expressions))
    raise TypeError(f"cannot group entries by {expression!r}")


def branch_of(org: Org) -> int:
    """The length of a direct child's path under `org`: the GROUP BY prefix."""
    return len(org.path) + PATH_STEP


def cells_by_branch(org: Org, year: int, on: date) -> dict[str, Tally]:
    """Cells of the subtree grouped by branch: `org.path` for the org's own lists,
    each direct child's path for that child's whole subtree (two queries)."""
    lists = current_lists(year, on).filter(org.subtree_q("org__"))
    groups = [Substr(F("duty_list__org__path"), 1, branch_of(org))]
    return _cell_counts(year, lists, groups, on)


def cells_by_org(orgs_q: Q, year: int, on: date) -> dict[int, Tally]:
    """Cells of each org's own lists, for the orgs `orgs_q` (a filter on DutyList) selects."""
    lists = current_lists(year, on).filter(orgs_q)
    return _cell_counts(year, lists, [F("duty_list__org_id")], on)


def _responsible() -> Coalesce:
    # An item with nobody named answers to the holder of a personal list, as in escalation.
    return Coalesce(F("responsible_id"), F("duty_list__person_id"))


def cells_by_person(orgs_q: Q, year: int, on: date) -> dict[tuple[int, int | None], Tally]:
    """Cells of the selected orgs' own lists per person responsible (two queries).

    Keys are (org id, person id); person None holds items nobody answers for.
    """
    lists = current_lists(year, on).filter(orgs_q)
    return _cell_counts(year, lists, [F("duty_list__org_id"), _responsible()], on)


# Indicators --------------------------------------------------------------------------


@dataclass
class IndicatorCounts:
    """Indicator statuses per org (the unit's figures and its leaders') and per leader."""

    by_org: dict[int, Counter[str]]
    by_person: dict[tuple[int, int], Counter[str]]  # (org id, person id)


def indicators_by_org(orgs: Iterable[tuple[int, str]], year: int, on: date) -> IndicatorCounts:
    """Every figure in every period of `year`, as of `on`, for all the orgs (id, path),
    each under the rules that govern it.

    Read and evaluated by indicator_batch a chunk of orgs at a time (a fixed number
    of queries per chunk and rule list, see jurisdiction); only the statuses are kept.
    Figures whose period is not over are pending, so "failing" means failed so far
    this year: the count does not fall back to nothing at the start of each quarter,
    and week follows week comparably on the trend.
    """
    book = RuleBook.load(year)
    by_org: dict[int, Counter[str]] = defaultdict(Counter)
    by_person: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    if book.every_rule:
        figures = jurisdiction.figures(
            orgs,
            book,
            indicator_batch.year_slots(year),
            today=on,
        )
        for figure in figures:
            status = figure.indicator.status
            if status == Status.NOT_APPLICABLE:
                # Nothing was asked (a share of nobody): no count, rate or colour of
                # the dashboard may take it for a duty done.
                continue
            by_org[figure.org_id][status] += 1
            if figure.person_id is not None:
                by_person[(figure.org_id, figure.person_id)][status] += 1
    return IndicatorCounts(dict(by_org), dict(by_person))


def subtree_orgs(org: Org) -> list[Org]:
    """The active orgs of the subtree, the org itself included (one query)."""
    return list(
        Org.objects.filter(org.subtree_q(), is_active=True)
        .only("pk", "path", "parent_id", "child_count")
        .order_by("path")
    )


# Roll-ups ------------------------------------------------------------------------------


def by_branch(org: Org, year: int, on: date) -> dict[str, Tally]:
    """Cells and indicators of the subtree by branch: `org.path` for the org itself, each
    direct child's path for the child's subtree. Branches without lists or leaders are left out.
    """
    tallies: dict[str, Tally] = defaultdict(Tally)
    for branch, tally in cells_by_branch(org, year, on).items():
        tallies[branch].add(tally)
    paths = dict(
        Org.objects.filter(org.subtree_q(), is_active=True).values_list("pk", "path").order_by()
    )
    counts = indicators_by_org(paths.items(), year, on)
    prefix = branch_of(org)
    for org_id, statuses in counts.by_org.items():
        tallies[paths[org_id][:prefix]].indicators.update(statuses)
    return dict(tallies)


def by_person(org: Org, year: int, on: date) -> dict[int | None, Tally]:
    """The org's own people: the items they answer for, the figures measured on them."""
    tallies: dict[int | None, Tally] = defaultdict(Tally)
    for (_org_id, person_id), tally in cells_by_person(Q(org=org), year, on).items():
        tallies[person_id].add(tally)
    for (_org_id, person_id), statuses in indicators_by_org(
        [(org.pk, org.path)], year, on
    ).by_person.items():
        tallies[person_id].indicators.update(statuses)
    return dict(tallies)


def by_org(
    orgs: Sequence[Org], lists_q: Q, year: int, on: date
) -> tuple[dict[int, Tally], dict[tuple[int, int | None], Tally]]:
    """Own-level tallies of each of `orgs` and of each of their people, for a snapshot.

    `lists_q` (on DutyList) selects the same orgs' lists in a form the database can
    use an index for — a subtree range rather than a list of thousands of ids.
    """
    units: dict[int, Tally] = defaultdict(Tally)
    people: dict[tuple[int, int | None], Tally] = defaultdict(Tally)
    for org_id, tally in cells_by_org(lists_q, year, on).items():
        units[org_id].add(tally)
    for pair, tally in cells_by_person(lists_q, year, on).items():
        people[pair].add(tally)
    counts = indicators_by_org([(org.pk, org.path) for org in orgs], year, on)
    for org_id, statuses in counts.by_org.items():
        units[org_id].indicators.update(statuses)
    for (org_id, person_id), statuses in counts.by_person.items():
        people[(org_id, person_id)].indicators.update(statuses)
    return dict(units), dict(people)


def add_up(tallies: Iterable[Tally]) -> Tally:
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return total
