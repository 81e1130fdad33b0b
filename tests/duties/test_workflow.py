from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from liangze import access
from liangze.accounts.models import User
from liangze.duties import policy, services
from liangze.duties.lists import queries
from liangze.duties.models import Catalogue, DutyList, ListType, Review, Signature
from tests.fixtures.county import County, person_of
from tests.fixtures.duties import full_rows

pytestmark = pytest.mark.django_db


def messages(error: ValidationError) -> list[str]:
    return error.messages


def test_it_starts_a_list_with_every_catalogue_responsibility(draft: DutyList) -> None:
    assert draft.items.count() == 14
    assert all(not item.is_own for item in draft.items.all())
    assert draft.deadline == date(2099, 2, 14)


def test_it_refuses_a_second_list_of_the_same_kind(
    county: County, draft: DutyList, catalogue: Catalogue
) -> None:
    with pytest.raises(ValidationError, match="已有这份清单"):
        services.duty_list_create(
            actor=county.township_secretary,
            org=county.chengguan,
            year=2026,
            list_type=ListType.COLLECTIVE,
            catalogue=catalogue,
        )


def test_it_refuses_a_list_for_another_township(county: County, catalogue: Catalogue) -> None:
    with pytest.raises(PermissionDenied):
        services.duty_list_create(
            actor=county.other_township_secretary,
            org=county.chengguan,
            year=2026,
            list_type=ListType.COLLECTIVE,
            catalogue=catalogue,
        )


def test_it_names_every_gap_before_signing(county: County, draft: DutyList) -> None:
    problems = queries.completeness(draft)
    kinds = {p.kind for p in problems}
    assert kinds == {"no_task", "no_responsible", "no_measure"}
    assert len([p for p in problems if p.kind == "no_measure"]) == 14 * 4
    rows = full_rows(draft)[1:]  # drop the first catalogue responsibility
    rows[0]["responsible"] = ""
    rows[1]["q3"] = ""
    services.duty_items_save(actor=county.township_secretary, duty_list=draft, rows=rows)
    messages = [p.message for p in queries.completeness(draft)]
    first = draft.catalogue.entries.get(ref="TZ-C-01").name
    assert messages == [
        f"目录责任“{first}”还没有对应的清单事项。",
        f"第 1 项“{rows[0]['name']}”没有责任人。",
        f"第 2 项“{rows[1]['name']}”缺少三季度的工作措施和目标要求。",
    ]


def test_it_names_an_item_without_its_task(county: County, draft: DutyList) -> None:
    """“任务到项” (LIST-4): a row with a name, a person and four measures but no 项目任务."""
    rows = full_rows(draft)
    rows[2]["task"] = "  "
    services.duty_items_save(actor=county.township_secretary, duty_list=draft, rows=rows)
    problems = queries.completeness(draft)
    assert [(p.kind, p.item_seq) for p in problems] == [("no_task", 3)]
    assert problems[0].message == f"第 3 项“{rows[2]['name']}”没有填写项目任务/具体分解内容。"
    services.duty_list_discuss(
        actor=county.township_secretary,
        duty_list=draft,
        on=date(2026, 1, 10),
        meeting="党委会",
        attendees="张建国、李明华",
    )
    with pytest.raises(ValidationError, match="项目任务"):
        services.duty_list_sign(actor=county.township_secretary, duty_list=draft)


def test_it_keeps_own_items_marked_as_such(county: County, draft: DutyList) -> None:
    rows = full_rows(draft) + [
        {
            "name": "本单位自选：廉政文化进校园",
            "task": "每学期一次廉政主题班会",
            "responsible": "P002",
            "q1": "a",
            "q2": "b",
            "q3": "c",
            "q4": "d",
        }
    ]
    items = services.duty_items_save(actor=county.township_secretary, duty_list=draft, rows=rows)
    assert items[-1].is_own and items[-1].seq == 15
    assert queries.completeness(draft) == []


