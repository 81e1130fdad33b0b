from datetime import date, timedelta

import pytest
from django.utils import timezone

from liangze.accounts.models import User
from liangze.duties import services
from liangze.duties.catalogues import queries as catalogue_queries
from liangze.duties.lists import queries
from liangze.duties.models import Catalogue, DutyList
from tests.fixtures.county import County

pytestmark = pytest.mark.django_db


def test_it_calls_a_list_late_only_past_its_deadline(draft: DutyList) -> None:
    today = date(2026, 2, 14)
    draft.deadline = today
    assert not queries.is_late(draft, today)
    assert queries.is_late(draft, today + timedelta(days=1))
    draft.deadline = None
    assert not queries.is_late(draft, today + timedelta(days=1))


def test_it_judges_a_submitted_list_by_its_submission_day(submitted: DutyList) -> None:
    submitted.deadline = timezone.localdate(submitted.submitted_at)
    later = submitted.deadline + timedelta(days=30)
    assert not queries.is_late(submitted, later)
    submitted.deadline -= timedelta(days=1)
    assert queries.is_late(submitted, later)


def test_it_counts_the_days_a_submission_waits(submitted: DutyList) -> None:
    DutyList.objects.filter(pk=submitted.pk).update(submitted_at=timezone.now() - timedelta(days=4))
    submitted.refresh_from_db()
    (row,) = queries.list_rows([submitted])
    assert row.waiting_days == 4


def test_it_shows_where_a_list_stands_in_the_workflow(draft: DutyList, submitted: DutyList) -> None:
    assert [state for _, state in queries.workflow_steps(submitted)] == [
        "done",
        "done",
        "done",
        "current",
        "todo",
        "todo",
    ]
    submitted.status = DutyList.Status.RETURNED
    assert [state for _, state in queries.workflow_steps(submitted)][3:5] == ["done", "returned"]


def test_it_finds_the_lists_a_user_holds(
    county: County, draft: DutyList, member_draft: DutyList, supervisory_list: DutyList
) -> None:
    def mine(user: User) -> set[DutyList]:
        return set(queries.duty_list_search(user, mine=True))

    assert mine(county.township_member) == {draft, member_draft}
    assert mine(county.discipline_officer) == {supervisory_list}
    assert mine(county.clerk) == set()


def test_it_queues_for_review_only_from_above(county: County, submitted: DutyList) -> None:
    assert list(queries.review_queue(county.discipline_officer)) == [submitted]
    assert list(queries.review_queue(county.township_secretary)) == []
    assert list(queries.review_queue(county.system_admin)) == []


def test_it_lists_the_versions_a_user_may_see(county: County, signed: DutyList) -> None:
    v2 = services.duty_list_revise(actor=county.township_secretary, duty_list=signed)
    assert list(queries.versions_of(county.township_secretary, v2)) == [signed, v2]
    assert queries.previous_version(county.township_secretary, v2) == signed
    assert queries.previous_version(county.other_township_secretary, v2) is None


def test_it_renders_version_rows_as_text_for_diffing(county: County, signed: DutyList) -> None:
    (first, *_) = queries.version_rows(signed)
    assert first["entry"] == "TZ-C-01" and first["responsible"] == "张建国（P001）"


def test_it_offers_the_grid_the_people_of_the_units_subtree(
    county: County, draft: DutyList
) -> None:
    editor = queries.editor_for(draft)
    assert {p.person_no for p in editor.people} == {"P001", "P002", "P006"}
    assert len(editor.entries) == 14
    (row,) = editor.grid([{"entry": "TZ-C-B01", "responsible": "P002"}])
    assert row.entry is not None
    assert row.entry.kind == "safeguard" and row.responsible_name == "李明华"
    assert [label for _, label, _ in row.quarters] == ["一季度", "二季度", "三季度", "四季度"]


def test_it_offers_to_start_lists_only_for_what_the_user_leads(
    county: County, catalogue: Catalogue
) -> None:
    assert list(queries.led_orgs(county.township_member)) == [county.chengguan]
    people = {p.person.name for p in queries.leader_positions(county.township_secretary)}
    assert people == {"张建国", "李明华"}
    assert list(queries.own_bodies(county.discipline_officer)) == [county.county_commission]
    assert list(catalogue_queries.issued_catalogues()) == [catalogue]


def test_it_tells_who_may_edit_and_issue_catalogues(county: County, catalogue: Catalogue) -> None:
    assert catalogue_queries.may_edit_catalogue(county.discipline_officer, catalogue)
    assert not catalogue_queries.may_edit_catalogue(county.township_secretary, catalogue)
    issuers = catalogue_queries.issuer_orgs
    assert list(issuers(county.discipline_officer, catalogue)) == [county.county]
    assert list(issuers(county.township_secretary, catalogue)) == []  # the county's, not its
    assert list(issuers(county.clerk, catalogue)) == []
