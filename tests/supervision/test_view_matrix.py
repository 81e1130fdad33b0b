"""Every supervision view with a code in its URL: happy path, 405, outsider 404, read-only 403.

The county 纪委 plans an inspection over 河口镇 (flagged, 必查) and 城关镇. Who may:
- manage (targets, draw, start, conclude, sanction, verify): the 纪委 staff; the read-only
  insider is 钱监督 of the 派驻组, named an inspector — he sees and inspects, not manages;
- inspect (check, findings, verdicts): the 纪委 staff; 城关镇's own secretary sees his
  unit's target once the inspection has started, and is not the one to inspect it;
- rectify (plan, report): 城关镇's own people; the 纪委 staff see it and do not rectify.
Reminders go to one person or one discipline body; whoever sees the unit reads them.
河口镇's secretary is the outsider: he sees neither the plan nor 城关镇's rows.
"""

from datetime import date

import pytest

from liangze.accounts.models import User
from liangze.duties.models import DutyItem, DutyList
from liangze.supervision.inspections import services
from liangze.supervision.models import (
    Finding,
    Inspection,
    InspectionTarget,
    Rectification,
    Reminder,
    UnitFlag,
)
from liangze.supervision.rectifications import services as rectify
from tests.fixtures.county import JW_STAFF, MEMBER, SECRETARY, County
from tests.fixtures.evidence import photo
from tests.fixtures.supervision import YEAR
from tests.fixtures.views import (
    View,
    ViewMatrix,
)

pytestmark = pytest.mark.django_db

READ = "GET only, and whoever sees it may read it"


@pytest.fixture
def drawn(county: County, inspection: Inspection) -> Inspection:
    services.sample_draw(actor=county.discipline_officer, inspection=inspection, size=1)
    return inspection


@pytest.fixture
def checked(county: County, started: Inspection, inspector: User) -> Inspection:
    """Under way, every unit checked: ready to conclude."""
    for target in started.targets.all():
        services.target_check(actor=county.discipline_officer, target=target, conclusion="较好")
    return started


@pytest.fixture
def planned_target(inspection: Inspection) -> InspectionTarget:
    """河口镇, 必查, before the start: removable with a reason."""
    return inspection.targets.get()


@pytest.fixture
def target_with_list(target: InspectionTarget, published: DutyList) -> InspectionTarget:
    """城关镇's target, its published list ready for 逐项过堂."""
    return target


@pytest.fixture
def perfunctory(county: County, target: InspectionTarget) -> Finding:
    return services.finding_record(
        actor=county.discipline_officer, target=target, description="走过场", is_perfunctory=True
    )


@pytest.fixture
def unrectified(county: County, target: InspectionTarget) -> Finding:
    return services.finding_record(
        actor=county.discipline_officer, target=target, description="台账不全", rectify=False
    )


@pytest.fixture
def planned(county: County, rectification: Rectification) -> Rectification:
    rectify.rectification_plan(
        actor=county.township_secretary, rectification=rectification, plan="补齐谈话记录"
    )
    return rectification


@pytest.fixture
def reported(county: County, planned: Rectification) -> Rectification:
    rectify.rectification_report(
        actor=county.township_secretary, rectification=planned, report="已补齐", uploads=[photo()]
    )
    return planned


@pytest.fixture
def branch_flag(county: County) -> UnitFlag:
    """城关镇's 第一党支部, flagged by the county 纪委: 城关镇's secretary sees it from above."""
    return services.flag_set(
        actor=county.discipline_officer,
        org=county.branch,
        year=YEAR,
        reason=UnitFlag.Reason.CASE,
        note="支部委员违纪案",
    )


@pytest.fixture
def reminder(county: County, published: DutyList) -> Reminder:
    """提醒本人: 张建国 is told that 城关镇's Q4 ledger falls due."""
    item = published.items.get(seq=1)
    return Reminder.objects.create(
        step=Reminder.Step.REMINDER,
        cause=f"item:{item.pk}:2026-Q4",
        org=county.chengguan,
        duty_list=published,
        duty_item=item,
        period="2026-Q4",
        deadline=date(2027, 1, 8),
        recipient_person=county.township_secretary.person,
        raised_on=date(2026, 11, 20),
        message="台账将于 2027-01-08 截止，请及时填报。",
    )


