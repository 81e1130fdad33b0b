"""Who may see and act on ledger records; registered with core.access at start-up.

- see: whoever's scope covers the unit, and the host of an activity;
- record (enter progress, activities, evidence): the unit's own staff — its
  clerk (联络员) included — and its leadership team;
- verify (对账销号): a supervisor of the unit — discipline staff of a body that
  supervises it, or the higher level — never the unit itself (LEDGER-2).
  Higher levels read and verify; they do not record for the unit.
- comment (批注 on a cell): whoever may verify, and the unit's own people who may
  record — so that the unit can answer; seen by whoever sees the ledger.

Quantified duties (量化规则) belong to a jurisdiction (see indicators/jurisdiction.py):
- see: discipline staff — the defaults, and the versions issued by the orgs they
  supervise or by those orgs' ancestors (what governs the units they watch);
- issue a new version for an org's subtree: staff of the 纪委 of that level
  (access.jurisdictions).
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from liangze import access
from liangze.access import Scope
from liangze.accounts.models import User
from liangze.ledger.models import Activity, CellComment, ProgressEntry, Rule
from liangze.orgs.models import Org
from liangze.orgs.tree import ancestor_paths

RECORD = "record"
VERIFY = "verify"
CHANGE = "change"  # correct or delete an activity
COMMENT = "comment"  # remark on a ledger cell
ISSUE = "issue"  # a new version of a quantified duty


def _org_of(obj: Activity | CellComment | ProgressEntry) -> Org:
    if isinstance(obj, ProgressEntry):
        return obj.item.duty_list.org
    return obj.org


def may_record(user: User | AnonymousUser | None, org: Org) -> bool:
    if user is None:
        return True
    if access.role(user):
        return False
    scope = access.scope_for(user)
    return org.pk == scope.own_org_id or org.pk in scope.leader_of


def may_verify(user: User | AnonymousUser | None, org: Org) -> bool:
    if user is None:
        return True
    if access.role(user):
        return False
    scope = access.scope_for(user)
    return scope.supervises(org) or scope.above(org)


def may_record_any(user: User | AnonymousUser | None) -> bool:
    """Is there a unit the user records for (`activities.queries.recordable_orgs`)?"""
    if user is None:
        return True
    if access.role(user):
        return False
    scope = access.scope_for(user)
    return scope.own_org_id is not None or bool(scope.leader_of)


def may_comment(user: User | AnonymousUser, org: Org) -> bool:
    return may_verify(user, org) or may_record(user, org)


def may_change_activity(user: User | AnonymousUser | None, activity: Activity) -> bool:
    """The one who entered it, or a leader of its unit — while they may record for the unit."""
    if user is None:
        return True
    if not may_record(user, activity.org):
        return False
    return activity.entered_by_id == user.pk or activity.org_id in access.scope_for(user).leader_of


def allowed(user: User | AnonymousUser, action: str, obj: Any) -> bool:
    if action == CHANGE:
        return isinstance(obj, Activity) and may_change_activity(user, obj)
    org = _org_of(obj)
    if action == RECORD:
        return may_record(user, org)
    if action == VERIFY:
        return may_verify(user, org)
    if action == COMMENT:
        return may_comment(user, org)
    return False


def _business(user: User | AnonymousUser) -> bool:
    return not access.role(user)


def activities_visible(user: User | AnonymousUser, scope: Scope) -> Q:
    if not _business(user):
        return Q(pk__in=[])
    q = scope.org_q("org__")
    if scope.own_person_id is not None:
        q |= Q(host_id=scope.own_person_id)
    return q


def entries_visible(user: User | AnonymousUser, scope: Scope) -> Q:
    if not _business(user):
        return Q(pk__in=[])
    return scope.org_q("item__duty_list__org__")


def comments_visible(user: User | AnonymousUser, scope: Scope) -> Q:
    if not _business(user):
        return Q(pk__in=[])
    return scope.org_q("org__")


def activities_allowed(user: User | AnonymousUser, action: str) -> bool:
    return action == RECORD and may_record_any(user)


# Quantified duties -----------------------------------------------------------------------


def rule_issuers(user: User | AnonymousUser | None) -> set[int]:
    return access.jurisdictions(user)


def rules_visible(user: User | AnonymousUser, scope: Scope) -> Q:
    if access.role(user) or not scope.bodies:
        return Q(pk__in=[])
    above = {a for path in scope.body_paths for a in ancestor_paths(path)}
    return Q(issuer__isnull=True) | scope.supervises_q("issuer__") | Q(issuer__path__in=above)


def rule_allowed(user: User | AnonymousUser, action: str, rule: Any) -> bool:
    """`issue` is asked of the new version with `issuer` already set to the org it is for."""
    return action == ISSUE and rule.issuer_id is not None and rule.issuer_id in rule_issuers(user)


def rules_allowed(user: User | AnonymousUser, action: str) -> bool:
    return action == ISSUE and bool(rule_issuers(user))


def require_rule_reader(user: User | AnonymousUser) -> None:
    """403, audited, unless `user` is discipline staff: the rule pages are theirs."""
    access.require_discipline_staff(user, model=Rule, label="量化规则")


def register() -> None:
    access.register(Rule, access.Policy(rules_visible, rule_allowed, rules_allowed))
    access.register(Activity, access.Policy(activities_visible, allowed, activities_allowed))
    access.register(ProgressEntry, access.Policy(entries_visible, allowed))
    access.register(CellComment, access.Policy(comments_visible, allowed))
