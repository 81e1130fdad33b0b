"""Every ledger view with a code in its URL: happy path, 405, outsider 404, read-only 403.

城关镇's published 2026 list, on 1 August: its clerk records, the county 纪委 verifies
(higher levels read and verify, they do not record), and 河口镇's secretary sees nothing.
"""

from datetime import date

import pytest

from liangze.accounts.models import User
from liangze.core.models import Evidence
from liangze.duties import services as duty_services
from liangze.duties.models import DutyList, Review
from liangze.ledger.activities.services import activity_record
from liangze.ledger.entries.services import entry_add
from liangze.ledger.models import Activity, ActivityKind, ProgressEntry
from liangze.orgs import services as org_services
from liangze.orgs.models import Gender
from tests.fixtures.clock import On
from tests.fixtures.county import CLERK, JW_STAFF, SECRETARY, County, add_user, person_of
from tests.fixtures.evidence import photo
from tests.fixtures.views import (
    View,
    ViewMatrix,
)

pytestmark = pytest.mark.django_db

SUMMER = date(2026, 8, 1)
READ = "GET only, and whoever sees the ledger may read it"


@pytest.fixture(autouse=True)
def summer(on: On) -> None:
    on(SUMMER)


@pytest.fixture
def entry(county: County, published: DutyList) -> ProgressEntry:
    """The clerk's Q3 entry for the first item, with a photo, awaiting verification."""
    return entry_add(
        actor=county.clerk,
        item=published.items.get(seq=1),
        period="2026-Q3",
        text="召开专题会议",
        done_on=date(2026, 7, 15),
        uploads=[photo()],
    )


@pytest.fixture
def evidence(entry: ProgressEntry) -> Evidence:
    return entry.evidence.get()


@pytest.fixture
def activity(county: County) -> Activity:
    """A talk 城关镇's secretary recorded: he or the team may change it, not the clerk."""
    return activity_record(
        actor=county.township_secretary,
        org=county.chengguan,
        kind=ActivityKind.TALK,
        held_on=SUMMER,
        host=person_of(county.township_secretary),
        participants=[person_of(county.township_member)],
        subject="谈心谈话：落实一岗双责",
    )


@pytest.fixture
def published_to_subtree(county: County, submitted: DutyList) -> DutyList:
    duty_services.duty_list_review(
        actor=county.discipline_officer, duty_list=submitted, verdict=Review.Verdict.ACCEPTED
    )
    return duty_services.duty_list_publish(
        actor=county.township_secretary,
        duty_list=submitted,
        publish_range=DutyList.PublishRange.SUBTREE,
    )


@pytest.fixture
def branch_member(county: County) -> User:
    """A member of 城关镇第一党支部 with no post: reads 城关镇's ledger, remarks on nothing."""
    person = org_services.person_create(
        actor=None, org=county.branch, person_no="P101", name="周党员", gender=Gender.MALE
    )
    return add_user("zhoudy", person)


def cell(duty_list: DutyList) -> dict[str, object]:
    return {"code": duty_list.code, "seq": 1, "period": "2026-Q3"}


# View(URL name, object fixture, who may, method, data, status, outsider=…, read_only=…)
VIEWS = [
    # The grid and its cells ----------------------------------------------------------------
    View("ledger:grid", "published", CLERK, why=READ),
    View("ledger:cell", "published", CLERK, why=READ, url_kwargs=cell),
    View(
        "ledger:entry_new",
        "published",
        CLERK,
        wrong="put",
        read_only=JW_STAFF,
        url_kwargs=cell,
    ),
    # Published to 城关镇 and below, so that someone sees the cell without a say in it.
    View(
        "ledger:cell_comment",
        "published_to_subtree",
        JW_STAFF,
        "post",
        {"text": "本季度为何没有填报？"},
        302,
        read_only="branch_member",
        url_kwargs=cell,
    ),
    # Entries: 对账销号 by the level above, never by the unit itself --------------------------
    View("ledger:entry", "entry", CLERK, why=READ),
    # Evidence files are served by the portal, whatever record they back.
    View("portal:evidence", "evidence", CLERK, why=READ),
    View("ledger:entry_verify", "entry", JW_STAFF, "post", status=302, read_only=SECRETARY),
    View(
        "ledger:entry_reject",
        "entry",
        JW_STAFF,
        "post",
        {"reason": "佐证材料不清晰"},
        302,
        read_only=SECRETARY,
    ),
    # Activities: changed by whoever entered them or the unit's team ---------------------------
    View("ledger:activity", "activity", CLERK, why=READ),
    View("ledger:activity_edit", "activity", SECRETARY, wrong="put", read_only=CLERK),
    View("ledger:activity_delete", "activity", SECRETARY, "post", status=302, read_only=CLERK),
]


class TestViews(ViewMatrix):
    views = VIEWS
