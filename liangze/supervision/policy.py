"""Who may see and act on inspections; registered with core.access at start-up.

- manage (plan, draw, start, conclude, verify rectifications, sanction): the
  organiser — staff of the organising discipline body, or the leaders of the
  organising org — and the levels above the organiser; for one planned in a
  leading group's name, also the staff of the group's office (ORG-5);
- inspect (record findings, 逐项过堂 verdicts, mark a unit checked): the
  managers and the people named as inspectors;
- rectify (submit the plan and the report): the inspected unit's own people —
  its leadership team and its clerks;
- see an inspection: managers, inspectors, the levels above its scope and the
  discipline staff supervising it;
- see a target, finding, rectification or sanction: whoever sees the
  inspection, and — once the inspection has started — whoever sees the unit
  (its own people included): 随机抽查 is not announced beforehand;
- plan an inspection: discipline staff, the leaders of an org (for
  that org), and the staff of a leading group's office (in the group's name)
  — the organisers `queries.organisers_for` offers;
- unit flags (必查): discipline staff supervising the unit set and clear them;
  they and the levels above see them.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from liangze import access
from liangze.access import Scope
from liangze.accounts.models import User
from liangze.supervision.models import (
    Finding,
    Inspection,
    InspectionTarget,
    Rectification,
    Sanction,
    UnitFlag,
)

PLAN = "plan"  # a new inspection
MANAGE = "manage"
INSPECT = "inspect"
RECTIFY = "rectify"
CHANGE = "change"  # unit flags

NOTHING = Q(pk__in=[])


def _business(user: User | AnonymousUser) -> bool:
    return user is not None and not access.role(user)


def inspector_ids(inspection: Inspection) -> set[int]:
    cached = getattr(inspection, "_inspector_ids", None)
    if cached is None:
        cached = set(inspection.inspectors.values_list("pk", flat=True))
        inspection._inspector_ids = cached  # type: ignore[attr-defined]  # a cache on the row
    return cached


def may_manage(user: User | AnonymousUser | None, inspection: Inspection) -> bool:
    if user is None:
        return True
    if not _business(user):
        return False
    scope = access.scope_for(user)
    if inspection.organiser_body_id is not None:
        body = inspection.organiser_body
        assert body is not None
        if body.pk in scope.bodies or body.org_id in scope.leader_of or scope.above(body.org):
            return True
    if inspection.organiser_org_id is not None:
        org = inspection.organiser_org
        assert org is not None
        if org.pk in scope.leader_of or scope.above(org):
            return True
    return access.acts_for_issuer(user, inspection)


def may_inspect(user: User | AnonymousUser | None, inspection: Inspection) -> bool:
    if user is None or may_manage(user, inspection):
        return True
    if not _business(user):
        return False
    person_id = access.scope_for(user).own_person_id
    return person_id is not None and person_id in inspector_ids(inspection)


def may_rectify(user: User | AnonymousUser | None, org_id: int) -> bool:
    if user is None:
        return True
    if not _business(user):
        return False
    scope = access.scope_for(user)
    return org_id == scope.own_org_id or org_id in scope.leader_of


def may_plan(user: User | AnonymousUser | None) -> bool:
    """Has the user an organiser to plan for: a body they work in, an org they lead?"""
    if user is None:
        return True
    if not _business(user):
        return False
    scope = access.scope_for(user)
    return bool(scope.bodies or scope.leader_of) or access.groups_user_acts_for(user).exists()


def may_flag_any(user: User | AnonymousUser | None) -> bool:
    """Does the user's body supervise any unit, to flag?"""
    if user is None:
        return True
    return _business(user) and bool(access.scope_for(user).body_paths)


def may_flag(user: User | AnonymousUser | None, flag_org: Any) -> bool:
    if user is None:
        return True
    return _business(user) and access.scope_for(user).supervises(flag_org)


def inspections_visible(user: User | AnonymousUser, scope: Scope, prefix: str = "") -> Q:
    if not _business(user):
        return NOTHING
    q = Q(**{f"{prefix}organiser_body_id__in": scope.bodies})
    q |= scope.org_q(f"{prefix}organiser_body__org__", own_org=False)
    q |= scope.org_q(f"{prefix}organiser_org__", own_org=False)
    # The scope's own leaders are inspected, not told beforehand: only the levels
    # above it and its supervising discipline staff see the plan.
    q |= scope.above_q(f"{prefix}org__") | scope.supervises_q(f"{prefix}org__")
    if scope.own_person_id is not None:
        named = Inspection.inspectors.through.objects.filter(person_id=scope.own_person_id)
        q |= Q(**{f"{prefix}pk__in": named.values("inspection_id")})
        q |= access.acted_in_group_name_q(user, Inspection, prefix)
    return q


STARTED = (Inspection.Status.IN_PROGRESS, Inspection.Status.CONCLUDED)


def _unit_rows_visible(user: User | AnonymousUser, scope: Scope) -> Q:
    if not _business(user):
        return NOTHING
    unit = scope.org_q("org__") & Q(inspection__status__in=STARTED)
    return inspections_visible(user, scope, "inspection__") | unit


def _finding_rows_visible(user: User | AnonymousUser, scope: Scope) -> Q:
    if not _business(user):
        return NOTHING
    unit = scope.org_q("org__") & Q(finding__inspection__status__in=STARTED)
    return inspections_visible(user, scope, "finding__inspection__") | unit


def flags_visible(user: User | AnonymousUser, scope: Scope) -> Q:
    if not _business(user):
        return NOTHING
    return scope.supervises_q("org__") | scope.above_q("org__")


def _inspection_of(
    obj: Inspection | InspectionTarget | Finding | Rectification | Sanction,
) -> Inspection:
    if isinstance(obj, Inspection):
        return obj
    if isinstance(obj, Rectification | Sanction):
        return obj.finding.inspection
    return obj.inspection


def allowed(user: User | AnonymousUser, action: str, obj: Any) -> bool:
    if isinstance(obj, UnitFlag):
        return action == CHANGE and may_flag(user, obj.org)
    if action == RECTIFY:
        return isinstance(obj, Rectification) and may_rectify(user, obj.org_id)
    inspection = _inspection_of(obj)
    if action == MANAGE:
        return may_manage(user, inspection)
    if action == INSPECT:
        return may_inspect(user, inspection)
    return False


def inspections_allowed(user: User | AnonymousUser, action: str) -> bool:
    return action == PLAN and may_plan(user)


def flags_allowed(user: User | AnonymousUser, action: str) -> bool:
    return action == CHANGE and may_flag_any(user)


def register() -> None:
    access.register(Inspection, access.Policy(inspections_visible, allowed, inspections_allowed))
    access.register(InspectionTarget, access.Policy(_unit_rows_visible, allowed))
    access.register(Finding, access.Policy(_unit_rows_visible, allowed))
    access.register(Rectification, access.Policy(_finding_rows_visible, allowed))
    access.register(Sanction, access.Policy(_finding_rows_visible, allowed))
    access.register(UnitFlag, access.Policy(flags_visible, allowed, flags_allowed))
