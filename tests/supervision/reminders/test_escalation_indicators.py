"""Escalation from quantified duties (SUP-1): failing figures climb the ladder, once per cause."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from pytest_django import DjangoAssertNumQueries

from liangze.core.periods import Period
from liangze.ledger.indicators.measures import Status
from liangze.ledger.models import Activity, Rule
from liangze.orgs.models import Person, PositionKind
from liangze.supervision.models import Reminder
from liangze.supervision.reminders.ladder import (
    IndicatorFact,
    Step,
    decide_indicators,
    indicator_periods,
    load_ladder,
)
from liangze.supervision.reminders.services import run_escalation
from tests.fixtures.clients import Login
from tests.fixtures.clock import On
from tests.fixtures.county import County
from tests.fixtures.ledger import add_activity, add_person, load_rules, recorded

JULY = Period.parse("2026-M07")


def fact(
    status: str,
    period: Period = JULY,
    *,
    required: int = 1,
    actual: int = 0,
    person_id: int | None = 42,
    deadline: date | None = None,
) -> IndicatorFact:
    return IndicatorFact(
        rule_id=3,
        org_id=7,
        person_id=person_id,
        period=period,
        status=status,
        required=required,
        actual=actual,
        deadline=deadline or period.end,
    )


def month(index: int) -> Period:
    return Period(2026, "month", index)


# The pure ladder ---------------------------------------------------------------------------


def test_it_reminds_the_person_measured_within_the_days_before_the_deadline() -> None:
    days = load_ladder().indicator_due_soon_days
    assert days == 7
    on_the_day = decide_indicators([fact(Status.PENDING)], date(2026, 7, 24))
    assert [(d.step, d.recipient, d.cause, d.person_id) for d in on_the_day] == [
        (Step.REMINDER, "responsible", "ind:3:p42:2026-M07", 42)
    ]
    assert decide_indicators([fact(Status.PENDING)], date(2026, 7, 23)) == []


def test_it_leaves_a_figure_alone_once_it_is_done() -> None:
    day = date(2026, 7, 28)
    assert decide_indicators([fact(Status.MET, actual=1)], day) == []
    assert decide_indicators([fact(Status.LATE, actual=1)], date(2026, 9, 1)) == []
    # Done in number, still within its time: nothing to remind of.
    assert decide_indicators([fact(Status.PENDING, actual=1)], day) == []


def test_it_never_escalates_a_figure_that_does_not_apply() -> None:
    # 8% of nobody: nothing asked, so no reminder before the deadline nor notice after it.
    for day in (date(2026, 7, 30), date(2026, 8, 1)):
        assert decide_indicators([fact(Status.NOT_APPLICABLE, required=0)], day) == []
    # Nor do months without a population make a run of failures with the unmet ones.
    facts = [fact(Status.UNMET, month(1)), fact(Status.NOT_APPLICABLE, month(2), required=0)]
    steps = {d.step for d in decide_indicators(facts, date(2026, 3, 1))}
    assert steps == {Step.PRINCIPAL_NOTICE}


def test_it_reminds_a_units_principal_of_the_units_figure() -> None:
    (decision,) = decide_indicators([fact(Status.PENDING, person_id=None)], date(2026, 7, 30))
    assert (decision.cause, decision.person_id, decision.recipient) == (
        "ind:3:o7:2026-M07",
        None,
        "responsible",
    )


def test_it_tells_the_principal_of_an_unmet_figure() -> None:
    (decision,) = decide_indicators([fact(Status.UNMET)], date(2026, 8, 1))
    assert (decision.step, decision.recipient, decision.cause) == (
        Step.PRINCIPAL_NOTICE,
        "principal",
        "ind:3:p42:2026-M07",
    )
    assert (decision.required, decision.actual, decision.deadline) == (1, 0, date(2026, 7, 31))


def test_it_proposes_a_talk_when_a_rule_fails_again_in_the_year() -> None:
    once = decide_indicators([fact(Status.UNMET, month(1))], date(2026, 3, 1))
    assert Step.ADMONITION_PROPOSAL not in {d.step for d in once}
    twice = decide_indicators(
        [fact(Status.UNMET, month(1)), fact(Status.MET, month(2)), fact(Status.UNMET, month(3))],
        date(2026, 4, 1),
    )
    (proposal,) = [d for d in twice if d.step == Step.ADMONITION_PROPOSAL]
    assert (proposal.cause, proposal.recipient, proposal.period) == (
        "ind:3:p42:2026",
        "body",
        "2026",
    )
    assert proposal.unmet_periods == ("2026-M01", "2026-M03")
    # Two people failing once each is not one person failing twice.
    others = decide_indicators(
        [fact(Status.UNMET, month(1)), fact(Status.UNMET, month(2), person_id=43)],
        date(2026, 3, 1),
    )
    assert Step.ADMONITION_PROPOSAL not in {d.step for d in others}


def test_it_drafts_a_supervision_order_when_the_failures_run_on() -> None:
    apart = [fact(Status.UNMET, month(m)) for m in (1, 3, 5)]
    assert Step.SUPERVISION_ORDER_DRAFT not in {
        d.step for d in decide_indicators(apart, date(2026, 6, 1))
    }
    in_a_row = [fact(Status.UNMET, month(m)) for m in (4, 5, 6)]
    steps = {d.step: d for d in decide_indicators(in_a_row, date(2026, 7, 1))}
    order = steps[Step.SUPERVISION_ORDER_DRAFT]
    assert (order.cause, order.recipient, order.unmet_periods) == (
        "ind:3:p42:2026",
        "body",
        ("2026-M04", "2026-M05", "2026-M06"),
    )
    assert Step.ADMONITION_PROPOSAL in steps


def _rule(kind: str, month_day: tuple[int, int] | None = None) -> Rule:
    return Rule(
        key="r",
        year=2017,
        period_kind=kind,
        activity_kind="talk",
        deadline_month=month_day[0] if month_day else None,
        deadline_day=month_day[1] if month_day else None,
    )


def test_it_looks_at_this_years_periods_and_last_years_recent_deadlines() -> None:
    monthly = indicator_periods(_rule("month"), date(2026, 1, 20))
    assert [str(p) for p in monthly] == ["2025-M12", "2026-M01"]
    report = indicator_periods(_rule("year", (1, 15)), date(2026, 1, 20))
    assert [str(p) for p in report] == ["2025", "2026"]  # last year's report, due 15 January
    assert [str(p) for p in indicator_periods(_rule("month"), date(2026, 3, 5))] == [
        "2026-M01",
        "2026-M02",
        "2026-M03",
    ]


# The job on the database --------------------------------------------------------------------


@pytest.fixture
def secretary(county: County) -> Person:
    """张建国, measured against 李明华 (the branch has no secretary): 8% of 1 → 1 talk a month."""
    load_rules()
    return Person.objects.get(person_no="P001")


def talks_rule() -> Rule:
    return Rule.objects.get(key="tz2017-principal-talks")


def cause(person: Person, period: str) -> str:
    return f"ind:{talks_rule().pk}:p{person.pk}:{period}"


def raised(step: Step, person: Person, period: str) -> Reminder | None:
    return Reminder.objects.filter(step=step, cause=cause(person, period)).first()


def test_each_step_comes_on_its_day_and_only_once(county: County, secretary: Person) -> None:
    chengguan_body = county.chengguan_commission
    notice_step, talk_step, order_step = (
        Step.PRINCIPAL_NOTICE,
        Step.ADMONITION_PROPOSAL,
        Step.SUPERVISION_ORDER_DRAFT,
    )
    days = [
        # last year's, deadline within the lookback
        (date(2026, 1, 23), [(notice_step, "2025-M12")]),
        (date(2026, 1, 24), [(Step.REMINDER, "2026-M01")]),
        (date(2026, 2, 1), [(notice_step, "2026-M01")]),
        (date(2026, 3, 1), [(notice_step, "2026-M02"), (talk_step, "2026")]),
        (date(2026, 4, 1), [(notice_step, "2026-M03"), (order_step, "2026")]),
    ]
    prefix = cause(secretary, "")
    for day, expected in days:
        before = set(Reminder.objects.values_list("pk", flat=True))
        run_escalation(on=day)
        new = Reminder.objects.exclude(pk__in=before).filter(cause__startswith=prefix)
        assert sorted((r.step, r.cause.removeprefix(prefix)) for r in new) == sorted(expected), day
        assert run_escalation(on=day).total == 0, day  # a second run the same day adds nothing
    notice = raised(Step.PRINCIPAL_NOTICE, secretary, "2026-M01")
    assert notice is not None
    assert (notice.recipient_person, notice.subject_person, notice.rule) == (
        secretary,
        secretary,
        talks_rule(),
    )
    assert (notice.duty_list, notice.raised_on) == (None, date(2026, 2, 1))
    assert "张建国" in notice.message and "未达标" in notice.message
    order = raised(Step.SUPERVISION_ORDER_DRAFT, secretary, "2026")
    assert order is not None
    assert (order.recipient_body, order.recipient_person) == (chengguan_body, None)
    assert order.facts["unmet_periods"] == ["2026-M01", "2026-M02", "2026-M03"]


def test_a_talk_in_time_keeps_the_month_off_the_ladder(
    county: County, secretary: Person, on: On
) -> None:
    member = Person.objects.get(person_no="P002")
    on(date(2026, 1, 15))
    add_activity(county.chengguan, "talk", date(2026, 1, 15), secretary, member)
    run_escalation(on=date(2026, 1, 24))
    run_escalation(on=date(2026, 2, 1))
    assert raised(Step.REMINDER, secretary, "2026-M01") is None
    assert raised(Step.PRINCIPAL_NOTICE, secretary, "2026-M01") is None


def test_a_talk_entered_after_the_day_did_not_count_on_that_day(
    county: County, secretary: Person
) -> None:
    member = Person.objects.get(person_no="P002")
    talk = add_activity(county.chengguan, "talk", date(2026, 1, 15), secretary, member)
    recorded(talk, date(2026, 2, 5))  # 补录 a week into February
    run_escalation(on=date(2026, 2, 1))
    assert raised(Step.PRINCIPAL_NOTICE, secretary, "2026-M01") is not None
    run_escalation(on=date(2026, 3, 1))  # January is met now: February alone is not "again"
    assert raised(Step.ADMONITION_PROPOSAL, secretary, "2026") is None


def test_a_branch_secretary_with_nobody_to_talk_to_is_never_reminded(
    county: County, secretary: Person
) -> None:
    head = add_person(county.branch, "P101", "周支书", PositionKind.BRANCH_SECRETARY, "支部书记")
    for day in (date(2026, 1, 24), date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)):
        run_escalation(on=day)
    assert not Reminder.objects.filter(cause__startswith=cause(head, "")).exists()
    # His fixed-count duties are still followed up: only the 8% talks do not apply.
    assert Reminder.objects.filter(subject_person=head).exists()


def test_the_units_figure_reminds_its_principal(county: County, secretary: Person) -> None:
    run_escalation(on=date(2026, 3, 25))
    meeting = Rule.objects.get(key="tz2017-hearing-meeting")
    reminder = Reminder.objects.get(
        step=Step.REMINDER, cause=f"ind:{meeting.pk}:o{county.chengguan.pk}:2026-Q1"
    )
    assert (reminder.recipient_person, reminder.subject_person) == (secretary, None)
    assert reminder.deadline == date(2026, 3, 31)


def test_the_figures_reminder_is_on_the_recipients_todo_page(
    county: County, secretary: Person, login: Login, on: On
) -> None:
    run_escalation(on=date(2026, 2, 1))
    on(date(2026, 2, 2))
    todos = login(county.township_secretary).get("/").context["todos"]
    reminder = raised(Step.PRINCIPAL_NOTICE, secretary, "2026-M01")
    assert reminder is not None
    (todo,) = [t for t in todos if t.url == reminder.get_absolute_url()]
    assert (todo.kind, todo.due, todo.overdue) == ("提醒主要负责人", date(2026, 1, 31), True)


def _leaders(county: County, count: int) -> None:
    """`count` members at 城关镇, each heading a unit below with a talk held and a lecture."""
    secretary = Person.objects.get(person_no="P001")
    for n in range(count):
        member = add_person(
            county.chengguan,
            f"M{n:03d}",
            f"成员{n}",
            PositionKind.MEMBER,
            "委员",
            liaison_orgs=[county.branch],
        )
        talk = add_activity(county.chengguan, "talk", date(2026, 2, 3), secretary, member)
        lecture = add_activity(
            county.chengguan, "lecture", date(2026, 2, 4), member, subject="党课"
        )
        recorded(talk, talk.held_on)
        recorded(lecture, lecture.held_on)


@pytest.mark.parametrize("count", [5, 30])
def test_it_takes_a_bounded_number_of_queries(
    county: County,
    secretary: Person,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    count: int,
) -> None:
    _leaders(county, count)
    # Cells (no lists here) and one chunk of units: the same reads whatever the number of
    # leaders and activities; the rows go in batches of what SQLite takes in one INSERT.
    # 2 of them the sweep for reminders 已消除, one the ladders issued by jurisdictions;
    # the rows stored are read back by code, 500 at a time, to count what was inserted.
    with django_assert_max_num_queries(26):
        counts = run_escalation(on=date(2026, 4, 1))
    assert counts.figures > count * 4
    assert counts.created[Step.PRINCIPAL_NOTICE.value] >= count


def test_chunks_of_one_unit_raise_what_one_chunk_does(county: County, secretary: Person) -> None:
    _leaders(county, 3)
    run_escalation(on=date(2026, 4, 1))
    fields = ("step", "cause", "recipient_person_id", "recipient_body_id", "message")
    whole = set(Reminder.objects.values_list(*fields))
    Reminder.objects.all().delete()
    run_escalation(on=date(2026, 4, 1), chunk=1)
    assert set(Reminder.objects.values_list(*fields)) == whole
    assert len(whole) > 10


def test_the_command_counts_the_figures(county: County, secretary: Person) -> None:
    out = StringIO()
    call_command("run_escalation", "--date", "2026-02-01", stdout=out)
    assert "量化指标" in out.getvalue()
    assert Activity.objects.count() == 0
    assert "提醒主要负责人：新生成" in out.getvalue()
