"""Every page: happy path, wrong method (405), outsider (404), insider without the right (403)."""

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from liangze.accounts.models import User
from liangze.core.models import AuditEvent
from liangze.duties import services as duties
from liangze.duties.models import Catalogue, DutyList, ListType, Review
from liangze.supervision.inspections import queries, services
from liangze.supervision.models import (
    Finding,
    Inspection,
    InspectionTarget,
    Rectification,
    Sample,
    Sanction,
    UnitFlag,
    Verdict,
)
from liangze.supervision.rectifications import services as rectify
from tests.fixtures import threads
from tests.fixtures.clients import Login, Response
from tests.fixtures.county import County, person_of
from tests.fixtures.duties import full_rows
from tests.fixtures.evidence import photo
from tests.fixtures.supervision import YEAR, plan

pytestmark = pytest.mark.django_db
LIST = reverse("supervision:inspections")
NEW = reverse("supervision:inspection_new")
RECTIFICATIONS = reverse("supervision:rectifications")
FLAGS = reverse("supervision:flags")


def url(name: str, obj: Any) -> str:
    return reverse(f"supervision:{name}", args=[obj.code])


def text(response: Response) -> str:
    return response.content.decode()


# The list -----------------------------------------------------------------------------


def test_it_lists_the_inspections_the_user_sees(
    login: Login, county: County, inspection: Inspection
) -> None:
    response = login(county.discipline_officer).get(LIST, {"kind": "special", "year": str(YEAR)})
    assert response.status_code == 200
    assert inspection.title in text(response)
    assert 'data-testid="new-inspection"' in text(response)
    response = login(county.discipline_officer).get(LIST, {"kind": "spot"})
    assert inspection.title not in text(response)


def test_it_hides_a_planned_inspection_from_the_units_inspected(
    login: Login, county: County, inspection: Inspection
) -> None:
    response = login(county.other_township_secretary).get(LIST)
    assert inspection.title not in text(response)
    assert 'data-testid="new-inspection"' in text(response)  # may plan for 河口镇


def test_it_refuses_to_post_to_the_list(login: Login, county: County) -> None:
    assert login(county.discipline_officer).post(LIST).status_code == 405


