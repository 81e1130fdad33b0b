"""Weekly snapshots: one row per unit and person per week, re-runs replace, batches add up."""

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from liangze.core.models import AuditEvent, JobRun
from liangze.dashboard import queries, services, tasks
from liangze.dashboard.models import WarningSnapshot
from liangze.dashboard.services import monday, warning_snapshot_backfill, warning_snapshot_take
from liangze.dashboard.tasks import snapshot_weekly
from liangze.dashboard.warning import Colour
from liangze.duties.models import Catalogue, DutyList
from liangze.ledger.entries import rollups
from liangze.ledger.indicators.measures import Status
from liangze.orgs.models import Org, Person
from liangze.supervision.inspections import services as inspections
from liangze.supervision.models import Rectification
from tests.fixtures.clock import On, moment
from tests.fixtures.county import County
from tests.fixtures.dashboard import add_entry, make_list
from tests.fixtures.ledger import load_rules, put_in_force
from tests.fixtures.supervision import plan
from tests.fixtures.threads import NEEDS_PG, in_threads, on_postgresql

pytestmark = pytest.mark.django_db
ON = date(2026, 7, 20)  # a Monday


@pytest.fixture
def ledgers(county: County, catalogue: Catalogue) -> DutyList:
    load_rules()
    zhang = Person.objects.get(person_no="P001")
    town = make_list(county.chengguan, catalogue, [zhang, zhang])
    make_list(county.branch, catalogue, [None])
    river = make_list(county.hekou, catalogue, [Person.objects.get(person_no="P003")])
    add_entry(town.items.order_by("seq")[0], "2026-Q1", entered=date(2026, 3, 1))
    add_entry(river.items.get(), "2026-Q1", entered=date(2026, 3, 1))
    add_entry(river.items.get(), "2026-Q2", entered=date(2026, 7, 1))
    return town


def rows(week: date = ON) -> list[tuple[Any, ...]]:
    return sorted(
        WarningSnapshot.objects.filter(week=week).values_list(
            "org_id", "person_id", "colour", "metrics", "taken_on"
        ),
        key=lambda r: (r[0], r[1] or 0),
    )


def unit_row(org: Org, week: date = ON) -> WarningSnapshot:
    return WarningSnapshot.objects.get(org=org, person=None, week=week)


def test_it_names_the_week_by_its_monday() -> None:
    assert monday(date(2026, 7, 20)) == monday(date(2026, 7, 26)) == date(2026, 7, 20)
    assert monday(date(2026, 1, 1)) == date(2025, 12, 29)


def test_it_colours_every_unit_with_its_whole_subtree(county: County, ledgers: DutyList) -> None:
    counts = warning_snapshot_take(actor=None, on=ON)
    assert (counts.week, counts.units) == (ON, 5)
    town, branch = unit_row(county.chengguan), unit_row(county.branch)
    # 城关镇: 2 items + the branch's 1, Q1 and Q2 past: 6 due, 5 overdue (one Q1 entry).
    assert (town.metrics["due_cells"], town.metrics["overdue_cells"]) == (6, 5)
    assert (branch.metrics["due_cells"], branch.metrics["overdue_cells"]) == (2, 2)
    assert town.metrics["overdue_rate"] == 83.3 and town.colour == Colour.RED
    river = unit_row(county.hekou)
    assert river.metrics["overdue_cells"] == 0
    whole = unit_row(county.county)
    assert whole.metrics["overdue_cells"] == 5
    children = (county.chengguan, county.hekou, county.education)
    own = rollups.indicators_by_org([(county.county.pk, county.county.path)], 2026, ON).by_org[
        county.county.pk
    ]
    assert whole.metrics["failing_indicators"] == own[Status.UNMET] + sum(
        unit_row(o).metrics["failing_indicators"] for o in children
    )
    assert (whole.scale_code, whole.scale_version, whole.taken_on) == ("four-colour", 1, ON)


def test_it_keeps_a_row_for_each_person_measured(county: County, ledgers: DutyList) -> None:
    warning_snapshot_take(actor=None, on=ON)
    zhang = WarningSnapshot.objects.get(week=ON, person__person_no="P001")
    assert zhang.org_id == county.chengguan.pk
    assert (zhang.metrics["due_cells"], zhang.metrics["overdue_cells"]) == (4, 3)
    assert zhang.colour == Colour.RED  # three overdue cells: as the ladder's 约谈


