"""Each rule of the data files computed on hand-made activities (RULE-2), no database."""

import json
from datetime import date
from decimal import Decimal
from functools import cache

import pytest

from liangze.core.periods import Period
from liangze.ledger.indicators.measures import Record, Status, deadline, evaluate, required
from liangze.ledger.indicators.services import SEED_RULES
from liangze.ledger.models import ReportKind, ReportRecipient, Rule

PRINCIPAL = 1
MEMBER = 2
TEAM = frozenset(range(10, 23))  # 13 people: team members and heads of subordinate units
JULY = Period.parse("2026-M07")
Q3 = Period.parse("2026-Q3")
H2 = Period.parse("2026-H2")
YEAR = Period.parse("2026")
AFTER = date(2027, 6, 30)  # every period under test is over


@cache
def _entries() -> dict[str, dict[str, object]]:
    return {
        entry["key"]: entry
        for path in SEED_RULES.glob("*.json")
        for entry in json.loads(path.read_text(encoding="utf-8"))["rules"]
    }


def rule(key: str, **changes: object) -> Rule:
    """A rule as its data file has it (unsaved), with a locality's changes if any."""
    return Rule(**{**_entries()[key], **changes})


def record(
    id: int,
    kind: str,
    held_on: date,
    *,
    host: int = PRINCIPAL,
    with_: tuple[int, ...] = (),
    subject: str = "",
    evidence_on: date | None = None,
    report_kind: str = "",
    to: tuple[str, ...] = (),
) -> Record:
    return Record(
        id=id,
        kind=kind,
        held_on=held_on,
        host_id=host,
        participant_ids=frozenset(with_),
        subject=subject,
        evidence_first_uploaded_on=evidence_on,
        report_kind=report_kind,
        recipients=frozenset(to),
    )


def talk(id: int, day: int, *people: int, host: int = PRINCIPAL) -> Record:
    return record(id, "talk", date(2026, 7, day), host=host, with_=people, subject="谈心谈话")


# Rounding -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "needed"),
    [(13, 2), (25, 2), (26, 3), (12, 1), (1, 1), (0, 0)],
)
def test_it_rounds_eight_percent_up(population: int, needed: int) -> None:
    # 25 × 8% is exactly 2: in floating point it would be 2.0000000000000004 and round to 3.
    assert required(rule("tz2017-principal-talks"), population) == needed


def test_it_takes_a_localitys_own_percentage() -> None:
    assert required(rule("tz2017-principal-talks", threshold_percent=Decimal("10")), 13) == 2
    assert required(rule("tz2017-principal-talks", threshold_percent=Decimal("15.5")), 13) == 3


# Monthly talks (8%) ---------------------------------------------------------


def test_it_meets_the_principals_talks_with_two_of_thirteen() -> None:
    result = evaluate(
        rule("tz2017-principal-talks"),
        JULY,
        [talk(1, 3, 10), talk(2, 20, 11)],
        population=TEAM,
        today=AFTER,
    )
    assert (result.required, result.actual, result.status) == (2, 2, Status.MET)
    assert result.activity_ids == (1, 2)


def test_it_counts_a_person_talked_to_twice_once() -> None:
    result = evaluate(
        rule("tz2017-principal-talks"),
        JULY,
        [talk(1, 3, 10), talk(2, 20, 10)],
        population=TEAM,
        today=AFTER,
    )
    assert (result.required, result.actual, result.status) == (2, 1, Status.UNMET)
    assert result.activity_ids == (1, 2)


def test_it_counts_only_talks_with_the_population_in_the_month() -> None:
    result = evaluate(
        rule("tz2017-principal-talks"),
        JULY,
        [
            talk(1, 3, 10, 99),  # a group talk: 99 is not in the population
            talk(2, 4, 99),  # nobody of the population
            record(3, "talk", date(2026, 8, 1), with_=(11,)),  # next month
            record(4, "lecture", date(2026, 7, 9), with_=(12,)),  # not a talk
        ],
        population=TEAM,
        today=AFTER,
    )
    assert (result.actual, result.activity_ids) == (1, (1,))


def test_it_leaves_a_month_that_is_not_over_pending() -> None:
    result = evaluate(
        rule("tz2017-principal-talks"),
        JULY,
        [talk(1, 3, 10)],
        population=TEAM,
        today=date(2026, 7, 31),
    )
    assert result.status == Status.PENDING
    assert result.deadline == date(2026, 7, 31)


