"""The escalation ladder belongs to a jurisdiction: a level may make its subtree escalate
sooner, never later, where the level above allows it."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from liangze.accounts.models import User
from liangze.ledger.models import Rule
from liangze.orgs.models import Person, PositionKind
from liangze.supervision.models import LadderVersion, Reminder
from liangze.supervision.reminders.ladder import THRESHOLDS, Step, load_ladder, thresholds_of
from liangze.supervision.reminders.queries import ladder_book
from liangze.supervision.reminders.services import ladder_issue, run_escalation
from tests.fixtures.clients import Login
from tests.fixtures.county import County, add_user
from tests.fixtures.ledger import add_person, load_rules

pytestmark = pytest.mark.django_db
SOURCE = "城关镇纪委〔2026〕5号"


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


def thresholds(**changes: int) -> dict[str, int]:
    return thresholds_of(load_ladder()) | changes


def test_a_townships_ladder_governs_its_subtree_only(
    county: County, township_officer: User
) -> None:
    version = ladder_issue(
        actor=township_officer,
        issuer=county.chengguan,
        year=2026,
        thresholds=thresholds(unit_overdue_cells=1, indicator_repeated_unmet=1),
        source=SOURCE,
    )
    assert version.version == 1 and version.issuer_name == "城关镇党委"
    book = ladder_book(2026)
    assert book.ladder_for(county.branch.path).unit_overdue_cells == 1
    assert book.ladder_for(county.chengguan.path).indicator_repeated_unmet == 1
    assert book.ladder_for(county.hekou.path) == load_ladder()
    assert ladder_book(2025).ladder_for(county.branch.path) == load_ladder()


def test_it_refuses_a_ladder_that_escalates_later(county: County, township_officer: User) -> None:
    with pytest.raises(ValidationError) as refused:
        ladder_issue(
            actor=township_officer,
            issuer=county.chengguan,
            year=2026,
            thresholds=thresholds(unit_overdue_cells=5, indicator_due_soon_days=3),
            source=SOURCE,
        )
    errors = refused.value.message_dict
    assert errors["unit_overdue_cells"] == [
        "单位年度逾期台账达到（项）即拟约谈不得多于系统默认标准的3。"
    ]
    assert errors["indicator_due_soon_days"] == ["指标截止前提醒（天）不得少于系统默认标准的7。"]
    assert not LadderVersion.objects.exists()


def test_a_child_cannot_tighten_a_ladder_the_upper_level_closed(
    county: County, township_officer: User
) -> None:
    ladder_issue(
        actor=county.discipline_officer,
        issuer=county.county,
        year=2026,
        thresholds=thresholds(),
        source="县纪委〔2026〕1号",
        allow_tighten=False,
    )
    with pytest.raises(ValidationError) as refused:
        ladder_issue(
            actor=township_officer,
            issuer=county.chengguan,
            year=2026,
            thresholds=thresholds(unit_overdue_cells=1),
            source=SOURCE,
        )
    assert refused.value.message_dict["__all__"] == ["示范县委第1版不允许下级另行规定。"]


def test_a_new_ladder_version_keeps_the_old_one_and_needs_a_source(
    county: County, township_officer: User
) -> None:
    first = ladder_issue(
        actor=township_officer,
        issuer=county.chengguan,
        year=2026,
        thresholds=thresholds(unit_overdue_cells=2),
        source=SOURCE,
    )
    second = ladder_issue(
        actor=township_officer,
        issuer=county.chengguan,
        year=2026,
        thresholds=thresholds(unit_overdue_cells=1),
        source=SOURCE,
    )
    first.refresh_from_db()
    assert (first.version, first.thresholds["unit_overdue_cells"]) == (1, 2)
    assert (
        second.version,
        ladder_book(2026).ladder_for(county.branch.path).unit_overdue_cells,
    ) == (
        2,
        1,
    )
    with pytest.raises(ValidationError) as refused:
        ladder_issue(
            actor=township_officer,
            issuer=county.chengguan,
            year=2026,
            thresholds=thresholds(),
            source="  ",
        )
    assert "出处" in refused.value.message_dict["source"][0]
    assert set(THRESHOLDS) == set(first.thresholds)


@pytest.mark.parametrize("who", ["township_secretary", "dispatched_officer", "clerk"])
def test_it_refuses_whoever_is_not_the_levels_discipline_staff(county: County, who: str) -> None:
    with pytest.raises(PermissionDenied):
        ladder_issue(
            actor=getattr(county, who),
            issuer=county.county,
            year=2026,
            thresholds=thresholds(),
            source=SOURCE,
        )


def test_the_job_climbs_each_units_own_ladder(county: County, township_officer: User) -> None:
    load_rules()
    add_person(county.hekou, "P401", "吴委员", PositionKind.MEMBER, "党委委员")
    ladder_issue(
        actor=township_officer,
        issuer=county.chengguan,
        year=2026,
        thresholds=thresholds(indicator_repeated_unmet=1),
        source=SOURCE,
    )
    run_escalation(on=date(2026, 2, 1))
    talks = Rule.objects.get(key="tz2017-principal-talks")
    numbers = dict(Person.objects.values_list("pk", "person_no"))
    steps = {
        (numbers[r.subject_person_id], r.step)
        for r in Reminder.objects.filter(rule=talks, subject_person__isnull=False)
        if r.subject_person_id is not None
    }
    assert ("P001", Step.ADMONITION_PROPOSAL) in steps  # 城关镇: one unmet month is enough
    assert ("P003", Step.PRINCIPAL_NOTICE) in steps
    assert ("P003", Step.ADMONITION_PROPOSAL) not in steps  # 河口镇: the default asks for two


# The pages ---------------------------------------------------------------------------------


def ladder_form(**changes: str) -> dict[str, str]:
    values = {name: str(value) for name, value in thresholds().items()}
    return values | {"year": "2026", "source": SOURCE, "allow_tighten": "on"} | changes


def test_the_page_shows_the_ladder_in_force_and_where_it_comes_from(
    login: Login, county: County, township_officer: User
) -> None:
    client = login(township_officer)
    new = f"{reverse('supervision:ladder_new')}?org={county.chengguan.code}&year=2026"
    assert client.get(new).status_code == 200
    response = client.post(new, ladder_form(unit_overdue_cells="1"))
    assert response.status_code == 302
    page = client.get(reverse("supervision:ladder"), {"org": str(county.branch.code)})
    assert page.status_code == 200
    assert page.context["governing_name"] == "城关镇党委第1版"
    assert ("单位年度逾期台账达到（项）即拟约谈", 1, 3) in page.context["thresholds"]
    assert [v.version for v in page.context["page_obj"]] == [1]
    html = page.content.decode()
    assert 'data-testid="ladder-source">现行版本：城关镇党委第1版' in html
    assert 'data-testid="ladder-table"' in html and "单位年度逾期台账达到（项）即拟约谈" in html


def test_the_form_shows_a_later_escalation_under_its_field(
    login: Login, county: County, township_officer: User
) -> None:
    new = f"{reverse('supervision:ladder_new')}?org={county.chengguan.code}&year=2026"
    response = login(township_officer).post(new, ladder_form(order_overdue_workdays="30"))
    assert response.status_code == 200
    assert (
        "不得多于系统默认标准的20" in response.context["form"].errors["order_overdue_workdays"][0]
    )
    assert not LadderVersion.objects.exists()


def test_the_pages_refuse_whoever_is_not_discipline_staff(login: Login, county: County) -> None:
    client = login(county.township_secretary)
    assert client.get(reverse("supervision:ladder")).status_code == 403
    assert client.get(reverse("supervision:ladder_new")).status_code == 403
    officer = login(county.dispatched_officer)
    assert officer.get(reverse("supervision:ladder")).status_code == 200
    assert officer.get(reverse("supervision:ladder_new")).status_code == 403
    assert officer.post(reverse("supervision:ladder")).status_code == 405


def test_versions_are_numbered_by_number_not_by_year(
    county: County, township_officer: User
) -> None:
    """A version for an earlier year issued after one for a later year still takes the next
    number (the newest by year used to be taken as the last, and the save failed)."""
    numbers = [
        ladder_issue(
            actor=township_officer,
            issuer=county.chengguan,
            year=year,
            thresholds=thresholds(unit_overdue_cells=2),
            source=SOURCE,
        ).version
        for year in (2027, 2026, 2026)
    ]
    assert numbers == [1, 2, 3]
