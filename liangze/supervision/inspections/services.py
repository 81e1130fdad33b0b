"""Every write to inspections: one transaction each, access checked, audited (SUP-3 … SUP-6).

An inspection is planned over a subtree; flagged units (必查) join it
automatically, others are designated or drawn at random (the draw recorded
so anyone can re-run it). Once started, inspectors record findings and
逐项过堂 verdicts; a finding opens its 整改 (whose course is
rectifications/services.py); 走过场 draws a sanction. Concluding needs every
unit checked.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from liangze import access
from liangze.accounts.models import User
from liangze.core import audit
from liangze.core.periods import Period
from liangze.duties.models import DutyItem
from liangze.orgs import services as org_services
from liangze.orgs.models import DisciplineBody, LeadingGroup, Org, Person
from liangze.supervision import policy
from liangze.supervision.inspections import queries, sampling
from liangze.supervision.models import (
    Finding,
    Inspection,
    InspectionTarget,
    Sample,
    Sanction,
    UnitFlag,
    Verdict,
)
from liangze.supervision.rectifications import services as rectification_services

Status = Inspection.Status
Why = InspectionTarget.Why


def _display(actor: User | None) -> str:
    if actor is None:
        return _("系统")
    return str(getattr(actor, "display_name", "") or actor.get_username())


def _require_status(inspection: Inspection, *allowed: str, message: str) -> None:
    if inspection.status not in allowed:
        raise ValidationError(message)


# Unit flags (必查) -------------------------------------------------------------


@transaction.atomic
def flag_set(*, actor: User | None, org: Org, year: int, reason: str, note: str = "") -> UnitFlag:
    """Mark `org` as a unit every inspection of `year` covering it must check."""
    flag = UnitFlag(org=org, year=year, reason=reason, note=note.strip(), set_by=actor)
    access.require(actor, policy.CHANGE, flag)
    if UnitFlag.objects.filter(org=org, year=year, reason=reason).exists():
        raise ValidationError(
            {
                "reason": _("%(org)s 已标记为 %(year)d 年%(reason)s。")
                % {"org": org.name, "year": year, "reason": flag.get_reason_display()}
            }
        )
    flag.full_clean()
    flag.save()
    audit.record(
        actor=actor, verb=audit.Verb.CREATE, obj=flag, data={"reason": reason, "year": year}
    )
    return flag


@transaction.atomic
def flag_clear(*, actor: User, flag: UnitFlag) -> None:
    access.require(actor, policy.CHANGE, flag)
    audit.record(
        actor=actor,
        verb=audit.Verb.DELETE,
        obj=flag,
        data={"org": flag.org.org_no, "year": flag.year, "reason": flag.reason, "note": flag.note},
    )
    flag.delete()


def flags_in_scope(org: Org, year: int) -> dict[int, list[str]]:
    """The flagged units of `year` in `org`'s subtree → their reasons (labels)."""
    reasons: dict[int, list[str]] = defaultdict(list)
    flags = UnitFlag.objects.filter(org.subtree_q("org__"), year=year).order_by("reason")
    for flag in flags:
        reasons[flag.org_id].append(str(flag.get_reason_display()))
    return reasons


# Planning ----------------------------------------------------------------------


def _organiser_covers(
    organiser_body: DisciplineBody | None, organiser_org: Org | None, org: Org
) -> bool:
    if organiser_body is not None:
        paths = organiser_body.supervised_orgs.values_list("path", flat=True)
        return any(org.path.startswith(p) for p in paths)
    assert organiser_org is not None
    return org.path.startswith(organiser_org.path)


def _group_organiser(group: LeadingGroup) -> tuple[DisciplineBody | None, Org | None]:
    """Who organises in a group's name: the discipline body that set it up, else its org."""
    return (group.body, None) if group.body is not None else (None, group.org)


