"""The set-based path: every unit's figures in chunks, equal to the page's; as of a day."""

from datetime import date
from typing import Any

import pytest
from pytest_django import DjangoAssertNumQueries

from liangze.core.models import Evidence
from liangze.core.periods import Period
from liangze.duties.models import DutyList
from liangze.ledger.entries.services import entry_add, entry_reject, entry_verify
from liangze.ledger.indicators import batch as indicator_batch
from liangze.ledger.indicators.batch import Figure, stream, year_slots
from liangze.ledger.indicators.measures import Status
from liangze.ledger.indicators.queries import Row, active_rules, indicators_for
from liangze.ledger.models import Activity, ProgressEntry, ReportKind
from liangze.orgs.models import Org, Person, Position, PositionKind
from tests.fixtures.clock import On, moment
from tests.fixtures.county import County
from tests.fixtures.evidence import photo
from tests.fixtures.ledger import add_activity, add_evidence, add_person, load_rules, recorded

pytestmark = pytest.mark.django_db
YEAR = Period(2026, "year")
JULY = Period.parse("2026-M07")
TODAY = date(2026, 11, 23)
HEARING = "三季度专题听取“一岗双责”落实情况汇报"


def of_row(row: Row) -> tuple[Any, ...]:
    person = None if isinstance(row.subject, Org) else row.subject.pk
    return _plain(row.rule.key, row.org.pk, person, row.period, row.population, row.indicator)


def of_figure(figure: Figure) -> tuple[Any, ...]:
    return _plain(
        figure.rule.key,
        figure.org_id,
        figure.person_id,
        figure.period,
        figure.population,
        figure.indicator,
    )


def _plain(
    key: str, org: int, person: int | None, period: Period, size: int, ind: Any
) -> tuple[Any, ...]:
    subject = (key, org, person, str(period), size)
    return (
        *subject,
        ind.required,
        ind.actual,
        str(ind.status),
        ind.deadline,
        ind.activity_ids,
        sorted(ind.late_ids),
    )


@pytest.fixture
def busy(county: County) -> dict[str, Person]:
    """Rules, a branch secretary, a second member, and a year of mixed records."""
    load_rules()
    secretary = Person.objects.get(person_no="P001")
    member = Person.objects.get(person_no="P002")
    head = add_person(county.branch, "P101", "周支书", PositionKind.BRANCH_SECRETARY, "支部书记")
    other = add_person(
        county.hekou, "P102", "吴委员", PositionKind.MEMBER, "委员", liaison_orgs=[county.branch]
    )
    hekou_head = Person.objects.get(person_no="P003")
    for month in (1, 2, 4, 7, 9, 10):
        add_activity(county.chengguan, "talk", date(2026, month, 12), secretary, member)
    add_activity(county.chengguan, "talk", date(2026, 3, 3), member, head)
    add_activity(county.hekou, "talk", date(2026, 5, 6), other, head)
    add_activity(county.chengguan, "lecture", date(2026, 6, 1), member, subject="党课")
    add_activity(county.hekou, "reception", date(2026, 8, 8), hekou_head, subject="接访")
    add_activity(county.branch, "inspection", date(2026, 4, 4), head, subject="专项督查")
    meeting = add_activity(
        county.chengguan, "meeting", date(2026, 9, 29), secretary, subject=HEARING
    )
    add_evidence(meeting, moment(date(2026, 10, 20)))  # after 5 working days: late
    add_activity(county.chengguan, "written_report", date(2026, 1, 10), secretary, subject="报告")
    for activity in Activity.objects.all():
        recorded(activity, activity.held_on)
    return {"secretary": secretary, "member": member, "head": head}


def test_it_streams_the_same_figures_as_the_page_computes_per_org(
    county: County, busy: dict[str, Person]
) -> None:
    orgs = Org.objects.order_by("path")
    expected = [of_row(row) for org in orgs for row in indicators_for(org, YEAR, today=TODAY)]
    streamed = stream(
        orgs.values_list("pk", flat=True).iterator(),
        active_rules(2026),
        year_slots(2026),
        today=TODAY,
        chunk=2,  # heads and liaison units in other chunks than the org measured
    )
    assert [of_figure(f) for f in streamed] == expected
    assert {s for *_, s, _d, _a, _l in expected} >= {"met", "unmet", "late", "pending"}


