"""The escalation ladder (SUP-1): which overdue work turns into whose reminder, and when.

Pure: the ladder is data (rules/escalation/ladder.json) and `decide` is a function of
cells and a date, so every rung is tested without the database. The job in
services/escalation.py gathers the cells and stores what `decide` returns.

The rungs:
1. 提醒本人 — a cell is 即将到期: remind the person responsible for the item;
2. 提醒主要负责人 — a cell is 已逾期: tell the unit's principal;
3. 拟约谈 — a unit has N overdue cells in the year, or one cell has been overdue
   for M working days: propose a 约谈 to the unit's discipline body;
4. 督办书草稿 — a cell has been overdue for K working days: draft a 任务落实督办书
   for the discipline body.

Each decision carries a `cause`; (step, cause) is unique in the database, so a
step is raised once per cause however often the job runs.
"""

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal

from liangze.core.workdays import workdays_between
from liangze.ledger.ledger_rules import CellStatus
from liangze.ledger.models import Reminder

# In a folder of its own: the quantified-rule loader reads every rules/*.json as rules.
LADDER_FILE = Path(__file__).parent / "rules" / "escalation" / "ladder.json"

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

    def rung(self, step: Step) -> Rung:
        return next(r for r in self.rungs if r.step == step)


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
class Decision:
    step: Step
    cause: str  # what the step is raised for: "item:<id>:<period>" or "org:<id>:<year>"
    recipient: Recipient
    org_id: int
    item_id: int | None
    period: str
    deadline: date | None
    overdue_workdays: int = 0
    overdue_cells: int = 0  # for a unit's 约谈: how many of its cells are overdue


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
        days = workdays_between(cell.deadline, today)
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