def _check_period(year: int, period: str) -> str:
    try:
        parsed = Period.parse(period)
    except ValueError as error:
        raise ValidationError({"period": str(error)}) from None
    if parsed.year != year:
        raise ValidationError({"period": _("期间应在 %(year)d 年内。") % {"year": year}})
    return str(parsed)


@transaction.atomic
def inspection_plan(
    *,
    actor: User | None,
    kind: str,
    title: str,
    year: int,
    period: str,
    org: Org,
    planned_start: date,
    planned_end: date,
    organiser_body: DisciplineBody | None = None,
    organiser_org: Org | None = None,
    inspectors: Iterable[Person] = (),
    requirements: str = "",
    designated: Iterable[Org] = (),
    issuing_group: LeadingGroup | None = None,
) -> Inspection:
    """Plan an inspection over `org`'s subtree; flagged units in it join as 必查 at once.

    With `issuing_group`, the group's office plans it in the group's name (以领导小组
    办公室名义, 000 §五.4): the group's body or org organises, and the office runs it.
    """
    if (organiser_body is None) == (organiser_org is None):
        raise ValidationError({"organiser": _("请指定一个组织机关：纪检机构或党组织。")})
    if issuing_group is not None and (organiser_body, organiser_org) != _group_organiser(
        issuing_group
    ):
        message = _("以“%(office)s”名义检查时，组织机关须为成立该领导小组的单位或纪检机构。")
        raise ValidationError({"organiser": message % {"office": issuing_group.office_name}})
    inspection = Inspection(
        kind=kind,
        title=title.strip(),
        year=year,
        period=_check_period(year, period),
        org=org,
        organiser_body=organiser_body,
        organiser_org=organiser_org,
        planned_start=planned_start,
        planned_end=planned_end,
        requirements=requirements.strip(),
        created_by=actor,
    )
    if issuing_group is not None:
        access.require_acts_for_group(actor, issuing_group)
    else:
        access.require(actor, policy.MANAGE, inspection)
    if not _organiser_covers(organiser_body, organiser_org, org):
        raise ValidationError(
            {"org": _("检查范围“%(org)s”不在组织机关的监督或管辖范围内。") % {"org": org.name}}
        )
    inspection.full_clean()
    inspection.save()
    inspection.inspectors.set(list(inspectors))
    if issuing_group is not None:
        org_services.group_act_record(group=issuing_group, obj=inspection)
    added = _add_mandatory(inspection)
    for unit in designated:
        _add_target(inspection, unit, Why.DESIGNATED)
    audit.record(
        actor=actor,
        verb=audit.Verb.CREATE,
        obj=inspection,
        data={
            "kind": kind,
            "org": org.org_no,
            "period": inspection.period,
            "mandatory": added,
            "designated": [u.org_no for u in designated],
            "group": issuing_group.name if issuing_group else "",
        },
    )
    return inspection


def _in_scope(inspection: Inspection, org: Org) -> bool:
    return org.path.startswith(inspection.org.path)


def _add_target(inspection: Inspection, org: Org, why: str, reasons: str = "") -> InspectionTarget:
    if not _in_scope(inspection, org):
        raise ValidationError({"org": _("“%(org)s”不在本次检查范围内。") % {"org": org.name}})
    target = InspectionTarget.objects.filter(inspection=inspection, org=org).first()
    if target is not None and target.status != InspectionTarget.Status.REMOVED:
        raise ValidationError({"org": _("“%(org)s”已在检查名单中。") % {"org": org.name}})
    if target is None:
        target = InspectionTarget(inspection=inspection, org=org)
    target.why = why
    target.reasons = reasons
    target.status = InspectionTarget.Status.PENDING
    target.removed_reason = ""
    target.full_clean(validate_unique=False)
    target.save()
    return target


