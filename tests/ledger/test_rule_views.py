"""The rule pages: what governs an org and whence, a rule's versions, a new version."""

import pytest
from django.urls import reverse

from liangze.accounts.models import User
from liangze.ledger.models import Rule
from liangze.orgs.models import PositionKind
from tests.fixtures.clients import Login
from tests.fixtures.county import County, add_user
from tests.fixtures.ledger import add_person, load_rules

pytestmark = pytest.mark.django_db
TALKS = "tz2017-principal-talks"
URL = reverse("ledger:rules")
NEW = reverse("ledger:rule_new", args=[TALKS])
HISTORY = reverse("ledger:rule_history", args=[TALKS])


@pytest.fixture(autouse=True)
def rules(db: None) -> None:
    load_rules()


@pytest.fixture
def township_officer(county: County) -> User:
    person = add_person(
        county.chengguan,
        "P201",
        "周纪检",
        PositionKind.DISCIPLINE_STAFF,
        "纪检干部",
        discipline_body=county.chengguan_commission,
    )
    return add_user("zhoujj", person)


def new_version(county: County, **changes: str) -> dict[str, str]:
    return {
        "year": "2026",
        "name": "主要负责人每月谈心谈话（不低于10%）",
        "text": "每月主要负责人按照不低于总人数10%的比例开展谈心谈话",
        "threshold_percent": "10",
        "source": "城关镇纪委〔2026〕3号",
        "allow_tighten": "on",
    } | changes


def test_it_lists_the_rules_in_force_and_where_each_comes_from(
    login: Login, county: County, township_officer: User
) -> None:
    client = login(township_officer)
    client.post(f"{NEW}?org={county.chengguan.code}&year=2026", new_version(county))
    response = client.get(URL, {"org": str(county.branch.code), "year": "2026"})
    assert response.status_code == 200
    by_key = {rule.key: rule for rule in response.context["rules"]}
    assert (by_key[TALKS].version, by_key[TALKS].issuer) == (2, county.chengguan)
    assert not response.context["may_issue"]  # the branch is not where his body sits
    content = response.content.decode()
    assert "城关镇党委" in content and "系统默认" in content and "不低于 10%" in content


def test_it_shows_the_officer_his_own_level_first_with_the_new_version_button(
    login: Login, county: County
) -> None:
    response = login(county.discipline_officer).get(URL)
    assert response.context["org"] == county.county and response.context["may_issue"]
    assert 'data-testid="rule-new"' in response.content.decode()


def test_it_issues_a_new_version_and_keeps_the_old_one(
    login: Login, county: County, township_officer: User
) -> None:
    page = f"{NEW}?org={county.chengguan.code}&year=2026"
    form = login(township_officer).get(page)
    assert form.status_code == 200 and form.context["form"]["threshold_percent"].value() == 8
    response = login(township_officer).post(page, new_version(county))
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?org={county.chengguan.code}&year=2026"
    versions = dict(Rule.objects.filter(key=TALKS).values_list("version", "threshold_percent"))
    assert versions == {1: 8, 2: 10}
    history = login(township_officer).get(HISTORY)
    assert [r.version for r in history.context["page_obj"]] == [2, 1]


def test_it_shows_a_loosening_under_its_field_and_saves_nothing(
    login: Login, county: County, township_officer: User
) -> None:
    response = login(township_officer).post(
        f"{NEW}?org={county.chengguan.code}&year=2026",
        new_version(county, threshold_percent="5"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["threshold_percent"] == [
        "比例（%）不得低于系统默认规则第1版的8。"
    ]
    assert Rule.objects.filter(key=TALKS).count() == 1


def test_it_needs_a_source(login: Login, county: County, township_officer: User) -> None:
    response = login(township_officer).post(
        f"{NEW}?org={county.chengguan.code}&year=2026", new_version(county, source="")
    )
    assert response.status_code == 200 and response.context["form"].errors["source"]
    assert Rule.objects.filter(key=TALKS).count() == 1


@pytest.mark.parametrize("who", ["township_secretary", "clerk", "system_admin"])
def test_it_refuses_whoever_is_not_discipline_staff(login: Login, county: County, who: str) -> None:
    client = login(getattr(county, who))
    assert client.get(URL).status_code == 403
    assert client.get(HISTORY).status_code == 403
    assert client.get(f"{NEW}?org={county.chengguan.code}").status_code == 403


def test_it_refuses_a_new_version_to_staff_who_issue_for_no_level(
    login: Login, county: County
) -> None:
    client = login(county.dispatched_officer)
    assert client.get(URL).status_code == 200
    assert client.get(f"{NEW}?org={county.education.code}").status_code == 403


def test_it_refuses_the_county_officer_a_townships_subtree(login: Login, county: County) -> None:
    response = login(county.discipline_officer).post(
        f"{NEW}?org={county.chengguan.code}&year=2026", new_version(county)
    )
    assert response.status_code == 403
    assert Rule.objects.filter(key=TALKS).count() == 1


def test_it_hides_an_unknown_rule(login: Login, county: County) -> None:
    client = login(county.discipline_officer)
    assert client.get(reverse("ledger:rule_history", args=["no-such-rule"])).status_code == 404
    unknown = reverse("ledger:rule_new", args=["no-such-rule"])
    assert client.get(f"{unknown}?org={county.county.code}").status_code == 404


def test_it_refuses_other_methods(login: Login, county: County) -> None:
    client = login(county.discipline_officer)
    assert client.post(URL).status_code == 405
    assert client.post(HISTORY).status_code == 405
    assert client.put(f"{NEW}?org={county.county.code}").status_code == 405