def test_it_names_the_row_and_field_of_bad_rows_and_saves_nothing(
    county: County, draft: DutyList
) -> None:
    rows = full_rows(draft)
    rows[2]["responsible"] = "P003"  # 河口镇: outside 城关镇
    rows[4]["entry"] = "NOPE"
    rows[5]["name"] = ""
    rows[5]["entry"] = ""
    with pytest.raises(ValidationError) as error:
        services.duty_items_save(actor=county.township_secretary, duty_list=draft, rows=rows)
    assert messages(error.value) == [
        "第 3 行「责任人」：本单位及下级中没有编号为 P003 的人员。",
        "第 5 行「目录事项」：目录中没有编号 NOPE。",
        "第 6 行「责任名称」：不能为空。",
    ]
    assert not draft.items.exclude(task="").exists()


def test_it_refuses_to_sign_before_the_collective_discussion(
    county: County, draft: DutyList
) -> None:
    services.duty_items_save(
        actor=county.township_secretary, duty_list=draft, rows=full_rows(draft)
    )
    with pytest.raises(ValidationError, match="集体讨论"):
        services.duty_list_sign(actor=county.township_secretary, duty_list=draft)


def test_it_refuses_to_sign_an_incomplete_list(county: County, draft: DutyList) -> None:
    services.duty_list_discuss(
        actor=county.township_secretary,
        duty_list=draft,
        on=date(2026, 1, 10),
        meeting="党委会",
        attendees="全体班子成员",
    )
    with pytest.raises(ValidationError, match="没有责任人"):
        services.duty_list_sign(actor=county.township_secretary, duty_list=draft)


def test_it_lets_only_the_principal_sign_a_unit_list(county: County, draft: DutyList) -> None:
    services.duty_items_save(
        actor=county.township_secretary, duty_list=draft, rows=full_rows(draft)
    )
    services.duty_list_discuss(
        actor=county.township_member,
        duty_list=draft,
        on=date(2026, 1, 10),
        meeting="党委会",
        attendees="全体",
    )
    with pytest.raises(PermissionDenied):
        services.duty_list_sign(actor=county.township_member, duty_list=draft)


def test_it_freezes_a_signed_list_under_its_sm3_digest(county: County, signed: DutyList) -> None:
    assert signed.status == DutyList.Status.SIGNED
    assert len(signed.digest) == 64 and services.verify_digest(signed)
    assert signed.signatures.get().digest == signed.digest
    with pytest.raises(ValidationError, match="签字背书"):
        services.duty_items_save(
            actor=county.township_secretary, duty_list=signed, rows=full_rows(signed)
        )


def test_it_notices_any_change_under_a_signature(signed: DutyList) -> None:
    item = signed.items.get(seq=3)
    item.q2 += "。"
    item.save()
    assert not services.verify_digest(signed)


def test_it_makes_a_new_version_that_must_be_signed_again(county: County, signed: DutyList) -> None:
    v2 = services.duty_list_revise(actor=county.township_secretary, duty_list=signed)
    signed.refresh_from_db()
    assert (v2.version, v2.previous, v2.status) == (2, signed, DutyList.Status.DRAFT)
    assert not signed.is_current and signed.items.count() == v2.items.count() == 14
    rows = full_rows(v2)
    rows[0]["q1"] = "改过的一季度措施"
    services.duty_items_save(actor=county.township_secretary, duty_list=v2, rows=rows)
    services.duty_list_discuss(
        actor=county.township_secretary,
        duty_list=v2,
        on=date(2026, 2, 1),
        meeting="党委会",
        attendees="全体",
    )
    services.duty_list_sign(actor=county.township_secretary, duty_list=v2)
    v2.refresh_from_db()
    assert v2.digest != signed.digest
    assert services.verify_digest(signed)  # the old version stays as it was signed


