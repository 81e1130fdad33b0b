"""批注 on ledger cells: the supervisor asks, the unit answers, nobody edits."""

from datetime import date

import pytest
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from liangze.core.files import evidence_store
from liangze.core.models import AuditEvent, Evidence
from liangze.duties.models import DutyItem, DutyList
from liangze.ledger.entries import comments
from liangze.ledger.models import CellComment
from tests.fixtures.clients import Login
from tests.fixtures.clock import On
from tests.fixtures.county import County
from tests.fixtures.evidence import photo
from tests.ledger.test_entry_views import add, grid_url, keep_items, page, url

pytestmark = pytest.mark.django_db

SUMMER = date(2026, 8, 1)
QUESTION = "本季度为何没有填报？"


def cell_url(duty_list: DutyList, seq: int = 1, period: str = "2026-Q2") -> str:
    return reverse("ledger:cell", args=[duty_list.code, seq, period])


def post_url(duty_list: DutyList, seq: int = 1, period: str = "2026-Q2") -> str:
    return reverse("ledger:cell_comment", args=[duty_list.code, seq, period])


def item(duty_list: DutyList, seq: int = 1) -> DutyItem:
    return duty_list.items.select_related("duty_list__org").get(seq=seq)


def test_it_lets_the_supervisor_ask_about_an_empty_cell(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    officer = login(county.discipline_officer)
    assert officer.get(cell_url(published)).status_code == 200
    response = officer.post(post_url(published), {"text": QUESTION, "back": grid_url(published)})
    assert response.status_code == 302 and response["Location"] == grid_url(published)
    (comment,) = CellComment.objects.all()
    assert comment.period == "2026-Q2" and comment.org == county.chengguan
    assert comment.author == county.discipline_officer and comment.author_name == "赵纪平"
    # The unit sees the question on the cell page, and on the form it answers from.
    clerk = login(county.clerk)
    assert QUESTION in page(clerk.get(cell_url(published)))
    assert QUESTION in page(
        clerk.get(reverse("ledger:entry_new", args=[published.code, 1, "2026-Q2"]))
    )


def test_it_lets_the_unit_answer_in_the_thread(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    comments.cell_comment(
        actor=county.discipline_officer, item=item(published), period="2026-Q2", text=QUESTION
    )
    response = login(county.clerk).post(
        post_url(published), {"text": "二季度会议记录补录中"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert [c.text for c in response.context["thread"]["comments"]] == [
        QUESTION,
        "二季度会议记录补录中",
    ]
    assert 'id="cell-comments"' in page(response) and "<html" not in page(response)


def test_it_shows_the_thread_on_the_entry_page(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    entry = add(county, published)
    comments.cell_comment(
        actor=county.discipline_officer, item=item(published), period="2026-Q3", text="佐证材料不全"
    )
    response = login(county.clerk).get(url("entry", entry))
    assert "佐证材料不全" in page(response)
    assert post_url(published, period="2026-Q3") in page(response)


def test_it_hides_the_cell_from_another_township(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    client = login(county.other_township_secretary)
    assert client.get(cell_url(published)).status_code == 404
    assert client.post(post_url(published), {"text": QUESTION}).status_code == 404
    assert not CellComment.objects.exists()


def test_it_refuses_a_comment_to_one_who_may_neither_record_nor_verify(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    # Published to everyone: 河口镇's secretary reads 城关镇's ledger but has no part in it.
    DutyList.objects.filter(pk=published.pk).update(publish_range=DutyList.PublishRange.EVERYONE)
    client = login(county.other_township_secretary)
    cell = client.get(cell_url(published))
    assert cell.status_code == 200 and 'data-testid="comment-form"' not in page(cell)
    assert client.post(post_url(published), {"text": QUESTION}).status_code == 403
    assert not CellComment.objects.exists()
    assert AuditEvent.objects.filter(
        verb=AuditEvent.Verb.DENIED, actor=county.other_township_secretary
    ).exists()


def test_it_refuses_get_on_the_comment_route(
    login: Login, county: County, published: DutyList
) -> None:
    assert login(county.discipline_officer).get(post_url(published)).status_code == 405


def test_it_has_no_cell_for_a_period_outside_the_year(
    login: Login, county: County, published: DutyList
) -> None:
    client = login(county.discipline_officer)
    assert client.get(cell_url(published, period="2025-Q4")).status_code == 404
    assert client.post(post_url(published, period="2026-H2"), {"text": "x"}).status_code == 404
    assert client.get(cell_url(published, seq=999)).status_code == 404


@pytest.mark.parametrize("text", ["", "   ", "长" * 1001])
def test_it_names_the_field_of_a_bad_comment_and_writes_nothing(
    login: Login, county: County, published: DutyList, on: On, text: str
) -> None:
    on(SUMMER)
    response = login(county.discipline_officer).post(post_url(published), {"text": text})
    assert response.status_code == 200
    assert 'data-testid="error-text"' in page(response)
    assert not CellComment.objects.exists()


def test_it_audits_the_comment(county: County, published: DutyList, on: On) -> None:
    on(SUMMER)
    comment = comments.cell_comment(
        actor=county.township_member, item=item(published), period="2026-M05", text="已整改"
    )
    (event,) = AuditEvent.objects.filter(object_code=str(comment.code))
    assert event.verb == "create" and event.actor == county.township_member
    assert event.data["period"] == "2026-M05"


def test_it_counts_comments_on_the_grid_cell(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    first = item(published)
    for period, text in [("2026-Q2", QUESTION), ("2026-M05", "五月已补"), ("2026-Q3", "好")]:
        comments.cell_comment(actor=county.discipline_officer, item=first, period=period, text=text)
    response = login(county.clerk).get(grid_url(published))
    cells = response.context["grid"].rows[0].cells
    assert [cell.comments for cell in cells] == [0, 2, 1, 0]
    assert 'data-testid="comments-1-2"' in page(response)
    assert cell_url(published, 1, "2026-Q2") in page(response)


def test_it_counts_comments_in_bounded_queries(
    login: Login,
    county: County,
    published: DutyList,
    on: On,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    on(SUMMER)
    client = login(county.discipline_officer)
    evidence: Evidence = evidence_store(actor=county.clerk, org=county.chengguan, upload=photo())
    keep_items(county, published, 5, evidence)
    for seq in range(1, 6):
        comments.cell_comment(
            actor=county.discipline_officer, item=item(published, seq), period="2026-Q3", text="?"
        )
    with django_assert_max_num_queries(16) as small:
        client.get(grid_url(published))
    keep_items(county, published, 40, evidence)
    for seq in range(6, 41):
        comments.cell_comment(
            actor=county.discipline_officer, item=item(published, seq), period="2026-Q3", text="?"
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(grid_url(published))
    assert sum(row.cells[2].comments for row in response.context["grid"].rows) == 40
