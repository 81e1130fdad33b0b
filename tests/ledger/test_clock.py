"""The ledger's clock (LEDGER-3) as pure functions: no database, no request."""

from dataclasses import dataclass
from datetime import date

import pytest
from pytest_django import Settings

from liangze.core.periods import Period
from liangze.ledger.entries.clock import CellStatus, cell_status, entry_deadline, is_missed

Q3 = Period.parse("2026-Q3")
SUBMITTED, VERIFIED, REJECTED = "submitted", "verified", "rejected"


@dataclass(frozen=True)
class Entry:
    status: str = SUBMITTED
    is_late: bool = False


# Deadlines ------------------------------------------------------------------------------


def test_it_gives_five_working_days_across_national_day_counting_the_makeup_saturday() -> None:
    # Q3 ends Wed 30 Sep; 1–7 Oct are 国庆 holidays; Sat 10 Oct is a 调休 working day:
    # 8, 9, 10, 12, 13 October.
    assert entry_deadline(Q3) == date(2026, 10, 13)


def test_it_counts_the_makeup_saturday_as_a_working_day() -> None:
    assert entry_deadline(Q3, grace_workdays=3) == date(2026, 10, 10)


def test_it_skips_the_qingming_holiday() -> None:
    # 1–3 April, then 清明 4–6 April, then 7 and 8 April.
    assert entry_deadline(Period.parse("2026-Q1")) == date(2026, 4, 8)


def test_it_reads_the_grace_from_settings(settings: Settings) -> None:
    settings.LIANGZE_LEDGER_GRACE_WORKDAYS = 1
    assert entry_deadline(Q3) == date(2026, 10, 8)


def test_it_gives_a_month_its_own_deadline() -> None:
    assert entry_deadline(Period.parse("2026-M07"), grace_workdays=0) == date(2026, 7, 31)


# Statuses -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2026, 6, 30), CellStatus.NOT_DUE),
        (date(2026, 7, 1), CellStatus.ON_TRACK),
        (date(2026, 10, 2), CellStatus.ON_TRACK),  # 11 days before 13 October
        (date(2026, 10, 3), CellStatus.DUE_SOON),  # 10 days before
        (date(2026, 10, 13), CellStatus.DUE_SOON),  # the deadline day is still on time
        (date(2026, 10, 14), CellStatus.OVERDUE),
    ],
)
def test_it_tells_an_empty_cell_by_the_calendar(today: date, status: CellStatus) -> None:
    assert cell_status(Q3, [], today) == status


def test_it_calls_a_cell_with_an_entry_done() -> None:
    assert cell_status(Q3, [Entry()], date(2026, 8, 1)) == CellStatus.DONE
    assert cell_status(Q3, [Entry(is_late=True)], date(2026, 11, 1)) == CellStatus.DONE


def test_it_calls_a_cell_with_a_verified_entry_verified() -> None:
    entries = [Entry(REJECTED), Entry(SUBMITTED), Entry(VERIFIED)]
    assert cell_status(Q3, entries, date(2026, 8, 1)) == CellStatus.VERIFIED


def test_it_does_not_count_a_rejected_entry() -> None:
    assert cell_status(Q3, [Entry(REJECTED)], date(2026, 8, 1)) == CellStatus.ON_TRACK
    assert cell_status(Q3, [Entry(REJECTED)], date(2026, 11, 1)) == CellStatus.OVERDUE


def test_it_keeps_a_late_entry_as_a_miss() -> None:
    late = [Entry(VERIFIED, is_late=True)]
    assert is_missed(Q3, late, date(2026, 11, 1))
    assert is_missed(Q3, [], date(2026, 10, 14))
    assert is_missed(Q3, [Entry(REJECTED)], date(2026, 10, 14))


def test_it_does_not_call_a_miss_before_the_deadline_or_with_an_entry_on_time() -> None:
    assert not is_missed(Q3, [], date(2026, 10, 13))
    assert not is_missed(Q3, [Entry()], date(2026, 11, 1))
