"""Every notices view with a code in its URL: happy path, 405, outsider 404, read-only 403.

城关镇党委 drafts and issues (its team or its clerk); the county 纪委 sees them from above
and issues nothing in 城关镇's name; a notice is signed for by whom it is addressed to.
河口镇's secretary is the outsider.
"""

import pytest

from liangze.duties.models import DutyList
from liangze.supervision.models import Reminder
from tests.fixtures.county import JW_STAFF, MEMBER, SECRETARY, County
from tests.fixtures.notices import order_reminder
from tests.fixtures.views import (
    View,
    ViewMatrix,
)

pytestmark = pytest.mark.django_db

READ = "GET only, and whoever sees the notice may read it"


@pytest.fixture
def reminder(county: County, collective: DutyList) -> Reminder:
    """The ladder's 督办书草稿 step about 城关镇, addressed to the county 纪委."""
    return order_reminder(county, collective)


def first_task(duty_list: DutyList) -> dict[str, object]:
    return {"code": duty_list.code, "seq": 1}


# View(URL name, object fixture, who may, method, data, status, outsider=…, read_only=…)
VIEWS = [
    # 李明华's 告知书, drafted by 城关镇党委 ----------------------------------------------------
    View("notices:notice", "duty_draft", SECRETARY, why=READ),
    View("notices:download", "duty_draft", SECRETARY, why=READ),
    View("notices:edit", "duty_draft", SECRETARY, wrong="put", read_only=JW_STAFF),
    View("notices:issue", "duty_draft", SECRETARY, "post", status=302, read_only=JW_STAFF),
    View("notices:delete", "duty_draft", SECRETARY, "post", status=302, read_only=JW_STAFF),
    # Sent: 李明华 signs for it; his secretary sees it and does not sign in his place.
    View("notices:acknowledge", "issued_duty", MEMBER, "post", status=302, read_only=SECRETARY),
    # A 督办书 from a reminder is the 纪委's to write, even about 城关镇's own ledger.
    View("notices:from_reminder", "reminder", JW_STAFF, "post", status=302, read_only=SECRETARY),
    # Lead and assisting units for an item of 城关镇's list: its team decides.
    View(
        "notices:task_assign",
        "collective",
        SECRETARY,
        wrong="put",
        read_only=JW_STAFF,
        url_kwargs=first_task,
    ),
]


class TestViews(ViewMatrix):
    views = VIEWS
