"""Ledger pages: the year grid, the entry form with uploads, evidence, 对账销号."""

from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from liangze.core.files import evidence_store
from liangze.core.models import Evidence
from liangze.duties.models import DutyItem, DutyList
from liangze.ledger.entries import services as entries
from liangze.ledger.models import ProgressEntry
from tests.fixtures.clients import Login, Response
from tests.fixtures.clock import On
from tests.fixtures.county import County
from tests.fixtures.evidence import PNG, photo

pytestmark = pytest.mark.django_db

SUMMER = date(2026, 8, 1)
INDEX = reverse("ledger:index")


def grid_url(duty_list: DutyList) -> str:
    return reverse("ledger:grid", args=[duty_list.code])


def new_url(duty_list: DutyList, seq: int = 1, period: str = "2026-Q3") -> str:
    return reverse("ledger:entry_new", args=[duty_list.code, seq, period])


def url(name: str, obj: Any) -> str:
    return reverse(f"ledger:{name}", args=[obj.code])


def file_url(evidence: Any) -> str:
    return reverse("portal:evidence", args=[evidence.code])


def page(response: Response) -> str:
    return response.content.decode()


def add(county: County, duty_list: DutyList, seq: int = 1, **changes: Any) -> ProgressEntry:
    item = duty_list.items.select_related("duty_list__org").get(seq=seq)
    arguments: dict[str, Any] = {
        "actor": county.clerk,
        "item": item,
        "period": "2026-Q3",
        "text": "召开专题会议",
        "done_on": date(2026, 7, 15),
    }
    return entries.entry_add(**(arguments | changes))


# Index ----------------------------------------------------------------------------------