def _add_mandatory(inspection: Inspection) -> list[str]:
    """Flagged units in scope not yet listed; removed ones stay removed (a reason was given)."""
    flagged = flags_in_scope(inspection.org, inspection.year)
    present = set(inspection.targets.values_list("org_id", flat=True))
    added = []
    for org in Org.objects.filter(pk__in=set(flagged) - present).order_by("path"):
        _add_target(inspection, org, Why.MANDATORY, "、".join(flagged[org.pk]))
        added.append(org.org_no)
    # A designated unit that is also flagged is checked for the flag's sake.
    for target in inspection.targets.filter(org_id__in=flagged, why=Why.DESIGNATED):
        target.why = Why.MANDATORY
        target.reasons = "、".join(flagged[target.org_id])
        target.save(update_fields=["why", "reasons"])
        added.append(target.org.org_no)
    return added


@transaction.atomic
def targets_sync_mandatory(*, actor: User, inspection: Inspection) -> list[str]:
    """Bring in units flagged since the plan was made."""
    access.require(actor, policy.MANAGE, inspection)
    _require_status(
        inspection, Status.PLANNED, Status.IN_PROGRESS, message=_("检查已结束，不能再调整名单。")
    )
    added = _add_mandatory(inspection)
    if added:
        audit.record(
            actor=actor, verb=audit.Verb.UPDATE, obj=inspection, data={"mandatory_added": added}
        )
    return added


@transaction.atomic
def target_add(*, actor: User | None, inspection: Inspection, org: Org) -> InspectionTarget:
    """A unit the organiser names (指定); a flagged one counts as 必查."""
    access.require(actor, policy.MANAGE, inspection)
    _require_status(
        inspection, Status.PLANNED, Status.IN_PROGRESS, message=_("检查已结束，不能再调整名单。")
    )
    reasons = flags_in_scope(inspection.org, inspection.year).get(org.pk)
    why = Why.MANDATORY if reasons else Why.DESIGNATED
    target = _add_target(inspection, org, why, "、".join(reasons or []))
    audit.record(
        actor=actor,
        verb=audit.Verb.UPDATE,
        obj=inspection,
        data={"target_added": org.org_no, "why": why},
    )
    return target


@transaction.atomic
def target_remove(*, actor: User, target: InspectionTarget, reason: str = "") -> InspectionTarget:
    """Take a unit off the list: a 必查 unit only with a reason, a drawn one never."""
    access.require(actor, policy.MANAGE, target)
    _require_status(
        target.inspection, Status.PLANNED, message=_("检查已开始，不能再移除被检查单位。")
    )
    reason = reason.strip()
    if target.status == InspectionTarget.Status.REMOVED:
        raise ValidationError(_("该单位已移除。"))
    if target.why == Why.DRAWN:
        raise ValidationError(_("随机抽取的单位不能移除：抽取结果已记录，可供复核。"))
    if target.why == Why.MANDATORY and not reason:
        raise ValidationError({"reason": _("必查单位须说明移除理由。")})
    target.status = InspectionTarget.Status.REMOVED
    target.removed_reason = reason
    target.save(update_fields=["status", "removed_reason"])
    audit.record(
        actor=actor,
        verb=audit.Verb.UPDATE,
        obj=target.inspection,
        data={"target_removed": target.org.org_no, "why": target.why, "reason": reason},
    )
    return target


# The draw -------------------------------------------------------------------------


