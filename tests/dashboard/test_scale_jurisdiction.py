"""The four-colour scale belongs to a jurisdiction: a level may make its subtree's scale
stricter — warn sooner, commend less readily — where the level above allows it."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from liangze.accounts.models import User
from liangze.dashboard import queries
from liangze.dashboard.models import ScaleVersion, WarningSnapshot
from liangze.dashboard.services import scale_issue, warning_snapshot_take
from liangze.dashboard.warning import Colour, classify
from liangze.orgs.models import PositionKind
from tests.fixtures.clients import Login
from tests.fixtures.county import County, add_user
from tests.fixtures.ledger import add_person

pytestmark = pytest.mark.django_db
SOURCE = "城关镇纪委〔2026〕6号"
RED_RATE = "unit.0.0"  # red: overdue_rate >= 30
RED_RECTIFICATIONS = "unit.0.2"  # red: open_rectifications >= 5
GREEN_ASSESSED = "unit.2.0"  # green: assessed >= 1
ON = date(2026, 8, 3)


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


def issue(actor: User, county: County, **values: float) -> ScaleVersion:
    return scale_issue(
        actor=actor, issuer=county.chengguan, year=2026, values=values, source=SOURCE
    )


def test_a_townships_scale_colours_its_subtree_only(county: County, township_officer: User) -> None:
    issue(township_officer, county, **{RED_RATE: 20})
    book = queries.scale_book(2026)
    metrics = {
        "overdue_rate": 25.0,
        "failing_rate": 0.0,
        "open_rectifications": 0.0,
        "overdue_cells": 1.0,
        "due_cells": 4.0,
        "failing_indicators": 0.0,
        "assessed_indicators": 0.0,
        "assessed": 4.0,
    }
    assert classify(metrics, book.scale_for(county.branch.path)) == Colour.RED
    assert classify(metrics, book.scale_for(county.hekou.path)) == Colour.YELLOW
    assert classify(metrics, book.scale_for(county.county.path)) == Colour.YELLOW


def test_the_dashboard_and_the_snapshot_colour_each_unit_by_its_own_scale(
    county: County, township_officer: User
) -> None:
    # Stricter: any open rectification at all, even none, is red in 城关镇.
    issue(township_officer, county, **{RED_RECTIFICATIONS: 0})
    page = queries.dashboard(county.discipline_officer, county.county, year=2026, on=ON)
    colours = {row.org: row.colour for row in page.rows}
    assert colours[county.chengguan] == Colour.RED
    assert colours[county.hekou] == Colour.BLUE
    warning_snapshot_take(actor=None, on=ON)
    rows = dict(
        WarningSnapshot.objects.filter(person=None).values_list("org__org_no", "scale_code")
    )
    assert rows["C-T1"] == rows["C-T1-B1"] == "four-colour@C-T1"
    assert rows["C-T2"] == rows["C"] == "four-colour"


def test_it_refuses_a_laxer_scale(county: County, township_officer: User) -> None:
    with pytest.raises(ValidationError) as refused:
        issue(township_officer, county, **{RED_RATE: 40, GREEN_ASSESSED: 0})
    errors = refused.value.message_dict
    assert errors[RED_RATE] == ["单位红色条件“台账逾期率（%） >=”不得宽于系统默认标准的 30。"]
    assert "绿色" in errors[GREEN_ASSESSED][0]
    assert not ScaleVersion.objects.exists()


def test_a_child_cannot_tighten_a_scale_the_upper_level_closed(
    county: County, township_officer: User
) -> None:
    scale_issue(
        actor=county.discipline_officer,
        issuer=county.county,
        year=2026,
        values={},
        source="县纪委〔2026〕2号",
        allow_tighten=False,
    )
    with pytest.raises(ValidationError) as refused:
        issue(township_officer, county, **{RED_RATE: 20})
    assert refused.value.message_dict["__all__"] == ["示范县委第1版不允许下级另行规定。"]


def test_a_new_scale_version_keeps_the_old_one_and_needs_a_source(
    county: County, township_officer: User
) -> None:
    first = issue(township_officer, county, **{RED_RATE: 25})
    second = issue(township_officer, county, **{RED_RATE: 20})
    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.data["unit"][0]["conditions"][0]["value"] == 25
    assert queries.scale_book(2026).scale_for(county.branch.path).unit[0].conditions[0].value == 20
    with pytest.raises(ValidationError) as refused:
        scale_issue(
            actor=township_officer, issuer=county.chengguan, year=2026, values={}, source=""
        )
    assert "出处" in refused.value.message_dict["source"][0]


@pytest.mark.parametrize("who", ["township_secretary", "dispatched_officer", "clerk"])
def test_it_refuses_whoever_is_not_the_levels_discipline_staff(county: County, who: str) -> None:
    with pytest.raises(PermissionDenied):
        scale_issue(
            actor=getattr(county, who), issuer=county.county, year=2026, values={}, source=SOURCE
        )


# The pages ---------------------------------------------------------------------------------


def test_the_page_issues_a_stricter_scale_and_shows_it_in_force(
    login: Login, county: County, township_officer: User
) -> None:
    client = login(township_officer)
    new = f"{reverse('dashboard:scale_new')}?org={county.chengguan.code}&year=2026"
    form = client.get(new)
    assert form.status_code == 200 and form.context["form"][RED_RATE].initial == 30
    data = {key: str(form.context["form"][key].initial) for key in form.context["form"].keys}
    posted = data | {RED_RATE: "20", "year": "2026", "source": SOURCE, "allow_tighten": "on"}
    assert client.post(new, posted).status_code == 302
    page = client.get(reverse("dashboard:scale"), {"org": str(county.branch.code)})
    assert page.context["governing_name"] == "城关镇党委第1版"
    assert page.context["conditions"][0].initial == 20
    html = page.content.decode()
    assert 'data-testid="scale-source">现行版本：城关镇党委第1版' in html
    assert "颜色按红、黄、绿的顺序判定" in html and 'data-testid="scale-table"' in html
    refused = client.post(new, posted | {RED_RATE: "35"})
    assert refused.status_code == 200 and refused.context["form"].errors[RED_RATE]
    assert ScaleVersion.objects.count() == 1


def test_the_pages_refuse_whoever_is_not_discipline_staff(login: Login, county: County) -> None:
    client = login(county.township_secretary)
    assert client.get(reverse("dashboard:scale")).status_code == 403
    assert client.get(reverse("dashboard:scale_new")).status_code == 403
    officer = login(county.dispatched_officer)
    assert officer.get(reverse("dashboard:scale_new")).status_code == 403
    assert officer.post(reverse("dashboard:scale")).status_code == 405
