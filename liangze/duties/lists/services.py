"""Every write to responsibility lists: one transaction each, audited."""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from liangze import access
from liangze.accounts.models import User
from liangze.core import audit, repeats
from liangze.core.files import evidence_store
from liangze.duties import policy
from liangze.duties.coverage import queries as coverage
from liangze.duties.coverage import tallies
from liangze.duties.lists import copydetect, exports, queries, signing
from liangze.duties.models import (
    PERSONAL_TYPES,
    Catalogue,
    DutyItem,
    DutyList,
    ListType,
    Review,
    Signature,
)
from liangze.orgs.models import DisciplineBody, Org, Person

ITEM_FIELDS = ("name", "task", "responsible_id", "department", "q1", "q2", "q3", "q4")


@transaction.atomic
def duty_list_create(
    *,
    actor: User | None,
    org: Org,
    year: int,
    list_type: str,
    catalogue: Catalogue,
    person: Person | None = None,
    discipline_body: DisciplineBody | None = None,
) -> DutyList:
    """A draft list carrying one row per catalogue responsibility of its type (the “1”)."""
    duty_list = DutyList(
        org=org,
        year=year,
        list_type=list_type,
        catalogue=catalogue,
        person=person if list_type in PERSONAL_TYPES else None,
        discipline_body=discipline_body if list_type == ListType.SUPERVISORY else None,
        deadline=catalogue.submit_deadline,
        filled_on=timezone.localdate(),
    )
    if list_type in PERSONAL_TYPES and person is None:
        raise ValidationError({"person": _("个人责任清单必须指定责任人。")})
    if list_type == ListType.SUPERVISORY and discipline_body is None:
        raise ValidationError({"discipline_body": _("监督责任清单必须指定纪检机构。")})
    if not catalogue.is_issued:
        raise ValidationError({"catalogue": _("只能依据已下发的目录编制清单。")})
    if catalogue.year != year:
        raise ValidationError({"year": _("清单年度与目录年度不一致。")})
    access.require(actor, policy.EDIT, duty_list)
    duty_list.holder_key = duty_list.compute_holder_key()
    if DutyList.objects.filter(
        org=org, year=year, list_type=list_type, holder_key=duty_list.holder_key
    ).exists():
        raise ValidationError(_("该单位本年度已有这份清单。"))
    duty_list.full_clean()
    duty_list.save()
    entries = catalogue.entries.filter(list_type=list_type).order_by("seq")
    default_person = person if list_type in PERSONAL_TYPES else None
    DutyItem.objects.bulk_create(
        DutyItem(
            duty_list=duty_list, entry=entry, seq=n, name=entry.name, responsible=default_person
        )
        for n, entry in enumerate(entries, start=1)
    )
    audit.record(actor=actor, verb=audit.Verb.CREATE, obj=duty_list)
    return duty_list


def _require_editable(actor: User | None, duty_list: DutyList) -> None:
    access.require(actor, policy.EDIT, duty_list)
    # A member's list may carry one of its two signatures already: that one
    # covers the content as it is, so the content is frozen from the first.
    if duty_list.is_frozen or not duty_list.is_current or duty_list.signatures.exists():
        raise ValidationError(_("清单已签字背书，内容不能修改；如需调整请生成新版本。"))


@transaction.atomic
def duty_items_save(
    *, actor: User | None, duty_list: DutyList, rows: Iterable[Mapping[str, Any]]
) -> list[DutyItem]:
    """Replace the list's rows with `rows` (the grid editor's whole content), all or nothing.

    Each row: optional `entry` (a catalogue ref of this list's type), `name`,
    `task`, `responsible` (a person_no in the unit's subtree, or empty),
    `department`, `q1`…`q4`. Errors name the row and the field.
    """
    _require_editable(actor, duty_list)
    entries = {e.ref: e for e in duty_list.catalogue.entries.filter(list_type=duty_list.list_type)}
    rows = list(rows)
    wanted_people = {str(r.get("responsible") or "").strip() for r in rows} - {""}
    people = {
        p.person_no: p
        for p in Person.objects.filter(person_no__in=wanted_people).filter(
            duty_list.org.subtree_q("org__")
        )
    }
    errors: list[str] = []
    items: list[DutyItem] = []
    for n, row in enumerate(rows, start=1):
        ref = str(row.get("entry") or "").strip()
        entry = entries.get(ref) if ref else None
        if ref and entry is None:
            errors.append(
                _("第 %(n)d 行「目录事项」：目录中没有编号 %(ref)s。") % {"n": n, "ref": ref}
            )
        name = str(row.get("name") or (entry.name if entry else "")).strip()
        if not name:
            errors.append(_("第 %(n)d 行「责任名称」：不能为空。") % {"n": n})
        person_no = str(row.get("responsible") or "").strip()
        responsible = people.get(person_no) if person_no else None
        if person_no and responsible is None:
            errors.append(
                _("第 %(n)d 行「责任人」：本单位及下级中没有编号为 %(no)s 的人员。")
                % {"n": n, "no": person_no}
            )
        item = DutyItem(
            duty_list=duty_list,
            entry=entry,
            seq=n,
            name=name[:100],
            task=str(row.get("task") or "").strip(),
            responsible=responsible,
            department=str(row.get("department") or "").strip()[:100],
            **{q: str(row.get(q) or "").strip() for q in DutyItem.QUARTERS},
        )
        items.append(item)
    if errors:
        raise ValidationError(errors)
    duty_list.items.all().delete()
    DutyItem.objects.bulk_create(items)
    duty_list.save(update_fields=["updated_at"])
    audit.record(actor=actor, verb=audit.Verb.UPDATE, obj=duty_list, data={"items": len(items)})
    return items


