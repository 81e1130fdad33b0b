"""Every link a page renders can be followed by the user it is rendered for (issue 17 A4).

A refusal in the audit trail (越权访问) must then be an attempt, never a click on our own page.
"""

import re
from urllib.parse import urljoin

import pytest
from django.urls import reverse

from liangze.accounts.models import User
from liangze.duties.models import DutyList
from tests.fixtures.clients import Login
from tests.fixtures.county import County

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("dashboard:index")
COVERAGE = reverse("duties:coverage")
NOTICES = reverse("notices:index")
TASKS = reverse("notices:tasks")
HREF = re.compile(r'href="([^"#]*)"')


def hrefs(content: str) -> set[str]:
    return {href.replace("&amp;", "&") for href in HREF.findall(content)}


def test_the_dispatched_head_follows_the_dashboard_item_to_his_units(
    login: Login, county: County
) -> None:
    client = login(county.dispatched_officer)
    assert DASHBOARD in hrefs(client.get("/").content.decode())
    board = client.get(DASHBOARD)
    assert board.status_code == 200
    assert board.context["board"].org == county.education


def test_the_menu_offers_the_dashboard_only_to_those_it_opens_for(
    login: Login, county: County
) -> None:
    assert DASHBOARD not in hrefs(login(county.clerk).get("/").content.decode())
    assert login(county.clerk).get(DASHBOARD).status_code == 403
    assert DASHBOARD in hrefs(login(county.discipline_officer).get("/").content.decode())


def test_coverage_links_only_the_units_the_user_may_open(login: Login, county: County) -> None:
    seen_from_county = hrefs(login(county.dispatched_officer).get(COVERAGE).content.decode())
    assert not any(str(county.chengguan.code) in href for href in seen_from_county)
    officer = hrefs(login(county.discipline_officer).get(COVERAGE).content.decode())
    assert any(str(county.chengguan.code) in href for href in officer)


def test_coverage_names_the_county_to_a_township_without_a_link(
    login: Login, county: County
) -> None:
    township = login(county.township_secretary).get(COVERAGE).content.decode()
    assert "示范县委" in township
    assert not any(str(county.county.code) in href for href in hrefs(township))
    page = f"{COVERAGE}?org={county.chengguan.code}"
    officer = login(county.discipline_officer).get(page).content.decode()
    assert any(str(county.county.code) in href for href in hrefs(officer))


def test_notices_offer_task_breakdown_only_to_units(login: Login, county: County) -> None:
    discipline = login(county.discipline_officer).get(NOTICES).content.decode()
    assert 'data-testid="notices-nav"' in discipline and TASKS not in hrefs(discipline)
    assert login(county.discipline_officer).get(TASKS).status_code == 403
    assert TASKS in hrefs(login(county.township_secretary).get(NOTICES).content.decode())


PAGES = ("/", COVERAGE, DASHBOARD, NOTICES)
PERSONAS = (
    "township_secretary",
    "township_member",
    "clerk",
    "other_township_secretary",
    "discipline_officer",
    "dispatched_officer",
    "system_admin",
    "security_admin",
    "audit_admin",
)


def _links(login: Login, user: User) -> dict[str, str]:
    """Each in-app link on the pages the user can open, with the page it is on."""
    found: dict[str, str] = {}
    client = login(user)
    for page in PAGES:
        response = client.get(page)
        if response.status_code != 200:
            continue
        for href in hrefs(response.content.decode()):
            target = urljoin(page, href)
            if target.startswith("/") and not target.startswith(("/static/", "/accounts/logout")):
                found.setdefault(target, page)
    return found


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_link_leads_to_a_refusal(
    login: Login, county: County, draft: DutyList, persona: str
) -> None:
    user: User = getattr(county, persona)
    client = login(user)
    refused = {
        target: (page, status)
        for target, page in _links(login, user).items()
        if (status := client.get(target).status_code) in (403, 404)
    }
    assert refused == {}
