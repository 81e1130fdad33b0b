"""Who may see and acknowledge escalation reminders; registered with access at start-up.

- see: the recipient, and whoever's scope covers the unit (a higher level sees the ladder);
- acknowledge (mark as read): only the recipient — the person, or staff of the body.

The ladder's thresholds (LadderVersion) are seen by discipline staff — those issued
by the orgs they supervise or above them — and issued for an org's subtree by the
纪委 of that level (access.jurisdictions).
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from liangze import access
from liangze.access import Scope
from liangze.accounts.models import User
from liangze.orgs.tree import ancestor_paths
from liangze.supervision.models import LadderVersion, Reminder

ACKNOWLEDGE = "acknowledge"
ISSUE = "issue"  # a version of the ladder's thresholds


def is_recipient(user: User | AnonymousUser | None, reminder: Reminder) -> bool:
    """The person it is addressed to, or staff of the discipline body it is addressed to."""
    if user is None:
        return True
    if access.role(user):
        return False
    scope = access.scope_for(user)
    if reminder.recipient_person_id is not None:
        return reminder.recipient_person_id == scope.own_person_id
    return reminder.recipient_body_id in scope.bodies


def reminders_visible(user: User | AnonymousUser, scope: Scope) -> Q:
    """Its recipient, and whoever's scope covers the unit (a higher level sees the ladder)."""
    if access.role(user):
        return Q(pk__in=[])
    q = scope.org_q("org__") | Q(recipient_body_id__in=scope.bodies)
    if scope.own_person_id is not None:
        q |= Q(recipient_person_id=scope.own_person_id)
    return q


def allowed(user: User | AnonymousUser, action: str, obj: Any) -> bool:
    return action == ACKNOWLEDGE and is_recipient(user, obj)


def ladders_visible(user: User | AnonymousUser, scope: Scope) -> Q:
    if access.role(user) or not scope.bodies:
        return Q(pk__in=[])
    above = {a for path in scope.body_paths for a in ancestor_paths(path)}
    return scope.supervises_q("issuer__") | Q(issuer__path__in=above)


def ladder_allowed(user: User | AnonymousUser, action: str, version: Any) -> bool:
    """`issue` is asked of the new version with `issuer` set to the org it is for."""
    return action == ISSUE and version.issuer_id in access.jurisdictions(user)


def ladders_allowed(user: User | AnonymousUser, action: str) -> bool:
    return action == ISSUE and bool(access.jurisdictions(user))


def register() -> None:
    access.register(Reminder, access.Policy(reminders_visible, allowed))
    access.register(LadderVersion, access.Policy(ladders_visible, ladder_allowed, ladders_allowed))