@pytest.fixture
def signed_by_the_member(county: County, member_draft: DutyList) -> DutyList:
    """李明华's complete, discussed member list, signed by him but not yet by the principal."""
    duty_list = member_draft
    services.duty_items_save(
        actor=county.township_member, duty_list=duty_list, rows=full_rows(duty_list, "P002")
    )
    services.duty_list_discuss(
        actor=county.township_member,
        duty_list=duty_list,
        on=date(2026, 1, 10),
        meeting="党委会",
        attendees="全体",
    )
    services.duty_list_sign(actor=county.township_member, duty_list=duty_list)
    return duty_list


def test_it_needs_both_signatures_on_a_member_list(
    county: County, signed_by_the_member: DutyList
) -> None:
    duty_list = signed_by_the_member
    duty_list.refresh_from_db()
    assert duty_list.status == DutyList.Status.DISCUSSED
    services.duty_list_sign(actor=county.township_secretary, duty_list=duty_list)
    duty_list.refresh_from_db()
    assert duty_list.status == DutyList.Status.SIGNED
    assert set(duty_list.signatures.values_list("role", flat=True)) == {"principal", "member"}


def test_it_lets_the_higher_level_accept(county: County, submitted: DutyList) -> None:
    services.duty_list_review(
        actor=county.discipline_officer, duty_list=submitted, verdict=Review.Verdict.ACCEPTED
    )
    submitted.refresh_from_db()
    assert submitted.status == DutyList.Status.ACCEPTED


def test_it_keeps_the_reasons_of_a_returned_list(county: County, submitted: DutyList) -> None:
    with pytest.raises(ValidationError, match="理由"):
        services.duty_list_review(
            actor=county.discipline_officer, duty_list=submitted, verdict=Review.Verdict.RETURNED
        )
    services.duty_list_review(
        actor=county.discipline_officer,
        duty_list=submitted,
        verdict=Review.Verdict.RETURNED,
        reason="措施照搬目录，不够具体",
    )
    v2 = services.duty_list_revise(actor=county.township_secretary, duty_list=submitted)
    assert v2.previous is not None
    assert v2.previous.reviews.get().reason == "措施照搬目录，不够具体"


def test_it_refuses_review_by_the_unit_itself(county: County, submitted: DutyList) -> None:
    with pytest.raises(PermissionDenied):
        services.duty_list_review(
            actor=county.township_secretary, duty_list=submitted, verdict=Review.Verdict.ACCEPTED
        )


def test_it_publishes_to_the_chosen_range(county: County, submitted: DutyList) -> None:
    services.duty_list_review(
        actor=county.discipline_officer, duty_list=submitted, verdict=Review.Verdict.ACCEPTED
    )
    hidden = access.get_for_user
    visible = DutyList.objects.filter(access.visible_q(county.clerk, DutyList))
    assert not visible.exists()
    services.duty_list_publish(
        actor=county.township_secretary,
        duty_list=submitted,
        publish_range=DutyList.PublishRange.UNIT,
    )
    assert DutyList.objects.filter(access.visible_q(county.clerk, DutyList)).get() == submitted
    assert not DutyList.objects.filter(
        access.visible_q(county.other_township_secretary, DutyList)
    ).exists()
    assert hidden(county.clerk, DutyList.objects.all(), code=submitted.code) == submitted


def test_it_lets_only_the_principal_publish_the_collective_list(
    county: County, submitted: DutyList
) -> None:
    assert submitted.list_type == ListType.COLLECTIVE
    services.duty_list_review(
        actor=county.discipline_officer, duty_list=submitted, verdict=Review.Verdict.ACCEPTED
    )
    with pytest.raises(PermissionDenied):
        services.duty_list_publish(
            actor=county.township_member,
            duty_list=submitted,
            publish_range=DutyList.PublishRange.UNIT,
        )
    submitted.refresh_from_db()
    assert submitted.status == DutyList.Status.ACCEPTED
    services.duty_list_publish(
        actor=county.township_secretary,
        duty_list=submitted,
        publish_range=DutyList.PublishRange.UNIT,
    )
    submitted.refresh_from_db()
    assert submitted.status == DutyList.Status.PUBLISHED


