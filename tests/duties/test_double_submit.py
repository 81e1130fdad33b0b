"""Two clicks on 签字, 报送 or 审核通过: one act is stored and both answer the same page."""

import pytest
from django.test import Client
from django.urls import reverse

from liangze.accounts.models import User
from liangze.duties.models import DutyList, Review, Signature
from tests.fixtures import duties as fixtures
from tests.fixtures import threads
from tests.fixtures.clients import Login, Response
from tests.fixtures.county import County

REVIEWS = reverse("duties:reviews")


def url(name: str, duty_list: DutyList) -> str:
    return reverse(f"duties:{name}", args=[duty_list.code])


def flashed(response: Response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def discussed(county: County, draft: DutyList) -> DutyList:
    return fixtures.discussed(county, draft)


def twice(client: Client, path: str, data: dict[str, str] | None = None) -> list[Response]:
    return [client.post(path, data or {}, follow=True) for _ in range(2)]


@pytest.mark.django_db
def test_it_signs_once_and_says_so_on_the_second_click(
    login: Login, county: County, discussed: DutyList
) -> None:
    first, second = twice(login(county.township_secretary), url("sign", discussed))

    assert first.redirect_chain == second.redirect_chain == [(url("list", discussed), 302)]
    assert discussed.signatures.count() == 1
    assert any("已签字背书" in m for m in flashed(first))
    assert flashed(second) == ["张建国已在“主要负责人”一栏签字。"]


@pytest.mark.django_db
def test_it_submits_once_and_says_so_on_the_second_click(
    login: Login, county: County, signed: DutyList
) -> None:
    first, second = twice(login(county.township_secretary), url("submit", signed))

    assert first.redirect_chain == second.redirect_chain == [(url("list", signed), 302)]
    assert flashed(second) == ["清单已报送，等待上级审核。"]
    signed.refresh_from_db()
    assert signed.status == DutyList.Status.SUBMITTED


@pytest.mark.django_db
def test_it_accepts_once_and_says_so_on_the_second_click(
    login: Login, county: County, submitted: DutyList
) -> None:
    client = login(county.discipline_officer)
    first, second = twice(client, url("review", submitted), {"verdict": "accepted"})

    assert first.redirect_chain == second.redirect_chain == [(REVIEWS, 302)]
    assert flashed(second) == ["清单已审核（审核通过）。"]
    assert submitted.reviews.count() == 1


@pytest.mark.django_db
def test_it_still_refuses_another_verdict_on_a_reviewed_list(
    login: Login, county: County, submitted: DutyList
) -> None:
    client = login(county.discipline_officer)
    client.post(url("review", submitted), {"verdict": "accepted"})

    response = client.post(url("review", submitted), {"verdict": "returned", "reason": "重填"})

    assert response.status_code == 200 and "只能审核已报送的清单" in response.content.decode()
    assert list(submitted.reviews.values_list("verdict", flat=True)) == ["accepted"]


# At the same moment (PostgreSQL: SQLite runs one writer at a time anyway) ------------------

CLICKS = 5
on_postgresql = pytest.mark.skipif(not threads.on_postgresql(), reason=threads.NEEDS_PG)


def at_once(user: User, path: str, data: dict[str, str] | None = None) -> list[int]:
    return threads.posts_at_once(user, path, lambda: dict(data or {}), count=CLICKS)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_five_simultaneous_signatures_store_one(county: County, discussed: DutyList) -> None:
    codes = at_once(county.township_secretary, url("sign", discussed))

    assert codes == [302] * CLICKS
    assert Signature.objects.filter(duty_list=discussed).count() == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_five_simultaneous_submissions_submit_once(county: County, signed: DutyList) -> None:
    codes = at_once(county.township_secretary, url("submit", signed))

    assert codes == [302] * CLICKS
    signed.refresh_from_db()
    assert signed.status == DutyList.Status.SUBMITTED


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_five_simultaneous_acceptances_review_once(county: County, submitted: DutyList) -> None:
    codes = at_once(county.discipline_officer, url("review", submitted), {"verdict": "accepted"})

    assert codes == [302] * CLICKS
    assert Review.objects.filter(duty_list=submitted).count() == 1
