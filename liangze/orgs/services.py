"""Writes of organizations, discipline bodies, people, positions and leading groups.

`actor=None` means a command run by the operator on the server (import,
demo data); every other caller must be the system administrator — or, for a
leading group, its own org's 主要负责人.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from liangze import access
from liangze.accounts.models import User
from liangze.core import audit
from liangze.orgs import changes
from liangze.orgs.models import (
    OFFICE_ROLES,
    SINGLE_ROLES,
    DisciplineBody,
    GroupAct,
    GroupMembership,
    GroupRole,
    LeadingGroup,
    Org,
    Person,
    Position,
)
from liangze.orgs.tree import next_child_path


def _require_system(actor: User | None) -> None:
    if actor is not None:
        access.require_role(actor, access.SYSTEM)


def _record_create(actor: User | None, obj: Any) -> None:
    audit.record(actor=actor, actor_name="" if actor else "命令行", verb=audit.Verb.CREATE, obj=obj)


@transaction.atomic
def org_create(
    *,
    actor: User | None,
    parent: Org | None,
    org_no: str,
    name: str,
    kind: str,
    level: str,
    sort_order: int = 0,
) -> Org:
    """A new org under `parent` (or a new root), at the end of its siblings."""
    _require_system(actor)
    siblings = Org.objects.filter(parent=parent) if parent else Org.objects.filter(depth=1)
    last = siblings.order_by("-path").values_list("path", flat=True).first()
    org = Org(
        parent=parent,
        org_no=org_no,
        name=name,
        kind=kind,
        level=level,
        path=next_child_path(parent.path if parent else "", last),
        depth=(parent.depth + 1) if parent else 1,
        sort_order=sort_order,
    )
    org.full_clean()
    org.save()
    if parent:
        Org.objects.filter(pk=parent.pk).update(child_count=F("child_count") + 1)
        parent.child_count += 1
    _record_create(actor, org)
    changes.orgs_changed({org.pk})
    return org


@transaction.atomic
def discipline_body_create(
    *,
    actor: User | None,
    org: Org,
    body_no: str,
    name: str,
    kind: str,
    supervises: Iterable[Org] = (),
) -> DisciplineBody:
    _require_system(actor)
    body = DisciplineBody(org=org, body_no=body_no, name=name, kind=kind)
    body.full_clean()
    body.save()
    body.supervised_orgs.set(list(supervises))
    _record_create(actor, body)
    changes.orgs_changed({org.pk})
    return body


@transaction.atomic
def person_create(
    *, actor: User | None, org: Org, person_no: str, name: str, **fields: Any
) -> Person:
    _require_system(actor)
    person = Person(org=org, person_no=person_no, name=name, **fields)
    person.full_clean()
    person.save()
    _record_create(actor, person)
    return person


@transaction.atomic
def position_create(
    *,
    actor: User | None,
    person: Person,
    org: Org,
    kind: str,
    title: str,
    start_date: date,
    end_date: date | None = None,
    discipline_body: DisciplineBody | None = None,
    portfolio: str = "",
    portfolio_orgs: Iterable[Org] = (),
    liaison_orgs: Iterable[Org] = (),
) -> Position:
    _require_system(actor)
    position = Position(
        person=person,
        org=org,
        kind=kind,
        title=title,
        start_date=start_date,
        end_date=end_date,
        discipline_body=discipline_body,
        portfolio=portfolio,
    )
    position.full_clean()
    position.save()
    position.portfolio_orgs.set(list(portfolio_orgs))
    position.liaison_orgs.set(list(liaison_orgs))
    _record_create(actor, position)
    changes.orgs_changed({org.pk})
    return position


# Leading groups (ORG-5) ---------------------------------------------------------

GROUP_FIELDS = (
    "name",
    "kind",
    "purpose",
    "established",
    "dissolved",
    "body",
    "office_org",
    "office_section",
)


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


@transaction.atomic
def leading_group_create(
    *,
    actor: User | None,
    org: Org,
    name: str,
    kind: str,
    established: date,
    office_org: Org,
    office_section: str = "",
    body: DisciplineBody | None = None,
    purpose: str = "",
) -> LeadingGroup:
    group = LeadingGroup(
        org=org,
        body=body,
        name=name.strip(),
        kind=kind,
        purpose=purpose.strip(),
        established=established,
        office_org=office_org,
        office_section=office_section.strip(),
    )
    access.require(actor, access.CHANGE, group)
    group.full_clean()
    group.save()
    _record_create(actor, group)
    return group


def _check_group_span(group: LeadingGroup) -> list[GroupMembership]:
    """The seats still open past the group's end, to close with it; refuse a span that
    would leave a member outside the group's life."""
    seats = list(group.memberships.select_related("person"))
    early = [m for m in seats if m.start_date < group.established]
    if early:
        first = min(early, key=lambda m: m.start_date)
        message = _("成员“%(name)s”自 %(date)s 起在组，成立日期不能晚于此。")
        raise ValidationError(
            {"established": message % {"name": first.person.name, "date": _day(first.start_date)}}
        )
    if group.dissolved is None:
        return []
    late = [m for m in seats if m.start_date > group.dissolved]
    if late:
        message = _("成员“%(name)s”自 %(date)s 起才在组，撤销日期不能早于此。")
        raise ValidationError(
            {"dissolved": message % {"name": late[0].person.name, "date": _day(late[0].start_date)}}
        )
    return [m for m in seats if m.end_date is None or m.end_date > group.dissolved]