def test_it_finds_a_share_of_an_empty_population_not_applicable() -> None:
    # A branch secretary with nobody to talk to: not 达标 (issue 9), whatever the date.
    for today in (date(2026, 7, 15), AFTER):
        result = evaluate(
            rule("tz2017-principal-talks"), JULY, [], population=frozenset(), today=today
        )
        assert (result.required, result.actual, result.status) == (0, 0, Status.NOT_APPLICABLE)


def test_it_finds_a_member_without_liaison_heads_not_applicable() -> None:
    result = evaluate(rule("tz2017-member-talks"), JULY, [], population=frozenset(), today=AFTER)
    assert result.status == Status.NOT_APPLICABLE


def test_it_still_asks_a_fixed_count_without_a_population() -> None:
    # 每季度听取汇报 1 次 has no population: an empty one changes nothing.
    result = evaluate(rule("tz2017-hearing-meeting"), Q3, [], population=frozenset(), today=AFTER)
    assert (result.required, result.status) == (1, Status.UNMET)


def test_it_measures_a_members_talks_against_the_heads_of_their_liaison_units() -> None:
    heads = frozenset({30, 31, 32})
    result = evaluate(
        rule("tz2017-member-talks"),
        JULY,
        [talk(1, 8, 31, host=MEMBER)],
        population=heads,
        today=AFTER,
    )
    assert (result.required, result.actual, result.status) == (1, 1, Status.MET)


# Quarterly hearing meeting, evidence within 5 working days -------------------


def meeting(
    subject: str = "专题听取班子成员履行“一岗双责”情况汇报", evidence_on: date | None = None
) -> Record:
    return record(1, "meeting", date(2026, 9, 30), subject=subject, evidence_on=evidence_on)


@pytest.mark.parametrize(
    ("uploaded", "status"),
    [
        # 10月1日–7日 国庆, 10月10日（星期六）调休上班: the 5th working day is 10月13日.
        (date(2026, 10, 13), Status.MET),
        (date(2026, 10, 14), Status.LATE),
    ],
)
def test_it_times_the_evidence_in_chinese_working_days(uploaded: date, status: Status) -> None:
    result = evaluate(
        rule("tz2017-hearing-meeting"), Q3, [meeting(evidence_on=uploaded)], today=AFTER
    )
    assert (result.required, result.actual, result.status) == (1, 1, status)
    assert result.activity_ids == (1,)
    assert result.late_ids == (frozenset({1}) if status == Status.LATE else frozenset())


def test_it_waits_for_evidence_until_the_limit_and_then_gives_up() -> None:
    hearing = rule("tz2017-hearing-meeting")
    waiting = evaluate(hearing, Q3, [meeting()], today=date(2026, 10, 13))
    assert (waiting.actual, waiting.status) == (0, Status.PENDING)
    missing = evaluate(hearing, Q3, [meeting()], today=date(2026, 10, 14))
    assert (missing.actual, missing.status, missing.activity_ids) == (0, Status.UNMET, ())


@pytest.mark.parametrize(
    ("uploaded", "today", "status"),
    [
        (date(2026, 9, 29), date(2026, 10, 13), Status.PENDING),  # the day before: no evidence
        (date(2026, 9, 29), date(2026, 10, 14), Status.UNMET),
        (date(2026, 9, 30), date(2026, 10, 14), Status.MET),  # the meeting's own day counts
    ],
)
def test_it_counts_no_evidence_from_before_the_meeting(
    uploaded: date, today: date, status: Status
) -> None:
    result = evaluate(
        rule("tz2017-hearing-meeting"), Q3, [meeting(evidence_on=uploaded)], today=today
    )
    assert result.status == status


def test_it_counts_only_meetings_on_the_dual_duty() -> None:
    result = evaluate(
        rule("tz2017-hearing-meeting"),
        Q3,
        [meeting("党委会议：研究秋季开学工作", evidence_on=date(2026, 10, 8))],
        today=AFTER,
    )
    assert (result.actual, result.status) == (0, Status.UNMET)


# Yearly lecture, quarterly reception, half-yearly report, special inspection ----