def test_running_twice_in_a_week_replaces_the_weeks_rows(county: County, ledgers: DutyList) -> None:
    warning_snapshot_take(actor=None, on=ON)
    first = rows()
    warning_snapshot_take(actor=None, on=ON)
    assert rows() == first
    # Later in the same week, with a Q2 entry made since: the same rows, newer figures.
    add_entry(ledgers.items.order_by("seq")[0], "2026-Q2", entered=date(2026, 7, 22))
    warning_snapshot_take(actor=None, on=date(2026, 7, 23))
    again = rows()
    assert [r[:2] for r in again] == [r[:2] for r in first]
    assert unit_row(county.chengguan).metrics["overdue_cells"] == 4
    assert {r[4] for r in again} == {date(2026, 7, 23)}


def test_it_draws_the_trend_from_the_weeks_taken(county: County, ledgers: DutyList) -> None:
    taken = warning_snapshot_backfill(actor=None, start=date(2026, 6, 24), end=ON)
    weeks = [date(2026, 6, 22), date(2026, 6, 29), date(2026, 7, 6), date(2026, 7, 13), ON]
    assert [c.week for c in taken] == weeks
    assert WarningSnapshot.objects.filter(person=None).count() == 5 * 5
    trend = queries.trend(county.county, 2026, has_children=True)
    assert trend["weeks"] == ["06-22", "06-29", "07-06", "07-13", "07-20"]
    series = {s["colour"]: s["data"] for s in trend["series"]}
    # Three children each week, in one colour or another.
    assert [sum(n) for n in zip(*series.values(), strict=True)] == [3, 3, 3, 3, 3]
    # Q2's entries were due on 7 July: from the week of the 13th they count as due.
    town = WarningSnapshot.objects.filter(org=county.chengguan, person=None).order_by("week")
    assert [s.metrics["due_cells"] for s in town] == [3, 3, 3, 6, 6]
    leaf = queries.trend(county.branch, 2026, has_children=False)
    assert sum(sum(s["data"]) for s in leaf["series"]) == 5


def test_it_adds_up_the_same_when_the_tree_is_cut_into_batches(
    county: County, ledgers: DutyList, monkeypatch: pytest.MonkeyPatch
) -> None:
    warning_snapshot_take(actor=None, on=ON)
    whole = rows()
    monkeypatch.setattr(services, "BATCH_ORGS", 1)
    counts = warning_snapshot_take(actor=None, on=ON)
    assert counts.batches > 1
    assert rows() == whole


def test_it_takes_only_the_scope_of_a_discipline_body(county: County, ledgers: DutyList) -> None:
    counts = warning_snapshot_take(actor=None, on=ON, body=county.chengguan_commission)
    assert counts.units == 2
    assert set(WarningSnapshot.objects.values_list("org_id", flat=True)) == {
        county.chengguan.pk,
        county.branch.pk,
    }


def test_its_staff_may_take_it_and_others_may_not(county: County, ledgers: DutyList) -> None:
    from django.core.exceptions import PermissionDenied

    warning_snapshot_take(actor=county.discipline_officer, on=ON, body=county.county_commission)
    with pytest.raises(PermissionDenied):
        warning_snapshot_take(actor=county.township_secretary, on=ON, body=county.county_commission)


def test_it_carries_open_rectifications_up_the_tree(
    county: County, ledgers: DutyList, monkeypatch: pytest.MonkeyPatch
) -> None:
    # supervision's roll-up: the org's own and each direct child's subtree.
    open_at = {county.branch.pk: 2, county.hekou.pk: 1}

    def by_child(org: Org, year: int, as_of: date) -> dict[int, int]:
        assert (year, as_of) == (2026, ON)
        result = {org.pk: open_at.get(org.pk, 0)}
        for child in org.children.all():
            below = sum(n for pk, n in open_at.items() if pk == child.pk) + (
                open_at.get(county.branch.pk, 0) if child.pk == county.chengguan.pk else 0
            )
            if below:
                result[child.pk] = below
        return result

    monkeypatch.setattr(queries, "_rectifications_by_child", lambda: by_child)
    warning_snapshot_take(actor=None, on=ON)
    assert unit_row(county.branch).metrics["open_rectifications"] == 2
    assert unit_row(county.chengguan).metrics["open_rectifications"] == 2
    assert unit_row(county.county).metrics["open_rectifications"] == 3
    assert unit_row(county.education).metrics["open_rectifications"] == 0


