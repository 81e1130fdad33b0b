"""The escalation job (SUP-1): turn the ledger's due-soon and overdue cells into reminders.

Run daily by the huey task in ledger/tasks.py, or by `manage.py run_escalation`.
It reads every current published list of the year in a fixed number of queries,
lets the pure ladder (ledger/escalation.py) decide, and stores only the steps
not raised before: (step, cause) is unique, so a second run the same day adds nothing.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liangze.core import access, audit
from liangze.core.periods import Period, quarters
from liangze.duties.models import DutyItem, DutyList
from liangze.ledger import escalation
from liangze.ledger.entry_queries import _published
from liangze.ledger.escalation import CellFact, Decision, Step
from liangze.ledger.ledger_rules import cell_status, entry_deadline
from liangze.ledger.models import ProgressEntry, Reminder
from liangze.ledger.policy import ACKNOWLEDGE
from liangze.orgs.models import DisciplineBody, Org, Position, PositionKind

# Who answers for a unit: its 主要负责人, or a branch's 支部书记.
PRINCIPAL_KINDS = (PositionKind.PRINCIPAL, PositionKind.BRANCH_SECRETARY)


@dataclass
class Counts:
    created: Counter[str] = field(default_factory=Counter)  # step → new reminders
    cells: int = 0  # cells looked at

    @property
    def total(self) -> int:
        return sum(self.created.values())


@dataclass(frozen=True)
class _Entry:
    """Just what cell_status needs of an entry, read with values_list."""

    status: str
    is_late: bool


@dataclass(frozen=True)
class _Context:
    items: dict[int, DutyItem]
    lists_by_org: dict[int, DutyList]  # a unit's first list, for a unit-wide 约谈
    principals: dict[int, tuple[int, str]]  # org id → (person id, name)
    bodies: dict[int, tuple[int, str]]  # org id → its nearest supervising body (id, name)


def _quarter_of(period: str) -> int:
    """Monthly entries count towards the quarter they fall in, as on the grid."""
    return Period.containing(Period.parse(period).start, "quarter").index


def _cells(year: int, on: date) -> tuple[list[CellFact], dict[int, DutyItem]]:
    lists = DutyList.objects.filter(_published(), year=year)
    items = {
        item.pk: item
        for item in DutyItem.objects.filter(duty_list__in=lists)
        .select_related("duty_list__org", "responsible")
        .order_by("duty_list__org__path", "duty_list_id", "seq")
    }
    by_cell: dict[tuple[int, int], list[_Entry]] = {}
    rows = ProgressEntry.objects.filter(item__duty_list__in=lists).values_list(
        "item_id", "period", "status", "is_late"
    )
    for item_id, period, status, is_late in rows:
        by_cell.setdefault((item_id, _quarter_of(period)), []).append(_Entry(status, is_late))
    periods = quarters(year)
    deadlines = {quarter.index: entry_deadline(quarter) for quarter in periods}
    cells = [
        CellFact(
            item_id=item.pk,
            period=str(quarter),
            status=cell_status(quarter, by_cell.get((item.pk, quarter.index), []), on),
            deadline=deadlines[quarter.index],
            responsible_id=item.responsible_id or item.duty_list.person_id,
            org_id=item.duty_list.org_id,
        )
        for item in items.values()
        for quarter in periods
    ]
    return cells, items


def _principals(org_ids: set[int], on: date) -> dict[int, tuple[int, str]]:
    positions = (
        Position.objects.filter(org_id__in=org_ids, kind__in=PRINCIPAL_KINDS, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .order_by("start_date")
        .values_list("org_id", "person_id", "person__name")
    )
    # The latest appointment wins when two overlap on a changeover day.
    return {org_id: (person_id, name) for org_id, person_id, name in positions}


def _bodies(orgs: dict[int, str]) -> dict[int, tuple[int, str]]:
    """Each unit's nearest supervising discipline body: the one whose subtree is the smallest."""
    through = DisciplineBody.supervised_orgs.through
    grants = list(
        through.objects.values_list("disciplinebody_id", "disciplinebody__name", "org__path")
    )
    found: dict[int, tuple[int, str]] = {}
    for org_id, path in orgs.items():
        covering = [(len(p), body_id, name) for body_id, name, p in grants if path.startswith(p)]
        if covering:
            _length, body_id, name = max(covering)
            found[org_id] = (body_id, name)
    return found