def test_it_wants_a_party_lecture_a_year() -> None:
    lecture = rule("tz2017-party-lecture")
    held = [record(1, "lecture", date(2026, 11, 2), subject="党课：严守纪律规矩")]
    assert evaluate(lecture, YEAR, held, today=AFTER).status == Status.MET
    assert evaluate(lecture, YEAR, [], today=date(2026, 12, 31)).status == Status.PENDING
    assert evaluate(lecture, YEAR, [], today=date(2027, 1, 1)).status == Status.UNMET


def test_it_wants_a_reception_every_quarter() -> None:
    reception = rule("tz2017-reception")
    held = [record(1, "reception", date(2026, 6, 30)), record(2, "reception", date(2026, 8, 5))]
    result = evaluate(reception, Q3, held, today=AFTER)
    assert (result.actual, result.status, result.activity_ids) == (1, Status.MET, (2,))


def test_it_wants_a_members_dual_duty_report_every_half_year() -> None:
    report = rule("tz2017-member-report")
    held = [
        record(
            1, "written_report", date(2026, 12, 20), host=MEMBER, subject="下半年履行“一岗双责”情况"
        ),
        record(2, "written_report", date(2026, 12, 21), host=MEMBER, subject="分管工作总结"),
    ]
    result = evaluate(report, H2, held, today=AFTER)
    assert (result.actual, result.status, result.activity_ids) == (1, Status.MET, (1,))


def test_it_wants_a_special_inspection_every_half_year() -> None:
    inspection = rule("js2015-special-inspection")
    routine = [record(1, "inspection", date(2026, 9, 1), subject="日常监督检查")]
    assert evaluate(inspection, H2, routine, today=AFTER).status == Status.UNMET
    special = [record(2, "inspection", date(2026, 11, 1), subject="落实责任清单专项督查")]
    assert evaluate(inspection, H2, routine + special, today=AFTER).activity_ids == (2,)


# The report by 1月15日 of the following year ---------------------------------


BOTH = (ReportRecipient.HIGHER_COMMITTEE, ReportRecipient.HIGHER_COMMISSION)


def report(
    day: date, kind: str = ReportKind.FIRST_RESPONSIBLE, to: tuple[str, ...] = BOTH
) -> Record:
    return record(
        1,
        "written_report",
        day,
        subject="2026年度第一责任人履责情况报告",
        report_kind=kind,
        to=to,
    )


def test_it_dates_the_yearly_report_to_15_january_of_the_following_year() -> None:
    assert deadline(rule("tz2017-principal-report"), YEAR) == date(2027, 1, 15)


@pytest.mark.parametrize(
    ("held_on", "status"),
    [(date(2027, 1, 15), Status.MET), (date(2027, 1, 16), Status.LATE)],
)
def test_it_takes_the_report_on_time_up_to_15_january(held_on: date, status: Status) -> None:
    result = evaluate(rule("tz2017-principal-report"), YEAR, [report(held_on)], today=AFTER)
    assert (result.actual, result.status, result.activity_ids) == (1, status, (1,))


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2026, 6, 30), Status.PENDING),
        (date(2027, 1, 15), Status.PENDING),
        (date(2027, 1, 16), Status.UNMET),
    ],
)
def test_it_leaves_the_yearly_report_pending_until_its_deadline(
    today: date, status: Status
) -> None:
    assert evaluate(rule("tz2017-principal-report"), YEAR, [], today=today).status == status


def test_it_takes_a_report_held_in_a_year_as_the_report_on_the_year_before() -> None:
    held = [report(date(2026, 1, 10))]
    principal_report = rule("tz2017-principal-report")
    assert evaluate(principal_report, YEAR, held, today=AFTER).actual == 0
    assert evaluate(principal_report, Period(2025, "year"), held, today=AFTER).status == Status.MET


@pytest.mark.parametrize(
    ("kind", "to"),
    [
        (ReportKind.FIRST_RESPONSIBLE, (ReportRecipient.HIGHER_COMMITTEE,)),  # the 纪委 left out
        (ReportKind.FIRST_RESPONSIBLE, (ReportRecipient.HIGHER_COMMISSION,)),
        (ReportKind.DUAL_DUTY, BOTH),  # a report of another kind
        ("", BOTH),  # any written report by the principal
    ],
)
def test_it_takes_only_the_first_responsibles_report_to_both_recipients(
    kind: str, to: tuple[str, ...]
) -> None:
    held = [report(date(2027, 1, 10), kind, to)]
    result = evaluate(rule("tz2017-principal-report"), YEAR, held, today=AFTER)
    assert (result.actual, result.status) == (0, Status.UNMET)


