"""Indicators from the database: who is measured, against whom, and which records count."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from pytest_django import DjangoAssertNumQueries

from liangze.core.periods import Period
from liangze.ledger.indicators.measures import Status
from liangze.ledger.indicators.queries import Row, indicators_for, indicators_for_subtree
from liangze.ledger.models import ReportKind, ReportRecipient, Rule
from liangze.orgs.models import Org, Person, PositionKind
from tests.fixtures.county import County
from tests.fixtures.ledger import add_activity, add_evidence, add_person, load_rules

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
JULY = Period.parse("2026-M07")
Q3 = Period.parse("2026-Q3")
AFTER = date(2027, 6, 30)


def find(rows: list[Row], key: str, subject: Person | Org, period: str) -> Row:
    (row,) = [
        r for r in rows if r.rule.key == key and r.subject == subject and str(r.period) == period
    ]
    return row


@pytest.fixture
def rules(db: None) -> None:
    load_rules()


@pytest.fixture
def secretary(county: County) -> Person:
    """张建国, 城关镇党委书记."""
    return Person.objects.get(person_no="P001")


@pytest.fixture
def member(county: County) -> Person:
    """李明华, 党委副书记, liaison for 城关镇第一党支部."""
    return Person.objects.get(person_no="P002")


@pytest.fixture
def branch_head(county: County) -> Person:
    return add_person(county.branch, "P101", "周支书", PositionKind.BRANCH_SECRETARY, "支部书记")


def test_it_measures_the_principal_against_the_team_and_the_heads_below(
    county: County, rules: None, secretary: Person, member: Person, branch_head: Person
) -> None:
    talk = add_activity(county.chengguan, "talk", date(2026, 7, 10), secretary, member)
    add_activity(county.chengguan, "talk", date(2026, 7, 20), secretary, member)
    rows = indicators_for(county.chengguan, JULY, today=AFTER)
    row = find(rows, "tz2017-principal-talks", secretary, "2026-M07")
    # 李明华 and the branch secretary: 2 people, 8% of 2 rounds up to 1.
    assert (row.population, row.required, row.actual, row.status) == (2, 1, 1, Status.MET)
    assert row.activities[0] == talk and len(row.activities) == 2


def test_it_measures_a_member_against_the_heads_of_their_liaison_units(
    county: County, rules: None, secretary: Person, member: Person, branch_head: Person
) -> None:
    rows = indicators_for(county.chengguan, JULY, today=AFTER)
    row = find(rows, "tz2017-member-talks", member, "2026-M07")
    assert (row.population, row.required, row.actual, row.status) == (1, 1, 0, Status.UNMET)

    talk = add_activity(county.chengguan, "talk", date(2026, 7, 1), member, branch_head)
    add_activity(county.chengguan, "talk", date(2026, 7, 2), member, secretary)  # not a head
    rows = indicators_for(county.chengguan, JULY, today=AFTER)
    row = find(rows, "tz2017-member-talks", member, "2026-M07")
    assert (row.actual, row.status, row.activities) == (1, Status.MET, [talk])


def test_it_shows_every_rule_for_every_subject_and_period(
    county: County, rules: None, secretary: Person, member: Person
) -> None:
    rows = indicators_for(county.chengguan, Q3, today=AFTER)
    shown = {(r.rule.key, r.subject.name, str(r.period)) for r in rows}
    assert shown == {
        *{("tz2017-principal-talks", "张建国", f"2026-M0{m}") for m in (7, 8, 9)},
        *{("tz2017-member-talks", "李明华", f"2026-M0{m}") for m in (7, 8, 9)},
        ("tz2017-hearing-meeting", "城关镇党委", "2026-Q3"),
        ("tz2017-party-lecture", "张建国", "2026"),
        ("tz2017-party-lecture", "李明华", "2026"),
        ("tz2017-principal-report", "张建国", "2026"),
        ("tz2017-reception", "张建国", "2026-Q3"),
        ("tz2017-reception", "李明华", "2026-Q3"),
        ("tz2017-member-report", "李明华", "2026-H2"),
        ("js2015-special-inspection", "城关镇党委", "2026-H2"),
        ("tz2017-democratic-life", "城关镇党委", "2026"),
        ("tz2017-group-study", "城关镇党委", "2026"),
        ("tz2017-principal-pledge", "张建国", "2026"),
        ("tz2017-member-hearing", "李明华", "2026-H2"),
    }


@pytest.mark.parametrize(
    ("uploaded_at", "status"),
    [
        (datetime(2026, 10, 13, 23, 30, tzinfo=SHANGHAI), Status.MET),
        # 17:00 UTC on the 13th is already the 14th in 北京时间.
        (datetime(2026, 10, 14, 1, 0, tzinfo=SHANGHAI), Status.LATE),
    ],
)
def test_it_times_the_meetings_evidence_by_its_first_upload(
    county: County, rules: None, secretary: Person, uploaded_at: datetime, status: Status
) -> None:
    meeting = add_activity(
        county.chengguan,
        "meeting",
        date(2026, 9, 30),
        secretary,
        subject="三季度专题听取“一岗双责”落实情况汇报",
    )
    add_evidence(meeting, uploaded_at)
    add_evidence(meeting, datetime(2026, 11, 1, tzinfo=SHANGHAI))
    add_evidence(meeting, datetime(2026, 10, 1, tzinfo=SHANGHAI), deleted=True)
    rows = indicators_for(county.chengguan, Q3, today=AFTER)
    row = find(rows, "tz2017-hearing-meeting", county.chengguan, "2026-Q3")
    assert (row.actual, row.status, row.activities) == (1, status, [meeting])
    assert row.records == [(meeting, status == Status.LATE)]


def test_it_counts_the_yearly_report_held_in_january_for_the_year_before(
    county: County, rules: None, secretary: Person
) -> None:
    report = add_activity(
        county.chengguan,
        "written_report",
        date(2027, 1, 14),
        secretary,
        subject="2026年度履责报告",
        report_kind=ReportKind.FIRST_RESPONSIBLE,
        recipients=[ReportRecipient.HIGHER_COMMITTEE, ReportRecipient.HIGHER_COMMISSION],
    )
    rows = indicators_for(county.chengguan, Period.parse("2026-Q4"), today=AFTER)
    row = find(rows, "tz2017-principal-report", secretary, "2026")
    assert (row.status, row.deadline, row.activities) == (Status.MET, date(2027, 1, 15), [report])


def test_it_counts_each_persons_own_activities_at_the_org_only(
    county: County, rules: None, secretary: Person, member: Person
) -> None:
    mine = add_activity(county.chengguan, "lecture", date(2026, 5, 4), secretary, subject="党课")
    other_town = Person.objects.get(person_no="P003")
    add_activity(county.hekou, "lecture", date(2026, 5, 4), other_town, subject="党课")
    rows = indicators_for(county.chengguan, Q3, today=AFTER)
    assert find(rows, "tz2017-party-lecture", secretary, "2026").activities == [mine]
    assert find(rows, "tz2017-party-lecture", member, "2026").status == Status.UNMET


def test_it_measures_only_those_in_post(
    county: County, rules: None, secretary: Person, member: Person
) -> None:
    add_person(
        county.chengguan,
        "P102",
        "钱离任",
        PositionKind.MEMBER,
        "原党委委员",
        end_date=date(2026, 3, 31),
    )
    rows = indicators_for(county.chengguan, Q3, today=AFTER)
    assert {r.subject.name for r in rows if r.rule.key == "tz2017-reception"} == {
        "张建国",
        "李明华",
    }


def test_it_uses_the_newest_active_version_of_a_rule(
    county: County, rules: None, secretary: Person
) -> None:
    talks = Rule.objects.get(key="tz2017-principal-talks")
    talks.pk = None
    talks.version, talks.threshold_percent = 2, 60
    talks.save()
    Rule.objects.filter(key="js2015-special-inspection").update(is_active=False)
    rows = indicators_for(county.chengguan, JULY, today=AFTER)
    (row,) = [r for r in rows if r.rule.key == "tz2017-principal-talks"]
    assert (row.rule.version, row.population, row.required) == (2, 1, 1)
    assert not [r for r in rows if r.rule.key == "js2015-special-inspection"]


def test_it_summarises_each_child_org(county: County, rules: None) -> None:
    summaries = indicators_for_subtree(county.county, Q3, today=AFTER)
    by_name = {s.org.name: s for s in summaries}
    assert set(by_name) == {"城关镇党委", "河口镇党委", "县教育局党组"}
    # 城关镇: nothing done; 李明华's liaison branch has no head, so his 3 monthly talks are
    # 不适用 — in neither met nor total, so they do not lift the rate.
    # The principal's 责任书 has no head below to sign with: 不适用 as well.
    chengguan = by_name["城关镇党委"]
    assert (chengguan.total, chengguan.met, chengguan.unmet) == (14, 0, 14)
    assert chengguan.not_applicable == 4
    # 河口镇 has only a principal: 3 monthly talks with nobody to talk to and a 责任书 with
    # nobody below (不适用), lecture, report, reception, and the unit's meeting, inspection,
    # 民主生活会 and 中心组 study.
    hekou = by_name["河口镇党委"]
    assert (hekou.total, hekou.met, hekou.unmet, hekou.not_applicable) == (7, 0, 7, 4)


def test_a_branch_secretary_with_nobody_to_talk_to_is_not_applicable(
    county: County, rules: None, branch_head: Person
) -> None:
    # The branch has no members and no units below: 8% of nobody is no duty, not 达标.
    rows = indicators_for(county.branch, JULY, today=AFTER)
    row = find(rows, "tz2017-principal-talks", branch_head, "2026-M07")
    assert (row.population, row.required, row.status) == (0, 0, Status.NOT_APPLICABLE)
    # A fixed-count duty of the same person is still asked.
    lecture = find(rows, "tz2017-party-lecture", branch_head, "2026")
    assert lecture.status == Status.UNMET


def _grow(county: County, first: int, size: int) -> None:
    """`size` more members at 城关镇, each with a talk, a lecture and a reception."""
    secretary = Person.objects.get(person_no="P001")
    for i in range(first, first + size):
        person = add_person(
            county.chengguan,
            f"G{i:03d}",
            f"成员{i}",
            PositionKind.MEMBER,
            "委员",
            liaison_orgs=[county.branch],
        )
        add_activity(county.chengguan, "talk", date(2026, 7, 3), secretary, person)
        add_activity(county.chengguan, "lecture", date(2026, 8, 3), person, subject="党课")
        add_activity(county.chengguan, "reception", date(2026, 9, 3), person, subject="接访")


def test_it_costs_the_same_queries_for_3_and_for_40_people(
    county: County,
    rules: None,
    branch_head: Person,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    _grow(county, 0, 3)
    with django_assert_max_num_queries(10) as one_org:
        few = indicators_for(county.chengguan, Q3, today=AFTER)
    with django_assert_max_num_queries(10) as subtree:
        indicators_for_subtree(county.county, Q3, today=AFTER)
    _grow(county, 3, 37)
    with django_assert_max_num_queries(len(one_org.captured_queries)):
        many = indicators_for(county.chengguan, Q3, today=AFTER)
    with django_assert_max_num_queries(len(subtree.captured_queries)):
        indicators_for_subtree(county.county, Q3, today=AFTER)
    assert len(many) > len(few)


def test_a_months_figure_is_the_same_in_the_month_quarter_and_year_views(
    county: County, rules: None, secretary: Person, member: Person, branch_head: Person
) -> None:
    """The roster of a month is that month's, whatever period the page is asked for."""
    leaver = add_person(
        county.chengguan,
        "P102",
        "钱离任",
        PositionKind.MEMBER,
        "党委委员",
        end_date=date(2026, 8, 15),
        liaison_orgs=[county.branch],
    )
    add_activity(county.chengguan, "talk", date(2026, 7, 8), leaver, branch_head)

    def july(period: str) -> list[tuple[str, int, int, str]]:
        rows = indicators_for(county.chengguan, Period.parse(period), today=AFTER)
        return sorted(
            (r.subject.name, r.population, r.actual, str(r.status))
            for r in rows
            if r.rule.key.endswith("-talks") and str(r.period) == "2026-M07"
        )

    in_july = july("2026-M07")
    assert in_july == july("2026-Q3") == july("2026")
    # 张建国 measured against 李明华, 周支书 and 钱离任, who was still in post in July.
    assert ("张建国", 3, 0, "unmet") in in_july
    assert ("钱离任", 1, 1, "met") in in_july
    # Gone by the end of August: measured in July only.
    rows = indicators_for(county.chengguan, Q3, today=AFTER)
    assert {str(r.period) for r in rows if r.subject == leaver} == {"2026-M07"}