def test_it_freezes_a_member_list_from_its_first_signature(
    county: County, signed_by_the_member: DutyList
) -> None:
    duty_list = signed_by_the_member
    with pytest.raises(ValidationError, match="签字背书"):
        services.duty_items_save(
            actor=county.township_member, duty_list=duty_list, rows=full_rows(duty_list, "P002")[:3]
        )
    fresh = services.duty_list_revise(actor=county.township_member, duty_list=duty_list)
    assert fresh.version == 2 and not fresh.signatures.exists()


# 附件4: 党委(组)主要负责人 and 纪委(纪检组)主要负责人 both sign the supervisory list.


def test_it_submits_a_supervisory_list_only_with_both_signatures(
    county: County, commission_list: DutyList, commission_head: User
) -> None:
    services.duty_list_sign(actor=commission_head, duty_list=commission_list)
    commission_list.refresh_from_db()
    assert commission_list.status == DutyList.Status.DISCUSSED
    with pytest.raises(ValidationError, match="签字背书后才能报送"):
        services.duty_list_submit(actor=commission_head, duty_list=commission_list)
    services.duty_list_sign(actor=county.township_secretary, duty_list=commission_list)
    commission_list.refresh_from_db()
    assert commission_list.status == DutyList.Status.SIGNED
    assert dict(commission_list.signatures.values_list("role", "signer_name")) == {
        Signature.Role.DISCIPLINE: "周正风",
        Signature.Role.PRINCIPAL: "张建国",
    }
    services.duty_list_submit(actor=commission_head, duty_list=commission_list)
    assert commission_list.status == DutyList.Status.SUBMITTED


def test_it_refuses_a_list_signed_before_the_second_line_existed(
    county: County, commission_list: DutyList, commission_head: User
) -> None:
    """A supervisory list marked signed with the body's signature alone is not submitted."""
    services.duty_list_sign(actor=commission_head, duty_list=commission_list)
    DutyList.objects.filter(pk=commission_list.pk).update(status=DutyList.Status.SIGNED)
    commission_list.refresh_from_db()
    with pytest.raises(ValidationError, match="缺少主要负责人的签字"):
        services.duty_list_submit(actor=commission_head, duty_list=commission_list)


def test_it_lets_only_the_body_head_sign_for_the_body(
    county: County, supervisory_list: DutyList
) -> None:
    """示范县纪委's staff officer works on its list but does not sign for the commission."""
    assert access.user_can(county.discipline_officer, policy.EDIT, supervisory_list)
    assert not access.user_can(county.discipline_officer, policy.SIGN, supervisory_list)


def test_it_refuses_a_paper_signature_from_neither_principal_nor_head(
    county: County, commission_list: DutyList
) -> None:
    with pytest.raises(ValidationError) as error:
        services.duty_list_sign(
            actor=None, duty_list=commission_list, paper_signer=person_of(county.township_member)
        )
    assert error.value.message_dict == {
        "paper_signer": [
            "李明华 既不是本单位党委(组)主要负责人，也不是城关镇纪委主要负责人，"
            "不能在监督责任清单上签字。"
        ]
    }
    assert not commission_list.signatures.exists()


def test_it_puts_paper_signatures_on_their_own_lines(
    county: County, commission_list: DutyList, commission_head: User
) -> None:
    for person in (person_of(county.township_secretary), person_of(commission_head)):
        services.duty_list_sign(actor=None, duty_list=commission_list, paper_signer=person)
    commission_list.refresh_from_db()
    assert commission_list.status == DutyList.Status.SIGNED
    assert dict(commission_list.signatures.values_list("role", "signer_name")) == {
        Signature.Role.PRINCIPAL: "张建国",
        Signature.Role.DISCIPLINE: "周正风",
    }
