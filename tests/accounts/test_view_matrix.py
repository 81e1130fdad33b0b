"""Every accounts view with a code in its URL: happy path, 405, outsider 404, read-only 403.

Accounts are not scoped by org: a token is its owner's alone, and user accounts are
managed by the security admin only (三员分立) — any other user is refused by role.
"""

import pytest

from liangze.accounts import services
from liangze.accounts.models import ApiToken, User
from tests.fixtures.county import CLERK, SECRETARY, County
from tests.fixtures.views import (
    View,
    ViewMatrix,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(county: County) -> ApiToken:
    made, _clear = services.api_token_create(actor=county.clerk, name="统计报送")
    return made


@pytest.fixture
def clerk_account(county: County) -> User:
    return county.clerk


def unlock(user: User) -> dict[str, object]:
    return {"code": user.code, "action": "unlock"}


# View(URL name, object fixture, who may, method, data, status, outsider=…, read_only=…)
VIEWS = [
    View(
        "accounts:token_revoke",
        "token",
        CLERK,
        "post",
        status=302,
        outsider=SECRETARY,
        why="a token is seen by its owner alone, who may revoke it: no read-only insider",
    ),
    View(
        "accounts:user_action",
        "clerk_account",
        "security_admin",
        "post",
        status=302,
        outsider=None,
        read_only="system_admin",
        why="accounts have no scope: the role decides, and every other user is refused (403)",
        url_kwargs=unlock,
    ),
]


class TestViews(ViewMatrix):
    views = VIEWS