@transaction.atomic
def duty_list_discuss(
    *, actor: User | None, duty_list: DutyList, on: date, meeting: str, attendees: str
) -> DutyList:
    """Record the collective discussion (集体讨论) that must come before signing."""
    _require_editable(actor, duty_list)
    if on > timezone.localdate():
        raise ValidationError({"discussed_on": _("讨论日期不能晚于今天。")})
    if not meeting.strip() or not attendees.strip():
        raise ValidationError(_("请填写讨论会议和参会人员。"))
    duty_list.discussed_on, duty_list.discussion_meeting = on, meeting.strip()
    duty_list.discussion_attendees = attendees.strip()
    duty_list.status = DutyList.Status.DISCUSSED
    duty_list.save(
        update_fields=[
            "discussed_on",
            "discussion_meeting",
            "discussion_attendees",
            "status",
            "updated_at",
        ]
    )
    audit.record(
        actor=actor,
        verb=audit.Verb.UPDATE,
        obj=duty_list,
        data={"status": "discussed", "meeting": meeting},
    )
    return duty_list


def roles_needed(duty_list: DutyList) -> tuple[str, ...]:
    """The signatures a list carries before it counts as signed: its form's lines (附件1–4)."""
    return exports.signature_roles(duty_list.list_type)


def _supervisory_role(*, heads: bool, principal: bool, signed: set[str]) -> str | None:
    """Which line of 附件4 a signer fills: the body head's, the unit principal's, or none.

    One person may hold both posts; they then fill the line still empty.
    """
    roles: list[str] = []
    if heads:
        roles.append(Signature.Role.DISCIPLINE)
    if principal:
        roles.append(Signature.Role.PRINCIPAL)
    unsigned = [role for role in roles if role not in signed]
    return next(iter(unsigned or roles), None)


def _signer_role(actor: User, duty_list: DutyList, signed: set[str]) -> str:
    scope = access.scope_for(actor)
    if duty_list.list_type == ListType.SUPERVISORY:
        role = _supervisory_role(
            heads=duty_list.discipline_body_id in scope.heads,
            principal=duty_list.org_id in scope.principal_of,
            signed=signed,
        )
        return role or Signature.Role.PRINCIPAL  # policy.SIGN admits no one else
    if duty_list.list_type == ListType.MEMBER and duty_list.person_id == scope.own_person_id:
        return Signature.Role.MEMBER
    return Signature.Role.PRINCIPAL


def _paper_role(person: Person, duty_list: DutyList, signed: set[str]) -> str:
    if duty_list.list_type == ListType.SUPERVISORY:
        posts = access.current_positions(person)
        role = _supervisory_role(
            heads=posts.filter(
                access.heads_body_q(), discipline_body_id=duty_list.discipline_body_id
            ).exists(),
            principal=posts.filter(
                org_id=duty_list.org_id, kind__in=queries.PRINCIPAL_KINDS
            ).exists(),
            signed=signed,
        )
        if role is None:
            raise ValidationError(
                {
                    "paper_signer": _(
                        "%(name)s 既不是本单位党委(组)主要负责人，也不是%(body)s主要负责人，"
                        "不能在监督责任清单上签字。"
                    )
                    % {"name": person.name, "body": duty_list.discipline_body}
                }
            )
        return role
    if duty_list.list_type == ListType.MEMBER and duty_list.person_id == person.pk:
        return Signature.Role.MEMBER
    return Signature.Role.PRINCIPAL


def _display(actor: User) -> str:
    return actor.person.name if actor.person else actor.username