@transaction.atomic
def sample_draw(
    *,
    actor: User | None,
    inspection: Inspection,
    size: int,
    rule: str = "children",
    public_number: str = "",
) -> Sample:
    """Draw `size` units at random, reproducibly; the draw is made once and never redone."""
    access.require(actor, policy.MANAGE, inspection)
    _require_status(inspection, Status.PLANNED, message=_("只能在检查开始前随机抽取。"))
    if Sample.objects.filter(inspection=inspection).exists():
        raise ValidationError(_("本次检查已随机抽取过，抽取结果不能重抽，可“重新抽取以验证”。"))
    _add_mandatory(inspection)
    population = queries.population_for(inspection, rule)
    now = timezone.localtime()
    seed = sampling.make_seed(now, public_number)
    try:
        result = sampling.draw(population, seed, size)
    except sampling.SamplingError as error:
        raise ValidationError({"size": str(error)}) from None
    sample = Sample(
        inspection=inspection,
        population=population,
        population_digest=sampling.population_digest(population),
        population_rule=rule,
        seed=seed,
        seed_source=_("抽取时刻/公证数/系统随机数")
        if public_number.strip()
        else _("抽取时刻//系统随机数"),
        size=size,
        algorithm=sampling.CURRENT,
        result=result,
        drawn_by=actor,
        drawn_by_name=_display(actor),
        drawn_at=now,
    )
    sample.full_clean()
    sample.save()
    by_no = {o.org_no: o for o in Org.objects.filter(org_no__in=result)}
    for org_no in result:
        _add_target(inspection, by_no[org_no], Why.DRAWN)
    audit.record(
        actor=actor,
        verb=audit.Verb.CREATE,
        obj=sample,
        data={
            "seed": seed,
            "algorithm": sample.algorithm,
            "population_digest": sample.population_digest,
            "population_size": len(population),
            "size": size,
            "result": result,
        },
    )
    return sample


# Running the inspection ------------------------------------------------------------


def _active_targets(inspection: Inspection) -> QuerySet[InspectionTarget]:
    return inspection.targets.exclude(status=InspectionTarget.Status.REMOVED)


@transaction.atomic
def inspection_start(*, actor: User | None, inspection: Inspection) -> Inspection:
    access.require(actor, policy.MANAGE, inspection)
    _require_status(inspection, Status.PLANNED, message=_("只有计划中的检查可以开始。"))
    if not _active_targets(inspection).exists():
        raise ValidationError(_("检查名单为空：请先指定或随机抽取被检查单位。"))
    inspection.status = Status.IN_PROGRESS
    inspection.started_at = timezone.now()
    inspection.save(update_fields=["status", "started_at"])
    audit.record(
        actor=actor, verb=audit.Verb.UPDATE, obj=inspection, data={"status": "in_progress"}
    )
    return inspection


@transaction.atomic
def target_check(
    *, actor: User | None, target: InspectionTarget, conclusion: str
) -> InspectionTarget:
    """The unit has been checked; the inspectors' overall view of it."""
    access.require(actor, policy.INSPECT, target)
    _require_status(target.inspection, Status.IN_PROGRESS, message=_("检查未在进行中。"))
    if target.status == InspectionTarget.Status.REMOVED:
        raise ValidationError(_("该单位已移出检查名单。"))
    conclusion = conclusion.strip()
    if not conclusion:
        raise ValidationError({"conclusion": _("请填写检查意见。")})
    target.status = InspectionTarget.Status.CHECKED
    target.conclusion = conclusion
    target.checked_at = timezone.now()
    target.save(update_fields=["status", "conclusion", "checked_at"])
    audit.record(actor=actor, verb=audit.Verb.UPDATE, obj=target, data={"status": "checked"})
    return target


def _check_item(target: InspectionTarget, item: DutyItem | None) -> None:
    if (
        item is not None
        and not queries.unit_items(target.org, target.inspection.year).filter(pk=item.pk).exists()
    ):
        raise ValidationError(
            {"duty_item": _("该事项不在%(org)s本年度的现行清单中。") % {"org": target.org.name}}
        )


