"""Inspections through their services: the plan, the draw, findings, 整改 and 过堂."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from liangze.core.models import AuditEvent
from liangze.duties.models import DutyList
from liangze.orgs import services as org_services
from liangze.orgs.models import Org, OrgKind, OrgLevel
from liangze.supervision.inspections import queries, sampling, services
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
from tests.fixtures.county import County
from tests.fixtures.evidence import photo
from tests.fixtures.supervision import YEAR, plan

Why = InspectionTarget.Why
R = Rectification.Status


def _townships(county: County, n: int, first: int = 0) -> list[Org]:
    return [
        org_services.org_create(
            actor=None,
            parent=county.county,
            org_no=f"C-T{9 + first + i}",
            name=f"第{first + i}镇党委",
            kind=OrgKind.PARTY_COMMITTEE,
            level=OrgLevel.TOWNSHIP,
        )
        for i in range(n)
    ]


# Flags and the plan --------------------------------------------------------------


def test_it_adds_flagged_units_in_scope_as_mandatory_when_planning(
    county: County, flag: UnitFlag
) -> None:
    services.flag_set(
        actor=county.discipline_officer, org=county.hekou, year=YEAR, reason="clues", note=""
    )
    inspection = plan(county, designated=[county.education])
    targets = {t.org: t for t in inspection.targets.all()}
    assert set(targets) == {county.hekou, county.education}
    assert targets[county.hekou].why == Why.MANDATORY
    assert targets[county.hekou].reasons == "发案单位、线索集中"
    assert targets[county.education].why == Why.DESIGNATED


def test_it_leaves_out_flags_of_other_years_and_outside_the_scope(
    county: County, flag: UnitFlag
) -> None:
    services.flag_set(
        actor=county.discipline_officer, org=county.education, year=2025, reason="case"
    )
    inspection = plan(county, org=county.chengguan, organiser_body=county.county_commission)
    assert not inspection.targets.exists()


def test_it_refuses_a_second_flag_for_the_same_reason(county: County, flag: UnitFlag) -> None:
    with pytest.raises(ValidationError, match="已标记为 2026 年发案单位"):
        services.flag_set(
            actor=county.discipline_officer, org=county.hekou, year=YEAR, reason="case"
        )


def test_it_lets_only_supervising_discipline_staff_flag(county: County) -> None:
    for user in (county.township_secretary, county.dispatched_officer, county.system_admin):
        with pytest.raises(PermissionDenied):
            services.flag_set(actor=user, org=county.hekou, year=YEAR, reason="case")
    assert not UnitFlag.objects.exists()


def test_it_audits_planning_with_its_mandatory_units(county: County, flag: UnitFlag) -> None:
    inspection = plan(county)
    event = AuditEvent.objects.filter(object_code=str(inspection.code)).get()
    assert event.verb == "create"
    assert event.data["mandatory"] == ["C-T2"]


def test_it_refuses_a_scope_outside_the_organisers_ground(county: County) -> None:
    with pytest.raises(ValidationError) as refused:
        plan(
            county,
            actor=county.dispatched_officer,
            organiser_body=county.dispatched,
            org=county.chengguan,
        )
    assert "不在组织机关的监督或管辖范围内" in str(refused.value)
    assert not Inspection.objects.exists()


def test_it_refuses_to_plan_for_a_body_the_user_does_not_work_in(county: County) -> None:
    with pytest.raises(PermissionDenied):
        plan(county, actor=county.dispatched_officer)
    with pytest.raises(PermissionDenied):
        plan(county, actor=county.township_secretary)


def test_it_lets_a_leader_plan_for_their_own_org(county: County) -> None:
    inspection = plan(
        county,
        actor=county.township_secretary,
        organiser_body=None,
        organiser_org=county.chengguan,
        org=county.chengguan,
        kind=Inspection.Kind.PATROL,
    )
    assert inspection.organiser_name == "城关镇党委"


def test_it_checks_the_period_against_the_year(county: County) -> None:
    with pytest.raises(ValidationError) as refused:
        plan(county, period="2025-H2")
    assert refused.value.message_dict == {"period": ["期间应在 2026 年内。"]}
    with pytest.raises(ValidationError, match="不是有效的期间"):
        plan(county, period="下半年")


# Targets ---------------------------------------------------------------------------


def test_it_removes_a_mandatory_unit_only_with_a_reason(
    county: County, inspection: Inspection
) -> None:
    target = inspection.targets.get(org=county.hekou)
    with pytest.raises(ValidationError) as refused:
        services.target_remove(actor=county.discipline_officer, target=target)
    assert refused.value.message_dict == {"reason": ["必查单位须说明移除理由。"]}
    services.target_remove(
        actor=county.discipline_officer, target=target, reason="已由市纪委专项检查覆盖"
    )
    target.refresh_from_db()
    assert target.status == InspectionTarget.Status.REMOVED
    assert target.removed_reason == "已由市纪委专项检查覆盖"
    event = AuditEvent.objects.filter(object_code=str(inspection.code)).first()
    assert event is not None and event.data["reason"] == "已由市纪委专项检查覆盖"


def test_it_keeps_a_removed_mandatory_unit_out_when_syncing(
    county: County, inspection: Inspection
) -> None:
    target = inspection.targets.get(org=county.hekou)
    services.target_remove(actor=county.discipline_officer, target=target, reason="另行检查")
    assert (
        services.targets_sync_mandatory(actor=county.discipline_officer, inspection=inspection)
        == []
    )
    services.flag_set(
        actor=county.discipline_officer, org=county.education, year=YEAR, reason="frequent"
    )
    added = services.targets_sync_mandatory(actor=county.discipline_officer, inspection=inspection)
    assert added == ["C-D1"]


def test_it_refuses_a_unit_twice_or_outside_the_scope(
    county: County, inspection: Inspection
) -> None:
    with pytest.raises(ValidationError, match="已在检查名单中"):
        services.target_add(
            actor=county.discipline_officer, inspection=inspection, org=county.hekou
        )
    inner = plan(county, org=county.chengguan)
    with pytest.raises(ValidationError, match="不在本次检查范围内"):
        services.target_add(actor=county.discipline_officer, inspection=inner, org=county.hekou)


def test_it_refuses_changes_to_the_list_from_a_non_manager(
    county: County, inspection: Inspection
) -> None:
    with pytest.raises(PermissionDenied):
        services.target_add(
            actor=county.township_secretary, inspection=inspection, org=county.chengguan
        )


# The draw ------------------------------------------------------------------------------


def test_it_draws_from_the_units_not_already_listed_and_records_the_draw(
    county: County, inspection: Inspection
) -> None:
    _townships(county, 4)
    sample = services.sample_draw(
        actor=county.discipline_officer, inspection=inspection, size=3, public_number="371"
    )
    # 河口镇 is 必查: not in the population; the others under the county are.
    assert sample.population == ["C-D1", "C-T1", "C-T10", "C-T11", "C-T12", "C-T9"]
    assert sample.population_digest == sampling.population_digest(sample.population)
    assert sample.algorithm == "sm3-rank/1"
    assert sample.seed.startswith("20261120T100000+0800/371/")
    assert sample.result == sampling.draw(sample.population, sample.seed, 3)
    drawn = inspection.targets.filter(why=Why.DRAWN)
    assert sorted(drawn.values_list("org__org_no", flat=True)) == sorted(sample.result)
    event = AuditEvent.objects.get(object_code=str(sample.code))
    assert event.data["seed"] == sample.seed
    assert event.data["result"] == sample.result


def test_it_verifies_the_recorded_draw(county: County, inspection: Inspection) -> None:
    _townships(county, 4)
    sample = services.sample_draw(actor=county.discipline_officer, inspection=inspection, size=2)
    check = queries.verification(sample)
    assert check.ok
    assert check.recomputed == sample.result
    assert check.population_unchanged is True


def test_it_shows_a_tampered_draw_and_a_changed_population(
    county: County, inspection: Inspection
) -> None:
    _townships(county, 4)
    sample = services.sample_draw(actor=county.discipline_officer, inspection=inspection, size=2)
    _townships(county, 1, first=4)  # a new unit since the draw: the record still verifies
    check = queries.verification(sample)
    assert check.ok and check.population_unchanged is False
    Sample.objects.filter(pk=sample.pk).update(result=list(reversed(sample.result)))
    sample.refresh_from_db()
    assert not queries.verification(sample).matches


def test_it_draws_only_once_and_only_before_the_start(
    county: County, inspection: Inspection
) -> None:
    _townships(county, 4)
    services.sample_draw(actor=county.discipline_officer, inspection=inspection, size=2)
    with pytest.raises(ValidationError, match="不能重抽"):
        services.sample_draw(actor=county.discipline_officer, inspection=inspection, size=2)
    other = plan(county, title="另一次检查")
    services.inspection_start(actor=county.discipline_officer, inspection=other)
    with pytest.raises(ValidationError, match="只能在检查开始前随机抽取"):
        services.sample_draw(actor=county.discipline_officer, inspection=other, size=1)


def test_it_refuses_to_draw_more_than_the_population(
    county: County, inspection: Inspection
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.sample_draw(actor=county.discipline_officer, inspection=inspection, size=9)
    assert refused.value.message_dict == {"size": ["抽取数量 9 超过了可抽取单位数 2。"]}
    assert not Sample.objects.exists()
    assert not inspection.targets.filter(why=Why.DRAWN).exists()


def test_it_never_removes_a_drawn_unit(county: County, inspection: Inspection) -> None:
    _townships(county, 2)
    services.sample_draw(actor=county.discipline_officer, inspection=inspection, size=1)
    drawn = inspection.targets.get(why=Why.DRAWN)
    with pytest.raises(ValidationError, match="随机抽取的单位不能移除"):
        services.target_remove(actor=county.discipline_officer, target=drawn, reason="不想查")


def test_it_draws_from_the_whole_subtree_when_asked(county: County, inspection: Inspection) -> None:
    sample = services.sample_draw(
        actor=county.discipline_officer, inspection=inspection, size=1, rule="subtree"
    )
    assert sample.population == ["C-D1", "C-T1", "C-T1-B1"]


# The state machine -------------------------------------------------------------------


def test_it_starts_only_with_units_and_concludes_only_when_all_are_checked(county: County) -> None:
    empty = plan(county)
    with pytest.raises(ValidationError, match="检查名单为空"):
        services.inspection_start(actor=county.discipline_officer, inspection=empty)
    services.target_add(actor=county.discipline_officer, inspection=empty, org=county.hekou)
    services.inspection_start(actor=county.discipline_officer, inspection=empty)
    assert empty.status == Inspection.Status.IN_PROGRESS
    with pytest.raises(ValidationError, match="还有单位未完成检查：河口镇党委"):
        services.inspection_conclude(
            actor=county.discipline_officer, inspection=empty, summary="好"
        )
    target = empty.targets.get()
    services.target_check(actor=county.discipline_officer, target=target, conclusion="基本落实")
    with pytest.raises(ValidationError):
        services.inspection_conclude(actor=county.discipline_officer, inspection=empty, summary=" ")
    services.inspection_conclude(
        actor=county.discipline_officer, inspection=empty, summary="总体较好"
    )
    assert empty.status == Inspection.Status.CONCLUDED
    with pytest.raises(ValidationError, match="检查未在进行中"):
        services.finding_record(actor=county.discipline_officer, target=target, description="迟到")


def test_it_records_findings_only_while_under_way(county: County, inspection: Inspection) -> None:
    target = inspection.targets.get(org=county.hekou)
    with pytest.raises(ValidationError, match="检查未在进行中"):
        services.finding_record(actor=county.discipline_officer, target=target, description="早到")


def test_it_opens_a_rectification_with_a_working_day_deadline(
    county: County, target: InspectionTarget
) -> None:
    finding = services.finding_record(
        actor=county.discipline_officer, target=target, description="会议记录不全"
    )
    # 20 working days after Friday 20 November 2026.
    assert finding.rectification.deadline == date(2026, 12, 18)
    assert finding.rectification.status == R.OPEN
    assert finding.rectification.org == county.chengguan


def test_it_refuses_an_item_from_another_units_list(
    county: County, target: InspectionTarget, published: DutyList
) -> None:
    item = published.items.first()
    hekou = target.inspection.targets.get(org=county.hekou)
    with pytest.raises(ValidationError) as refused:
        services.finding_record(
            actor=county.discipline_officer, target=hekou, description="x", duty_item=item
        )
    assert "不在河口镇党委本年度的现行清单中" in str(refused.value)
    finding = services.finding_record(
        actor=county.discipline_officer, target=target, description="x", duty_item=item
    )
    assert finding.duty_item == item


def test_it_lets_an_inspector_record_but_not_manage(county: County, flag: UnitFlag) -> None:
    inspection = plan(county, inspectors=[county.dispatched_officer.person])
    services.target_add(
        actor=county.discipline_officer, inspection=inspection, org=county.chengguan
    )
    with pytest.raises(PermissionDenied):
        services.inspection_start(actor=county.dispatched_officer, inspection=inspection)
    services.inspection_start(actor=county.discipline_officer, inspection=inspection)
    target = inspection.targets.get(org=county.chengguan)
    finding = services.finding_record(
        actor=county.dispatched_officer, target=target, description="x", is_perfunctory=True
    )
    with pytest.raises(PermissionDenied):
        services.sanction_decide(actor=county.dispatched_officer, finding=finding, kind="redo")


def test_it_walks_a_rectification_through_plan_report_return_and_verification(
    county: County, rectification: Rectification
) -> None:
    secretary, officer = county.township_secretary, county.discipline_officer
    with pytest.raises(ValidationError, match="请先报送整改方案"):
        rectify.rectification_report(actor=secretary, rectification=rectification, report="已改")
    rectify.rectification_plan(actor=county.clerk, rectification=rectification, plan="补齐记录")
    assert rectification.status == R.PLANNED
    with pytest.raises(ValidationError) as refused:
        rectify.rectification_report(actor=secretary, rectification=rectification, report="已改")
    assert refused.value.message_dict == {"uploads": ["请上传整改佐证材料。"]}
    rectify.rectification_report(
        actor=secretary, rectification=rectification, report="已补齐", uploads=[photo()]
    )
    assert rectification.status == R.REPORTED
    assert rectification.evidence.get().org == county.chengguan
    with pytest.raises(ValidationError, match="方案不能再修改"):
        rectify.rectification_plan(actor=secretary, rectification=rectification, plan="新方案")
    with pytest.raises(ValidationError):
        rectify.rectification_return(actor=officer, rectification=rectification, reason="  ")
    rectify.rectification_return(actor=officer, rectification=rectification, reason="缺照片")
    assert rectification.status == R.RETURNED
    assert rectification.review_note == "缺照片"
    # Reported again: the evidence already there is enough.
    rectify.rectification_report(actor=secretary, rectification=rectification, report="补充说明")
    rectify.rectification_verify(actor=officer, rectification=rectification, note="同意销号")
    rectification.refresh_from_db()
    assert rectification.status == R.VERIFIED
    assert rectification.reviewed_by == officer
    moves = [
        (e.data["from"], e.data["to"])
        for e in AuditEvent.objects.filter(object_code=str(rectification.code)).order_by("seq")
    ]
    assert moves == [
        ("open", "planned"),
        ("planned", "reported"),
        ("reported", "returned"),
        ("returned", "reported"),
        ("reported", "verified"),
    ]
    with pytest.raises(ValidationError, match="只能验收已报告的整改"):
        rectify.rectification_verify(actor=officer, rectification=rectification)


def test_it_lets_only_the_unit_plan_and_only_the_organiser_verify(
    county: County, rectification: Rectification
) -> None:
    for outsider in (county.other_township_secretary, county.discipline_officer):
        with pytest.raises(PermissionDenied):
            rectify.rectification_plan(actor=outsider, rectification=rectification, plan="x")
    rectify.rectification_plan(actor=county.township_member, rectification=rectification, plan="y")
    rectify.rectification_report(
        actor=county.township_member, rectification=rectification, report="z", uploads=[photo()]
    )
    for unit_person in (county.township_secretary, county.clerk):
        with pytest.raises(PermissionDenied):
            rectify.rectification_verify(actor=unit_person, rectification=rectification)
    assert Rectification.objects.get().status == R.REPORTED


def test_it_sanctions_only_perfunctory_work(
    county: County, finding: Finding, target: InspectionTarget
) -> None:
    with pytest.raises(ValidationError, match="走过场"):
        services.sanction_decide(
            actor=county.discipline_officer, finding=finding, kind="admonition"
        )
    perfunctory = services.finding_record(
        actor=county.discipline_officer,
        target=target,
        description="会议记录雷同",
        is_perfunctory=True,
        rectify=False,
    )
    assert not Rectification.objects.filter(finding=perfunctory).exists()
    sanction = services.sanction_decide(
        actor=county.discipline_officer, finding=perfunctory, kind=Sanction.Kind.CIRCULAR
    )
    assert sanction.decided_on == date(2026, 11, 20)
    assert sanction.org == county.chengguan
    assert AuditEvent.objects.get(object_code=str(sanction.code)).data == {"kind": "circular"}
    late = rectify.rectification_open(actor=county.discipline_officer, finding=perfunctory)
    assert late.deadline == date(2026, 12, 18)
    with pytest.raises(ValidationError, match="已下达整改"):
        rectify.rectification_open(actor=county.discipline_officer, finding=perfunctory)


def test_it_refuses_a_deadline_in_the_past(county: County, target: InspectionTarget) -> None:
    with pytest.raises(ValidationError) as refused:
        services.finding_record(
            actor=county.discipline_officer,
            target=target,
            description="x",
            deadline=date(2026, 11, 1),
        )
    assert refused.value.message_dict == {"deadline": ["整改期限不能早于今天。"]}
    assert not Finding.objects.exists()


# 逐项过堂 ------------------------------------------------------------------------------


def test_it_records_one_verdict_per_item_and_changes_it(
    county: County, target: InspectionTarget, published: DutyList
) -> None:
    items = list(queries.unit_items(county.chengguan, YEAR))
    assert len(items) == published.items.count() > 0
    verdict = services.verdict_set(
        actor=county.discipline_officer, target=target, duty_item=items[0], value="mostly"
    )
    again = services.verdict_set(
        actor=county.discipline_officer,
        target=target,
        duty_item=items[0],
        value="not_done",
        note="无记录",
    )
    assert again.pk == verdict.pk
    assert Verdict.objects.get().value == "not_done"
    with pytest.raises(ValidationError):
        services.verdict_set(
            actor=county.discipline_officer, target=target, duty_item=items[1], value="maybe"
        )


def test_it_walks_only_the_units_current_non_draft_lists(
    county: County, target: InspectionTarget, draft: DutyList
) -> None:
    assert not queries.unit_items(county.chengguan, YEAR).exists()
    item = draft.items.first()
    assert item is not None
    with pytest.raises(ValidationError, match="不在城关镇党委本年度的现行清单中"):
        services.verdict_set(
            actor=county.discipline_officer,
            target=target,
            duty_item=item,
            value="done",
        )


def test_it_refuses_verdicts_from_the_inspected_unit(
    county: County, target: InspectionTarget, published: DutyList
) -> None:
    item = published.items.first()
    assert item is not None
    with pytest.raises(PermissionDenied):
        services.verdict_set(
            actor=county.township_secretary,
            target=target,
            duty_item=item,
            value="done",
        )