def _message(decision: Decision, context: _Context, unit: Org) -> str:
    if decision.item_id is None:
        return _("%(org)s %(year)s年已有 %(count)d 项台账逾期未填报，建议约谈其主要负责人。") % {
            "org": unit.name,
            "year": decision.period,
            "count": decision.overdue_cells,
        }
    item = context.items[decision.item_id]
    values = {
        "org": unit.name,
        "item": item.name,
        "period": Period.parse(decision.period).label,
        "deadline": f"{decision.deadline:%Y-%m-%d}",
        "days": decision.overdue_workdays,
        "person": item.responsible.name if item.responsible else _("（未指定）"),
    }
    if decision.step == Step.REMINDER:
        text = _("“%(item)s”%(period)s台账将于 %(deadline)s 截止，请及时填报。")
    elif decision.step == Step.PRINCIPAL_NOTICE:
        text = _(
            "%(org)s“%(item)s”%(period)s台账已于 %(deadline)s 逾期未填报，"
            "请督促责任人%(person)s落实。"
        )
    elif decision.step == Step.ADMONITION_PROPOSAL:
        text = _(
            "%(org)s“%(item)s”%(period)s台账已逾期 %(days)d 个工作日，建议约谈责任人%(person)s。"
        )
    else:
        text = _(
            "%(org)s“%(item)s”%(period)s台账已逾期 %(days)d 个工作日，"
            "已拟任务落实督办书草稿，请审核后发出。"
        )
    return text % values


def _reminder(decision: Decision, context: _Context, on: date) -> Reminder | None:
    """The row for one decision, or None when nobody can receive it (no principal, no body)."""
    if decision.item_id is not None:
        item = context.items[decision.item_id]
        duty_list, unit = item.duty_list, item.duty_list.org
    else:
        item = None
        duty_list = context.lists_by_org[decision.org_id]
        unit = duty_list.org
    person_id: int | None = None
    body_id: int | None = None
    principal = context.principals.get(decision.org_id)
    if decision.recipient == "responsible":
        # An item with nobody named falls to the unit's principal rather than to no one.
        responsible = (item.responsible_id or duty_list.person_id) if item else None
        person_id = responsible or (principal[0] if principal else None)
    elif decision.recipient == "principal":
        person_id = principal[0] if principal else None
    else:
        body = context.bodies.get(decision.org_id)
        body_id = body[0] if body else None
    if person_id is None and body_id is None:
        return None
    return Reminder(
        step=decision.step,
        cause=decision.cause,
        org=unit,
        duty_list=duty_list,
        duty_item=item,
        period=decision.period,
        deadline=decision.deadline,
        recipient_person_id=person_id,
        recipient_body_id=body_id,
        raised_on=on,
        message=_message(decision, context, unit),
    )


@transaction.atomic
def run_escalation(*, on: date) -> Counts:
    """Raise every step of the ladder due on `on` that has not been raised before."""
    year = on.year
    cells, items = _cells(year, on)
    orgs = {item.duty_list.org_id: item.duty_list.org.path for item in items.values()}
    lists_by_org: dict[int, DutyList] = {}
    for item in items.values():
        lists_by_org.setdefault(item.duty_list.org_id, item.duty_list)
    context = _Context(
        items=items,
        lists_by_org=lists_by_org,
        principals=_principals(set(orgs), on),
        bodies=_bodies(orgs),
    )
    decisions = escalation.decide(cells, on)
    existing = set(
        Reminder.objects.filter(org_id__in=orgs, period__startswith=str(year)).values_list(
            "step", "cause"
        )
    )
    new = [
        reminder
        for decision in decisions
        if (decision.step, decision.cause) not in existing
        and (reminder := _reminder(decision, context, on)) is not None
    ]
    # ignore_conflicts: a run racing this one (the task and the command) cannot double up.
    Reminder.objects.bulk_create(new, ignore_conflicts=True)
    counts = Counts(created=Counter(str(r.step) for r in new), cells=len(cells))
    audit.record(
        actor=None,
        verb=audit.Verb.CREATE,
        label=_("督促提醒（%(day)s）") % {"day": f"{on:%Y-%m-%d}"},
        data={"on": on.isoformat(), "cells": counts.cells, "created": dict(counts.created)},
    )
    return counts


@transaction.atomic
def reminder_acknowledge(*, actor: Any, reminder: Reminder) -> Reminder:
    """The recipient has read it: it leaves their to-do list. Acknowledging twice is harmless."""
    access.require(actor, ACKNOWLEDGE, reminder)
    if reminder.acknowledged_at is None:
        reminder.acknowledged_at = timezone.now()
        reminder.save(update_fields=["acknowledged_at"])
        audit.record(actor=actor, verb=audit.Verb.UPDATE, obj=reminder, data={"acknowledged": True})
    return reminder