def test_it_takes_the_report_sent_to_more_than_the_two() -> None:
    to = (*BOTH, ReportRecipient.SAME_COMMITTEE)
    held = [report(date(2027, 1, 10), to=to)]
    assert evaluate(rule("tz2017-principal-report"), YEAR, held, today=AFTER).status == Status.MET


# Duties of 004 附件5 added in issue 9 item 12 -----------------------------------


def test_it_wants_a_democratic_life_meeting_a_year() -> None:
    held = [record(1, "democratic_life", date(2026, 1, 20), subject="2025年度民主生活会")]
    assert evaluate(rule("tz2017-democratic-life"), YEAR, held, today=AFTER).status == Status.MET
    assert evaluate(rule("tz2017-democratic-life"), YEAR, [], today=AFTER).status == Status.UNMET


def test_it_wants_a_study_of_the_centre_group_on_party_conduct_a_year() -> None:
    study = rule("tz2017-group-study")
    other = [record(1, "group_study", date(2026, 3, 2), subject="中心组学习：乡村振兴")]
    assert evaluate(study, YEAR, other, today=AFTER).status == Status.UNMET
    held = [record(2, "group_study", date(2026, 5, 6), subject="党风廉政建设专题学习")]
    assert evaluate(study, YEAR, other + held, today=AFTER).activity_ids == (2,)


def test_it_wants_a_pledge_signed_with_every_head_below() -> None:
    heads = frozenset({40, 41, 42})
    pledge = rule("tz2017-principal-pledge")
    signed = [record(1, "pledge", date(2026, 2, 20), with_=(40, 41), subject="签订责任书")]
    partly = evaluate(pledge, YEAR, signed, population=heads, today=AFTER)
    assert (partly.required, partly.actual, partly.status) == (3, 2, Status.UNMET)
    signed.append(record(2, "pledge", date(2026, 3, 1), with_=(42,), subject="签订责任书"))
    whole = evaluate(pledge, YEAR, signed, population=heads, today=AFTER)
    assert (whole.actual, whole.status) == (3, Status.MET)
    nobody = evaluate(pledge, YEAR, [], population=frozenset(), today=AFTER)
    assert nobody.status == Status.NOT_APPLICABLE


def test_it_wants_a_member_to_hear_their_units_every_half_year() -> None:
    hearing = rule("tz2017-member-hearing")
    held = [
        record(
            1, "meeting", date(2026, 8, 3), host=MEMBER, subject="听取分管学校落实主体责任情况汇报"
        ),
        record(2, "meeting", date(2026, 9, 3), host=MEMBER, subject="分管口工作例会"),
    ]
    result = evaluate(hearing, H2, held, today=AFTER)
    assert (result.actual, result.status, result.activity_ids) == (1, Status.MET, (1,))
    assert evaluate(hearing, Period(2026, "half", 1), held, today=AFTER).status == Status.UNMET


@pytest.mark.parametrize(
    ("kind", "to", "status"),
    [
        (
            ReportKind.SUPERVISORY,
            (ReportRecipient.SAME_COMMITTEE, ReportRecipient.HIGHER_COMMISSION),
            Status.MET,
        ),
        (ReportKind.SUPERVISORY, BOTH, Status.UNMET),  # to the 上级党委, not the 同级 one
        (
            ReportKind.PRIMARY,
            (ReportRecipient.SAME_COMMITTEE, ReportRecipient.HIGHER_COMMISSION),
            Status.UNMET,
        ),
    ],
)
def test_it_wants_the_discipline_heads_report_by_15_january(
    kind: str, to: tuple[str, ...], status: Status
) -> None:
    discipline_report = rule("tz2017-discipline-report")
    assert deadline(discipline_report, YEAR) == date(2027, 1, 15)
    held = [report(date(2027, 1, 12), kind, to)]
    assert evaluate(discipline_report, YEAR, held, today=AFTER).status == status