@transaction.atomic
def duty_list_sign(
    *,
    actor: User | None,
    duty_list: DutyList,
    sealed: bool = True,
    paper_signer: Person | None = None,
    scan: UploadedFile | None = None,
) -> Signature:
    """签字背书 (LIST-5, LIST-8): only a complete, discussed list; the SM3 digest freezes it.

    A member's list is signed by the principal and by the member, a supervisory
    list by the unit's principal and by the discipline body's head; it counts as
    signed once the last required signature is on. A signature made on paper is
    entered naming the `paper_signer`: by the operator (actor None), or in the
    application by whoever policy.PAPER_SIGN admits, with the `scan` of the
    signed page kept as evidence.
    """
    paper = paper_signer is not None and actor is not None
    access.require(actor, policy.PAPER_SIGN if paper else policy.SIGN, duty_list)
    repeats.lock(duty_list)
    if paper and scan is None:
        raise ValidationError({"scan": _("请上传纸质签字页的扫描件。")})
    if not duty_list.is_current or duty_list.status not in (
        DutyList.Status.DISCUSSED,
        DutyList.Status.SIGNED,
    ):
        raise ValidationError(_("只有经过集体讨论、尚未报送的清单才能签字。"))
    problems = queries.completeness(duty_list)
    if problems:
        raise ValidationError([p.message for p in problems])
    signed = set(duty_list.signatures.values_list("role", flat=True))
    if paper_signer is not None:
        role, signer_name = _paper_role(paper_signer, duty_list, signed), paper_signer.name
    elif actor is not None:
        role, signer_name = _signer_role(actor, duty_list, signed), _display(actor)
    else:
        raise ValidationError(_("录入纸质签字时须指明签字人。"))
    if role in signed:
        _refuse_repeat(duty_list, role, signer=None if paper_signer else actor, name=signer_name)
        raise ValidationError(
            _("“%(line)s”一栏已经签过字了。") % {"line": Signature.Role(role).label}
        )
    digest = signing.digest(queries.canonical_text(duty_list))
    now = timezone.now()
    signature = Signature.objects.create(
        duty_list=duty_list,
        role=role,
        # The account is the signer's own; one entering a paper signature is in the audit trail.
        signer=None if paper_signer is not None else actor,
        signer_name=signer_name,
        digest=digest,
        signed_at=now,
        scan=evidence_store(actor=actor, org=duty_list.org, upload=scan) if scan else None,
    )
    if set(roles_needed(duty_list)) <= signed | {role}:
        duty_list.status = DutyList.Status.SIGNED
        duty_list.digest, duty_list.signed_at, duty_list.sealed = digest, now, sealed
        duty_list.save(update_fields=["status", "digest", "signed_at", "sealed", "updated_at"])
    audit.record(
        actor=actor,
        verb=audit.Verb.UPDATE,
        obj=duty_list,
        data={"signed": role, "sm3": digest, "paper": paper_signer is not None},
    )
    return signature


def _refuse_repeat(duty_list: DutyList, role: str, *, signer: User | None, name: str) -> None:
    """The same signer's second click: the line carries their signature already."""
    mine = duty_list.signatures.filter(role=role, signer=signer, signer_name=name)
    if mine.exists():
        raise repeats.AlreadyDone(
            _("%(name)s已在“%(line)s”一栏签字。")
            % {"name": name, "line": Signature.Role(role).label}
        )


def unsigned_roles(duty_list: DutyList) -> list[str]:
    """Required signatures not yet on the list (a list signed before 附件4 had two lines)."""
    signed = set(duty_list.signatures.values_list("role", flat=True))
    return [role for role in roles_needed(duty_list) if role not in signed]


def verify_digest(duty_list: DutyList) -> bool:
    """Does the stored content still match what was signed?"""
    return (
        bool(duty_list.digest)
        and signing.digest(queries.canonical_text(duty_list)) == duty_list.digest
    )


@transaction.atomic
def duty_list_submit(*, actor: User | None, duty_list: DutyList, score: bool = True) -> DutyList:
    """报送 to the higher level; a late submission is recorded as late, not refused.

    `score=False` leaves copy detection to the caller (bulk loads score once at the end).
    """
    access.require(actor, policy.SUBMIT, duty_list)
    repeats.lock(duty_list)
    if duty_list.status == DutyList.Status.SUBMITTED:
        raise repeats.AlreadyDone(_("清单已报送，等待上级审核。"))
    if duty_list.status != DutyList.Status.SIGNED:
        raise ValidationError(_("清单签字背书后才能报送。"))
    missing = unsigned_roles(duty_list)
    if missing:
        raise ValidationError(
            _("清单还缺少%(lines)s的签字，不能报送。")
            % {"lines": "、".join(str(Signature.Role(role).label) for role in missing)}
        )
    duty_list.status = DutyList.Status.SUBMITTED
    duty_list.submitted_at = timezone.now()
    duty_list.save(update_fields=["status", "submitted_at", "updated_at"])
    # Scoring reads the sibling lists; a failure must not undo the submission.
    if score:
        transaction.on_commit(lambda: copydetect.refresh_similarity(duty_list), robust=True)
    late = bool(duty_list.deadline and timezone.localdate() > duty_list.deadline)
    audit.record(
        actor=actor,
        verb=audit.Verb.UPDATE,
        obj=duty_list,
        data={"status": "submitted", "late": late},
    )
    return duty_list


