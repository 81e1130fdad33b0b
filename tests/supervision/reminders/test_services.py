"""The escalation ladder (SUP-1): each step on the right date, never twice for one cause."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from pytest_django import DjangoAssertNumQueries

from liangze.core import workdays
from liangze.core.periods import Period
from liangze.core.workdays import add_workdays
from liangze.duties.models import DutyItem, DutyList
from liangze.ledger.entries.clock import CellStatus, entry_deadline
from liangze.supervision.models import Reminder
from liangze.supervision.reminders import ladder as escalation
from liangze.supervision.reminders.ladder import CellFact, Step, decide, load_ladder, parse_ladder
from liangze.supervision.reminders.services import reminder_acknowledge, run_escalation
from tests.fixtures.clients import Login
from tests.fixtures.clock import On
from tests.fixtures.county import County, person_of

Q1 = Period.parse("2026-Q1")
Q3 = Period.parse("2026-Q3")
Q1_DEADLINE = entry_deadline(Q1, 5)  # 2026-04-08: 清明 falls inside the grace
Q3_DEADLINE = entry_deadline(Q3, 5)  # 2026-10-13: 国庆 falls inside the grace


def cell(status: str, deadline: date = Q3_DEADLINE, item_id: int = 1, org_id: int = 7) -> CellFact:
    return CellFact(
        item_id=item_id,
        period="2026-Q3",
        status=status,
        deadline=deadline,
        responsible_id=42,
        org_id=org_id,
    )


def steps(decisions: list[escalation.Decision]) -> set[tuple[Step, str]]:
    return {(d.step, d.cause) for d in decisions}


# The pure ladder --------------------------------------------------------------------------


def test_it_loads_every_step_and_the_thresholds_from_data() -> None:
    ladder = load_ladder()
    assert [r.step for r in ladder.rungs] == list(Step)
    assert [r.label for r in ladder.rungs] == ["提醒本人", "提醒主要负责人", "拟约谈", "督办书草稿"]
    assert (
        ladder.unit_overdue_cells,
        ladder.admonition_overdue_workdays,
        ladder.order_overdue_workdays,
    ) == (3, 10, 20)


def test_it_refuses_a_ladder_missing_a_step() -> None:
    data = json.loads(escalation.LADDER_FILE.read_text(encoding="utf-8"))
    data["steps"] = data["steps"][:3]
    with pytest.raises(ValueError, match="every step"):
        parse_ladder(data)


def test_it_reminds_the_responsible_person_of_a_due_soon_cell() -> None:
    decisions = decide([cell(CellStatus.DUE_SOON)], date(2026, 10, 9))
    assert [(d.step, d.recipient, d.cause) for d in decisions] == [
        (Step.REMINDER, "responsible", "item:1:2026-Q3")
    ]


@pytest.mark.parametrize("status", [CellStatus.NOT_DUE, CellStatus.ON_TRACK, CellStatus.DONE])
def test_it_leaves_cells_that_need_nothing_alone(status: str) -> None:
    assert decide([cell(status)], date(2026, 8, 1)) == []


def test_it_tells_the_principal_the_day_after_the_deadline() -> None:
    decisions = decide([cell(CellStatus.OVERDUE)], date(2026, 10, 14))
    assert [(d.step, d.recipient) for d in decisions] == [(Step.PRINCIPAL_NOTICE, "principal")]


def test_it_counts_working_days_across_the_national_day_holiday() -> None:
    # A cell due just before 国庆: ten calendar days later only 8, 9 and the 调休
    # Saturday 10 October have been working days.
    before_holiday = date(2026, 9, 30)
    decisions = decide([cell(CellStatus.OVERDUE, before_holiday)], date(2026, 10, 10))
    assert Step.ADMONITION_PROPOSAL not in {d.step for d in decisions}
    assert decisions[0].overdue_workdays == 3
    tenth = add_workdays(before_holiday, 10)
    assert tenth == date(2026, 10, 20)
    assert Step.ADMONITION_PROPOSAL not in {
        d.step for d in decide([cell(CellStatus.OVERDUE, before_holiday)], date(2026, 10, 19))
    }
    assert (Step.ADMONITION_PROPOSAL, "item:1:2026-Q3") in steps(
        decide([cell(CellStatus.OVERDUE, before_holiday)], tenth)
    )


def test_it_drafts_a_supervision_order_after_k_working_days() -> None:
    day_19, day_20 = add_workdays(Q3_DEADLINE, 19), add_workdays(Q3_DEADLINE, 20)
    assert Step.SUPERVISION_ORDER_DRAFT not in {
        d.step for d in decide([cell(CellStatus.OVERDUE)], day_19)
    }
    decisions = decide([cell(CellStatus.OVERDUE)], day_20)
    assert {d.step for d in decisions} == {
        Step.PRINCIPAL_NOTICE,
        Step.ADMONITION_PROPOSAL,
        Step.SUPERVISION_ORDER_DRAFT,
    }
    assert all(d.recipient == "body" for d in decisions if d.step != Step.PRINCIPAL_NOTICE)


def test_it_proposes_a_unit_admonition_at_n_overdue_cells() -> None:
    day = date(2026, 10, 14)
    two = [cell(CellStatus.OVERDUE, item_id=i) for i in (1, 2)]
    assert "org:7:2026" not in {d.cause for d in decide(two, day)}
    three = [*two, cell(CellStatus.OVERDUE, item_id=3)]
    unit = [d for d in decide(three, day) if d.item_id is None]
    assert [(d.step, d.cause, d.overdue_cells) for d in unit] == [
        (Step.ADMONITION_PROPOSAL, "org:7:2026", 3)
    ]


def test_its_thresholds_are_data() -> None:
    data = json.loads(escalation.LADDER_FILE.read_text(encoding="utf-8"))
    ladder = parse_ladder(
        {
            "thresholds": data["thresholds"]
            | {
                "unit_overdue_cells": 1,
                "admonition_overdue_workdays": 1,
                "order_overdue_workdays": 1,
            },
            "steps": [
                {"code": r.step.value, "rank": r.rank, "label": r.label, "recipient": r.recipient}
                for r in load_ladder().rungs
            ],
        }
    )
    decisions = decide([cell(CellStatus.OVERDUE)], add_workdays(Q3_DEADLINE, 1), ladder)
    assert len(decisions) == 4


# The job on the database ------------------------------------------------------------------


def reminders(step: Step) -> list[Reminder]:
    return list(Reminder.objects.filter(step=step).order_by("cause"))


def test_it_reminds_the_responsible_person_before_the_deadline(
    county: County, published: DutyList
) -> None:
    counts = run_escalation(on=date(2026, 3, 30))
    items = published.items.count()
    assert counts.created == {Step.REMINDER.value: items}
    sent = reminders(Step.REMINDER)
    assert {r.recipient_person_id for r in sent} == {county.township_secretary.person_id}
    assert {r.period for r in sent} == {"2026-Q1"}
    assert "2026-04-08" in sent[0].message


def test_it_is_idempotent(county: County, published: DutyList) -> None:
    day = add_workdays(Q1_DEADLINE, 20)
    first = run_escalation(on=day)
    assert first.total > 0
    rows = Reminder.objects.count()
    second = run_escalation(on=day)
    assert second.total == 0
    assert Reminder.objects.count() == rows
    # A later day raises only what is new, not what was raised already.
    run_escalation(on=day + timedelta(days=1))
    assert not Reminder.objects.filter(step=Step.PRINCIPAL_NOTICE, period="2026-Q1").exclude(
        raised_on=day
    )


def test_it_tells_the_principal_and_the_body_after_the_deadline(
    county: County, published: DutyList
) -> None:
    counts = run_escalation(on=Q1_DEADLINE)
    assert set(counts.created) == {Step.REMINDER.value}  # the deadline day is still on time

    run_escalation(on=date(2026, 4, 9))
    notices = reminders(Step.PRINCIPAL_NOTICE)
    assert len(notices) == published.items.count()
    assert {n.recipient_person.name for n in notices if n.recipient_person} == {"张建国"}
    # Many overdue cells in one unit: a 约谈 proposed to its own discipline body.
    (unit,) = reminders(Step.ADMONITION_PROPOSAL)
    assert unit.cause == f"org:{county.chengguan.pk}:2026"
    assert unit.recipient_body == county.chengguan_commission
    assert unit.recipient_person is None
    assert "约谈" in unit.message


def test_it_reaches_the_per_cell_steps_on_their_working_day(
    county: County, published: DutyList
) -> None:
    items = published.items.count()
    run_escalation(on=add_workdays(Q1_DEADLINE, 9))
    assert len(reminders(Step.ADMONITION_PROPOSAL)) == 1  # the unit's, no cell's yet
    run_escalation(on=add_workdays(Q1_DEADLINE, 10))
    assert len(reminders(Step.ADMONITION_PROPOSAL)) == 1 + items
    assert reminders(Step.SUPERVISION_ORDER_DRAFT) == []
    run_escalation(on=add_workdays(Q1_DEADLINE, 19))
    assert reminders(Step.SUPERVISION_ORDER_DRAFT) == []
    run_escalation(on=add_workdays(Q1_DEADLINE, 20))
    orders = reminders(Step.SUPERVISION_ORDER_DRAFT)
    assert len(orders) == items
    assert {o.recipient_body_id for o in orders} == {county.chengguan_commission.pk}
    # It proposes a 督办书; none exists until someone makes it from the reminder page.
    assert orders[0].message.endswith("建议发出任务落实督办书。")
    assert "已拟" not in orders[0].message and "草稿" not in orders[0].message


def test_it_puts_the_reminder_on_the_recipients_todo_page(
    county: County, published: DutyList, login: Login, on: On
) -> None:
    run_escalation(on=date(2026, 4, 9))
    on(date(2026, 4, 9))
    todos = login(county.township_secretary).get("/").context["todos"]
    notices = [t for t in todos if t.kind == "提醒主要负责人"]
    assert len(notices) == published.items.count()
    assert notices[0].url.startswith("/supervision/reminders/")
    assert Reminder.objects.get(code=notices[0].url.split("/")[-2]).duty_list == published
    assert notices[0].due == Q1_DEADLINE and notices[0].overdue
    # Somebody else's reminders stay off another person's page.
    other = login(county.other_township_secretary).get("/").context["todos"]
    assert not [t for t in other if t.kind == "提醒主要负责人"]


def test_an_acknowledged_reminder_leaves_the_todo_page(
    county: County, published: DutyList, login: Login, on: On
) -> None:
    run_escalation(on=date(2026, 3, 30))
    on(date(2026, 3, 30))
    reminder = Reminder.objects.filter(step=Step.REMINDER).first()
    assert reminder is not None
    reminder_acknowledge(actor=county.township_secretary, reminder=reminder)
    todos = login(county.township_secretary).get("/").context["todos"]
    assert len([t for t in todos if t.kind == "提醒本人"]) == published.items.count() - 1


def test_only_the_recipient_may_acknowledge(county: County, published: DutyList) -> None:
    run_escalation(on=date(2026, 3, 30))
    reminder = Reminder.objects.filter(step=Step.REMINDER).first()
    assert reminder is not None
    with pytest.raises(PermissionDenied):
        reminder_acknowledge(actor=county.township_member, reminder=reminder)


def _with_items(duty_list: DutyList, count: int, person_id: int) -> None:
    duty_list.items.all().delete()
    DutyItem.objects.bulk_create(
        DutyItem(duty_list=duty_list, seq=n, name=f"事项{n}", responsible_id=person_id)
        for n in range(1, count + 1)
    )


@pytest.mark.parametrize("count", [5, 30])
def test_it_takes_a_fixed_number_of_queries(
    county: County,
    published: DutyList,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    count: int,
) -> None:
    _with_items(published, count, person_of(county.township_secretary).pk)
    # 19 reads and writes whatever the size (no quantified rules loaded here: see
    # test_escalation_indicators), 2 of them the sweep for reminders 已消除 and one the
    # ladders issued by jurisdictions; 30 items' 91 new rows need a second INSERT batch on
    # SQLite (its parameter limit), which is batching, not a query per item; and the rows
    # stored are read back by code, 500 at a time, so the counts are what was inserted.
    workdays.has_official_calendar(2027)  # entered holiday years: loaded once a process
    with django_assert_max_num_queries(21):
        counts = run_escalation(on=add_workdays(Q1_DEADLINE, 20))
    assert counts.created[Step.SUPERVISION_ORDER_DRAFT.value] == count


def test_the_command_prints_the_counts_per_step(county: County, published: DutyList) -> None:
    out = StringIO()
    call_command("run_escalation", "--date", "2026-04-09", stdout=out)
    items = published.items.count()
    assert f"提醒主要负责人：新生成 {items} 条" in out.getvalue()
    assert "拟约谈：新生成 1 条" in out.getvalue()


def test_the_command_refuses_a_bad_date(db: None) -> None:
    with pytest.raises(CommandError, match="日期格式不正确"):
        call_command("run_escalation", "--date", "2026/04/09")
