"""The escalation ladder (SUP-1): which overdue work turns into whose reminder, and when.

Pure: the ladder is data (ladder.json beside this module); `decide` is a function of
ledger cells and a date, `decide_indicators` of indicator figures and a date, so
every rung is tested without the database. The job in reminders/services.py
gathers the cells and the figures and stores what these return.

The rungs for a ledger cell (an item in a quarter):
1. 提醒本人 — the cell is 即将到期: remind the person responsible for the item;
2. 提醒主要负责人 — the cell is 已逾期: tell the unit's principal;
3. 拟约谈 — a unit has N overdue cells in the year, or one cell has been overdue
   for M working days: propose a 约谈 to the unit's discipline body;
4. 督办书草稿 — a cell has been overdue for K working days: draft a 任务落实督办书
   for the discipline body.

The rungs for a quantified duty (a rule's figure for a leader or a unit in a period):
1. 提醒本人 — not yet met within D days of its deadline (or its evidence still
   awaited after it): remind the person measured, or for a unit's figure its principal;
2. 提醒主要负责人 — unmet after its deadline: tell the unit's principal;
3. 拟约谈 — the same rule unmet for the same subject in R periods of one year (repeated);
4. 督办书草稿 — … in P periods of one year in a row (persistent).
A missed month of talks cannot be made good later, so the time since one
figure's deadline says nothing more; what grows is how often it happens.

Each decision carries a `cause`; (step, cause) is unique in the database, so a
step is raised once per cause however often the job runs.

The ladder belongs to a jurisdiction: ladder.json is the installation's default,
and the 纪委 of a level may issue thresholds for its subtree (LadderVersion) that
escalate sooner — never later — where the level above allows it. `LadderBook`
resolves each unit's ladder from its path, as the quantified duties do.
"""

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from liangze.core.periods import Period
from liangze.core.workdays import workdays_between
from liangze.ledger.models import Rule
from liangze.ledger.queries import CellStatus, Status, deadline
from liangze.orgs.tree import PATH_STEP
from liangze.supervision.models import Reminder

LADDER_FILE = Path(__file__).parent / "ladder.json"

Recipient = Literal["responsible", "principal", "body"]
Step = Reminder.Step


@dataclass(frozen=True)
class Rung:
    step: Step
    rank: int
    label: str
    recipient: Recipient


@dataclass(frozen=True)
class Ladder:
    rungs: tuple[Rung, ...]
    unit_overdue_cells: int  # N: overdue cells in a unit's year that call for a 约谈
    admonition_overdue_workdays: int  # M: working days one cell may be overdue before a 约谈
    order_overdue_workdays: int  # K: working days overdue before a 督办书 is drafted
    indicator_due_soon_days: int  # D: days before a figure's deadline that its subject is reminded
    indicator_repeated_unmet: int  # R: unmet periods of one rule in a year that call for a 约谈
    indicator_persistent_unmet: int  # P: … in a row, that call for a 督办书
    indicator_lookback_days: int  # last year's periods are looked at this long after their deadline

    def rung(self, step: Step) -> Rung:
        return self._by_step[step]

    @cached_property
    def _by_step(self) -> dict[Step, Rung]:
        return {r.step: r for r in self.rungs}


def parse_ladder(data: dict[str, object]) -> Ladder:
    """The ladder from its JSON form; a step the code does not know is an error, not ignored."""
    thresholds = data["thresholds"]
    steps = data["steps"]
    assert isinstance(thresholds, dict) and isinstance(steps, list)  # noqa: S101
    rungs = tuple(
        Rung(Step(s["code"]), int(s["rank"]), str(s["label"]), s["recipient"]) for s in steps
    )
    if {r.step for r in rungs} != set(Step):
        raise ValueError("escalation ladder must define every step exactly once")
    if any(r.recipient not in ("responsible", "principal", "body") for r in rungs):
        raise ValueError("escalation ladder: unknown recipient")
    return Ladder(
        rungs=tuple(sorted(rungs, key=lambda r: r.rank)),
        unit_overdue_cells=int(thresholds["unit_overdue_cells"]),
        admonition_overdue_workdays=int(thresholds["admonition_overdue_workdays"]),
        order_overdue_workdays=int(thresholds["order_overdue_workdays"]),
        indicator_due_soon_days=int(thresholds["indicator_due_soon_days"]),
        indicator_repeated_unmet=int(thresholds["indicator_repeated_unmet"]),
        indicator_persistent_unmet=int(thresholds["indicator_persistent_unmet"]),
        indicator_lookback_days=int(thresholds["indicator_lookback_days"]),
    )


