"""Demo ledger data (issue 4, item 3): a year of every kind of record, up to today, by seed."""

import hashlib
from datetime import date, datetime, time
from io import StringIO
from random import Random
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from liangze.core.models import Evidence
from liangze.demo.ledger import escalation_days, pdf_bytes, png_bytes, seed_ledger
from liangze.duties.models import DutyList
from liangze.ledger.models import Activity, ActivityKind, ProgressEntry, ReportKind
from liangze.orgs.models import PositionKind
from liangze.supervision.models import Reminder
from tests.fixtures.clock import On, moment
from tests.fixtures.county import County
from tests.fixtures.ledger import add_person, load_rules

TODAY = date(2026, 11, 23)
PUBLISHED = date(2026, 2, 20)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def town(county: County, published: DutyList, on: On) -> County:
    """The test county with rules, 城关镇's published list, a few more leaders; Monday 23 Nov."""
    load_rules()
    for n in range(4):
        add_person(
            county.chengguan,
            f"D{n}",
            f"委员{n}",
            PositionKind.MEMBER,
            "委员",
            liaison_orgs=[county.branch],
        )
    add_person(county.branch, "D9", "周支书", PositionKind.BRANCH_SECRETARY, "支部书记")
    # Published in February, as the demo's lists are: the ledger follows publication.
    DutyList.objects.filter(pk=published.pk).update(published_at=moment(PUBLISHED))
    on(TODAY)
    return county


def snapshot() -> list[tuple[object, ...]]:
    activities = Activity.objects.order_by("pk").values_list(
        "code", "kind", "held_on", "host_id", "subject", "created_at"
    )
    entries = ProgressEntry.objects.order_by("pk").values_list(
        "code", "period", "status", "is_late", "entered_at"
    )
    reminders = Reminder.objects.order_by("step", "cause").values_list(
        "step", "cause", "raised_on", "acknowledged_at"
    )
    return [*activities, *entries, *reminders]


def test_it_writes_a_year_of_every_kind_of_record(town: County) -> None:
    counts = seed_ledger(today=TODAY, rng=Random(2026))
    kinds = set(Activity.objects.values_list("kind", flat=True))
    assert kinds == set(ActivityKind.values)
    assert Activity.objects.filter(held_on__gt=TODAY).count() == 0
    assert Activity.objects.filter(held_on__lt=date(2026, 1, 1)).count() == 0
    # Recorded the day it was held or later, never before, never in the future.
    for held_on, created_at in Activity.objects.values_list("held_on", "created_at"):
        local = created_at.astimezone(SHANGHAI).date()
        assert held_on <= local <= TODAY
    statuses = set(ProgressEntry.objects.values_list("status", "is_late"))
    assert {("verified", False), ("submitted", False), ("rejected", False)} <= statuses
    assert any(late for _status, late in statuses)
    assert Reminder.objects.filter(rule__isnull=False).exists()
    assert Reminder.objects.filter(duty_item__isnull=False).exists()
    assert Reminder.objects.filter(acknowledged_at__isnull=False).exists()
    assert counts["evidence"] == Evidence.objects.count() > 0


def test_nothing_is_entered_on_a_list_before_it_was_published(town: County) -> None:
    DutyList.objects.update(published_at=moment(date(2026, 3, 25)))
    seed_ledger(today=TODAY, rng=Random(2026))
    entries = ProgressEntry.objects.all()
    assert entries.filter(period="2026-Q2").exists()
    for entry in entries.prefetch_related("activities"):
        assert entry.done_on >= date(2026, 3, 25)
        assert entry.entered_at.astimezone(SHANGHAI).date() >= date(2026, 3, 25)
        assert all(a.held_on >= date(2026, 3, 25) for a in entry.activities.all())


def test_its_evidence_files_are_real_and_sealed(town: County) -> None:
    seed_ledger(today=TODAY, rng=Random(2026))
    for evidence in Evidence.objects.all()[:40]:
        content = default_storage.open(evidence.file.name).read()
        assert hashlib.new("sm3", content).hexdigest() == evidence.sm3
        assert content.startswith(b"%PDF-" if evidence.is_pdf else b"\x89PNG\r\n\x1a\n")
        assert len(content) == evidence.size


def test_it_repeats_with_its_seed(town: County) -> None:
    seed_ledger(today=TODAY, rng=Random(7))
    first = snapshot()
    for model in (Reminder, ProgressEntry, Activity, Evidence):
        model.objects.all().delete()
    seed_ledger(today=TODAY, rng=Random(7))
    assert snapshot() == first
    assert len(first) > 100


def test_it_runs_the_escalation_on_the_years_mondays_and_today() -> None:
    days = escalation_days(TODAY)
    assert days[0] == date(2026, 2, 2) and days[-1] == TODAY
    assert date(2026, 11, 16) in days and date(2026, 10, 19) in days
    assert next(d for d in days if d.month == 10) == date(2026, 10, 8)  # after 国庆
    assert days == sorted(set(days))


def test_the_files_it_makes_open_as_what_they_claim() -> None:
    png = png_bytes(Random(1))
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png.endswith(b"IEND\xaeB`\x82")
    assert png != png_bytes(Random(2))
    pdf = pdf_bytes("Liangze demo 1")
    assert pdf.startswith(b"%PDF-1.4") and b"startxref" in pdf and pdf.rstrip().endswith(b"%%EOF")


def test_the_command_runs_once(town: County) -> None:
    out = StringIO()
    call_command("seed_demo_ledger", "--seed", "3", "--today", "2026-11-23", "--once", stdout=out)
    assert "已生成截至 2026-11-23 的演示台账" in out.getvalue()
    count = Activity.objects.count()
    again = StringIO()
    call_command("seed_demo_ledger", "--once", stdout=again)
    assert "已存在，跳过" in again.getvalue()
    assert Activity.objects.count() == count
    with pytest.raises(CommandError, match="已有工作活动"):
        call_command("seed_demo_ledger")


def test_the_command_refuses_a_bad_date(db: None) -> None:
    with pytest.raises(CommandError, match="日期格式不正确"):
        call_command("seed_demo_ledger", "--today", "2026/11/23")


def test_the_clock_is_not_read_for_a_given_day(town: County) -> None:
    """--today fixes the data: entries and uploads are dated by it, not by the machine."""
    seed_ledger(today=date(2026, 9, 15), rng=Random(1))
    latest = max(Activity.objects.values_list("created_at", flat=True))
    assert latest < datetime.combine(date(2026, 9, 16), time.min, tzinfo=SHANGHAI)
    assert max(Reminder.objects.values_list("raised_on", flat=True)) <= date(2026, 9, 15)


def test_it_records_the_reports_with_their_kind_and_recipients(town: County) -> None:
    add_person(
        town.chengguan,
        "D8",
        "陈纪书",
        PositionKind.DISCIPLINE_SECRETARY,
        "纪委书记",
        discipline_body=town.chengguan_commission,
    )
    seed_ledger(today=TODAY, rng=Random(2026))
    reports = Activity.objects.filter(kind=ActivityKind.WRITTEN_REPORT)
    assert reports.exists()
    assert not reports.filter(report_kind="").exists()
    assert not reports.filter(recipients=[]).exists()
    kinds = set(reports.values_list("report_kind", "host__person_no"))
    assert (ReportKind.SUPERVISORY, "D8") in kinds
    principals = {no for kind, no in kinds if kind == ReportKind.FIRST_RESPONSIBLE}
    assert principals and principals <= {"P001", "P003", "D9"}