def test_it_lists_a_page_in_a_fixed_number_of_queries(
    login: Login,
    county: County,
    flag: UnitFlag,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = login(county.discipline_officer)
    for n in range(3):
        plan(county, title=f"检查{n}")
    with django_assert_max_num_queries(25) as small:
        client.get(LIST)
    for n in range(30):
        plan(county, title=f"更多检查{n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["page_obj"]) == 33


# The plan form ------------------------------------------------------------------------


def plan_form(county: County, **changes: Any) -> dict[str, Any]:
    data = {
        "kind": "patrol",
        "title": "第一片组巡查",
        "year": "2026",
        "period": "2026-H2",
        "organiser": f"b{county.county_commission.pk}",
        "org": county.county.pk,
        "planned_start": "2026-11-23",
        "planned_end": "2026-12-04",
        "inspectors": [person_of(county.discipline_officer).pk],
        "requirements": "检查清单落实",
    }
    return data | changes


def test_it_plans_an_inspection_from_the_form(login: Login, county: County, flag: UnitFlag) -> None:
    client = login(county.discipline_officer)
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, plan_form(county))
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == inspection.get_absolute_url()
    assert inspection.kind == "patrol"
    assert list(inspection.inspectors.all()) == [county.discipline_officer.person]
    assert inspection.targets.get().org == county.hekou


def test_it_shows_a_bad_period_on_its_field_and_writes_nothing(
    login: Login, county: County
) -> None:
    response = login(county.discipline_officer).post(NEW, plan_form(county, period="2025-H2"))
    assert response.status_code == 200
    assert "期间应在 2026 年内。" in text(response)
    assert 'data-testid="error-period"' in text(response)
    assert not Inspection.objects.exists()


def test_it_offers_only_the_organisers_ground_as_scope(login: Login, county: County) -> None:
    response = login(county.dispatched_officer).get(NEW)
    choices = [c for c, _ in response.context["form"].fields["org"].choices if c]
    assert [c.value for c in choices] == [county.education.pk]


def test_it_refuses_the_plan_form_to_someone_who_organises_nothing(
    login: Login, county: County
) -> None:
    assert login(county.clerk).get(NEW).status_code == 403


def test_it_refuses_a_wrong_method_on_the_plan_form(login: Login, county: County) -> None:
    assert login(county.discipline_officer).put(NEW).status_code == 405


# The inspection page and its actions ------------------------------------------------------


def test_it_shows_an_inspection_with_its_targets(
    login: Login, county: County, inspection: Inspection
) -> None:
    response = login(county.discipline_officer).get(url("inspection", inspection))
    assert response.status_code == 200
    assert "河口镇党委" in text(response)
    assert 'data-testid="draw-form"' in text(response)
    assert 'data-testid="start"' in text(response)


def test_it_hides_an_inspection_from_an_outsider(
    login: Login, county: County, inspection: Inspection
) -> None:
    response = login(county.dispatched_officer).get(url("inspection", inspection))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(verb="denied", object_code=str(inspection.code)).exists()


def test_it_shows_an_inspector_the_page_without_the_managers_buttons(
    login: Login, county: County, inspection: Inspection, inspector: User
) -> None:
    response = login(inspector).get(url("inspection", inspection))
    assert response.status_code == 200
    assert 'data-testid="draw-form"' not in text(response)
    assert 'data-testid="start"' not in text(response)


@pytest.mark.parametrize("name", ["target_add", "targets_sync", "draw", "start", "conclude"])
def test_it_refuses_the_managers_actions_to_others(
    login: Login, county: County, inspection: Inspection, inspector: User, name: str
) -> None:
    assert login(county.discipline_officer).get(url(name, inspection)).status_code == 405
    assert login(inspector).post(url(name, inspection)).status_code == 403
    assert login(county.other_township_secretary).post(url(name, inspection)).status_code == 404
    assert inspection.targets.count() == 1
    assert Inspection.objects.get().status == "planned"


def test_it_adds_a_target_by_name_or_number(
    login: Login, county: County, inspection: Inspection
) -> None:
    client = login(county.discipline_officer)
    response = client.post(url("target_add", inspection), {"org": "C-D1"}, follow=True)
    assert "已列入名单：县教育局党组（指定）" in text(response)
    response = client.post(url("target_add", inspection), {"org": "不存在的单位"}, follow=True)
    assert "找不到单位“不存在的单位”" in text(response)
    assert inspection.targets.count() == 2


def test_it_draws_and_the_verify_button_shows_the_same_result(
    login: Login, county: County, inspection: Inspection
) -> None:
    client = login(county.discipline_officer)
    response = client.post(
        url("draw", inspection), {"size": 1, "rule": "children", "public_number": "371"}
    )
    assert response.status_code == 302
    sample = Sample.objects.get()
    page = text(client.get(url("inspection", inspection)))
    assert sample.seed in page
    assert 'data-testid="verify"' in page
    check = client.get(url("draw_verify", inspection), HTTP_HX_REQUEST="true")
    assert check.status_code == 200
    assert 'data-testid="verify-match"' in text(check)
    assert 'data-testid="population-same"' in text(check)
    assert "<html" not in text(check)
    full = client.get(url("draw_verify", inspection))
    assert "<html" in text(full) and 'data-testid="verify-match"' in text(full)


def test_it_shows_a_draw_error_and_draws_nothing(
    login: Login, county: County, inspection: Inspection
) -> None:
    response = login(county.discipline_officer).post(
        url("draw", inspection), {"size": 50, "rule": "children"}, follow=True
    )
    assert "抽取数量 50 超过了可抽取单位数 2。" in text(response)
    assert not Sample.objects.exists()


def test_it_verifies_for_whoever_sees_the_inspection(
    login: Login, county: County, inspection: Inspection, inspector: User
) -> None:
    services.sample_draw(actor=county.discipline_officer, inspection=inspection, size=1)
    assert login(inspector).get(url("draw_verify", inspection)).status_code == 200
    outsider = login(county.other_township_secretary)
    assert outsider.get(url("draw_verify", inspection)).status_code == 404
    assert login(inspector).post(url("draw_verify", inspection)).status_code == 405


def test_it_starts_and_concludes(login: Login, county: County, inspection: Inspection) -> None:
    client = login(county.discipline_officer)
    client.post(url("start", inspection))
    inspection.refresh_from_db()
    assert inspection.status == "in_progress"
    response = client.post(url("conclude", inspection), {"summary": "好"}, follow=True)
    assert "还有单位未完成检查：河口镇党委" in text(response)
    services.target_check(
        actor=county.discipline_officer, target=inspection.targets.get(), conclusion="较好"
    )
    client.post(url("conclude", inspection), {"summary": "总体较好"})
    inspection.refresh_from_db()
    assert inspection.status == "concluded" and inspection.summary == "总体较好"


def test_it_exports_the_results_as_a_workbook(
    login: Login, county: County, finding: Finding
) -> None:
    inspection = finding.inspection
    response = login(county.discipline_officer).get(url("export", inspection))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["被检查单位", "发现问题", "逐项过堂"]
    targets = list(book["被检查单位"].iter_rows(values_only=True))
    assert targets[0][:3] == ("组织编号", "被检查单位", "列入原因")
    assert {row[1] for row in targets[1:]} == {"城关镇党委", "河口镇党委"}
    findings = list(book["发现问题"].iter_rows(values_only=True))
    assert findings[1][2] == "班子成员谈心谈话未留存记录"
    assert findings[1][7] == "待制定方案"
    assert AuditEvent.objects.filter(verb="export", object_code=str(inspection.code)).exists()
    assert login(county.dispatched_officer).get(url("export", inspection)).status_code == 404
    assert login(county.discipline_officer).post(url("export", inspection)).status_code == 405


# The target page ----------------------------------------------------------------------------


def test_it_shows_the_unit_its_own_target_once_started(
    login: Login, county: County, target: InspectionTarget, finding: Finding
) -> None:
    response = login(county.clerk).get(url("target", target))
    assert response.status_code == 200
    assert finding.description in text(response)
    assert 'data-testid="new-finding"' not in text(response)


def test_it_hides_a_target_from_its_unit_before_the_start(
    login: Login, county: County, inspection: Inspection
) -> None:
    target = inspection.targets.get(org=county.hekou)
    assert login(county.other_township_secretary).get(url("target", target)).status_code == 404
    services.inspection_start(actor=county.discipline_officer, inspection=inspection)
    assert login(county.other_township_secretary).get(url("target", target)).status_code == 200


def test_it_hides_a_target_from_another_unit(
    login: Login, county: County, target: InspectionTarget
) -> None:
    assert login(county.other_township_secretary).get(url("target", target)).status_code == 404


def test_it_refuses_a_wrong_method_on_the_target_page(
    login: Login, county: County, target: InspectionTarget
) -> None:
    assert login(county.discipline_officer).post(url("target", target)).status_code == 405


def test_it_records_a_finding_from_the_form(
    login: Login, county: County, target: InspectionTarget
) -> None:
    client = login(county.discipline_officer)
    assert client.get(url("finding_new", target)).status_code == 200
    response = client.post(
        url("finding_new", target),
        {
            "description": "廉政谈话记录缺失",
            "severity": "serious",
            "duty_item": "",
            "rectify": "on",
            "deadline": "2026-12-31",
            "requirement": "补齐记录",
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert finding.rectification.deadline.isoformat() == "2026-12-31"


def test_it_shows_a_finding_error_on_its_field(
    login: Login, county: County, target: InspectionTarget
) -> None:
    response = login(county.discipline_officer).post(
        url("finding_new", target),
        {"description": "x", "severity": "minor", "rectify": "on", "deadline": "2026-01-01"},
    )
    assert response.status_code == 200
    assert "整改期限不能早于今天。" in text(response)
    assert not Finding.objects.exists()


def test_it_refuses_the_finding_form_to_the_unit(
    login: Login, county: County, target: InspectionTarget
) -> None:
    client = login(county.township_secretary)
    assert client.get(url("finding_new", target)).status_code == 403
    assert login(county.other_township_secretary).get(url("finding_new", target)).status_code == 404
    assert login(county.discipline_officer).put(url("finding_new", target)).status_code == 405


def test_it_marks_a_target_checked(login: Login, county: County, target: InspectionTarget) -> None:
    assert login(county.township_secretary).post(url("target_check", target)).status_code == 403
    client = login(county.discipline_officer)
    assert client.get(url("target_check", target)).status_code == 405
    client.post(url("target_check", target), {"conclusion": "基本落实"})
    target.refresh_from_db()
    assert target.status == "checked" and target.conclusion == "基本落实"


def test_it_removes_a_target_with_its_reason(
    login: Login, county: County, inspection: Inspection
) -> None:
    target = inspection.targets.get()
    client = login(county.discipline_officer)
    response = client.post(url("target_remove", target), {"reason": ""}, follow=True)
    assert "必查单位须说明移除理由。" in text(response)
    client.post(url("target_remove", target), {"reason": "已另行检查"})
    target.refresh_from_db()
    assert target.status == InspectionTarget.Status.REMOVED
    assert client.get(url("target_remove", target)).status_code == 405


def test_it_sanctions_from_the_target_page(
    login: Login, county: County, target: InspectionTarget
) -> None:
    finding = services.finding_record(
        actor=county.discipline_officer, target=target, description="走过场", is_perfunctory=True
    )
    assert (
        login(county.township_secretary).post(url("finding_sanction", finding)).status_code == 403
    )
    client = login(county.discipline_officer)
    client.post(url("finding_sanction", finding), {"kind": "redo", "decided_on": "2026-11-20"})
    assert Sanction.objects.get().kind == "redo"
    response = client.get(url("target", target))
    assert 'data-testid="sanction"' in text(response)
    assert client.get(url("finding_sanction", finding)).status_code == 405


def test_it_opens_a_rectification_later(
    login: Login, county: County, target: InspectionTarget
) -> None:
    finding = services.finding_record(
        actor=county.discipline_officer, target=target, description="x", rectify=False
    )
    assert login(county.township_secretary).post(url("finding_rectify", finding)).status_code == 403
    login(county.discipline_officer).post(url("finding_rectify", finding), {"deadline": ""})
    assert Rectification.objects.get().finding == finding


# 逐项过堂 --------------------------------------------------------------------------------------


def test_it_walks_every_item_and_saves_a_verdict_with_htmx(
    login: Login, county: County, target: InspectionTarget, published: DutyList
) -> None:
    client = login(county.discipline_officer)
    response = client.get(url("review", target))
    items = list(published.items.all())
    assert response.status_code == 200
    assert text(response).count('data-testid="review-item"') == len(items)
    saved = client.post(
        url("review", target),
        {"item": items[0].pk, "value": "mostly", "note": "记录不全"},
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200
    assert 'data-testid="saved"' in text(saved)
    assert 'hx-swap-oob="true"' in text(saved)
    assert f"已评定 1 / {len(items)} 项" in text(saved)
    assert Verdict.objects.get().note == "记录不全"


def test_it_refuses_verdicts_to_the_unit_and_outsiders(
    login: Login, county: County, target: InspectionTarget, published: DutyList
) -> None:
    item = published.items.first()
    assert item is not None
    data = {"item": item.pk, "value": "done"}
    assert login(county.township_secretary).get(url("review", target)).status_code == 200
    assert login(county.township_secretary).post(url("review", target), data).status_code == 403
    assert (
        login(county.other_township_secretary).post(url("review", target), data).status_code == 404
    )
    assert login(county.discipline_officer).put(url("review", target), data).status_code == 405
    assert not Verdict.objects.exists()


def test_it_shows_a_verdict_refusal_in_the_row(
    login: Login, county: County, target: InspectionTarget, draft: DutyList
) -> None:
    item = draft.items.first()
    assert item is not None
    response = login(county.discipline_officer).post(
        url("review", target),
        {"item": item.pk, "value": "done"},
        HTTP_HX_REQUEST="true",
    )
    assert 'data-testid="verdict-error"' in text(response)
    assert "不在城关镇党委本年度的现行清单中" in text(response)


def test_it_does_not_name_another_units_item_in_the_row(
    login: Login, county: County, target: InspectionTarget, catalogue: Catalogue
) -> None:
    elsewhere = duties.duty_list_create(
        actor=county.other_township_secretary,
        org=county.hekou,
        year=2026,
        list_type=ListType.COLLECTIVE,
        catalogue=catalogue,
    )
    item = elsewhere.items.first()
    assert item is not None
    response = login(county.discipline_officer).post(
        url("review", target),
        {"item": item.pk, "value": "done"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "事项不存在" in text(response)
    assert item.name not in text(response)
    assert not Verdict.objects.exists()


def test_it_counts_only_verdicts_on_items_still_on_review_after_a_revision(
    login: Login, county: County, target: InspectionTarget, published: DutyList
) -> None:
    """Issue 9: 逐项过堂 showed 27/22 after a revision. The version in force stays on review,
    with its verdicts, until the revision is published; then its items are judged afresh."""
    client = login(county.discipline_officer)
    old = list(published.items.all())
    for item in old:
        services.verdict_set(
            actor=county.discipline_officer, target=target, duty_item=item, value="done"
        )
    fresh = duties.duty_list_revise(actor=county.township_secretary, duty_list=published)
    judged = f"已评定 {len(old)} / {len(old)} 项"
    assert judged in text(client.get(url("review", target)))
    rows = [*full_rows(fresh), {**full_rows(fresh)[0], "entry": "", "name": "新增事项"}]
    duties.duty_items_save(actor=county.township_secretary, duty_list=fresh, rows=rows)
    duties.duty_list_discuss(
        actor=county.township_secretary,
        duty_list=fresh,
        on=date(2026, 1, 20),
        meeting="党委会",
        attendees="张建国、李明华",
    )
    duties.duty_list_sign(actor=county.township_secretary, duty_list=fresh)
    duties.duty_list_submit(actor=county.township_secretary, duty_list=fresh, score=False)
    duties.duty_list_review(
        actor=county.discipline_officer, duty_list=fresh, verdict=Review.Verdict.ACCEPTED
    )
    assert judged in text(client.get(url("review", target)))
    duties.duty_list_publish(
        actor=county.township_secretary,
        duty_list=fresh,
        publish_range=DutyList.PublishRange.UNIT,
    )
    now = len(old) + 1
    assert fresh.items.count() == now
    # The old version's verdicts stay in history; the new items are judged afresh.
    assert Verdict.objects.filter(duty_item__duty_list=published).count() == len(old)
    assert f"已评定 0 / {now} 项" in text(client.get(url("review", target)))
    assert f">0/{now}</span>" in text(client.get(url("target", target)))
    first = fresh.items.first()
    assert first is not None
    saved = client.post(
        url("review", target), {"item": first.pk, "value": "done"}, HTTP_HX_REQUEST="true"
    )
    assert f"已评定 1 / {now} 项" in text(saved)
    assert "落实 1" in text(saved)
    row = next(
        r for r in queries.inspection_page(None, target.inspection).rows if r.target == target
    )
    assert row.verdicts == 1


def test_it_bounds_the_review_page(
    login: Login,
    county: County,
    target: InspectionTarget,
    published: DutyList,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = login(county.discipline_officer)
    with django_assert_max_num_queries(30) as few:
        client.get(url("review", target))
    for item in published.items.all():
        services.verdict_set(
            actor=county.discipline_officer, target=target, duty_item=item, value="done"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("review", target))


# Rectifications -------------------------------------------------------------------------------


def test_it_lists_the_units_rectifications(
    login: Login, county: County, rectification: Rectification
) -> None:
    response = login(county.clerk).get(RECTIFICATIONS, {"mine": "on"})
    assert rectification.finding.description in text(response)
    other = login(county.other_township_secretary).get(RECTIFICATIONS)
    assert rectification.finding.description not in text(other)
    assert login(county.clerk).post(RECTIFICATIONS).status_code == 405


def test_it_lists_rectifications_in_a_fixed_number_of_queries(
    login: Login,
    county: County,
    target: InspectionTarget,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = login(county.discipline_officer)
    for n in range(3):
        services.finding_record(
            actor=county.discipline_officer, target=target, description=f"问题{n}"
        )
    with django_assert_max_num_queries(25) as small:
        client.get(RECTIFICATIONS)
    for n in range(30):
        services.finding_record(
            actor=county.discipline_officer, target=target, description=f"另{n}"
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(RECTIFICATIONS)
    assert len(response.context["page_obj"]) == 33


def test_it_exports_rectifications(
    login: Login, county: County, rectification: Rectification
) -> None:
    response = login(county.discipline_officer).get(RECTIFICATIONS, {"export": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "整改单位"
    assert rows[1][:3] == (
        "城关镇党委",
        rectification.finding.inspection.title,
        "班子成员谈心谈话未留存记录",
    )


def test_it_lets_the_unit_plan_and_report_and_the_organiser_verify(
    login: Login, county: County, rectification: Rectification
) -> None:
    unit = login(county.township_secretary)
    page = text(unit.get(url("rectification", rectification)))
    assert 'data-testid="plan-form"' in page and 'data-testid="verify-form"' not in page
    unit.post(url("rectification_plan", rectification), {"plan": "补齐谈话记录"})
    response = unit.post(
        url("rectification_report", rectification),
        {"report": "已补齐", "uploads": [photo()]},
        follow=True,
    )
    assert "已报告整改情况，等待验收。" in text(response)
    officer = login(county.discipline_officer)
    assert 'data-testid="verify-form"' in text(officer.get(url("rectification", rectification)))
    officer.post(url("rectification_verify", rectification), {"note": "同意"})
    rectification.refresh_from_db()
    assert rectification.status == "verified"


def test_it_names_the_missing_evidence(
    login: Login, county: County, rectification: Rectification
) -> None:
    rectify.rectification_plan(actor=county.clerk, rectification=rectification, plan="方案")
    response = login(county.clerk).post(
        url("rectification_report", rectification), {"report": "已改"}, follow=True
    )
    assert "请上传整改佐证材料。" in text(response)
    assert Rectification.objects.get().status == "planned"


def test_it_takes_a_double_clicked_report_once_and_says_so(
    login: Login, county: County, rectification: Rectification
) -> None:
    rectify.rectification_plan(actor=county.clerk, rectification=rectification, plan="方案")
    client = login(county.clerk)

    first, second = (
        client.post(
            url("rectification_report", rectification),
            {"report": "已补齐", "uploads": [photo()]},
            follow=True,
        )
        for _ in range(2)
    )

    page = url("rectification", rectification)
    assert first.redirect_chain == second.redirect_chain == [(page, 302)]
    assert [str(m) for m in second.context["messages"]] == ["整改情况刚才已报告，没有重复提交。"]
    assert rectification.evidence.count() == 1
    assert AuditEvent.objects.filter(data__to="reported").count() == 1


def test_it_still_refuses_a_different_report_once_reported(
    login: Login, county: County, rectification: Rectification
) -> None:
    rectify.rectification_plan(actor=county.clerk, rectification=rectification, plan="方案")
    rectify.rectification_report(
        actor=county.clerk, rectification=rectification, report="已补齐", uploads=[photo()]
    )
    response = login(county.clerk).post(
        url("rectification_report", rectification), {"report": "另写一份"}, follow=True
    )
    assert "当前状态不能报告整改情况。" in text(response)
    rectification.refresh_from_db()
    assert rectification.report == "已补齐"


@pytest.mark.skipif(not threads.on_postgresql(), reason=threads.NEEDS_PG)
@pytest.mark.django_db(transaction=True)
def test_five_simultaneous_reports_are_taken_once(
    county: County, rectification: Rectification
) -> None:
    rectify.rectification_plan(actor=county.clerk, rectification=rectification, plan="方案")

    codes = threads.posts_at_once(
        county.clerk,
        url("rectification_report", rectification),
        lambda: {"report": "已补齐", "uploads": [photo()]},
    )

    assert codes == [302] * 5
    assert rectification.evidence.count() == 1
    assert AuditEvent.objects.filter(data__to="reported").count() == 1


@pytest.mark.parametrize(
    ("name", "who", "status"),
    [
        ("rectification_plan", "discipline_officer", 403),
        ("rectification_report", "discipline_officer", 403),
        ("rectification_verify", "township_secretary", 403),
        ("rectification_return", "clerk", 403),
        ("rectification_plan", "other_township_secretary", 404),
        ("rectification_verify", "dispatched_officer", 404),
    ],
)
def test_it_refuses_rectification_actions_to_the_wrong_side(
    login: Login, county: County, rectification: Rectification, name: str, who: str, status: int
) -> None:
    response = login(getattr(county, who)).post(url(name, rectification), {"plan": "x"})
    assert response.status_code == status
    assert Rectification.objects.get().status == "open"


def test_it_refuses_a_wrong_method_on_rectifications(
    login: Login, county: County, rectification: Rectification
) -> None:
    client = login(county.township_secretary)
    assert client.post(url("rectification", rectification)).status_code == 405
    assert client.get(url("rectification_plan", rectification)).status_code == 405
    assert (
        login(county.other_township_secretary).get(url("rectification", rectification)).status_code
        == 404
    )


# Flags ----------------------------------------------------------------------------------------


def test_it_flags_a_unit_from_the_page(login: Login, county: County) -> None:
    client = login(county.discipline_officer)
    response = client.post(
        FLAGS, {"org": "河口镇党委", "year": "2026", "reason": "case", "note": "案"}
    )
    assert response.status_code == 302
    flag = UnitFlag.objects.get()
    assert flag.org == county.hekou and flag.set_by == county.discipline_officer
    assert "河口镇党委" in text(client.get(FLAGS))


def test_it_names_an_unknown_unit_and_flags_nothing(login: Login, county: County) -> None:
    response = login(county.discipline_officer).post(
        FLAGS, {"org": "外县某镇", "year": "2026", "reason": "case"}
    )
    assert response.status_code == 422
    assert "找不到单位“外县某镇”" in text(response)
    assert not UnitFlag.objects.exists()


def test_it_keeps_flags_from_units_and_lets_only_discipline_staff_flag(
    login: Login, county: County, flag: UnitFlag
) -> None:
    response = login(county.other_township_secretary).get(FLAGS)
    assert response.status_code == 200
    assert "镇财政所原所长挪用公款案" not in text(response)
    assert 'data-testid="flag-form"' not in text(response)
    assert login(county.township_secretary).post(FLAGS, {"org": "C-T2"}).status_code == 403
    assert login(county.discipline_officer).put(FLAGS).status_code == 405


def test_it_clears_a_flag(login: Login, county: County, flag: UnitFlag) -> None:
    assert login(county.dispatched_officer).post(url("flag_delete", flag)).status_code == 404
    assert login(county.discipline_officer).get(url("flag_delete", flag)).status_code == 405
    login(county.discipline_officer).post(url("flag_delete", flag))
    assert not UnitFlag.objects.exists()
    assert AuditEvent.objects.filter(verb="delete", object_code=str(flag.code)).exists()


def test_it_bounds_the_inspection_page(
    login: Login,
    county: County,
    target: InspectionTarget,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = login(county.discipline_officer)
    inspection = target.inspection
    services.finding_record(actor=county.discipline_officer, target=target, description="一")
    with django_assert_max_num_queries(40) as few:
        client.get(url("inspection", inspection))
    services.target_add(actor=county.discipline_officer, inspection=inspection, org=county.branch)
    services.target_add(
        actor=county.discipline_officer, inspection=inspection, org=county.education
    )
    for n in range(10):
        services.finding_record(actor=county.discipline_officer, target=target, description=f"{n}")
        finding = services.finding_record(
            actor=county.discipline_officer,
            target=inspection.targets.get(org=county.hekou),
            description=f"走过场{n}",
            is_perfunctory=True,
        )
        services.sanction_decide(actor=county.discipline_officer, finding=finding, kind="redo")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("inspection", inspection))
    assert response.context["page_obj"].paginator.count == 21


def _findings(target: InspectionTarget, first: int, last: int) -> None:
    Finding.objects.bulk_create(
        Finding(
            inspection=target.inspection,
            target=target,
            org=target.org,
            description=f"问题{i:03d}",
        )
        for i in range(first, last + 1)
    )


def test_it_counts_every_finding_and_pages_the_list(
    login: Login,
    county: County,
    target: InspectionTarget,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    """Issue 9: the page said 发现问题 200 for 205 findings; counts are counts, lists page."""
    client = login(county.discipline_officer)
    inspection = target.inspection
    _findings(target, 1, 5)
    with django_assert_max_num_queries(40) as few:
        response = client.get(url("inspection", inspection))
    assert 'data-testid="finding-count">5<' in text(response)
    _findings(target, 6, 205)
    # The same queries for 205 as for 5: one COUNT and one page, never the whole list.
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("inspection", inspection))
    page = text(response)
    assert 'data-testid="finding-count">205<' in page
    assert "共 205 条" in page  # the shared pager
    assert "问题001" in page and "问题050" in page and "问题051" not in page
    assert response.context["page_obj"].paginator.num_pages == 5
    second = text(client.get(url("inspection", inspection), {"page": "2"}))
    assert "问题051" in second and "问题050" not in second
    assert 'data-testid="finding-count">205<' in second
    last = text(client.get(url("inspection", inspection), {"page": "5"}))
    assert "问题205" in last


def test_it_bounds_the_flags_page(
    login: Login, county: County, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = login(county.discipline_officer)
    services.flag_set(actor=None, org=county.hekou, year=2026, reason="case")
    with django_assert_max_num_queries(20) as few:
        client.get(FLAGS)
    for reason in ("frequent", "clues"):
        for org in (county.hekou, county.chengguan, county.education, county.branch):
            if not UnitFlag.objects.filter(org=org, reason=reason).exists():
                services.flag_set(actor=None, org=org, year=2026, reason=reason)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(FLAGS)
    assert len(response.context["page_obj"]) == 9


def test_it_lists_the_units_own_inspections_once_started(
    login: Login, county: County, inspection: Inspection
) -> None:
    client = login(county.other_township_secretary)
    assert 'data-testid="own-targets"' not in text(client.get(LIST))
    services.inspection_start(actor=county.discipline_officer, inspection=inspection)
    page = text(client.get(LIST))
    assert 'data-testid="own-targets"' in page
    assert url("target", inspection.targets.get()) in page
