"""Every write to 整改 (SUP-5): one transaction each, access checked, audited.

Opened from a finding, planned and then reported (with evidence) by the unit,
verified or returned by the organiser.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liangze import access
from liangze.accounts.models import User
from liangze.core import audit, repeats
from liangze.core.files import evidence_store
from liangze.core.workdays import add_workdays
from liangze.supervision import policy
from liangze.supervision.models import Finding, Rectification

# "整改阶段 … 活动结束后一个月内" (000 §二.4): about 20 working days.
RECTIFICATION_WORKDAYS = 20


def rectification_create(
    finding: Finding, deadline: date | None, requirement: str
) -> Rectification:
    """Neither asks access nor audits: each caller has done both for the act that opens it
    (recording a finding with `rectify`, or `rectification_open`), inside its own transaction."""
    today = timezone.localdate()
    deadline = deadline or add_workdays(today, RECTIFICATION_WORKDAYS)
    if deadline < today:
        raise ValidationError({"deadline": _("整改期限不能早于今天。")})
    rectification = Rectification(
        finding=finding, org=finding.org, deadline=deadline, requirement=requirement.strip()
    )
    rectification.full_clean(validate_unique=False)
    rectification.save()
    return rectification


@transaction.atomic
def rectification_open(
    *, actor: User, finding: Finding, deadline: date | None = None, requirement: str = ""
) -> Rectification:
    access.require(actor, policy.INSPECT, finding)
    if Rectification.objects.filter(finding=finding).exists():
        raise ValidationError(_("该问题已下达整改。"))
    rectification = rectification_create(finding, deadline, requirement)
    audit.record(
        actor=actor,
        verb=audit.Verb.CREATE,
        obj=rectification,
        data={"deadline": rectification.deadline.isoformat()},
    )
    return rectification


R = Rectification.Status


def _move(
    actor: User | None,
    rectification: Rectification,
    status: str,
    fields: Sequence[str],
    **data: Any,
) -> None:
    before = rectification.status
    rectification.status = status
    rectification.full_clean(validate_unique=False)
    rectification.save(update_fields=["status", *fields])
    audit.record(
        actor=actor,
        verb=audit.Verb.UPDATE,
        obj=rectification,
        data={"from": before, "to": status, **data},
    )


@transaction.atomic
def rectification_plan(
    *, actor: User | None, rectification: Rectification, plan: str
) -> Rectification:
    """The unit's 整改方案 (may be revised until it reports)."""
    access.require(actor, policy.RECTIFY, rectification)
    if rectification.status not in (R.OPEN, R.PLANNED):
        raise ValidationError(_("已报告整改情况，方案不能再修改。"))
    plan = plan.strip()
    if not plan:
        raise ValidationError({"plan": _("请填写整改方案。")})
    rectification.plan = plan
    rectification.plan_submitted_at = timezone.now()
    _move(actor, rectification, R.PLANNED, ["plan", "plan_submitted_at"])
    return rectification


@transaction.atomic
def rectification_report(
    *,
    actor: User | None,
    rectification: Rectification,
    report: str,
    uploads: Iterable[UploadedFile] = (),
) -> Rectification:
    """The unit reports what it has put right, with evidence; then the organiser verifies.

    The same report sent again while it waits for verification (a double click on 提交报告)
    is AlreadyDone: its files are not stored twice.
    """
    access.require(actor, policy.RECTIFY, rectification)
    report = report.strip()
    repeats.lock(rectification)
    if rectification.status == R.REPORTED and rectification.report == report:
        raise repeats.AlreadyDone(_("整改情况刚才已报告，没有重复提交。"), existing=rectification)
    if rectification.status not in (R.PLANNED, R.RETURNED):
        raise ValidationError(
            _("请先报送整改方案。")
            if rectification.status == R.OPEN
            else _("当前状态不能报告整改情况。")
        )
    if not report:
        raise ValidationError({"report": _("请填写整改情况。")})
    files = [evidence_store(actor=actor, org=rectification.org, upload=u) for u in uploads]
    if not files and not rectification.evidence.exists():
        raise ValidationError({"uploads": _("请上传整改佐证材料。")})
    rectification.report = report
    rectification.reported_at = timezone.now()
    rectification.evidence.add(*files)
    _move(
        actor,
        rectification,
        R.REPORTED,
        ["report", "reported_at"],
        evidence=[f.sm3 for f in files],
    )
    return rectification


@transaction.atomic
def rectification_verify(
    *, actor: User | None, rectification: Rectification, note: str = ""
) -> Rectification:
    """验收销号 by the organiser."""
    access.require(actor, policy.MANAGE, rectification)
    if rectification.status != R.REPORTED:
        raise ValidationError(_("只能验收已报告的整改。"))
    rectification.review_note = note.strip()
    rectification.reviewed_by = actor
    rectification.reviewed_at = timezone.now()
    _move(actor, rectification, R.VERIFIED, ["review_note", "reviewed_by", "reviewed_at"])
    return rectification


@transaction.atomic
def rectification_return(
    *, actor: User | None, rectification: Rectification, reason: str
) -> Rectification:
    access.require(actor, policy.MANAGE, rectification)
    if rectification.status != R.REPORTED:
        raise ValidationError(_("只能退回已报告的整改。"))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写退回理由。")})
    rectification.review_note = reason
    rectification.reviewed_by = actor
    rectification.reviewed_at = timezone.now()
    _move(
        actor,
        rectification,
        R.RETURNED,
        ["review_note", "reviewed_by", "reviewed_at"],
        reason=reason,
    )
    return rectification