def test_the_weekly_task_takes_this_weeks_snapshot(
    county: County, ledgers: DutyList, on: On
) -> None:
    on(date(2026, 7, 22))
    counts = snapshot_weekly.call_local()
    assert counts.week == ON
    assert WarningSnapshot.objects.filter(week=ON, person=None).count() == 5


# Commands ---------------------------------------------------------------------------------


def test_the_command_takes_a_week_and_backfills(county: County, ledgers: DutyList) -> None:
    out = StringIO()
    call_command("snapshot_warnings", "--date", "2026-07-20", stdout=out)
    assert "2026-07-20 周：单位 5" in out.getvalue()
    out = StringIO()
    call_command(
        "snapshot_warnings", "--date", "2026-07-20", "--backfill-from", "2026-07-01", stdout=out
    )
    assert out.getvalue().count("周：单位 5") == 4  # 29 June … 20 July
    assert WarningSnapshot.objects.filter(person=None).count() == 4 * 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2026-13-01"], "--date 日期格式不正确"),
        (["--date", "2026-07-01", "--backfill-from", "2026-08-01"], "不能晚于"),
        (["--body", "NOPE"], "NOPE"),
    ],
)
def test_the_command_names_what_is_wrong(county: County, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("snapshot_warnings", *args)


def test_the_demo_command_gives_the_county_its_weeks_once(
    county: County, ledgers: DutyList
) -> None:
    out = StringIO()
    call_command("seed_demo_dashboard", "--once", "--date", "2026-02-10", stdout=out)
    assert "7 周" in out.getvalue()  # 29 Dec … 9 Feb
    assert WarningSnapshot.objects.filter(person=None).count() == 7 * 5
    out = StringIO()
    call_command("seed_demo_dashboard", "--once", "--date", "2026-02-10", stdout=out)
    assert "跳过" in out.getvalue()


def test_the_demo_command_works_without_any_ledger(county: County) -> None:
    out = StringIO()
    call_command("seed_demo_dashboard", "--date", "2026-01-12", stdout=out)
    assert WarningSnapshot.objects.filter(person=None).count() == 3 * 5
    assert set(WarningSnapshot.objects.values_list("colour", flat=True)) == {Colour.BLUE}


def test_a_backfilled_week_counts_the_rectifications_open_that_week(county: County, on: On) -> None:
    opened, verified = date(2026, 9, 28), date(2026, 11, 2)  # Mondays of weeks 40 and 45
    assert (opened.isocalendar().week, verified.isocalendar().week) == (40, 45)
    on(opened)
    inspection = plan(county, planned_start=opened, planned_end=date(2026, 10, 30))
    target = inspections.target_add(
        actor=county.discipline_officer, inspection=inspection, org=county.chengguan
    )
    inspections.inspection_start(actor=county.discipline_officer, inspection=inspection)
    finding = inspections.finding_record(
        actor=county.discipline_officer, target=target, description="谈心谈话未留存记录"
    )
    # Verified at 10 a.m. on week 45's Monday, as rectification_verify would stamp it.
    Rectification.objects.filter(finding=finding).update(
        status=Rectification.Status.VERIFIED, reviewed_at=moment(verified)
    )
    on(date(2026, 12, 31))
    warning_snapshot_backfill(actor=None, start=date(2026, 1, 1), end=date(2026, 12, 31))

    open_in = {
        week.isocalendar().week: metrics["open_rectifications"]
        for week, metrics in WarningSnapshot.objects.filter(
            org=county.chengguan, person=None
        ).values_list("week", "metrics")
        if week.year == 2026
    }
    assert {week for week, n in open_in.items() if n} == set(range(40, 45))
    assert open_in[39] == open_in[45] == open_in[52] == 0
    assert unit_row(county.county, week=date(2026, 10, 12)).metrics["open_rectifications"] == 1


def test_the_live_dashboard_counts_the_rectifications_open_today(county: County, on: On) -> None:
    on(date(2026, 9, 28))
    inspection = plan(county, planned_start=date(2026, 9, 28), planned_end=date(2026, 10, 30))
    target = inspections.target_add(
        actor=county.discipline_officer, inspection=inspection, org=county.chengguan
    )
    inspections.inspection_start(actor=county.discipline_officer, inspection=inspection)
    for text in ("一", "二"):
        inspections.finding_record(
            actor=county.discipline_officer, target=target, description=f"问题{text}"
        )
    Rectification.objects.filter(finding__description="问题一").update(
        status=Rectification.Status.VERIFIED, reviewed_at=moment(date(2026, 10, 8))
    )
    on(date(2026, 10, 12))
    page = queries.dashboard(county.discipline_officer, county.county, year=2026, source="live")
    assert page.source == "live"
    assert [r.open_rectifications for r in page.rows if r.org == county.chengguan] == [1]


def test_a_backfilled_week_reads_the_lists_in_force_that_week(
    county: County, catalogue: Catalogue, on: On
) -> None:
    """Issue 9: snapshots read today's lists in every past week. A week before a list was
    published has no cells of it; a week before its revision was published, the old items."""
    first = make_list(county.hekou, catalogue, [None], published_on=date(2026, 3, 5))
    DutyList.objects.filter(pk=first.pk).update(is_current=False)
    revision = make_list(
        county.hekou,
        catalogue,
        [None, None, None],
        status=DutyList.Status.DRAFT,
        version=2,
    )
    DutyList.objects.filter(pk=revision.pk).update(previous=first)
    put_in_force(revision, on=date(2026, 9, 10))
    on(date(2026, 12, 31))
    warning_snapshot_backfill(actor=None, start=date(2026, 1, 1), end=date(2026, 12, 31))

    def items_in(week: date) -> int:
        cells: dict[str, int] = unit_row(county.hekou, week=week).metrics["cells"]
        return sum(cells.values()) // 4  # an item has a cell in each quarter

    assert [items_in(w) for w in (date(2026, 3, 2), date(2026, 6, 1), date(2026, 9, 14))] == [
        0,
        1,
        3,
    ]


# As a job ---------------------------------------------------------------------------------


def test_the_weekly_task_runs_once_a_week(county: County, ledgers: DutyList, on: On) -> None:
    on(date(2026, 7, 20))
    assert snapshot_weekly.call_local() is not None
    on(date(2026, 7, 22))
    assert snapshot_weekly.call_local() is None
    run = JobRun.objects.get(job=tasks.JOB)
    assert (run.slot, run.state, run.counts["units"]) == ("2026-07-20", JobRun.State.DONE, 5)


def test_the_command_refuses_while_the_weekly_task_runs(county: County, ledgers: DutyList) -> None:
    JobRun.objects.create(
        job=tasks.JOB,
        slot="2026-07-20",
        state=JobRun.State.RUNNING,
        started_at=timezone.now(),
        host="worker-2",
    )
    with pytest.raises(CommandError, match="该任务正在运行"):
        call_command("snapshot_warnings", "--date", "2026-07-20")
    assert not WarningSnapshot.objects.exists()


def snapshot_events() -> list[dict[str, Any]]:
    return list(
        AuditEvent.objects.filter(object_label__startswith="预警快照（").values_list(
            "data", flat=True
        )
    )


@pytest.mark.skipif(not on_postgresql(), reason=NEEDS_PG)
@pytest.mark.django_db(transaction=True)
def test_concurrent_snapshots_neither_fail_nor_double(county: County, ledgers: DutyList) -> None:
    # Past the job's lock (three services called directly), as three workers did once.
    results, errors = in_threads(3, lambda: warning_snapshot_take(actor=None, on=ON))
    assert errors == []
    assert WarningSnapshot.objects.filter(week=ON, person=None).count() == 5
    assert [e["units"] for e in snapshot_events()] == [5, 5, 5]


@pytest.mark.skipif(not on_postgresql(), reason=NEEDS_PG)
@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_take_the_week_once(county: County, ledgers: DutyList, on: On) -> None:
    on(ON)
    results, errors = in_threads(3, snapshot_weekly.call_local)
    assert errors == []
    assert sorted(r is None for r in results) == [False, True, True]
    assert JobRun.objects.get(job=tasks.JOB).state == JobRun.State.DONE
    assert [e["units"] for e in snapshot_events()] == [5]
