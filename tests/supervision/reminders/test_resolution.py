"""已消除 (issue 9): a reminder whose cause went away leaves the to-dos, stays in history, and
comes back if the cause does."""

from datetime import date

import pytest

from liangze.core.periods import Period
from liangze.duties.models import DutyList
from liangze.ledger.entries.clock import CellStatus
from liangze.ledger.entries.services import entry_add, entry_reject
from liangze.ledger.indicators.measures import Indicator, Status
from liangze.orgs.models import Person
from liangze.supervision.models import Reminder
from liangze.supervision.reminders import queries as reminder_queries
from liangze.supervision.reminders.ladder import Step, load_ladder
from liangze.supervision.reminders.resolution import (
    cell_resolved,
    figure_resolved,
    pattern_resolved,
    unit_resolved,
)
from liangze.supervision.reminders.services import run_escalation
from tests.fixtures.clients import Login
from tests.fixtures.clock import On
from tests.fixtures.county import County
from tests.fixtures.ledger import add_activity, load_rules, recorded


def indicator(status: Status, actual: int = 0, required: int = 1) -> Indicator:
    return Indicator(required, actual, status, date(2026, 7, 31), (), frozenset())


# The pure rules ----------------------------------------------------------------------------


def test_a_cell_is_resolved_once_filled_or_gone_from_the_list_in_force() -> None:
    assert cell_resolved(CellStatus.DONE) and cell_resolved(CellStatus.VERIFIED)
    assert cell_resolved(None)
    assert not cell_resolved(CellStatus.OVERDUE) and not cell_resolved(CellStatus.DUE_SOON)


def test_a_unit_is_resolved_below_the_threshold_that_raised_it() -> None:
    ladder = load_ladder()
    assert unit_resolved(ladder.unit_overdue_cells - 1, ladder)
    assert not unit_resolved(ladder.unit_overdue_cells, ladder)


def test_a_figure_is_resolved_when_met_late_or_not_applicable() -> None:
    for status in (Status.MET, Status.LATE, Status.NOT_APPLICABLE):
        assert figure_resolved(Step.PRINCIPAL_NOTICE, indicator(status, actual=1))
    assert figure_resolved(Step.PRINCIPAL_NOTICE, None)  # no longer in post
    assert not figure_resolved(Step.PRINCIPAL_NOTICE, indicator(Status.UNMET))
    # Due soon: gone as soon as the number is reached, before the period ends.
    assert figure_resolved(Step.REMINDER, indicator(Status.PENDING, actual=1))
    assert not figure_resolved(Step.REMINDER, indicator(Status.PENDING, actual=0))


def test_a_pattern_is_resolved_when_the_failures_left_fall_below_its_threshold() -> None:
    ladder = load_ladder()
    months = [Period(2026, "month", i) for i in (1, 2, 3)]
    assert not pattern_resolved(Step.SUPERVISION_ORDER_DRAFT, months, ladder)
    assert pattern_resolved(Step.SUPERVISION_ORDER_DRAFT, [months[0], months[2]], ladder)
    assert not pattern_resolved(Step.ADMONITION_PROPOSAL, months[:2], ladder)
    assert pattern_resolved(Step.ADMONITION_PROPOSAL, months[:1], ladder)


# The job on the database --------------------------------------------------------------------


@pytest.fixture
def secretary(county: County) -> Person:
    """张建国, measured against 李明华: 8% of 1 → 1 talk a month."""
    load_rules()
    return Person.objects.get(person_no="P001")


def notice_for(person: Person, period: str) -> Reminder:
    return Reminder.objects.get(
        step=Step.PRINCIPAL_NOTICE,
        subject_person=person,
        rule__key="tz2017-principal-talks",
        period=period,
    )


def test_a_talk_made_up_late_closes_the_months_notice(
    county: County, secretary: Person, login: Login, on: On
) -> None:
    run_escalation(on=date(2026, 2, 1))
    notice = notice_for(secretary, "2026-M01")
    assert notice.resolved_on is None
    member = Person.objects.get(person_no="P002")
    talk = add_activity(county.chengguan, "talk", date(2026, 1, 20), secretary, member)
    recorded(talk, date(2026, 2, 3))  # 补录: the month is now 逾期补报, no longer failing
    counts = run_escalation(on=date(2026, 2, 4))
    notice.refresh_from_db()
    assert notice.resolved_on == date(2026, 2, 4) and counts.resolved >= 1
    on(date(2026, 2, 4))
    todos = login(county.township_secretary).get("/").context["todos"]
    assert notice.get_absolute_url() not in {t.url for t in todos}
    # Kept as history, under its own filter.
    listed = reminder_queries.reminder_search(
        county.township_secretary, state=reminder_queries.RESOLVED
    )
    assert notice in listed
    page = login(county.township_secretary).get(notice.get_absolute_url())
    assert "已消除 · 2026-02-04" in page.content.decode()


def test_filled_cells_close_their_reminders_and_a_returned_entry_reopens_one(
    county: County, published: DutyList, on: On
) -> None:
    run_escalation(on=date(2026, 4, 9))
    overdue = Reminder.objects.filter(step=Step.PRINCIPAL_NOTICE, duty_list=published)
    unit = Reminder.objects.get(step=Step.ADMONITION_PROPOSAL, duty_item__isnull=True)
    assert overdue.count() == published.items.count()
    on(date(2026, 4, 10))
    entries = [
        entry_add(
            actor=county.township_secretary,
            item=item,
            period="2026-Q1",
            text="已按要求落实。",
            done_on=date(2026, 3, 20),
            late_reason="材料整理延误",
        )
        for item in published.items.all()
    ]
    run_escalation(on=date(2026, 4, 10))
    assert not overdue.filter(resolved_on__isnull=True).exists()
    unit.refresh_from_db()
    assert unit.resolved_on == date(2026, 4, 10)

    on(date(2026, 4, 13))
    entry_reject(actor=county.discipline_officer, entry=entries[0], reason="佐证材料缺失。")
    counts = run_escalation(on=date(2026, 4, 13))
    back = overdue.get(duty_item=entries[0].item)
    assert (back.resolved_on, back.acknowledged_at, back.raised_on) == (
        None,
        None,
        date(2026, 4, 13),
    )
    assert counts.reopened == 1
    assert overdue.filter(resolved_on__isnull=True).count() == 1
