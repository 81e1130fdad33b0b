"""Draft → issued (frozen, with its SM3-digested Word file) → acknowledged; who may do what."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liangze.accounts.models import User
from liangze.core.models import AuditEvent
from liangze.core.sm3 import sm3_hex
from liangze.duties.models import DutyList
from liangze.notices import queries, services
from liangze.notices.models import Notice, NoticeFile
from liangze.orgs.models import Org
from tests.fixtures.county import County
from tests.fixtures.notices import docx_text, draft_order


def update(notice: Notice, actor: User, **changes: Any) -> Notice:
    fields: dict[str, Any] = {
        "title": notice.title,
        "body": notice.body,
        "recipient_person": notice.recipient_person,
        "recipient_org": notice.recipient_org,
        "cc_text": notice.cc_text,
        "reply_due": notice.reply_due,
    }
    return services.notice_update(actor=actor, notice=notice, **(fields | changes))


def test_a_draft_can_be_edited_and_every_change_is_audited(county: County, order: Notice) -> None:
    update(order, county.discipline_officer, body="新的正文", recipient_org=county.hekou)
    order.refresh_from_db()
    assert (order.body, order.recipient_name) == ("新的正文", "河口镇党委")
    event = AuditEvent.objects.filter(object_code=str(order.code)).first()
    assert event is not None
    assert event.verb == AuditEvent.Verb.UPDATE
    assert event.data["recipient"] == ["城关镇党委", "河口镇党委"]


def test_a_draft_names_a_recipient_in_the_issuers_area_only(
    county: County, duty_draft: Notice
) -> None:
    with pytest.raises(ValidationError) as error:
        update(
            duty_draft,
            county.township_secretary,
            recipient_person=None,
            recipient_org=county.branch,
        )
    assert "recipient" in error.value.message_dict
    outsider = county.other_township_secretary.person
    with pytest.raises(ValidationError, match="管辖范围"):
        update(duty_draft, county.township_secretary, recipient_person=outsider)


def test_issuing_freezes_the_notice_and_stores_its_word_file_with_the_digest(
    county: County, order: Notice
) -> None:
    notice = services.notice_issue(actor=county.discipline_officer, notice=order)
    assert notice.status == Notice.Status.ISSUED
    assert notice.issued_on == timezone.localdate()
    assert notice.issued_by == county.discipline_officer
    stored = NoticeFile.objects.get(notice=notice)
    assert stored.sm3 == sm3_hex(bytes(stored.content))
    assert "示纪督〔2026〕1号" in docx_text(bytes(stored.content))
    with pytest.raises(ValidationError, match="不能修改"):
        update(notice, county.discipline_officer, body="改过的正文")
    with pytest.raises(ValidationError):
        services.notice_delete(actor=county.discipline_officer, notice=notice)
    check = queries.file_check(notice)
    assert check is not None and check.intact
    NoticeFile.objects.filter(pk=stored.pk).update(content=b"tampered")
    check = queries.file_check(notice)
    assert check is not None and not check.intact


def test_only_the_issuing_side_issues(county: County, order: Notice, duty_draft: Notice) -> None:
    for outsider in (county.township_secretary, county.clerk, county.dispatched_officer):
        with pytest.raises(PermissionDenied):
            services.notice_issue(actor=outsider, notice=order)
    with pytest.raises(PermissionDenied):
        services.notice_issue(actor=county.discipline_officer, notice=duty_draft)
    assert Notice.objects.filter(status=Notice.Status.DRAFT).count() == 2


def test_the_person_addressed_signs_for_a_notice(county: County, issued_duty: Notice) -> None:
    with pytest.raises(PermissionDenied):
        services.notice_acknowledge(actor=county.township_secretary, notice=issued_duty)
    notice = services.notice_acknowledge(actor=county.township_member, notice=issued_duty)
    assert notice.status == Notice.Status.ACKNOWLEDGED
    assert notice.acknowledged_by == county.township_member
    assert notice.acknowledged_name == "李明华"
    assert notice.acknowledged_at is not None
    at = notice.acknowledged_at
    again = services.notice_acknowledge(actor=county.township_member, notice=notice)
    assert again.acknowledged_at == at


@pytest.mark.parametrize("who", ["township_secretary", "clerk"])
def test_a_units_principal_or_clerk_signs_for_its_notice(
    county: County, issued_order: Notice, who: str
) -> None:
    notice = services.notice_acknowledge(actor=getattr(county, who), notice=issued_order)
    assert notice.status == Notice.Status.ACKNOWLEDGED


@pytest.mark.parametrize(
    "who", ["township_member", "other_township_secretary", "discipline_officer"]
)
def test_others_cannot_sign_for_a_units_notice(
    county: County, issued_order: Notice, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        services.notice_acknowledge(actor=getattr(county, who), notice=issued_order)


def test_a_draft_cannot_be_signed_for(county: County, order: Notice) -> None:
    with pytest.raises(ValidationError, match="尚未发出"):
        services.notice_acknowledge(actor=county.township_secretary, notice=order)


def test_deleting_a_draft_keeps_its_content_in_the_audit_trail(
    county: County, order: Notice
) -> None:
    code = str(order.code)
    services.notice_delete(actor=county.discipline_officer, notice=order)
    assert not Notice.objects.exists()
    event = AuditEvent.objects.get(object_code=code, verb=AuditEvent.Verb.DELETE)
    assert "警示教育未开展" in event.data["body"]


# Visibility ---------------------------------------------------------------------------


def visible(user: User) -> set[str]:
    return {n.recipient_name for n in queries.notices_visible_to(user)}


def test_drafts_are_seen_by_the_issuing_side_only(
    county: County, order: Notice, duty_draft: Notice
) -> None:
    assert visible(county.discipline_officer) == {
        "城关镇党委",
        "李明华同志",
    }  # the 纪委 sees the county
    assert visible(county.township_secretary) == {"李明华同志"}
    assert visible(county.township_member) == {"李明华同志"}  # a team member, on the issuing side
    assert visible(county.other_township_secretary) == set()
    assert visible(county.dispatched_officer) == set()


def test_once_sent_the_recipient_and_the_levels_above_see_it(
    county: County, issued_order: Notice
) -> None:
    assert "城关镇党委" in visible(county.township_secretary)
    assert "城关镇党委" in visible(county.clerk)
    assert visible(county.other_township_secretary) == set()
    assert visible(county.audit_admin) == set()
    assert visible(county.system_admin) == set()


def test_a_unit_copied_in_sees_the_notice(
    county: County, collective: DutyList, second_branch: Org
) -> None:
    notice = draft_order(county, org=county.hekou)
    update(notice, county.discipline_officer, cc_orgs=[county.chengguan])
    assert "河口镇党委" not in visible(county.township_secretary)  # a draft: not yet
    services.notice_issue(actor=county.discipline_officer, notice=notice)
    assert "河口镇党委" in visible(county.township_secretary)
