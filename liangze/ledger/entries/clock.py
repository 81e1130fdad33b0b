"""The ledger's clock (LEDGER-3): when a period's entries lock, and what state a cell is in.

Pure functions of dates and entries — no database — so the rules are tested on
their own, and the grid, the reminders and the indicators all answer alike.
"""

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liangze.core.periods import Period
from liangze.core.workdays import add_workdays
from liangze.ledger.models import ProgressEntry

# "即将到期": the deadline is this many calendar days away or fewer.
DUE_SOON_DAYS = 10


class CellStatus(models.TextChoices):
    NOT_DUE = "not_due", _("未到期")
    ON_TRACK = "on_track", _("正常推进")
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已逾期")
    DONE = "done", _("已完成")
    VERIFIED = "verified", _("已销号")


class EntryLike(Protocol):
    @property
    def status(self) -> str: ...

    @property
    def is_late(self) -> bool: ...


def entry_deadline(period: Period, grace_workdays: int | None = None) -> date:
    """The last day an entry for `period` is on time: its last day plus N working days.

    The grace lets a unit file what happened in the last days of a quarter; it
    counts working days, so a holiday (国庆) does not eat it.
    """
    if grace_workdays is None:
        grace_workdays = settings.LIANGZE_LEDGER_GRACE_WORKDAYS
    return add_workdays(period.end, grace_workdays)


def _counted(entries: Iterable[EntryLike]) -> list[EntryLike]:
    """A rejected entry is as if it had never been made."""
    return [e for e in entries if e.status != ProgressEntry.Status.REJECTED]


def cell_status(
    period: Period,
    entries: Iterable[EntryLike],
    today: date,
    *,
    grace_workdays: int | None = None,
) -> CellStatus:
    """The state of one item in one period, given that period's entries."""
    counted = _counted(entries)
    if any(e.status == ProgressEntry.Status.VERIFIED for e in counted):
        return CellStatus.VERIFIED
    if counted:
        return CellStatus.DONE
    if today < period.start:
        return CellStatus.NOT_DUE
    deadline = entry_deadline(period, grace_workdays)
    if today > deadline:
        return CellStatus.OVERDUE
    if (deadline - today).days <= DUE_SOON_DAYS:
        return CellStatus.DUE_SOON
    return CellStatus.ON_TRACK


def is_missed(
    period: Period,
    entries: Iterable[EntryLike],
    today: date,
    *,
    grace_workdays: int | None = None,
) -> bool:
    """Nothing accepted was entered by the deadline: a miss for indicators and assessment.

    A later 补录 shows the work was done but does not undo the miss.
    """
    if today <= entry_deadline(period, grace_workdays):
        return False
    return not any(not e.is_late for e in _counted(entries))