def first_item(target: InspectionTarget, county: object) -> dict[str, object]:
    item = DutyItem.objects.filter(duty_list__org=target.org).order_by("seq").first()
    assert item is not None
    return {"item": item.pk, "value": "done"}


def evidenced_report(rectification: Rectification, county: object) -> dict[str, object]:
    return {"report": "已补齐", "uploads": [photo()]}


# View(URL name, object fixture, who may, method, data, status, outsider=…, read_only=…)
VIEWS = [
    # Inspections: organised by the county 纪委 ------------------------------------------------
    View("supervision:inspection", "inspection", JW_STAFF, why=READ),
    View("supervision:export", "inspection", JW_STAFF, why=READ),
    View("supervision:draw_verify", "drawn", "inspector", why=READ),
    View(
        "supervision:target_add",
        "inspection",
        JW_STAFF,
        "post",
        {"org": "C-D1"},
        302,
        read_only="inspector",
    ),
    View(
        "supervision:targets_sync",
        "inspection",
        JW_STAFF,
        "post",
        status=302,
        read_only="inspector",
    ),
    View(
        "supervision:draw",
        "inspection",
        JW_STAFF,
        "post",
        {"size": 1, "rule": "children", "public_number": "371"},
        302,
        read_only="inspector",
    ),
    View("supervision:start", "inspection", JW_STAFF, "post", status=302, read_only="inspector"),
    View(
        "supervision:conclude",
        "checked",
        JW_STAFF,
        "post",
        {"summary": "总体较好"},
        302,
        read_only="inspector",
    ),
    # Targets -----------------------------------------------------------------------------------
    View("supervision:target", "target", SECRETARY, why=READ),
    View(
        "supervision:target_remove",
        "planned_target",
        JW_STAFF,
        "post",
        {"reason": "已另行检查"},
        302,
        read_only="inspector",
    ),
    View(
        "supervision:target_check",
        "target",
        JW_STAFF,
        "post",
        {"conclusion": "基本落实"},
        302,
        read_only=SECRETARY,
    ),
    View("supervision:finding_new", "target", JW_STAFF, wrong="put", read_only=SECRETARY),
    # GET shows the walk to whoever sees the target; POST saves a verdict, the inspectors' part.
    View(
        "supervision:review",
        "target_with_list",
        JW_STAFF,
        "post",
        first_item,
        302,
        wrong="put",
        read_only=SECRETARY,
    ),
    # Findings ----------------------------------------------------------------------------------
    View(
        "supervision:finding_rectify",
        "unrectified",
        JW_STAFF,
        "post",
        {"deadline": ""},
        302,
        read_only=SECRETARY,
    ),
    View(
        "supervision:finding_sanction",
        "perfunctory",
        JW_STAFF,
        "post",
        {"kind": "redo", "decided_on": "2026-11-20"},
        302,
        read_only=SECRETARY,
    ),
    # Rectifications: 城关镇 rectifies, the 纪委 verifies ------------------------------------------
    View("supervision:rectification", "rectification", SECRETARY, why=READ),
    View(
        "supervision:rectification_plan",
        "rectification",
        SECRETARY,
        "post",
        {"plan": "补齐谈话记录"},
        302,
        read_only=JW_STAFF,
    ),
    View(
        "supervision:rectification_report",
        "planned",
        SECRETARY,
        "post",
        evidenced_report,
        302,
        read_only=JW_STAFF,
    ),
    View(
        "supervision:rectification_verify",
        "reported",
        JW_STAFF,
        "post",
        {"note": "同意"},
        302,
        read_only=SECRETARY,
    ),
    View(
        "supervision:rectification_return",
        "reported",
        JW_STAFF,
        "post",
        {"reason": "佐证不足"},
        302,
        read_only=SECRETARY,
    ),
    # Flags: set and cleared by the discipline staff supervising the unit -------------------------
    View(
        "supervision:flag_delete",
        "branch_flag",
        JW_STAFF,
        "post",
        status=302,
        read_only=SECRETARY,
    ),
    # Reminders: acknowledged by whom they are addressed to -------------------------------------
    View("supervision:reminder", "reminder", MEMBER, why=READ),
    View(
        "supervision:reminder_acknowledge",
        "reminder",
        SECRETARY,
        "post",
        status=302,
        read_only=MEMBER,
    ),
]


class TestViews(ViewMatrix):
    views = VIEWS
