"""城关镇's settled 2026 lists, a second branch to assign tasks to, and notices in each state."""

from datetime import date

import pytest

from liangze.duties.models import Catalogue, DutyList, ListType
from liangze.notices import services
from liangze.notices.models import Notice, NoticeKind
from liangze.notices.sources import Issuer
from liangze.orgs import services as org_services
from liangze.orgs.models import Org, OrgKind, OrgLevel
from tests.fixtures.clock import On
from tests.fixtures.county import County
from tests.fixtures.notices import YEAR, draft_order, settle

# Mid-November: Q1–Q3 are past their deadlines, Q4 not yet; no entries, 3 cells per item overdue.
TODAY = date(2026, 11, 23)


@pytest.fixture
def collective(county: County, catalogue: Catalogue) -> DutyList:
    """The collective list: items alternate between 张建国 (P001) and 李明华 (P002)."""
    return settle(county, catalogue, ListType.COLLECTIVE, responsible=("P001", "P002"))


@pytest.fixture
def member_list(county: County, catalogue: Catalogue) -> DutyList:
    member = county.township_member.person
    return settle(county, catalogue, ListType.MEMBER, person=member, responsible=("P002",))


@pytest.fixture
def second_branch(county: County) -> Org:
    return org_services.org_create(
        actor=None,
        parent=county.chengguan,
        org_no="C-T1-B2",
        name="城关镇第二党支部",
        kind=OrgKind.BRANCH,
        level=OrgLevel.BRANCH,
    )


@pytest.fixture
def today(on: On) -> date:
    on(TODAY)
    return TODAY


@pytest.fixture
def order(county: County) -> Notice:
    return draft_order(county)


@pytest.fixture
def issued_order(county: County, order: Notice) -> Notice:
    return services.notice_issue(actor=county.discipline_officer, notice=order)


@pytest.fixture
def duty_draft(county: County) -> Notice:
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
def issued_duty(county: County, duty_draft: Notice) -> Notice:
    return services.notice_issue(actor=county.township_secretary, notice=duty_draft)