@cache
def load_ladder(path: Path = LADDER_FILE) -> Ladder:
    return parse_ladder(json.loads(path.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class CellFact:
    """What the ladder needs to know of one item in one period."""

    item_id: int
    period: str  # "2026-Q3"
    status: str  # a ledger_rules.CellStatus
    deadline: date
    responsible_id: int | None
    org_id: int


@dataclass(frozen=True)
class IndicatorFact:
    """What the ladder needs to know of one rule's figure for one subject in one period."""

    rule_id: int
    org_id: int
    person_id: int | None  # the leader measured; None for a unit's own figure
    period: Period
    status: str  # an indicators.Status
    required: int
    actual: int
    deadline: date


@dataclass(frozen=True)
class Decision:
    step: Step
    # What the step is raised for: "item:<id>:<period>" or "org:<id>:<year>" for the ledger,
    # "ind:<rule>:<p<person>|o<org>>:<period or year>" for a quantified duty.
    cause: str
    recipient: Recipient
    org_id: int
    item_id: int | None
    period: str
    deadline: date | None
    overdue_workdays: int = 0
    overdue_cells: int = 0  # for a unit's 约谈: how many of its cells are overdue
    rule_id: int | None = None
    person_id: int | None = None  # the leader a quantified duty measures
    required: int = 0
    actual: int = 0
    unmet_periods: tuple[str, ...] = ()  # for a repeated or persistent failure


# Jurisdiction ----------------------------------------------------------------------------

# Each threshold a level may set, with its label and which way is stricter: "lower" when a
# smaller number escalates sooner, "higher" when a larger one does.
THRESHOLDS: dict[str, tuple[Any, Literal["lower", "higher"]]] = {
    "unit_overdue_cells": (_lazy("单位年度逾期台账达到（项）即拟约谈"), "lower"),
    "admonition_overdue_workdays": (_lazy("单项逾期达到（工作日）即拟约谈"), "lower"),
    "order_overdue_workdays": (_lazy("单项逾期达到（工作日）即拟督办书"), "lower"),
    "indicator_due_soon_days": (_lazy("指标截止前提醒（天）"), "higher"),
    "indicator_repeated_unmet": (_lazy("同一指标年内未达标期数达到即拟约谈"), "lower"),
    "indicator_persistent_unmet": (_lazy("同一指标连续未达标期数达到即拟督办书"), "lower"),
    "indicator_lookback_days": (_lazy("上年度指标截止后仍回看（天）"), "higher"),
}


def thresholds_of(ladder: Ladder) -> dict[str, int]:
    return {name: int(getattr(ladder, name)) for name in THRESHOLDS}


def with_thresholds(ladder: Ladder, thresholds: Mapping[str, int]) -> Ladder:
    """The ladder's rungs with a level's thresholds."""
    values = {name: int(thresholds[name]) for name in THRESHOLDS}
    return replace(ladder, **values)  # type: ignore[arg-type]  # THRESHOLDS names int fields


@dataclass(frozen=True)
class LadderIssue:
    """One level's newest thresholds, as the book reads them (a LadderVersion row)."""

    thresholds: Mapping[str, int]
    allow_tighten: bool
    name: str  # "城关镇党委第2版", for the messages


def ladder_loosening(
    thresholds: Mapping[str, int], upper: Mapping[str, int], upper_name: str, allowed: bool
) -> dict[str, list[str]]:
    """Why `thresholds` would escalate later than `upper`, the level above's, by field. Pure."""
    if not allowed:
        return {"__all__": [_("%(upper)s不允许下级另行规定。") % {"upper": upper_name}]}
    problems: dict[str, list[str]] = {}
    for name, (label, stricter) in THRESHOLDS.items():
        own, above = thresholds[name], upper[name]
        if (own > above) if stricter == "lower" else (own < above):
            text = (
                _("%(field)s不得多于%(upper)s的%(value)s。")
                if stricter == "lower"
                else _("%(field)s不得少于%(upper)s的%(value)s。")
            )
            problems[name] = [text % {"field": label, "upper": upper_name, "value": above}]
    return problems


@dataclass
class LadderBook:
    """A year's ladders by jurisdiction: the default and each issuer's newest thresholds."""

    default: Ladder
    issued: dict[str, LadderIssue]  # issuer's path → its newest thresholds
    _ladders: dict[tuple[str, ...], Ladder] = field(default_factory=dict)

    def governing(self, path: str) -> tuple[Ladder, bool, str]:
        """The ladder of the org at `path`, whether it may be tightened below, and its name."""
        ladder, allowed, name = self.default, True, str(_("系统默认标准"))
        levels = [path[:end] for end in range(PATH_STEP, len(path) + 1, PATH_STEP)]
        for level in levels:
            issue = self.issued.get(level)
            if issue is None:
                continue
            upper = thresholds_of(ladder)
            if level == levels[0] or not ladder_loosening(issue.thresholds, upper, name, allowed):
                ladder = with_thresholds(self.default, issue.thresholds)
                allowed, name = issue.allow_tighten, issue.name
        return ladder, allowed, name

    def upper(self, path: str) -> tuple[Ladder, bool, str] | None:
        """What governs the level above `path` (None for a tree's top: bound by nothing)."""
        return None if len(path) <= PATH_STEP else self.governing(path[:-PATH_STEP])

    def ladder_for(self, path: str) -> Ladder:
        issuers = tuple(
            path[:end]
            for end in range(PATH_STEP, len(path) + 1, PATH_STEP)
            if path[:end] in self.issued
        )
        if issuers not in self._ladders:
            self._ladders[issuers] = self.governing(path)[0]
        return self._ladders[issuers]

    def groups(self, orgs: Iterable[tuple[int, str]]) -> list[tuple[Ladder, list[int]]]:
        """The orgs (id, path) grouped by the ladder that governs them."""
        by_ladder: dict[int, tuple[Ladder, list[int]]] = {}
        for org_id, path in orgs:
            ladder = self.ladder_for(path)
            by_ladder.setdefault(id(ladder), (ladder, []))[1].append(org_id)
        return list(by_ladder.values())


def item_cause(cell: CellFact) -> str:
    return f"item:{cell.item_id}:{cell.period}"


def unit_cause(org_id: int, year: int) -> str:
    return f"org:{org_id}:{year}"


def decide(cells: Iterable[CellFact], today: date, ladder: Ladder | None = None) -> list[Decision]:
    """Every step the cells call for on `today`, whether or not it was raised before."""
    ladder = ladder or load_ladder()
    decisions: list[Decision] = []
    overdue_by_unit: dict[int, int] = defaultdict(int)
    for cell in cells:
        if cell.status == CellStatus.DUE_SOON:
            decisions.append(_item(Step.REMINDER, ladder, cell))
            continue
        if cell.status != CellStatus.OVERDUE:
            continue
        overdue_by_unit[cell.org_id] += 1
        days = workdays_between(cell.deadline, today)  # cached per (deadline, day) in core
        decisions.append(_item(Step.PRINCIPAL_NOTICE, ladder, cell, days))
        if days >= ladder.admonition_overdue_workdays:
            decisions.append(_item(Step.ADMONITION_PROPOSAL, ladder, cell, days))
        if days >= ladder.order_overdue_workdays:
            decisions.append(_item(Step.SUPERVISION_ORDER_DRAFT, ladder, cell, days))
    # A unit that lets many cells lapse is a pattern, not an accident: one 约谈 for the year.
    for org_id, count in sorted(overdue_by_unit.items()):
        if count >= ladder.unit_overdue_cells:
            decisions.append(
                Decision(
                    step=Step.ADMONITION_PROPOSAL,
                    cause=unit_cause(org_id, today.year),
                    recipient=ladder.rung(Step.ADMONITION_PROPOSAL).recipient,
                    org_id=org_id,
                    item_id=None,
                    period=str(today.year),
                    deadline=None,
                    overdue_cells=count,
                )
            )
    return decisions


def _item(step: Step, ladder: Ladder, cell: CellFact, days: int = 0) -> Decision:
    return Decision(
        step=step,
        cause=item_cause(cell),
        recipient=ladder.rung(step).recipient,
        org_id=cell.org_id,
        item_id=cell.item_id,
        period=cell.period,
        deadline=cell.deadline,
        overdue_workdays=days,
    )


# Quantified duties ----------------------------------------------------------------------


def indicator_periods(rule: Rule, on: date, ladder: Ladder | None = None) -> list[Period]:
    """The rule's periods the job looks at on `on`: those of this year that have begun,
    and those of last year whose deadline is at most the lookback behind."""
    ladder = ladder or load_ladder()
    kind = rule.period_kind
    recent = on - timedelta(days=ladder.indicator_lookback_days)
    last_year = [
        p
        for p in Period(on.year - 1, "year").parts(kind)  # type: ignore[arg-type]  # a PeriodKind choice
        if deadline(rule, p) >= recent
    ]
    this_year = [p for p in Period(on.year, "year").parts(kind) if p.start <= on]  # type: ignore[arg-type]  # a PeriodKind choice
    return [*last_year, *this_year]


def _subject(fact: IndicatorFact) -> str:
    return f"p{fact.person_id}" if fact.person_id is not None else f"o{fact.org_id}"


def indicator_cause(fact: IndicatorFact) -> str:
    return f"ind:{fact.rule_id}:{_subject(fact)}:{fact.period}"


def repeated_cause(fact: IndicatorFact) -> str:
    return f"ind:{fact.rule_id}:{_subject(fact)}:{fact.period.year}"


def longest_run(periods: list[Period]) -> int:
    """The most periods in a row (consecutive indexes) among `periods` of one kind and year."""
    indexes = sorted(p.index for p in periods)
    longest = run = 0
    previous = None
    for index in indexes:
        run = run + 1 if previous is not None and index == previous + 1 else 1
        longest = max(longest, run)
        previous = index
    return longest


def decide_indicators(
    facts: Iterable[IndicatorFact], today: date, ladder: Ladder | None = None
) -> list[Decision]:
    """Every step the figures call for on `today`, whether or not it was raised before."""
    ladder = ladder or load_ladder()
    decisions: list[Decision] = []
    unmet: dict[tuple[int, int, int | None, int], list[IndicatorFact]] = defaultdict(list)
    for fact in facts:
        if fact.status == Status.NOT_APPLICABLE:
            continue  # nothing is asked of the subject, so there is nothing to escalate
        if fact.status == Status.UNMET:
            decisions.append(_figure(Step.PRINCIPAL_NOTICE, ladder, fact))
            unmet[(fact.rule_id, fact.org_id, fact.person_id, fact.period.year)].append(fact)
        elif (
            fact.status == Status.PENDING
            and fact.actual < fact.required
            and (fact.deadline - today).days <= ladder.indicator_due_soon_days
        ):
            decisions.append(_figure(Step.REMINDER, ladder, fact))
    for failed in unmet.values():
        periods = sorted(f.period for f in failed)
        steps = []
        if len(periods) >= ladder.indicator_repeated_unmet:
            steps.append(Step.ADMONITION_PROPOSAL)
        if longest_run(periods) >= ladder.indicator_persistent_unmet:
            steps.append(Step.SUPERVISION_ORDER_DRAFT)
        last = max(failed, key=lambda f: f.period)
        for step in steps:
            decisions.append(
                Decision(
                    step=step,
                    cause=repeated_cause(last),
                    recipient=ladder.rung(step).recipient,
                    org_id=last.org_id,
                    item_id=None,
                    period=str(last.period.year),
                    deadline=None,
                    rule_id=last.rule_id,
                    person_id=last.person_id,
                    unmet_periods=tuple(str(p) for p in periods),
                )
            )
    return decisions


def _figure(step: Step, ladder: Ladder, fact: IndicatorFact) -> Decision:
    return Decision(
        step=step,
        cause=indicator_cause(fact),
        recipient=ladder.rung(step).recipient,
        org_id=fact.org_id,
        item_id=None,
        period=str(fact.period),
        deadline=fact.deadline,
        rule_id=fact.rule_id,
        person_id=fact.person_id,
        required=fact.required,
        actual=fact.actual,
    )