@transaction.atomic
def leading_group_update(*, actor: User | None, group: LeadingGroup, **fields: Any) -> LeadingGroup:
    """Change the group's particulars; dissolving it ends the seats still open that day."""
    access.require(actor, access.CHANGE, group)
    unknown = set(fields) - set(GROUP_FIELDS)
    if unknown:
        raise TypeError(f"not a leading group field: {sorted(unknown)}")
    before = {name: getattr(group, name) for name in fields}
    for name, value in fields.items():
        setattr(group, name, value.strip() if isinstance(value, str) else value)
    group.full_clean()
    closing = _check_group_span(group)
    changed = [name for name in fields if getattr(group, name) != before[name]]
    if not changed:
        return group
    group.save(update_fields=changed)
    for seat in closing:
        seat.end_date = group.dissolved
        seat.save(update_fields=["end_date"])
    data: dict[str, Any] = {name: str(getattr(group, name) or "") for name in changed}
    if closing:
        data["ended"] = [str(seat) for seat in closing]
    audit.record(actor=actor, verb=audit.Verb.UPDATE, obj=group, data=data)
    return group


def _overlapping(membership: GroupMembership) -> models.QuerySet[GroupMembership]:
    others = membership.group.memberships.exclude(pk=membership.pk).select_related("person")
    others = others.filter(Q(end_date__isnull=True) | Q(end_date__gte=membership.start_date))
    if membership.end_date is not None:
        others = others.filter(start_date__lte=membership.end_date)
    return others


def _check_membership(membership: GroupMembership) -> None:
    """A seat lies inside the group's life; a person holds one seat on the group and one
    in its office at a time (000: a 常委 on the group 兼任办公室主任); 组长 and
    办公室主任 have one holder at a time."""
    group = membership.group
    start, end = membership.start_date, membership.end_date
    if end is not None and end < start:
        raise ValidationError({"end_date": _("结束日期不能早于起始日期。")})
    if start < group.established:
        message = _("起始日期不能早于领导小组成立日期（%(date)s）。")
        raise ValidationError({"start_date": message % {"date": _day(group.established)}})
    if group.dissolved is not None:
        gone = {"date": _day(group.dissolved)}
        if start > group.dissolved:
            message = _("领导小组已于 %(date)s 撤销，起始日期不能晚于撤销日期。")
            raise ValidationError({"start_date": message % gone})
        if end is None or end > group.dissolved:
            message = _("领导小组已于 %(date)s 撤销，结束日期不能为空或晚于撤销日期。")
            raise ValidationError({"end_date": message % gone})
    position = membership.position
    if position is not None and position.person_id != membership.person_id:
        raise ValidationError({"position": _("任职依据须是该人员本人的职务。")})
    for other in _overlapping(membership):
        same_side = (other.role in OFFICE_ROLES) == (membership.role in OFFICE_ROLES)
        if other.person_id == membership.person_id and same_side:
            message = _("“%(name)s”在此期间已是本领导小组%(role)s（%(date)s 起）。")
            values = {
                "name": other.person.name,
                "role": other.get_role_display(),
                "date": _day(other.start_date),
            }
            raise ValidationError({"person": message % values})
        if membership.role in SINGLE_ROLES and other.role == membership.role:
            message = _(
                "同一时间只能有一名%(role)s：%(name)s 自 %(date)s 起任%(role)s，"
                "请先结束其任职或调整日期。"
            )
            values = {
                "name": other.person.name,
                "role": str(GroupRole(membership.role).label),
                "date": _day(other.start_date),
            }
            raise ValidationError({"role": message % values})


@transaction.atomic
def group_membership_add(
    *,
    actor: User | None,
    group: LeadingGroup,
    person: Person,
    role: str,
    start_date: date,
    end_date: date | None = None,
    position: Position | None = None,
) -> GroupMembership:
    membership = GroupMembership(
        group=group,
        person=person,
        position=position,
        role=role,
        start_date=start_date,
        end_date=end_date,
    )
    access.require(actor, access.CHANGE, membership)
    membership.full_clean()
    _check_membership(membership)
    membership.save()
    audit.record(
        actor=actor,
        actor_name="" if actor else "命令行",
        verb=audit.Verb.CREATE,
        obj=membership,
        data={"group": group.name, "role": role, "from": _day(start_date), "to": _day(end_date)},
    )
    return membership


@transaction.atomic
def group_membership_end(
    *, actor: User | None, membership: GroupMembership, end_date: date
) -> GroupMembership:
    """End a seat; the row stays, so the group's history stays readable."""
    access.require(actor, access.CHANGE, membership)
    if membership.end_date is not None:
        message = _("该成员已于 %(date)s 离任，不能再次结束。")
        raise ValidationError({"end_date": message % {"date": _day(membership.end_date)}})
    membership.end_date = end_date
    _check_membership(membership)
    membership.save(update_fields=["end_date"])
    audit.record(
        actor=actor, verb=audit.Verb.UPDATE, obj=membership, data={"end_date": _day(end_date)}
    )
    return membership


def group_act_record(*, group: LeadingGroup, obj: models.Model) -> GroupAct:
    """Note that `obj` was issued in `group`'s name. The caller has checked
    `access.require_acts_for_group` and audits `obj` itself, in its own transaction."""
    return GroupAct.objects.create(group=group, model=obj._meta.label, object_id=obj.pk)
