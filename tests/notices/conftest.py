"""城关镇's settled 2026 lists, a second branch to assign tasks to, and notices in each state."""

from datetime import date
from io import BytesIO

import pytest
from docx import Document

from liangze.duties import services as duty_services
from liangze.duties.models import DutyList, ListType, Review
from liangze.notices import services
from liangze.notices.models import Notice, NoticeKind
from liangze.notices.sources import Issuer
from liangze.orgs import services as org_services
from liangze.orgs.models import Org, OrgKind, OrgLevel
from liangze.supervision.models import Reminder
from tests.duties.conftest import catalogue  # noqa: F401
from tests.ledger.conftest import on  # noqa: F401

YEAR = 2026
# Mid-November: Q1–Q3 are past their deadlines, Q4 not yet; no entries, 3 cells per item overdue.
TODAY = date(2026, 11, 23)


def rows_for(duty_list: DutyList, responsible: list[str]) -> list[dict[str, str]]:
    """Complete rows; the responsible person cycles through `responsible` (person numbers)."""
    return [
        {
            "entry": item.entry.ref if item.entry else "",
            "name": item.name,
            "task": f"{item.name}的具体分解任务",
            "responsible": responsible[n % len(responsible)],
            "department": "党政办",
            **{q: f"{item.name}第{k}季度措施" for k, q in enumerate(("q1", "q2", "q3", "q4"), 1)},
        }
        for n, item in enumerate(duty_list.items.select_related("entry").order_by("seq"))
    ]


def settle(county, issued, list_type, person=None, responsible=("P001",)) -> DutyList:  # type: ignore[no-untyped-def]
    """A list of 城关镇 the operator walks through discussion, signing, review, publication."""
    duty_list = duty_services.duty_list_create(
        actor=None,
        org=county.chengguan,
        year=YEAR,
        list_type=list_type,
        catalogue=issued,
        person=person,
    )
    duty_services.duty_items_save(
        actor=None, duty_list=duty_list, rows=rows_for(duty_list, list(responsible))
    )
    duty_services.duty_list_discuss(
        actor=None, duty_list=duty_list, on=date(YEAR, 1, 10), meeting="党委会", attendees="全体"
    )
    secretary = county.township_secretary.person
    duty_services.duty_list_sign(actor=None, duty_list=duty_list, paper_signer=secretary)
    if list_type == ListType.MEMBER:
        duty_services.duty_list_sign(actor=None, duty_list=duty_list, paper_signer=person)
    duty_list.refresh_from_db()
    duty_services.duty_list_submit(actor=None, duty_list=duty_list, score=False)
    duty_services.duty_list_review(actor=None, duty_list=duty_list, verdict=Review.Verdict.ACCEPTED)
    return duty_services.duty_list_publish(
        actor=None, duty_list=duty_list, publish_range=DutyList.PublishRange.UNIT
    )


# Fixtures from other conftests are asked for by name: an argument `catalogue`
# would shadow the import above.


@pytest.fixture
def collective(county, request) -> DutyList:  # type: ignore[no-untyped-def]
    """The collective list: items alternate between 张建国 (P001) and 李明华 (P002)."""
    issued = request.getfixturevalue("catalogue")
    return settle(county, issued, ListType.COLLECTIVE, responsible=("P001", "P002"))


@pytest.fixture
def member_list(county, request) -> DutyList:  # type: ignore[no-untyped-def]
    member = county.township_member.person
    issued = request.getfixturevalue("catalogue")
    return settle(county, issued, ListType.MEMBER, person=member, responsible=("P002",))


@pytest.fixture
def second_branch(county) -> Org:  # type: ignore[no-untyped-def]
    return org_services.org_create(
        actor=None,
        parent=county.chengguan,
        org_no="C-T1-B2",
        name="城关镇第二党支部",
        kind=OrgKind.BRANCH,
        level=OrgLevel.BRANCH,
    )


@pytest.fixture
def today(request):  # type: ignore[no-untyped-def]
    request.getfixturevalue("on")(TODAY)
    return TODAY


def draft_order(county, org=None) -> Notice:  # type: ignore[no-untyped-def]
    """A 督办书 draft from the county 纪委 to 城关镇党委 (or `org`), written by hand."""
    body = county.county_commission
    return services.notice_draft(
        actor=county.discipline_officer,
        kind=NoticeKind.ORDER,
        issuer=Issuer(body.org, body),
        year=YEAR,
        title="关于2026年度党风廉政建设工作任务落实情况的督办书",
        body="经督查，你单位下列工作任务进展较差：\n一、逾期未完成事项\n1. 警示教育未开展。",
        recipient_org=org or county.chengguan,
        reply_due=date(2026, 12, 7),
    )


@pytest.fixture
def order(county) -> Notice:  # type: ignore[no-untyped-def]
    return draft_order(county)


@pytest.fixture
def issued_order(county, order) -> Notice:  # type: ignore[no-untyped-def]
    return services.notice_issue(actor=county.discipline_officer, notice=order)


@pytest.fixture
def duty_draft(county) -> Notice:  # type: ignore[no-untyped-def]
    """A 告知书 draft from 城关镇党委 to 李明华, written by hand (no lists needed)."""
    return services.notice_draft(
        actor=county.township_secretary,
        kind=NoticeKind.DUTY,
        issuer=Issuer(county.chengguan),
        year=YEAR,
        title="2026年度党风廉政建设责任分工告知书",
        body="现将你2026年度党风廉政建设责任分工告知如下：\n一、职务和分工\n职务：党委副书记。",
        recipient_person=county.township_member.person,
    )


@pytest.fixture
def issued_duty(county, duty_draft) -> Notice:  # type: ignore[no-untyped-def]
    return services.notice_issue(actor=county.township_secretary, notice=duty_draft)


def order_reminder(county, duty_list: DutyList, **extra) -> Reminder:  # type: ignore[no-untyped-def]
    """The ladder's 督办书草稿 step for the list's first item, addressed to the county 纪委."""
    item = duty_list.items.order_by("seq").first()
    fields = {
        "step": Reminder.Step.SUPERVISION_ORDER_DRAFT,
        "cause": f"item:{item.pk}:2026-Q1",  # type: ignore[union-attr]
        "org": duty_list.org,
        "duty_list": duty_list,
        "duty_item": item,
        "period": "2026-Q1",
        "deadline": date(2026, 4, 8),
        "recipient_body": county.county_commission,
        "raised_on": date(2026, 5, 11),
        "message": "城关镇党委台账已逾期 20 个工作日，已拟任务落实督办书草稿，请审核后发出。",
    }
    return Reminder.objects.create(**(fields | extra))


def docx_text(content: bytes) -> list[str]:
    """The paragraphs of a Word file, header and footer first, as python-docx reads them."""
    document = Document(BytesIO(content))
    section = document.sections[0]
    head = [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return head + [p.text for p in document.paragraphs]
