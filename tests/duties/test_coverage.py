from datetime import date

import pytest
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks

from liangze.duties import services
from liangze.duties.coverage import queries as coverage
from liangze.duties.models import Catalogue, DutyList, ListType, Review
from liangze.orgs import services as org_services
from tests.fixtures.bulk import add_branches
from tests.fixtures.clients import Api
from tests.fixtures.county import County

pytestmark = pytest.mark.django_db


def accept(county: County, duty_list: DutyList) -> None:
    services.duty_list_review(
        actor=county.discipline_officer, duty_list=duty_list, verdict=Review.Verdict.ACCEPTED
    )


def publish(county: County, duty_list: DutyList) -> None:
    """Accepted by the county 纪委 and published by the unit: from then on the list in force."""
    accept(county, duty_list)
    services.duty_list_publish(
        actor=county.township_secretary,
        duty_list=duty_list,
        publish_range=DutyList.PublishRange.UNIT,
    )


def cells(row: coverage.Row, list_type: str) -> tuple[int, int]:
    cell = row.cells[list_type]
    return cell.required, cell.done


def org_name(row: coverage.Row) -> str:
    assert row.org is not None  # the children's rows; only `own` has none
    return row.org.name


def test_it_counts_required_units_and_people_per_child(
    county: County, catalogue: Catalogue
) -> None:
    report = coverage.coverage(county.county, 2026)
    by_name = {org_name(row): row for row in report.rows}
    assert [org_name(r) for r in report.rows] == ["城关镇党委", "河口镇党委", "县教育局党组"]
    # 城关镇: the township committee and its branch; principal 张建国; member 李明华
    assert cells(by_name["城关镇党委"], ListType.COLLECTIVE) == (2, 0)
    assert cells(by_name["城关镇党委"], ListType.PRINCIPAL) == (1, 0)
    assert cells(by_name["城关镇党委"], ListType.MEMBER) == (1, 0)
    assert cells(by_name["城关镇党委"], ListType.SUPERVISORY) == (1, 0)  # 城关镇纪委
    # the county's own level: the county committee, two bodies attached to it
    assert cells(report.own, ListType.COLLECTIVE) == (1, 0)
    assert cells(report.own, ListType.SUPERVISORY) == (2, 0)
    assert report.on == date(2099, 2, 14)  # the catalogue's deadline decides who is required


def test_it_goes_up_when_a_list_comes_into_force(
    county: County,
    submitted: DutyList,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    before = coverage.coverage(county.county, 2026).total.cells[ListType.COLLECTIVE]
    with django_capture_on_commit_callbacks(execute=True):
        publish(county, submitted)
    after = coverage.coverage(county.county, 2026)
    assert after.total.cells[ListType.COLLECTIVE].done == before.done + 1
    chengguan = next(r for r in after.rows if r.org == county.chengguan)
    assert cells(chengguan, ListType.COLLECTIVE) == (2, 1)
    assert chengguan.cells[ListType.COLLECTIVE].percent == 50.0


def test_it_does_not_count_a_submitted_but_unaccepted_list(
    county: County, submitted: DutyList
) -> None:
    assert coverage.coverage(county.county, 2026).total.cells[ListType.COLLECTIVE].done == 0


def test_it_does_not_count_an_accepted_but_unpublished_list(
    county: County, submitted: DutyList
) -> None:
    """Accepted is not yet in force: no ledger runs on it, so coverage may not call it done."""
    accept(county, submitted)
    assert coverage.coverage(county.county, 2026).total.cells[ListType.COLLECTIVE].done == 0
    assert county.chengguan in coverage.missing(county.county, 2026, ListType.COLLECTIVE)


def test_a_unit_stays_covered_while_its_list_is_revised(
    county: County,
    submitted: DutyList,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        publish(county, submitted)
        revision = services.duty_list_revise(actor=county.township_secretary, duty_list=submitted)
    report = coverage.coverage(county.county, 2026)
    assert report.total.cells[ListType.COLLECTIVE].done == 1
    submitted.refresh_from_db()
    assert submitted.in_force and not revision.in_force


def test_it_names_the_missing(county: County, submitted: DutyList) -> None:
    publish(county, submitted)
    missing_units = coverage.missing(county.county, 2026, ListType.COLLECTIVE)
    assert {o.name for o in missing_units} == {
        "示范县委",
        "河口镇党委",
        "县教育局党组",
        "城关镇第一党支部",
    }
    principals = coverage.missing(county.county, 2026, ListType.PRINCIPAL)
    assert {p.person.name for p in principals} == {"张建国", "王志强"}


def test_it_takes_positions_on_the_deadline_date(county: County, catalogue: Catalogue) -> None:
    person = org_services.person_create(
        actor=None, org=county.hekou, person_no="P200", name="新任者", gender="M"
    )
    org_services.position_create(
        actor=None,
        person=person,
        org=county.hekou,
        kind="member",
        title="委员",
        start_date=date(2100, 1, 1),
    )
    report = coverage.coverage(county.county, 2026)
    hekou = next(r for r in report.rows if r.org == county.hekou)
    assert cells(hekou, ListType.MEMBER) == (0, 0)


def test_it_rolls_up_in_a_fixed_number_of_queries(
    county: County, catalogue: Catalogue, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    add_branches(county.chengguan, 5)
    with django_assert_max_num_queries(11) as small:
        coverage._coverage(county.county, 2026)
    add_branches(county.hekou, 150)
    with django_assert_max_num_queries(len(small.captured_queries)):
        report = coverage._coverage(county.county, 2026)
    hekou = next(r for r in report.rows if r.org == county.hekou)
    assert cells(hekou, ListType.COLLECTIVE) == (151, 0)


def test_it_reports_coverage_through_the_api(county: County, submitted: DutyList, api: Api) -> None:
    publish(county, submitted)
    body = (
        api(county.discipline_officer)
        .get("/api/v1/duty-lists/coverage", {"org": str(county.county.code), "year": "2026"})
        .json()
    )
    chengguan = next(r for r in body["children"] if r["org_name"] == "城关镇党委")
    assert chengguan["cells"]["collective"] == {"required": 2, "done": 1, "percent": 50.0}
    # Read from the stored tallies recounted when the catalogue was issued, and says when.
    assert body["computed_at"] is not None
    assert body["covers_units_without_committee"] is True  # the 通州 catalogue's setting
    response = api(county.other_township_secretary).get(
        "/api/v1/duty-lists/coverage", {"org": str(county.chengguan.code), "year": "2026"}
    )
    assert response.status_code == 404


def test_it_lists_and_shows_lists_through_the_api(
    county: County, signed: DutyList, api: Api
) -> None:
    client = api(county.township_secretary)
    body = client.get("/api/v1/duty-lists/", {"year": "2026"}).json()
    assert [item["status"] for item in body["items"]] == ["signed"]
    assert body["items"][0]["digest"] == signed.digest
    items = client.get(f"/api/v1/duty-lists/{signed.code}/items").json()
    assert len(items) == 14 and items[0]["responsible_name"] == "张建国"
    assert (
        api(county.other_township_secretary).get(f"/api/v1/duty-lists/{signed.code}").status_code
        == 404
    )


def test_it_serves_a_repeated_roll_up_from_the_cache(
    county: County, catalogue: Catalogue, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    first = coverage.coverage(county.county, 2026)
    with django_assert_num_queries(0):
        again = coverage.coverage(county.county, 2026)
    assert again.total.cells == first.total.cells