@transaction.atomic
def duty_list_review(
    *, actor: User | None, duty_list: DutyList, verdict: str, reason: str = ""
) -> Review:
    """The higher level accepts the list, or returns it with reasons that stay on record."""
    access.require(actor, policy.REVIEW, duty_list)
    repeats.lock(duty_list)
    last = duty_list.reviews.order_by("-at").first()
    if duty_list.status != DutyList.Status.SUBMITTED and last and last.verdict == verdict:
        raise repeats.AlreadyDone(
            _("清单已审核（%(verdict)s）。") % {"verdict": Review.Verdict(verdict).label}
        )
    if duty_list.status != DutyList.Status.SUBMITTED:
        raise ValidationError(_("只能审核已报送的清单。"))
    if verdict == Review.Verdict.RETURNED and not reason.strip():
        raise ValidationError({"reason": _("退回清单必须写明理由。")})
    if verdict not in Review.Verdict.values:
        raise ValidationError({"verdict": _("审核结论不正确。")})
    review = Review.objects.create(
        duty_list=duty_list,
        verdict=verdict,
        reason=reason.strip(),
        reviewer=actor,
        reviewer_name=_display(actor) if actor else "命令行",
        at=timezone.now(),
    )
    duty_list.status = (
        DutyList.Status.ACCEPTED if verdict == Review.Verdict.ACCEPTED else DutyList.Status.RETURNED
    )
    duty_list.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        verb=audit.Verb.UPDATE,
        obj=duty_list,
        data={"review": verdict, "reason": reason.strip()},
    )
    return review


@transaction.atomic
def duty_list_publish(*, actor: User | None, duty_list: DutyList, publish_range: str) -> DutyList:
    """公示 an accepted list to a chosen range (LIST-5): from now on it is the list in force,
    in place of the version it revises."""
    access.require(actor, policy.PUBLISH, duty_list)
    if duty_list.status != DutyList.Status.ACCEPTED:
        raise ValidationError(_("清单审核通过后才能公示。"))
    if publish_range not in DutyList.PublishRange.values:
        raise ValidationError({"publish_range": _("请选择公示范围。")})
    replaced = DutyList.objects.filter(
        org=duty_list.org,
        year=duty_list.year,
        list_type=duty_list.list_type,
        holder_key=duty_list.holder_key,
        in_force=True,
    ).update(in_force=False)
    duty_list.status = DutyList.Status.PUBLISHED
    duty_list.publish_range = publish_range
    duty_list.published_at = timezone.now()
    duty_list.in_force = True
    duty_list.save(
        update_fields=["status", "publish_range", "published_at", "in_force", "updated_at"]
    )
    if not replaced:
        # A new version replaces the one in force: the holder was covered all along.
        tallies.list_done(duty_list, +1)
    transaction.on_commit(coverage.invalidate)
    audit.record(
        actor=actor,
        verb=audit.Verb.UPDATE,
        obj=duty_list,
        data={"status": "published", "range": publish_range},
    )
    return duty_list


@transaction.atomic
def duty_list_revise(*, actor: User | None, duty_list: DutyList) -> DutyList:
    """The next version of a frozen list: a draft copy that must be discussed and signed again."""
    access.require(actor, policy.EDIT, duty_list)
    if not duty_list.is_frozen and not duty_list.signatures.exists():
        raise ValidationError(_("草稿可以直接修改，无需生成新版本。"))
    if not duty_list.is_current:
        raise ValidationError(_("只能在最新版本上修订。"))
    # The version in force stays so until the revision is published (in_force).
    DutyList.objects.filter(pk=duty_list.pk).update(is_current=False)
    fresh = DutyList.objects.create(
        org=duty_list.org,
        year=duty_list.year,
        list_type=duty_list.list_type,
        person=duty_list.person,
        discipline_body=duty_list.discipline_body,
        holder_key=duty_list.holder_key,
        catalogue=duty_list.catalogue,
        version=duty_list.version + 1,
        previous=duty_list,
        deadline=duty_list.deadline,
        filled_on=timezone.localdate(),
    )
    DutyItem.objects.bulk_create(
        DutyItem(duty_list=fresh, **{f: getattr(i, f) for f in ("entry_id", "seq", *ITEM_FIELDS)})
        for i in duty_list.items.all()
    )
    audit.record(
        actor=actor,
        verb=audit.Verb.CREATE,
        obj=fresh,
        data={"previous": str(duty_list.code), "version": fresh.version},
    )
    return fresh


def next_seq(duty_list: DutyList) -> int:
    return (duty_list.items.aggregate(m=Max("seq"))["m"] or 0) + 1
