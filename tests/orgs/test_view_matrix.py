"""Every orgs view with a code in its URL: happy path, 405, outsider 404.

The org pages only read, and whoever sees an org or a person may read its page,
so no insider is refused: 403 does not apply. 河口镇's secretary is the outsider.
"""

import pytest

from liangze.orgs.models import Org, Person
from tests.fixtures.county import CLERK, SECRETARY, County, person_of
from tests.fixtures.views import (
    View,
    ViewMatrix,
)

pytestmark = pytest.mark.django_db

READ = "GET only, and whoever sees it may read it"


@pytest.fixture
def chengguan(county: County) -> Org:
    return county.chengguan


@pytest.fixture
def secretary(county: County) -> Person:
    return person_of(county.township_secretary)


# View(URL name, object fixture, who may, method, data, status, outsider=…, read_only=…)
VIEWS = [
    View("orgs:org", "chengguan", CLERK, why=READ),
    View("orgs:children", "chengguan", SECRETARY, why=READ),
    View("orgs:person", "secretary", SECRETARY, why=READ),
]


class TestViews(ViewMatrix):
    views = VIEWS
