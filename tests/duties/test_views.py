import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from liangze.accounts.models import User
from liangze.core.models import AuditEvent
from liangze.duties import services
from liangze.duties.models import (
    PERSONAL_TYPES,
    Catalogue,
    DutyItem,
    DutyList,
    ListType,
    Review,
)
from tests.fixtures.clients import Login, Response
from tests.fixtures.county import County
from tests.fixtures.duties import discussed, full_rows

pytestmark = pytest.mark.django_db
INDEX = reverse("duties:index")
CREATE = reverse("duties:create")
REVIEWS = reverse("duties:reviews")
CATALOGUES = reverse("duties:catalogues")


def url(name: str, duty_list: DutyList) -> str:
    return reverse(f"duties:{name}", args=[duty_list.code])


def page(response: Response) -> str:
    return response.content.decode()


def flashed(response: Response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def grid_post(rows: list[dict[str, str]], action: str = "save") -> dict[str, str]:
    """The editor's form as the browser posts it."""
    data = {"action": action}
    for n, row in enumerate(rows):
        data |= {f"rows-{n}-{field}": value for field, value in row.items()}
    return data


def add_lists(
    county: County, catalogue: Catalogue, count: int, status: str = DutyList.Status.DRAFT
) -> list[DutyList]:
    """`count` more lists of 城关镇 for 2026, each with one item, straight into the database."""
    start = DutyList.objects.count()
    now = timezone.now()
    lists = DutyList.objects.bulk_create(
        DutyList(
            org=county.chengguan,
            year=2026,
            list_type=ListType.PRINCIPAL,
            person=county.township_secretary.person,
            holder_key=f"bulk{start + n}",
            catalogue=catalogue,
            status=status,
            submitted_at=now if status == DutyList.Status.SUBMITTED else None,
            deadline=date(2099, 2, 14),
            similarity=0.95,
        )
        for n in range(count)
    )
    DutyItem.objects.bulk_create(
        DutyItem(duty_list=dl, seq=1, name="自选", responsible=county.township_secretary.person)
        for dl in lists
    )
    return lists


def add_items(duty_list: DutyList, count: int) -> None:
    start = duty_list.items.count()
    person = duty_list.org.people.first()
    DutyItem.objects.bulk_create(
        DutyItem(duty_list=duty_list, seq=start + n, name=f"自选{n}", responsible=person)
        for n in range(1, count + 1)
    )


# Index --------------------------------------------------------------------------------


def test_it_lists_the_lists_a_user_sees(login: Login, county: County, draft: DutyList) -> None:
    response = login(county.township_secretary).get(INDEX, {"year": "2026"})
    assert response.status_code == 200
    assert [row.duty_list for row in response.context["page_obj"]] == [draft]
    assert "城关镇党委" in page(response) and "草稿" in page(response)


def test_it_filters_by_this_year_unless_told_otherwise(
    login: Login, county: County, draft: DutyList
) -> None:
    response = login(county.township_secretary).get(INDEX)
    assert response.context["form"]["year"].value() == str(timezone.localdate().year)
    older = login(county.township_secretary).get(INDEX, {"year": "2025"})
    assert list(older.context["page_obj"]) == []
    every = login(county.township_secretary).get(INDEX, {"year": ""})
    assert len(every.context["page_obj"]) == 1


def test_it_filters_by_type_status_and_unit(login: Login, county: County, draft: DutyList) -> None:
    client = login(county.discipline_officer)
    assert len(client.get(INDEX, {"year": "2026", "q": "城关"}).context["page_obj"]) == 1
    assert len(client.get(INDEX, {"year": "2026", "q": "河口"}).context["page_obj"]) == 0
    assert len(client.get(INDEX, {"year": "2026", "status": "signed"}).context["page_obj"]) == 0
    assert len(client.get(INDEX, {"year": "2026", "list_type": "member"}).context["page_obj"]) == 0


def test_it_separates_my_lists_from_all_visible(
    login: Login, county: County, draft: DutyList
) -> None:
    client = login(county.discipline_officer)
    assert len(client.get(INDEX, {"year": "2026"}).context["page_obj"]) == 1
    mine = client.get(INDEX, {"year": "2026", "scope": "mine"})
    assert list(mine.context["page_obj"]) == [] and mine.context["mine"]
    own = login(county.township_member).get(INDEX, {"year": "2026", "scope": "mine"})
    assert [row.duty_list for row in own.context["page_obj"]] == [draft]


def test_it_shows_another_township_nothing(login: Login, county: County, draft: DutyList) -> None:
    response = login(county.other_township_secretary).get(INDEX, {"year": "2026"})
    assert list(response.context["page_obj"]) == []
    assert "没有符合条件的清单" in page(response)


def test_it_marks_late_and_copied_lists(login: Login, county: County, draft: DutyList) -> None:
    DutyList.objects.filter(pk=draft.pk).update(deadline=date(2026, 1, 1), similarity=0.93)
    response = login(county.township_secretary).get(INDEX, {"year": "2026"})
    assert 'data-testid="late"' in page(response)
    assert 'data-testid="similar"' in page(response) and "93%" in page(response)


def test_it_hides_old_versions_unless_asked(login: Login, county: County, signed: DutyList) -> None:
    services.duty_list_revise(actor=county.township_secretary, duty_list=signed)
    client = login(county.township_secretary)
    assert [
        r.duty_list.version for r in client.get(INDEX, {"year": "2026"}).context["page_obj"]
    ] == [2]
    every = client.get(INDEX, {"year": "2026", "all_versions": "on"})
    assert [r.duty_list.version for r in every.context["page_obj"]] == [2, 1]


def test_it_refuses_to_post_to_the_index(login: Login, county: County) -> None:
    assert login(county.township_secretary).post(INDEX).status_code == 405


def test_it_builds_the_index_in_bounded_queries(
    login: Login,
    county: County,
    catalogue: Catalogue,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = login(county.township_secretary)
    add_lists(county, catalogue, 5)
    with django_assert_max_num_queries(12) as small:
        client.get(INDEX, {"year": "2026"})
    add_lists(county, catalogue, 55)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(INDEX, {"year": "2026"})
    assert len(response.context["page_obj"]) == 50


# Create ---------------------------------------------------------------------------------


def test_it_creates_a_unit_list_and_opens_the_editor(
    login: Login, county: County, catalogue: Catalogue
) -> None:
    client = login(county.township_secretary)
    assert client.get(CREATE).status_code == 200
    response = client.post(
        CREATE, {"catalogue": catalogue.pk, "list_type": "collective", "org": county.chengguan.pk}
    )
    duty_list = DutyList.objects.get()
    assert response.status_code == 302 and response["Location"] == url("edit", duty_list)
    assert (duty_list.org, duty_list.year, duty_list.items.count()) == (county.chengguan, 2026, 14)


def test_it_creates_a_members_list_from_their_position(
    login: Login, county: County, catalogue: Catalogue
) -> None:
    member = county.township_member.person
    assert member is not None
    position = member.positions.get()
    response = login(county.township_member).post(
        CREATE, {"catalogue": catalogue.pk, "list_type": "member", "position": position.pk}
    )
    assert response.status_code == 302
    duty_list = DutyList.objects.get()
    assert (duty_list.person, duty_list.org) == (member, county.chengguan)


def test_it_creates_a_supervisory_list_for_the_users_body(
    login: Login, county: County, catalogue: Catalogue
) -> None:
    response = login(county.discipline_officer).post(
        CREATE,
        {
            "catalogue": catalogue.pk,
            "list_type": "supervisory",
            "discipline_body": county.county_commission.pk,
        },
    )
    assert response.status_code == 302
    duty_list = DutyList.objects.get()
    assert (duty_list.org, duty_list.discipline_body) == (county.county, county.county_commission)


def test_it_asks_for_the_person_of_a_personal_list(
    login: Login, county: County, catalogue: Catalogue
) -> None:
    member = county.township_member.person
    assert member is not None
    member_position = member.positions.get()
    response = login(county.township_secretary).post(
        CREATE,
        {"catalogue": catalogue.pk, "list_type": "principal", "position": member_position.pk},
    )
    assert response.status_code == 200
    assert "请选择一位现任主要负责人" in page(response)
    assert not DutyList.objects.exists()


def test_it_shows_the_services_refusal_of_a_second_list(
    login: Login, county: County, draft: DutyList, catalogue: Catalogue
) -> None:
    response = login(county.township_secretary).post(
        CREATE, {"catalogue": catalogue.pk, "list_type": "collective", "org": county.chengguan.pk}
    )
    assert response.status_code == 200 and "已有这份清单" in page(response)
    assert DutyList.objects.count() == 1


def test_it_offers_another_township_no_way_to_create_our_list(
    login: Login, county: County, catalogue: Catalogue
) -> None:
    response = login(county.other_township_secretary).post(
        CREATE, {"catalogue": catalogue.pk, "list_type": "collective", "org": county.chengguan.pk}
    )
    assert response.status_code == 200 and response.context["form"].errors["org"]
    assert not DutyList.objects.exists()


def test_it_refuses_other_methods_on_create(login: Login, county: County) -> None:
    assert login(county.township_secretary).put(CREATE).status_code == 405


# The list page ----------------------------------------------------------------------------


def test_it_shows_a_draft_with_its_gaps_and_the_editors_actions(
    login: Login, county: County, draft: DutyList
) -> None:
    response = login(county.township_secretary).get(url("list", draft))
    assert response.status_code == 200
    content = page(response)
    assert "领导班子主体责任清单" in content and "保障措施" in content
    assert "没有责任人" in content and 'data-testid="complete"' not in content
    actions = response.context["page"].actions
    assert actions.edit and not actions.sign and not actions.submit and not actions.review
    for name in ("export_xlsx", "export_docx", "import_xlsx"):
        assert url(name, draft) in content


def test_it_shows_a_signed_list_with_its_verified_digest(
    login: Login, county: County, signed: DutyList
) -> None:
    response = login(county.township_secretary).get(url("list", signed))
    content = page(response)
    assert 'data-testid="complete"' in content and "清单完整" in content
    assert signed.digest in content and 'data-testid="digest-ok"' in content
    assert response.context["page"].actions.submit
    assert not response.context["page"].actions.edit


def test_it_flags_a_signature_the_content_no_longer_matches(
    login: Login, county: County, signed: DutyList
) -> None:
    DutyItem.objects.filter(duty_list=signed, seq=1).update(q1="签字后偷改")
    response = login(county.township_secretary).get(url("list", signed))
    assert 'data-testid="digest-bad"' in page(response)


def test_it_heads_a_members_list_with_portfolio_and_liaison(
    login: Login, county: County, member_draft: DutyList
) -> None:
    duty_list = member_draft
    services.duty_items_save(
        actor=county.township_member,
        duty_list=duty_list,
        rows=[*full_rows(duty_list, "P002"), {"name": "廉政文化进社区", "responsible": "P002"}],
    )
    content = page(login(county.township_member).get(url("list", duty_list)))
    for text in ("李明华", "党委副书记", "党建、宣传", "城关镇第一党支部", "班子成员(签字)"):
        assert text in content
    assert 'data-testid="own"' in content


def test_it_hides_the_list_from_another_township(
    login: Login, county: County, draft: DutyList
) -> None:
    response = login(county.other_township_secretary).get(url("list", draft))
    assert response.status_code == 404


def test_it_refuses_to_post_to_the_list_page(login: Login, county: County, draft: DutyList) -> None:
    assert login(county.township_secretary).post(url("list", draft)).status_code == 405


def test_it_renders_a_list_that_has_a_twin(
    login: Login, county: County, draft: DutyList, catalogue: Catalogue
) -> None:
    (other,) = add_lists(county, catalogue, 1)
    DutyList.objects.filter(pk=draft.pk).update(twin=other, similarity=0.97)
    response = login(county.township_secretary).get(url("list", draft))
    assert response.status_code == 200 and 'data-testid="twin"' in page(response)


def test_it_builds_the_list_page_in_bounded_queries(
    login: Login,
    county: County,
    signed: DutyList,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = login(county.township_secretary)
    with django_assert_max_num_queries(25) as small:
        client.get(url("list", signed))
    add_items(signed, 60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url("list", signed))
    assert len(response.context["page"].items) == 74


# Workflow actions -------------------------------------------------------------------------


def discuss_data(**changes: str) -> dict[str, str]:
    return {
        "discussed_on": "2026-01-10",
        "meeting": "党委会",
        "attendees": "全体班子成员",
    } | changes


def test_it_records_the_collective_discussion(
    login: Login, county: County, draft: DutyList
) -> None:
    response = login(county.township_secretary).post(url("discuss", draft), discuss_data())
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.discussion_meeting) == (DutyList.Status.DISCUSSED, "党委会")


def test_it_keeps_the_discussion_form_when_it_is_wrong(
    login: Login, county: County, draft: DutyList
) -> None:
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    client = login(county.township_secretary)
    response = client.post(url("discuss", draft), discuss_data(meeting=""))
    assert response.status_code == 200 and response.context["discuss_form"].errors["meeting"]
    response = client.post(url("discuss", draft), discuss_data(discussed_on=tomorrow))
    assert "讨论日期不能晚于今天" in page(response)
    draft.refresh_from_db()
    assert draft.status == DutyList.Status.DRAFT


def test_it_explains_a_discussion_posted_to_a_signed_list(
    login: Login, county: County, signed: DutyList
) -> None:
    response = login(county.township_secretary).post(url("discuss", signed), discuss_data())
    assert response.status_code == 200
    assert any("清单已签字背书" in m for m in flashed(response))
    signed.refresh_from_db()
    assert signed.status == DutyList.Status.SIGNED and services.verify_digest(signed)


def test_it_signs_with_a_confirmation_and_freezes(
    login: Login, county: County, draft: DutyList
) -> None:
    duty_list = discussed(county, draft)
    client = login(county.township_secretary)
    content = page(client.get(url("list", duty_list)))
    assert 'data-testid="sign-button"' in content and "内容将以 SM3 摘要冻结" in content
    response = client.post(url("sign", duty_list))
    assert response.status_code == 302
    duty_list.refresh_from_db()
    assert duty_list.status == DutyList.Status.SIGNED and services.verify_digest(duty_list)


def test_it_shows_why_an_incomplete_list_cannot_be_signed(
    login: Login, county: County, draft: DutyList
) -> None:
    services.duty_list_discuss(
        actor=county.township_secretary,
        duty_list=draft,
        on=date(2026, 1, 10),
        meeting="党委会",
        attendees="全体",
    )
    response = login(county.township_secretary).post(url("sign", draft), follow=True)
    assert any("没有责任人" in m for m in flashed(response))
    draft.refresh_from_db()
    assert draft.status == DutyList.Status.DISCUSSED


def test_it_refuses_a_member_signing_the_unit_list(
    login: Login, county: County, draft: DutyList
) -> None:
    duty_list = discussed(county, draft)
    assert login(county.township_member).post(url("sign", duty_list)).status_code == 403
    duty_list.refresh_from_db()
    assert duty_list.status == DutyList.Status.DISCUSSED


def test_it_hides_signing_from_another_township(
    login: Login, county: County, draft: DutyList
) -> None:
    duty_list = discussed(county, draft)
    assert login(county.other_township_secretary).post(url("sign", duty_list)).status_code == 404


def test_it_refuses_to_sign_by_get(login: Login, county: County, draft: DutyList) -> None:
    assert login(county.township_secretary).get(url("sign", draft)).status_code == 405


def test_it_submits_a_signed_list(login: Login, county: County, signed: DutyList) -> None:
    response = login(county.township_secretary).post(url("submit", signed))
    assert response.status_code == 302
    signed.refresh_from_db()
    assert signed.status == DutyList.Status.SUBMITTED and signed.submitted_at


def test_it_makes_a_new_version_of_a_frozen_list(
    login: Login, county: County, signed: DutyList
) -> None:
    response = login(county.township_secretary).post(url("revise", signed))
    fresh = DutyList.objects.get(previous=signed)
    assert response["Location"] == url("edit", fresh)
    assert fresh.version == 2 and fresh.status == DutyList.Status.DRAFT


# Review and publication ---------------------------------------------------------------------


def test_it_accepts_a_submitted_list(login: Login, county: County, submitted: DutyList) -> None:
    client = login(county.discipline_officer)
    assert 'data-testid="review-form"' in page(client.get(url("list", submitted)))
    response = client.post(url("review", submitted), {"verdict": "accepted"})
    assert response.status_code == 302 and response["Location"] == REVIEWS
    submitted.refresh_from_db()
    assert submitted.status == DutyList.Status.ACCEPTED


def test_it_returns_a_list_only_with_reasons_and_keeps_them(
    login: Login, county: County, submitted: DutyList
) -> None:
    client = login(county.discipline_officer)
    response = client.post(url("review", submitted), {"verdict": "returned", "reason": " "})
    assert response.status_code == 200 and "退回清单必须写明理由" in page(response)
    submitted.refresh_from_db()
    assert submitted.status == DutyList.Status.SUBMITTED
    client.post(url("review", submitted), {"verdict": "returned", "reason": "措施不具体"})
    submitted.refresh_from_db()
    assert submitted.status == DutyList.Status.RETURNED
    assert submitted.reviews.get().reason == "措施不具体"
    content = page(login(county.township_secretary).get(url("list", submitted)))
    assert "措施不具体" in content and 'data-testid="revise-button"' in content


def test_it_refuses_review_by_the_unit_itself(
    login: Login, county: County, submitted: DutyList
) -> None:
    response = login(county.township_secretary).post(
        url("review", submitted), {"verdict": "accepted"}
    )
    assert response.status_code == 403


def test_it_publishes_an_accepted_list_to_the_chosen_range(
    login: Login, county: County, submitted: DutyList
) -> None:
    services.duty_list_review(
        actor=county.discipline_officer, duty_list=submitted, verdict=Review.Verdict.ACCEPTED
    )
    client = login(county.township_secretary)
    assert 'data-testid="publish-form"' in page(client.get(url("list", submitted)))
    response = client.post(url("publish", submitted), {"publish_range": "unit"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.publish_range) == (DutyList.Status.PUBLISHED, "unit")
    assert login(county.clerk).get(url("list", submitted)).status_code == 200


def test_it_hides_publication_from_the_clerk_before_it_is_published(
    login: Login, county: County, submitted: DutyList
) -> None:
    services.duty_list_review(
        actor=county.discipline_officer, duty_list=submitted, verdict=Review.Verdict.ACCEPTED
    )
    response = login(county.clerk).post(url("publish", submitted), {"publish_range": "unit"})
    assert response.status_code == 404


# The grid editor --------------------------------------------------------------------------


def test_it_opens_the_grid_with_one_row_per_item(
    login: Login, county: County, draft: DutyList
) -> None:
    response = login(county.township_secretary).get(url("edit", draft))
    assert response.status_code == 200
    assert len(response.context["grid"]) == 14
    assert 'id="duty-people"' in page(response) and "P001" in page(response)


def test_it_saves_the_posted_grid(login: Login, county: County, draft: DutyList) -> None:
    rows = full_rows(draft)
    rows[0], rows[1] = rows[1], rows[0]
    rows.append({"name": "廉政文化进社区", "task": "每季度一次", "responsible": "P002"})
    response = login(county.township_secretary).post(url("edit", draft), grid_post(rows))
    assert response.status_code == 302 and response["Location"] == url("edit", draft)
    items = list(draft.items.select_related("entry", "responsible").order_by("seq"))
    assert len(items) == 15
    assert items[0].entry_ref == "TZ-C-02" and items[1].entry_ref == "TZ-C-01"
    assert items[-1].is_own and items[-1].responsible == county.township_member.person


def test_it_reads_the_rows_in_the_order_of_their_numbers(
    login: Login, county: County, draft: DutyList
) -> None:
    rows = full_rows(draft)[:2]
    data = {"action": "save"}
    for n, row in zip((7, 3), rows, strict=True):
        data |= {f"rows-{n}-{field}": value for field, value in row.items()}
    login(county.township_secretary).post(url("edit", draft), data)
    assert list(draft.items.order_by("seq").values_list("name", flat=True)) == [
        rows[1]["name"],
        rows[0]["name"],
    ]


def test_it_names_bad_rows_keeps_the_input_and_saves_nothing(
    login: Login, county: County, draft: DutyList
) -> None:
    rows = full_rows(draft)
    rows[2]["responsible"] = "P003"
    rows[5]["name"] = ""
    rows[5]["entry"] = ""
    rows[0]["task"] = "刚输入、尚未保存的任务"
    response = login(county.township_secretary).post(url("edit", draft), grid_post(rows))
    assert response.status_code == 200
    content = page(response)
    assert "第 3 行「责任人」：本单位及下级中没有编号为 P003 的人员。" in content
    assert "第 6 行「责任名称」：不能为空。" in content
    assert "刚输入、尚未保存的任务" in content
    assert response.context["error_rows"] == {3, 6}
    assert not draft.items.exclude(task="").exists()


def test_it_appends_rows_pasted_from_excel_without_saving(
    login: Login, county: County, draft: DutyList
) -> None:
    rows = full_rows(draft)
    paste = (
        '责任名称\t项目任务\t责任人编号\n廉政谈话\t"第一行\n第二行"\tP002\t党政办\ta\tb\tc\td\r\n'
    )
    data = grid_post(rows, action="paste") | {"paste": paste}
    response = login(county.township_secretary).post(url("edit", draft), data)
    grid = response.context["grid"]
    assert len(grid) == 15
    assert grid[-1].values["task"] == "第一行\n第二行"
    assert grid[-1].responsible_name == "李明华"
    assert draft.items.count() == 14 and not draft.items.exclude(task="").exists()


def test_it_refuses_a_paste_with_too_many_columns(
    login: Login, county: County, draft: DutyList
) -> None:
    data = grid_post(full_rows(draft), action="paste") | {"paste": "a\tb\tc\td\te\tf\tg\th\ti"}
    response = login(county.township_secretary).post(url("edit", draft), data)
    assert "粘贴的第 1 行有 9 列" in page(response)
    assert len(response.context["grid"]) == 14 and response.context["paste"]


def test_it_does_not_edit_a_signed_list(login: Login, county: County, signed: DutyList) -> None:
    client = login(county.township_secretary)
    response = client.get(url("edit", signed))
    assert response.status_code == 302 and response["Location"] == url("list", signed)
    rows = full_rows(signed)
    rows[0]["q1"] = "签字后想改"
    response = client.post(url("edit", signed), grid_post(rows), follow=True)
    assert any("生成新版本" in m for m in flashed(response))
    assert not signed.items.filter(q1="签字后想改").exists() and services.verify_digest(signed)


def test_it_refuses_the_editor_to_a_reviewer(login: Login, county: County, draft: DutyList) -> None:
    assert login(county.discipline_officer).get(url("edit", draft)).status_code == 403


def test_it_hides_the_editor_from_the_clerk_and_another_township(
    login: Login, county: County, draft: DutyList
) -> None:
    assert login(county.clerk).get(url("edit", draft)).status_code == 404
    assert login(county.other_township_secretary).get(url("edit", draft)).status_code == 404


def test_it_refuses_other_methods_on_the_editor(
    login: Login, county: County, draft: DutyList
) -> None:
    assert login(county.township_secretary).put(url("edit", draft)).status_code == 405


# Diff -------------------------------------------------------------------------------------------


def test_it_shows_a_changed_measure_against_the_previous_version(
    login: Login, county: County, signed: DutyList
) -> None:
    v2 = services.duty_list_revise(actor=county.township_secretary, duty_list=signed)
    rows = full_rows(v2)
    rows[0]["q1"] = rows[0]["q1"].replace("措施", "专题谈话")  # 组织领导第1季度措施
    services.duty_items_save(actor=county.township_secretary, duty_list=v2, rows=rows)
    response = login(county.township_secretary).get(url("diff", v2))
    assert response.status_code == 200
    (row,) = response.context["changed"]
    assert row.new_seq == 1 and [c.field for c in row.changes] == ["q1"]
    assert response.context["unchanged"] == 13
    assert (
        '组织领导第1季度<del class="text-danger bg-danger-subtle">措施</del>'
        '<ins class="text-success bg-success-subtle">专题谈话</ins>'
    ) in page(response)


def test_it_says_a_first_version_has_nothing_to_compare(
    login: Login, county: County, draft: DutyList
) -> None:
    response = login(county.township_secretary).get(url("diff", draft))
    assert "这是第一版" in page(response)


def test_it_hides_the_diff_from_another_township(
    login: Login, county: County, draft: DutyList
) -> None:
    assert login(county.other_township_secretary).get(url("diff", draft)).status_code == 404


def test_it_refuses_to_post_to_the_diff(login: Login, county: County, draft: DutyList) -> None:
    assert login(county.township_secretary).post(url("diff", draft)).status_code == 405


# Review queue --------------------------------------------------------------------------------


def test_it_queues_submitted_lists_for_the_level_above(
    login: Login, county: County, submitted: DutyList
) -> None:
    response = login(county.discipline_officer).get(REVIEWS)
    (row,) = response.context["page_obj"]
    assert row.duty_list == submitted and row.waiting_days == 0 and not row.late
    assert "按时" in page(response)


def test_it_does_not_queue_a_units_own_list_for_itself(
    login: Login, county: County, submitted: DutyList
) -> None:
    assert list(login(county.township_secretary).get(REVIEWS).context["page_obj"]) == []
    assert list(login(county.other_township_secretary).get(REVIEWS).context["page_obj"]) == []


def test_it_marks_a_late_submission_in_the_queue(
    login: Login, county: County, submitted: DutyList
) -> None:
    DutyList.objects.filter(pk=submitted.pk).update(
        deadline=date(2026, 1, 1), submitted_at=timezone.now() - timedelta(days=3)
    )
    response = login(county.discipline_officer).get(REVIEWS, {"list_type": "collective"})
    (row,) = response.context["page_obj"]
    assert row.late and row.waiting_days == 3 and "逾期报送" in page(response)
    filtered = login(county.discipline_officer).get(REVIEWS, {"list_type": "member"})
    assert list(filtered.context["page_obj"]) == []


def test_it_refuses_to_post_to_the_queue(login: Login, county: County) -> None:
    assert login(county.discipline_officer).post(REVIEWS).status_code == 405


def test_it_builds_the_queue_in_bounded_queries(
    login: Login,
    county: County,
    catalogue: Catalogue,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = login(county.discipline_officer)
    add_lists(county, catalogue, 5, DutyList.Status.SUBMITTED)
    with django_assert_max_num_queries(12) as small:
        client.get(REVIEWS)
    add_lists(county, catalogue, 55, DutyList.Status.SUBMITTED)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(REVIEWS)
    assert len(response.context["page_obj"]) == 50


# Catalogues ---------------------------------------------------------------------------------


def catalogue_url(name: str, catalogue: Catalogue, *extra: str) -> str:
    return reverse(f"duties:{name}", args=[catalogue.code, *extra])


def test_it_lists_and_filters_catalogues(
    login: Login, county: County, catalogue: Catalogue, draft_catalogue: Catalogue
) -> None:
    client = login(county.clerk)
    response = client.get(CATALOGUES)
    assert response.status_code == 200 and len(response.context["page_obj"]) == 2
    issued = client.get(CATALOGUES, {"status": "issued"})
    assert [c.pk for c in issued.context["page_obj"]] == [catalogue.pk]
    assert client.post(CATALOGUES).status_code == 405


def test_it_keeps_catalogues_from_the_audit_admin(
    login: Login, county: County, catalogue: Catalogue
) -> None:
    assert login(county.audit_admin).get(CATALOGUES).status_code == 403


def test_it_shows_a_catalogue_grouped_by_list_type(
    login: Login, county: County, catalogue: Catalogue
) -> None:
    response = login(county.clerk).get(catalogue_url("catalogue", catalogue))
    labels = [str(label) for label, _ in response.context["sections"]]
    assert labels == [
        "领导班子主体责任清单",
        "主要负责人责任清单",
        "班子成员责任清单",
        "纪委（纪检委员）监督责任清单",
    ]
    content = page(response)
    assert "保障措施" in content and "TZ-C-B01" in content
    assert not response.context["issue_form"] and "修改" not in content


def test_it_lets_the_system_admin_correct_a_draft_catalogue(
    login: Login, county: County, draft_catalogue: Catalogue
) -> None:
    entry = draft_catalogue.entries.order_by("pk").first()
    assert entry is not None
    client = login(county.system_admin)
    assert "修改" in page(client.get(catalogue_url("catalogue", draft_catalogue)))
    response = client.post(
        catalogue_url("catalogue_entry", draft_catalogue, entry.ref),
        {"name": "改过的名称", "text": "改过的要求"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.name, entry.text) == ("改过的名称", "改过的要求")


def test_it_lets_the_system_admin_set_whether_units_without_a_committee_are_covered(
    login: Login, county: County, draft_catalogue: Catalogue
) -> None:
    client = login(county.system_admin)
    shown = client.get(catalogue_url("catalogue", draft_catalogue))
    assert shown.context["settings_form"]["covers_units_without_committee"].value() is True
    assert "参照执行，须编制清单并计入全覆盖" in page(shown)
    response = client.post(catalogue_url("catalogue_settings", draft_catalogue), {})
    assert response.status_code == 302
    draft_catalogue.refresh_from_db()
    assert draft_catalogue.covers_units_without_committee is False
    event = AuditEvent.objects.get(
        verb=AuditEvent.Verb.UPDATE, object_code=str(draft_catalogue.code)
    )
    assert event.data == {"covers_units_without_committee": [True, False]}
    assert "不要求编制领导班子主体责任清单" in page(
        client.get(catalogue_url("catalogue", draft_catalogue))
    )


def test_it_keeps_an_issued_catalogues_setting(
    login: Login, county: County, catalogue: Catalogue
) -> None:
    client = login(county.discipline_officer)
    assert client.get(catalogue_url("catalogue", catalogue)).context["settings_form"] is None
    response = client.post(catalogue_url("catalogue_settings", catalogue), {})
    assert response.status_code == 200
    assert "目录已下发，不能修改" in page(response)
    catalogue.refresh_from_db()
    assert catalogue.covers_units_without_committee is True


def test_it_refuses_a_business_user_correcting_an_unissued_catalogue(
    login: Login, county: County, draft_catalogue: Catalogue
) -> None:
    entry = draft_catalogue.entries.order_by("pk").first()
    assert entry is not None
    response = login(county.township_secretary).post(
        catalogue_url("catalogue_entry", draft_catalogue, entry.ref),
        {"name": "改过的名称", "text": "改过的要求"},
    )
    assert response.status_code == 403


def test_it_issues_a_shared_draft_catalogue_from_the_top_of_the_tree(
    login: Login, county: County, draft_catalogue: Catalogue
) -> None:
    client = login(county.discipline_officer)
    assert client.get(catalogue_url("catalogue", draft_catalogue)).context["issue_form"]
    response = client.post(
        catalogue_url("catalogue_issue", draft_catalogue),
        {"issuer": county.county.pk, "year": "2026", "submit_deadline": "2026-02-14"},
    )
    assert response.status_code == 302
    draft_catalogue.refresh_from_db()
    assert draft_catalogue.is_issued and draft_catalogue.issuer == county.county
    assert draft_catalogue.year == 2026


def test_it_offers_no_org_of_another_level_to_issue_from(
    login: Login, county: County, catalogue: Catalogue
) -> None:
    draft = services.catalogue_new_version(actor=county.discipline_officer, catalogue=catalogue)
    response = login(county.discipline_officer).post(
        catalogue_url("catalogue_issue", draft), {"issuer": county.chengguan.pk, "year": "2026"}
    )
    assert response.status_code == 200 and response.context["issue_form"].errors["issuer"]
    draft.refresh_from_db()
    assert not draft.is_issued and draft.issuer == county.county


def test_it_makes_a_new_version_of_an_issued_catalogue(
    login: Login, county: County, catalogue: Catalogue
) -> None:
    client = login(county.discipline_officer)
    assert client.get(catalogue_url("catalogue", catalogue)).context["may_revise"]
    response = client.post(catalogue_url("catalogue_new_version", catalogue))
    fresh = Catalogue.objects.get(previous=catalogue)
    assert response["Location"] == catalogue_url("catalogue", fresh)
    assert fresh.entries.count() == catalogue.entries.count()


def test_it_refuses_a_new_catalogue_version_to_a_township(
    login: Login, county: County, catalogue: Catalogue
) -> None:
    client = login(county.township_secretary)
    assert not client.get(catalogue_url("catalogue", catalogue)).context["may_revise"]
    response = client.post(catalogue_url("catalogue_new_version", catalogue))
    assert response.status_code == 403


def test_it_answers_404_for_an_unknown_catalogue(login: Login, county: County) -> None:
    response = login(county.clerk).get(reverse("duties:catalogue", args=[county.county.code]))
    assert response.status_code == 404


# Navigation ----------------------------------------------------------------------------------


def test_it_puts_the_lists_in_the_business_navigation(login: Login, county: County) -> None:
    response = login(county.clerk).get(reverse("portal:home"))
    assert INDEX in [item["url"] for item in response.context["nav_items"]]
    admin = login(county.audit_admin).get(reverse("portal:home"))
    assert INDEX not in [item["url"] for item in admin.context["nav_items"]]


# The print view: the official form of 004 附件1–4 alone -----------------------------


def form_headers(response: Response) -> list[str]:
    """The print view's column headings, read from its table head as a person reads them."""
    head = page(response).split("<thead>")[1].split("</thead>")[0]
    return [h.replace("<br>", "") for h in re.findall(r"<th[^>]*>(.*?)</th>", head)]


@pytest.mark.parametrize(
    ("fixture", "title", "heading", "headers"),
    [
        (
            "draft",
            "党委(党组)领导班子主体责任清单",
            "单位(盖章)：城关镇党委",
            ["责任名称", "序号", "项目任务", "责任人", "责任部门", "工作措施和目标要求"],
        ),
        (
            "principal_draft",
            "领导班子主要负责人责任清单",
            "",
            ["单位", "姓名", "职务", "责任名称", "序号", "项目任务具体分解内容"],
        ),
        (
            "member_draft",
            "班子成员责任清单",
            "",
            ["单位", "姓名", "职务", "分管工作", "联系单位", "责任名称", "序号"],
        ),
        (
            "supervisory_list",
            "纪委(纪检委员)监督责任清单",
            "单位(盖章)：示范县委",
            ["单位", "责任名称", "序号", "项目任务具体分解内容", "责任人", "责任部门"],
        ),
    ],
)
def test_it_prints_each_list_as_its_official_form(
    login: Login,
    county: County,
    request: pytest.FixtureRequest,
    fixture: str,
    title: str,
    heading: str,
    headers: list[str],
) -> None:
    duty_list: DutyList = request.getfixturevalue(fixture)
    response = login(county.discipline_officer).get(url("print", duty_list))
    assert response.status_code == 200
    form = response.context["form"]
    assert (form.title, form.heading[0]) == (title, heading)
    found = form_headers(response)
    assert found[: len(headers)] == headers
    assert found[-4:] == ["一季度", "二季度", "三季度", "四季度"]
    assert ("责任人" in found) == (duty_list.list_type not in PERSONAL_TYPES)
    content = page(response)
    assert f">{title}</h1>" in content and str(duty_list.year) + "年" not in title
    for chrome in ('id="lz-nav"', "lz-sidebar", 'data-testid="workflow"', "lz-topbar"):
        assert chrome not in content


def test_it_prints_both_signers_of_a_supervisory_list_on_their_lines(
    login: Login, county: County, commission_list: DutyList, commission_head: User
) -> None:
    services.duty_list_sign(actor=commission_head, duty_list=commission_list)
    services.duty_list_sign(actor=county.township_secretary, duty_list=commission_list)
    for where, marker in (("print", "form-signatures"), ("list", "sign-lines")):
        response = login(commission_head).get(url(where, commission_list))
        block = page(response).split(f'data-testid="{marker}"')[1].split("</div>")[0]
        lines = re.findall(r"<span>(.*?)</span>", block)
        party = next(line for line in lines if line.startswith("党委(组)主要负责人(签字)："))
        body = next(line for line in lines if line.startswith("纪委(纪检组)主要负责人(签字)："))
        assert "张建国" in party and "周正风" not in party, where
        assert "周正风" in body and "张建国" not in body, where


def test_it_offers_the_print_view_from_the_list(
    login: Login, county: County, draft: DutyList
) -> None:
    content = page(login(county.township_secretary).get(url("list", draft)))
    assert url("print", draft) in content and 'data-testid="print-link"' in content
    assert 'class="row g-3 lz-no-print"' in content  # the workflow panel stays off paper


def test_it_hides_the_print_view_from_another_township(
    login: Login, county: County, draft: DutyList
) -> None:
    assert login(county.other_township_secretary).get(url("print", draft)).status_code == 404


def test_it_offers_the_second_signature_and_no_submission_until_both_are_on(
    login: Login, county: County, commission_list: DutyList, commission_head: User
) -> None:
    services.duty_list_sign(actor=commission_head, duty_list=commission_list)
    head = login(commission_head).get(url("list", commission_list)).context["page"].actions
    assert not head.sign and not head.submit
    secretary = login(county.township_secretary).get(url("list", commission_list))
    assert secretary.context["page"].actions.sign
    # Marked signed with the body's signature alone, as before 附件4 had two lines.
    DutyList.objects.filter(pk=commission_list.pk).update(status=DutyList.Status.SIGNED)
    assert (
        not login(commission_head).get(url("list", commission_list)).context["page"].actions.submit
    )