@transaction.atomic
def finding_record(
    *,
    actor: User | None,
    target: InspectionTarget,
    description: str,
    severity: str = Finding.Severity.MINOR,
    is_perfunctory: bool = False,
    duty_item: DutyItem | None = None,
    rectify: bool = True,
    deadline: date | None = None,
    requirement: str = "",
) -> Finding:
    """A problem found at the unit; with `rectify`, its 整改 is opened at once."""
    access.require(actor, policy.INSPECT, target)
    _require_status(
        target.inspection, Status.IN_PROGRESS, message=_("检查未在进行中，不能记录问题。")
    )
    if target.status == InspectionTarget.Status.REMOVED:
        raise ValidationError(_("该单位已移出检查名单。"))
    _check_item(target, duty_item)
    finding = Finding(
        inspection=target.inspection,
        target=target,
        org=target.org,
        duty_item=duty_item,
        description=description.strip(),
        severity=severity,
        is_perfunctory=is_perfunctory,
        recorded_by=actor,
    )
    finding.full_clean()
    finding.save()
    data: dict[str, Any] = {"severity": severity, "perfunctory": is_perfunctory}
    if rectify:
        rectification = rectification_services.rectification_create(finding, deadline, requirement)
        data["rectification_deadline"] = rectification.deadline.isoformat()
    audit.record(actor=actor, verb=audit.Verb.CREATE, obj=finding, data=data)
    return finding


@transaction.atomic
def sanction_decide(
    *,
    actor: User | None,
    finding: Finding,
    kind: str,
    decided_on: date | None = None,
    note: str = "",
) -> Sanction:
    """责令重新开展、约谈、通报 for 走过场 (000 §五.4)."""
    access.require(actor, policy.MANAGE, finding)
    if not finding.is_perfunctory:
        raise ValidationError(_("只有认定为“走过场”的问题才作此处理。"))
    sanction = Sanction(
        finding=finding,
        org=finding.org,
        kind=kind,
        decided_by=actor,
        decided_by_name=_display(actor),
        decided_on=decided_on or timezone.localdate(),
        note=note.strip(),
    )
    sanction.full_clean()
    sanction.save()
    audit.record(actor=actor, verb=audit.Verb.CREATE, obj=sanction, data={"kind": kind})
    return sanction


@transaction.atomic
def verdict_set(
    *, actor: User | None, target: InspectionTarget, duty_item: DutyItem, value: str, note: str = ""
) -> Verdict:
    """逐项过堂: the verdict on one item (set again to change it while the inspection runs)."""
    access.require(actor, policy.INSPECT, target)
    _require_status(target.inspection, Status.IN_PROGRESS, message=_("检查未在进行中，不能过堂。"))
    if value not in Verdict.Value.values:
        raise ValidationError({"value": _("请选择落实、基本落实或未落实。")})
    _check_item(target, duty_item)
    try:
        verdict, created = Verdict.objects.update_or_create(
            inspection=target.inspection,
            duty_item=duty_item,
            defaults={
                "org": target.org,
                "value": value,
                "note": note.strip()[:500],
                "by": actor,
                "at": timezone.now(),
            },
        )
    except IntegrityError:  # pragma: no cover — two inspectors on one item at once
        raise ValidationError(_("该事项刚被他人评定，请刷新后重试。")) from None
    audit.record(
        actor=actor,
        verb=audit.Verb.CREATE if created else audit.Verb.UPDATE,
        obj=target,
        data={"item": duty_item.pk, "item_name": duty_item.name, "verdict": value},
    )
    return verdict


@transaction.atomic
def inspection_conclude(*, actor: User | None, inspection: Inspection, summary: str) -> Inspection:
    access.require(actor, policy.MANAGE, inspection)
    _require_status(inspection, Status.IN_PROGRESS, message=_("只有进行中的检查可以结束。"))
    pending = list(
        inspection.targets.filter(status=InspectionTarget.Status.PENDING)
        .order_by("org__path")
        .values_list("org__name", flat=True)[:5]
    )
    if pending:
        raise ValidationError(_("还有单位未完成检查：%(orgs)s。") % {"orgs": "、".join(pending)})
    summary = summary.strip()
    if not summary:
        raise ValidationError({"summary": _("请填写检查结论。")})
    inspection.status = Status.CONCLUDED
    inspection.summary = summary
    inspection.concluded_at = timezone.now()
    inspection.save(update_fields=["status", "summary", "concluded_at"])
    audit.record(actor=actor, verb=audit.Verb.UPDATE, obj=inspection, data={"status": "concluded"})
    return inspection