def test_it_lists_the_published_ledgers_of_the_year(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    response = login(county.clerk).get(INDEX)
    assert response.status_code == 200
    assert grid_url(published) in page(response)
    assert reverse("ledger:index") in page(response)  # the navigation item


def test_it_shows_the_supervisor_what_awaits_verification(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    entry = add(county, published)
    assert url("entry", entry) in page(login(county.discipline_officer).get(INDEX))
    assert url("entry", entry) not in page(login(county.clerk).get(INDEX))


def test_it_lists_nothing_of_another_township(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    assert grid_url(published) not in page(login(county.other_township_secretary).get(INDEX))


# Grid -----------------------------------------------------------------------------------


def test_it_shows_the_year_grid_coloured_by_status(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    add(county, published)
    response = login(county.clerk).get(grid_url(published))
    assert response.status_code == 200
    grid = response.context["grid"]
    assert len(grid.rows) == published.items.count()
    statuses = [cell.status for cell in grid.rows[0].cells]
    assert statuses == ["overdue", "overdue", "done", "not_due"]
    assert 'data-testid="cell-1-3" data-status="done"' in page(response)
    assert new_url(published, 2) in page(response)  # the clerk may enter Q3 of item 2


def test_it_filters_by_person_and_responsibility(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    client = login(county.clerk)
    person = county.township_secretary.person_id
    assert person is not None
    assert len(client.get(grid_url(published), {"person": person}).context["grid"].rows) == 14
    assert client.get(grid_url(published), {"person": 999999}).status_code == 200
    rows = client.get(grid_url(published), {"ref": "TZ-C-02"}).context["grid"].rows
    assert [row.item.name for row in rows] == ["正风肃纪"]


def test_it_offers_no_entry_links_to_the_higher_level(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    response = login(county.discipline_officer).get(grid_url(published))
    assert response.status_code == 200
    assert new_url(published) not in page(response)


def test_it_hides_the_grid_from_another_township(
    login: Login, county: County, published: DutyList
) -> None:
    assert login(county.other_township_secretary).get(grid_url(published)).status_code == 404


def test_it_has_no_grid_for_a_list_not_yet_published(
    login: Login, county: County, submitted: DutyList
) -> None:
    assert login(county.township_secretary).get(grid_url(submitted)).status_code == 404


def test_it_refuses_to_post_to_the_grid(login: Login, county: County, published: DutyList) -> None:
    assert login(county.clerk).post(grid_url(published)).status_code == 405


def keep_items(county: County, duty_list: DutyList, count: int, evidence: Evidence) -> None:
    """Make the list `count` items long, each with a Q3 entry and its evidence."""
    duty_list.items.filter(seq__gt=count).delete()
    start = duty_list.items.count()
    DutyItem.objects.bulk_create(
        DutyItem(
            duty_list=duty_list,
            seq=seq,
            name=f"自选事项{seq}",
            responsible=county.township_secretary.person,
        )
        for seq in range(start + 1, count + 1)
    )
    fresh = ProgressEntry.objects.bulk_create(
        ProgressEntry(item=item, period="2026-Q3", text="完成", done_on=date(2026, 7, 1))
        for item in duty_list.items.exclude(entries__isnull=False)
    )
    ProgressEntry.evidence.through.objects.bulk_create(
        ProgressEntry.evidence.through(progressentry_id=entry.pk, evidence_id=evidence.pk)
        for entry in fresh
    )


def test_it_builds_the_grid_in_bounded_queries(
    login: Login,
    county: County,
    published: DutyList,
    on: On,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    on(SUMMER)
    client = login(county.clerk)
    evidence = evidence_store(actor=county.clerk, org=county.chengguan, upload=photo())
    keep_items(county, published, 5, evidence)
    with django_assert_max_num_queries(15) as small:
        client.get(grid_url(published))
    keep_items(county, published, 40, evidence)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(grid_url(published))
    assert len(response.context["grid"].rows) == 40


# Entry form -----------------------------------------------------------------------------


def test_it_takes_an_entry_with_a_photo(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    client = login(county.clerk)
    assert client.get(new_url(published)).status_code == 200
    response = client.post(
        new_url(published),
        {"text": "召开党委会专题听取汇报", "done_on": "2026-07-20", "uploads": [photo()]},
    )
    entry = ProgressEntry.objects.get()
    assert response.status_code == 302 and response["Location"] == url("entry", entry)
    assert [e.original_name for e in entry.evidence.all()] == ["会议照片.png"]
    assert entry.entered_by == county.clerk and not entry.is_late


def test_it_asks_for_the_reason_of_a_late_entry(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(date(2026, 11, 23))
    client = login(county.clerk)
    data = {"text": "补记三季度专题会议", "done_on": "2026-09-20"}
    response = client.post(new_url(published), data)
    assert response.status_code == 200 and "late_reason" in response.context["form"].errors
    assert not ProgressEntry.objects.exists()
    response = client.post(new_url(published), data | {"late_reason": "材料归档延误"})
    assert response.status_code == 302 and ProgressEntry.objects.get().is_late


def test_it_saves_a_double_clicked_entry_once_and_shows_it_both_times(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(date(2026, 9, 25))
    client = login(county.clerk)
    data = {"text": "召开三季度专题会议", "done_on": "2026-09-20"}

    first, second = (client.post(new_url(published), data, follow=True) for _ in range(2))

    entry = ProgressEntry.objects.get()
    assert first.redirect_chain == second.redirect_chain == [(url("entry", entry), 302)]
    assert [str(m) for m in second.context["messages"]] == ["这条进度刚才已提交，没有重复保存。"]


def test_it_shows_a_service_refusal_on_the_field(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    response = login(county.clerk).post(
        new_url(published), {"text": "提前填报", "done_on": "2026-06-01"}
    )
    assert response.status_code == 200 and "done_on" in response.context["form"].errors


def test_it_refuses_the_entry_form_to_the_higher_level(
    login: Login, county: County, published: DutyList
) -> None:
    assert login(county.discipline_officer).get(new_url(published)).status_code == 403


def test_it_hides_the_entry_form_from_another_township(
    login: Login, county: County, published: DutyList
) -> None:
    assert login(county.other_township_secretary).get(new_url(published)).status_code == 404


def test_it_has_no_entry_form_for_a_bad_period_or_item(
    login: Login, county: County, published: DutyList
) -> None:
    client = login(county.clerk)
    assert client.get(new_url(published, period="2026-H2")).status_code == 404
    assert client.get(new_url(published, seq=999)).status_code == 404


# Entry and evidence ---------------------------------------------------------------------


def test_it_streams_evidence_inline_to_insiders_only(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    entry = add(county, published, uploads=[photo()])
    evidence = entry.evidence.get()
    for insider in (county.clerk, county.discipline_officer):
        response = login(insider).get(file_url(evidence))
        assert response.status_code == 200
        assert response.streaming  # a FileResponse: getvalue() joins its streaming_content
        assert response.getvalue() == PNG
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith("inline")
    assert login(county.other_township_secretary).get(file_url(evidence)).status_code == 404


def test_it_shows_an_entry_with_its_evidence(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    entry = add(county, published, uploads=[photo()])
    response = login(county.clerk).get(url("entry", entry))
    assert response.status_code == 200
    assert file_url(entry.evidence.get()) in page(response)
    assert 'data-testid="verify-button"' not in page(response)
    assert login(county.other_township_secretary).get(url("entry", entry)).status_code == 404


def test_it_lets_the_discipline_officer_verify(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    entry = add(county, published)
    client = login(county.discipline_officer)
    assert 'data-testid="verify-button"' in page(client.get(url("entry", entry)))
    response = client.post(url("entry_verify", entry))
    assert response.status_code == 302 and response["Location"] == url("entry", entry)
    assert ProgressEntry.objects.get().status == "verified"


def test_it_answers_a_second_verify_click_with_the_same_page_and_a_note(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    entry = add(county, published)
    client = login(county.discipline_officer)

    first, second = (client.post(url("entry_verify", entry), follow=True) for _ in range(2))

    assert first.redirect_chain == second.redirect_chain == [(url("entry", entry), 302)]
    assert [str(m) for m in second.context["messages"]] == ["这条进度已销号。"]
    assert ProgressEntry.objects.get().reviewed_by == county.discipline_officer


def test_it_refuses_verification_to_the_clerk(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    entry = add(county, published)
    assert login(county.clerk).post(url("entry_verify", entry)).status_code == 403
    assert (
        login(county.other_township_secretary).post(url("entry_verify", entry)).status_code == 404
    )
    assert ProgressEntry.objects.get().status == "submitted"


def test_it_refuses_to_verify_by_get(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    entry = add(county, published)
    assert login(county.discipline_officer).get(url("entry_verify", entry)).status_code == 405


def test_it_rejects_only_with_a_reason(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    entry = add(county, published)
    client = login(county.discipline_officer)
    response = client.post(url("entry_reject", entry), {"reason": ""})
    assert response.status_code == 200 and "reason" in response.context["reject_form"].errors
    response = client.post(url("entry_reject", entry), {"reason": "照片不清晰"})
    assert response.status_code == 302
    assert ProgressEntry.objects.get().status == "rejected"
    assert 'data-testid="reenter"' in page(login(county.clerk).get(url("entry", entry)))
