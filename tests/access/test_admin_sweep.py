"""The three administrators (三员分立) see no business data anywhere (issue 11, item 1).

Every URL pattern is asked for, GET only, as each administrator: the pages with a code in
their URL by their app's view matrix (tests/fixtures/views.py), every other page and every
/api/v1 route here, with real rows of the county in their parameters — and each page that
takes an org as its subject (`?org=`) once more for the county at the top of the tree, which
is how the coverage, indicator and dashboard pages used to name people to the admins.
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from liangze.accounts import services
from liangze.accounts.models import User
from liangze.duties.models import Catalogue, DutyList
from liangze.notices.models import Notice
from liangze.orgs.models import Person
from liangze.supervision.models import Inspection
from tests.fixtures.admins import ADMINS, OWN_WORK, business_names, check_admin_answer
from tests.fixtures.county import County, person_of
from tests.fixtures.ledger import load_rules
from tests.fixtures.notices import draft_order
from tests.fixtures.supervision import YEAR, plan
from tests.test_view_matrices import names_with_a_code

pytestmark = pytest.mark.django_db

RULE = "tz2017-principal-talks"


def patterns(found: list[URLPattern | URLResolver], ns: str = "") -> Iterator[tuple[str, set[str]]]:
    """(name, its parameters) of every URL pattern."""
    for pattern in found:
        if isinstance(pattern, URLResolver):
            inner = f"{ns}{pattern.namespace}:" if pattern.namespace else ns
            yield from patterns(pattern.url_patterns, inner)
            continue
        route = pattern.pattern
        yield f"{ns}{pattern.name}", {*getattr(route, "converters", {}), *route.regex.groupindex}


class Rows:
    """Real rows of the county, one of each kind a URL names."""

    def __init__(self, county: County, published: DutyList, catalogue: Catalogue) -> None:
        load_rules()
        self.county = county
        self.person: Person = person_of(county.township_secretary)
        self.duty_list = published
        self.catalogue = catalogue
        self.notice: Notice = draft_order(county)
        self.inspection: Inspection = plan(county)


# The routes with parameters that no view matrix lists: the API's, and the rules' (a key).
WITH_PARAMETERS: dict[str, Callable[[Rows], dict[str, Any]]] = {
    "api:org": lambda rows: {"code": rows.county.county.code},
    "api:children": lambda rows: {"code": rows.county.county.code},
    "api:person": lambda rows: {"code": rows.person.code},
    "api:positions": lambda rows: {"code": rows.person.code},
    "api:duty_list": lambda rows: {"code": rows.duty_list.code},
    "api:items": lambda rows: {"code": rows.duty_list.code},
    "api:notice": lambda rows: {"code": rows.notice.code},
    "api:acknowledge": lambda rows: {"code": rows.notice.code},
    "api:inspection": lambda rows: {"code": rows.inspection.code},
    "api:verify_draw": lambda rows: {"code": rows.inspection.code},
    "ledger:rule_history": lambda rows: {"key": RULE},
    "ledger:rule_new": lambda rows: {"key": RULE},
}

# Asked with none of their parameters, they could not be found at all.
NEEDS: dict[str, dict[str, str]] = {"api:search": {"q": "镇"}, "api:coverage": {"year": str(YEAR)}}


def in_matrices() -> set[str]:
    return {n for n in names_with_a_code(get_resolver().url_patterns) if not n.startswith("api:")}


def swept() -> list[str]:
    """Every URL name no view matrix asks for: walked here."""
    listed = in_matrices()
    return sorted({name for name, _params in patterns(get_resolver().url_patterns)} - listed)


def test_every_route_is_swept_somewhere() -> None:
    """A new page or API route cannot escape: it has a matrix row, or no parameters, or a row
    in WITH_PARAMETERS."""
    listed = in_matrices()
    unreached = sorted(
        name
        for name, params in patterns(get_resolver().url_patterns)
        if params and name not in listed and name not in WITH_PARAMETERS
    )
    assert unreached == []
    walked = set(swept())
    assert {"duties:coverage", "ledger:indicators", "api:coverage", "api:indicators"} <= walked


@pytest.fixture
def rows(county: County, published: DutyList, catalogue: Catalogue) -> Rows:
    return Rows(county, published, catalogue)


@pytest.fixture
def names(rows: Rows) -> set[str]:
    return business_names()


def urls(name: str, rows: Rows) -> list[str]:
    """The URL, and — for a page that takes an org as its subject — the county's."""
    kwargs = WITH_PARAMETERS[name](rows) if name in WITH_PARAMETERS else {}
    url = reverse(name, kwargs=kwargs)
    query = "&".join(f"{k}={v}" for k, v in NEEDS.get(name, {}).items())
    subject = f"org={rows.county.county.code}&year={YEAR}"
    return [f"{url}?{query}" if query else url, f"{url}?{subject}&{query}"]


def as_admin(who: User, name: str) -> Client:
    """A page with the admin's session; an API route with a token of theirs."""
    if name.startswith("api:"):
        _token, clear = services.api_token_create(actor=who, name="巡检")
        return Client(HTTP_AUTHORIZATION=f"Bearer {clear}")
    client = Client()
    client.force_login(who)
    return client


@pytest.mark.parametrize("name", swept())
def test_it_shows_no_administrator_business_data(rows: Rows, names: set[str], name: str) -> None:
    for who in ADMINS:
        client = as_admin(getattr(rows.county, who), name)
        for url in urls(name, rows):
            check_admin_answer(name, who, client.get(url), names)


# The leaks found (issue 11, item 1), named ---------------------------------------------------


@pytest.mark.parametrize("who", ["system_admin", "security_admin"])
def test_the_coverage_and_indicators_name_no_one_to_the_administrators(
    rows: Rows, who: str
) -> None:
    admin = getattr(rows.county, who)
    org = {"org": str(rows.county.county.code), "year": str(YEAR)}
    api = as_admin(admin, "api:coverage")
    assert api.get(reverse("api:coverage"), org).status_code == 404
    assert api.get(reverse("api:indicators"), org).status_code == 404
    pages = as_admin(admin, "duties:coverage")
    assert pages.get(reverse("ledger:indicators"), org).status_code == 404
    page = pages.get(reverse("duties:coverage"))
    assert page.status_code == 200 and page.context["report"] is None


def test_the_system_admin_still_keeps_the_org_tree(client: Client, rows: Rows) -> None:
    client.force_login(rows.county.system_admin)
    tree = client.get(reverse("orgs:tree"))
    assert [org.name for org in tree.context["roots"]] == [rows.county.county.name]
    people = client.get(reverse("orgs:people"), {"org": str(rows.county.chengguan.code)})
    assert rows.person in people.context["page_obj"].object_list
    for name in sorted(OWN_WORK["system_admin"] & set(swept())):
        answer = as_admin(rows.county.system_admin, name).get(urls(name, rows)[0])
        assert answer.status_code == 200, name


@pytest.mark.parametrize("who", ADMINS)
def test_the_home_page_of_an_administrator_has_no_business_todo(
    client: Client, rows: Rows, who: str
) -> None:
    client.force_login(getattr(rows.county, who))
    home = client.get(reverse("portal:home"))
    assert home.status_code == 200
    assert not home.context["todos"]
    nav = {item["url"] for item in home.context["nav_items"]}
    for business in ("duties:index", "duties:coverage", "ledger:indicators", "dashboard:index"):
        assert reverse(business) not in nav
