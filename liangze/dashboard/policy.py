"""Who may see warning snapshots; registered with core.access at start-up.

Snapshots are written by the weekly job only: nobody may change one, and a
higher level reads its subordinates' colours without any right to edit them.

Scale versions (ScaleVersion) are seen by discipline staff — those issued by the
orgs they supervise or above them — and issued for an org's subtree by the 纪委
of that level (access.jurisdictions).
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from liangze import access
from liangze.access import Scope
from liangze.accounts.models import User
from liangze.dashboard.models import ScaleVersion, WarningSnapshot
from liangze.orgs.models import DisciplineBody, Org
from liangze.orgs.tree import ancestor_paths

ISSUE = "issue"  # a version of the four-colour scale


def may_watch(user: User | AnonymousUser, org: Org) -> bool:
    """Discipline staff of a body supervising the org, and leaders of it or of a unit above.

    Read only, whoever it is: the dashboard shows figures and links, never a form.
    A clerk sees their own unit's pages but not its dashboard.
    """
    if access.role(user):
        return False
    scope = access.scope_for(user)
    return scope.oversees and scope.in_subtrees(org.path)


def first_watched(user: User | AnonymousUser) -> Org | None:
    """The board a user lands on: the top of the first subtree they watch, or None.

    A dispatched group sits in the county but watches only its units: its board
    opens on those, not on the county it may not watch. The menu offers the
    board exactly when this finds one.
    """
    if access.role(user):
        return None
    scope = access.scope_for(user)
    if not scope.oversees:
        return None
    tops = Org.objects.filter(path__in=scope.org_paths).order_by("path")
    return next((org for org in tops if may_watch(user, org)), None)


def may_watch_any(user: User | AnonymousUser) -> bool:
    """`first_watched` without a query, for the menu on every page.

    The tops of the subtrees in scope are watched whenever the user oversees.
    """
    if access.role(user):
        return False
    scope = access.scope_for(user)
    return scope.oversees and bool(scope.org_paths)


def require_watch(user: User | AnonymousUser, org: Org | None) -> None:
    """403, audited, unless `user` may watch `org` (None: no org the user may watch)."""
    if org is not None and may_watch(user, org):
        return
    access.deny(
        user,
        obj=org,
        model=Org,
        label="" if org is not None else "监督看板",
        reason="no_watch",
        hide=False,
    )


def may_take_snapshot(user: User | None, body: DisciplineBody | None) -> bool:
    """The operator (None) for any scope; a body's own staff for the units it supervises."""
    if user is None:
        return True
    return body is not None and body.pk in access.scope_for(user).bodies


def snapshots_visible(user: User | AnonymousUser, scope: Scope) -> Q:
    if access.role(user):
        return Q(pk__in=[])
    return scope.org_q("org__", own_org=False)


def allowed(user: User | AnonymousUser, action: str, obj: Any) -> bool:
    return False  # read-only for everyone: VIEW never reaches a policy


def scales_visible(user: User | AnonymousUser, scope: Scope) -> Q:
    if access.role(user) or not scope.bodies:
        return Q(pk__in=[])
    above = {a for path in scope.body_paths for a in ancestor_paths(path)}
    return scope.supervises_q("issuer__") | Q(issuer__path__in=above)


def scale_allowed(user: User | AnonymousUser, action: str, version: Any) -> bool:
    """`issue` is asked of the new version with `issuer` set to the org it is for."""
    return action == ISSUE and version.issuer_id in access.jurisdictions(user)


def scales_allowed(user: User | AnonymousUser, action: str) -> bool:
    return action == ISSUE and bool(access.jurisdictions(user))


def register() -> None:
    access.register(WarningSnapshot, access.Policy(snapshots_visible, allowed))
    access.register(ScaleVersion, access.Policy(scales_visible, scale_allowed, scales_allowed))