def test_a_chunk_costs_the_same_queries_whatever_its_size(
    county: County, busy: dict[str, Person], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    rules = active_rules(2026)
    ids = list(Org.objects.values_list("pk", flat=True))
    with django_assert_max_num_queries(6):
        small = indicator_batch.compute(ids[:1], rules, year_slots(2026), today=TODAY)
    with django_assert_max_num_queries(6):
        every = indicator_batch.compute(ids, rules, year_slots(2026), today=TODAY)
    assert len(every) > len(small)


def _hearing(county: County, today: date) -> Any:
    figures = indicator_batch.compute(
        [county.chengguan.pk],
        [r for r in active_rules(2026) if r.key == "tz2017-hearing-meeting"],
        lambda rule: [Period.parse("2026-Q3")],
        today=today,
    )
    (figure,) = figures
    return figure.indicator


def test_it_leaves_out_what_was_recorded_after_the_day(
    county: County, busy: dict[str, Person]
) -> None:
    late_entry = add_activity(
        county.chengguan, "talk", date(2026, 3, 20), busy["secretary"], busy["member"]
    )
    recorded(late_entry, date(2026, 4, 2))
    rules = [r for r in active_rules(2026) if r.key == "tz2017-principal-talks"]

    def march(today: date) -> Any:
        slots = lambda rule: [Period.parse("2026-M03")]  # noqa: E731
        figures = indicator_batch.compute([county.chengguan.pk], rules, slots, today=today)
        return figures[0].indicator

    assert march(date(2026, 4, 1)).status == Status.UNMET
    assert march(date(2026, 4, 2)).status == Status.MET
    # The meeting's evidence came on 20 October: before then it was still awaited.
    assert _hearing(county, date(2026, 10, 9)).status == Status.PENDING
    assert _hearing(county, date(2026, 10, 19)).status == Status.UNMET
    assert _hearing(county, date(2026, 10, 20)).status == Status.LATE


def _q1_hearing(county: County, today: date) -> tuple[Any, Row]:
    """The Q1 hearing figure of 城关镇 from the batch and from the page's single-org path."""
    rules = [r for r in active_rules(2026) if r.key == "tz2017-hearing-meeting"]
    q1 = Period.parse("2026-Q1")
    (figure,) = indicator_batch.compute(
        [county.chengguan.pk], rules, lambda rule: [q1], today=today
    )
    (row,) = [
        r
        for r in indicators_for(county.chengguan, q1, today=today)
        if r.rule.key == "tz2017-hearing-meeting" and str(r.period) == "2026-Q1"
    ]
    return figure.indicator, row


@pytest.mark.parametrize(
    ("uploads", "today", "status"),
    [
        # Before the meeting of 31 March (27 March; 23:30 on the 30th, Beijing time):
        # no evidence, so awaited until the 5th working day (8 April), then unmet.
        ([(3, 27, 10), (3, 30, 23)], date(2026, 4, 8), Status.PENDING),
        ([(3, 27, 10), (3, 30, 23)], date(2026, 4, 9), Status.UNMET),
        # A file before the meeting does not hide a later one within the 5 days.
        ([(3, 27, 10), (4, 2, 10)], date(2026, 4, 9), Status.MET),
        # 00:30 on the meeting day is still 30 March in UTC: the local day counts.
        ([(3, 31, 0)], date(2026, 4, 9), Status.MET),
        ([(3, 27, 10), (4, 9, 10)], date(2026, 4, 9), Status.LATE),
    ],
)
def test_evidence_counts_from_the_meeting_day_on(
    county: County, uploads: list[tuple[int, int, int]], today: date, status: Status
) -> None:
    load_rules()
    secretary = Person.objects.get(person_no="P001")
    meeting = add_activity(
        county.chengguan, "meeting", date(2026, 3, 31), secretary, subject=HEARING
    )
    recorded(meeting, date(2026, 3, 31))
    for month, day, hour in uploads:
        add_evidence(meeting, moment(date(2026, month, day), hour).replace(minute=30))
    batch, page = _q1_hearing(county, today)
    assert batch.status == status
    # The page's single-org path gives the same answer as the batch.
    assert (page.status, page.actual) == (batch.status, batch.actual)


@pytest.fixture
def meeting_entry(county: County, published: DutyList, on: On) -> tuple[Activity, ProgressEntry]:
    """The Q4 hearing meeting, recorded without a photo; an entry files the photo and names it."""
    load_rules()
    secretary = Person.objects.get(person_no="P001")
    on(date(2026, 11, 20))
    meeting = add_activity(
        county.chengguan, "meeting", date(2026, 11, 20), secretary, subject=HEARING
    )
    on(date(2026, 11, 23))
    item = published.items.order_by("seq").first()
    assert item is not None
    entry = entry_add(
        actor=county.clerk,
        item=item,
        period="2026-Q4",
        text="召开党委会专题听取班子成员“一岗双责”落实情况汇报。",
        done_on=date(2026, 11, 20),
        uploads=[photo()],
        activities=[meeting],
    )
    return meeting, entry


def _q4_hearing(county: County, today: date) -> Any:
    figures = indicator_batch.compute(
        [county.chengguan.pk],
        [r for r in active_rules(2026) if r.key == "tz2017-hearing-meeting"],
        lambda rule: [Period.parse("2026-Q4")],
        today=today,
    )
    return figures[0].indicator


def test_a_verified_entrys_photo_is_the_meetings_evidence(
    county: County, meeting_entry: tuple[Activity, ProgressEntry], on: On
) -> None:
    meeting, entry = meeting_entry
    assert _q4_hearing(county, TODAY).status == Status.PENDING  # not verified yet
    on(date(2026, 12, 1))  # verified after the meeting's 5 working days
    entry_verify(actor=county.discipline_officer, entry=entry)
    assert _q4_hearing(county, TODAY).status == Status.PENDING  # as of the 23rd: not yet
    # Uploaded on the 23rd, within 5 working days of the 20th: on time, whenever verified.
    indicator = _q4_hearing(county, date(2026, 12, 1))
    assert (indicator.status, indicator.activity_ids) == (Status.MET, (meeting.pk,))


def test_a_returned_entrys_photo_is_not(
    county: County, meeting_entry: tuple[Activity, ProgressEntry], on: On
) -> None:
    _meeting, entry = meeting_entry
    on(date(2026, 11, 24))
    entry_reject(actor=county.discipline_officer, entry=entry, reason="照片不清晰。")
    assert ProgressEntry.objects.get(pk=entry.pk).status == ProgressEntry.Status.REJECTED
    assert Evidence.objects.filter(progressentry=entry).exists()
    assert _q4_hearing(county, date(2026, 12, 31)).status == Status.PENDING
    assert _q4_hearing(county, date(2027, 1, 5)).status == Status.UNMET


def test_an_entry_names_only_the_units_activities_of_its_period(
    county: County, published: DutyList, on: On
) -> None:
    from django.core.exceptions import ValidationError

    secretary = Person.objects.get(person_no="P001")
    on(date(2026, 11, 23))
    summer = add_activity(county.chengguan, "meeting", date(2026, 8, 1), secretary, subject="会")
    elsewhere = add_activity(
        county.hekou, "meeting", date(2026, 11, 2), Person.objects.get(person_no="P003")
    )
    item = published.items.order_by("seq").first()
    assert item is not None
    with pytest.raises(ValidationError) as refused:
        entry_add(
            actor=county.clerk,
            item=item,
            period="2026-Q4",
            text="完成",
            done_on=date(2026, 11, 20),
            activities=[summer, elsewhere],
        )
    assert "关联活动须为城关镇党委在2026年四季度内的活动" in str(refused.value)
    assert not ProgressEntry.objects.exists()
    assert DutyList.objects.filter(pk=published.pk).exists()


# 分管 units, the 纪委's report, the committee's duties (issue 9 items 10–12) -----------


def _figures(county: County, keys: set[str], period: Period, today: date) -> list[Figure]:
    rules = [r for r in active_rules(2026) if r.key in keys]
    ids = [county.county.pk, county.chengguan.pk, county.hekou.pk, county.branch.pk]
    return indicator_batch.compute(ids, rules, lambda rule: [period], today=today)


def test_it_measures_a_members_talks_against_the_heads_of_their_portfolio_units_too(
    county: County,
) -> None:
    load_rules()
    add_person(county.branch, "P101", "周支书", PositionKind.BRANCH_SECRETARY, "支部书记")
    hekou_head = Person.objects.get(person_no="P003")
    # 李明华 liaises with the branch; 分管 河口镇 and the branch too: its head counts once.
    Position.objects.get(person__person_no="P002").portfolio_orgs.add(county.hekou, county.branch)
    member = Person.objects.get(person_no="P002")
    recorded(
        add_activity(county.chengguan, "talk", date(2026, 7, 8), member, hekou_head),
        date(2026, 7, 8),
    )
    [figure] = [
        f
        for f in _figures(county, {"tz2017-member-talks"}, JULY, TODAY)
        if f.person_id == member.pk
    ]
    assert figure.population == 2  # 王志强 (分管 河口镇) and 周支书 (分管 and 联系 the branch)
    assert (figure.indicator.actual, figure.indicator.status) == (1, Status.MET)


def test_it_measures_the_head_of_the_units_own_discipline_body_only(county: County) -> None:
    load_rules()
    secretary = add_person(
        county.chengguan,
        "P111",
        "陈纪书",
        PositionKind.DISCIPLINE_SECRETARY,
        "纪委书记",
        discipline_body=county.chengguan_commission,
    )
    report = add_activity(
        county.chengguan, "written_report", date(2027, 1, 12), secretary, subject="监督责任报告"
    )
    report.report_kind = ReportKind.SUPERVISORY
    report.recipients = ["same_committee", "higher_commission"]
    report.save()
    recorded(report, report.held_on)
    figures = _figures(county, {"tz2017-discipline-report"}, YEAR, date(2027, 2, 1))
    # Not the 派驻纪检监察组's leader at the county (钱监督), who answers to the 县纪委.
    assert [(f.org_id, f.person_id, f.indicator.status) for f in figures] == [
        (county.chengguan.pk, secretary.pk, Status.MET)
    ]


def test_it_asks_a_committee_not_a_branch_for_its_democratic_life_meeting(county: County) -> None:
    load_rules()
    add_person(county.branch, "P101", "周支书", PositionKind.BRANCH_SECRETARY, "支部书记")
    secretary = Person.objects.get(person_no="P001")
    meeting = add_activity(
        county.chengguan, "democratic_life", date(2026, 1, 20), secretary, subject="民主生活会"
    )
    recorded(meeting, meeting.held_on)
    figures = _figures(county, {"tz2017-democratic-life"}, YEAR, date(2027, 2, 1))
    statuses = {f.org_id: f.indicator.status for f in figures}
    assert statuses == {
        county.chengguan.pk: Status.MET,
        county.hekou.pk: Status.UNMET,
    }


def test_it_wants_the_pledge_with_every_head_below_the_principal(county: County) -> None:
    load_rules()
    head = add_person(county.branch, "P101", "周支书", PositionKind.BRANCH_SECRETARY, "支部书记")
    secretary = Person.objects.get(person_no="P001")
    pledge = add_activity(county.chengguan, "pledge", date(2026, 2, 3), secretary, head)
    recorded(pledge, pledge.held_on)
    figures = _figures(county, {"tz2017-principal-pledge"}, YEAR, date(2027, 2, 1))
    by_person = {f.person_id: (f.population, f.indicator.status) for f in figures}
    assert by_person[secretary.pk] == (1, Status.MET)
    # 河口镇 has no unit below it with a head: nobody to sign with.
    assert by_person[Person.objects.get(person_no="P003").pk] == (0, Status.NOT_APPLICABLE)
