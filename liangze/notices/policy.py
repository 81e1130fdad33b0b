"""Who may see and act on 三书; registered with core.access at start-up.

- draft, edit, issue, delete (ISSUE): for an org, its leadership team or its
  clerk (联络员, rank 办事员) who prepares documents for signature; for a
  discipline body, its own staff. 告知书 and 通知书 come from a Party committee;
  a 督办书 from the committee or from its discipline body.
- acknowledge (签收): the person it is addressed to; for a unit, its
  主要负责人 (or 支部书记) or its clerk — the people who sign for the unit's mail.
- see: the issuing side — whoever's scope covers the issuing org (its
  staff, the levels above, the discipline bodies supervising it) or works in
  the issuing body — drafts included; once sent, the recipient and whoever's
  scope covers the recipient or a unit it is copied to (higher levels view).
Administrators (三员) see no 三书: they are business records.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from liangze import access
from liangze.access import Scope
from liangze.accounts.models import User
from liangze.notices.models import Notice, TaskAssignment
from liangze.orgs.models import DisciplineBody, Org, Rank

ISSUE = "issue"
ACKNOWLEDGE = "acknowledge"
ASSIGN = "assign"


def is_clerk_of(user: User | AnonymousUser, scope: Scope, org_id: int) -> bool:
    if scope.own_org_id != org_id:
        return False
    person = getattr(user, "person", None)
    return person is not None and person.rank == Rank.CLERK


def may_issue_for(user: User | AnonymousUser | None, org: Org, body: DisciplineBody | None) -> bool:
    """May `user` draft and issue in the name of `org` (or of `body`, sitting in it)?"""
    if user is None:
        return True
    if access.role(user):
        return False
    scope = access.scope_for(user)
    if body is not None:
        return body.pk in scope.bodies
    return org.pk in scope.leader_of or is_clerk_of(user, scope, org.pk)


def may_issue_any(user: User | AnonymousUser | None, *, orgs_only: bool = False) -> bool:
    """Is there an org (or, unless `orgs_only`, a body) the user may issue in the name of?"""
    if user is None:
        return True
    if access.role(user):
        return False
    scope = access.scope_for(user)
    if scope.leader_of or (not orgs_only and scope.bodies):
        return True
    return scope.own_org_id is not None and is_clerk_of(user, scope, scope.own_org_id)


def is_recipient(user: User | AnonymousUser | None, notice: Notice) -> bool:
    if user is None:
        return True
    if access.role(user):
        return False
    scope = access.scope_for(user)
    if notice.recipient_person_id is not None:
        return notice.recipient_person_id == scope.own_person_id
    org_id = notice.recipient_org_id
    return org_id is not None and (org_id in scope.principal_of or is_clerk_of(user, scope, org_id))


def received_q(user: User | AnonymousUser) -> Q:
    """`is_recipient` as a filter: the notices the user signs for."""
    if access.role(user) or not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    scope = access.scope_for(user)
    q = Q(recipient_org_id__in=scope.principal_of)
    if scope.own_person_id is not None:
        q |= Q(recipient_person_id=scope.own_person_id)
    if scope.own_org_id is not None and is_clerk_of(user, scope, scope.own_org_id):
        q |= Q(recipient_org_id=scope.own_org_id)
    return q


def issuable_q(user: User | AnonymousUser) -> Q:
    """`may_issue_for` as a filter: the notices the user may edit and issue."""
    if access.role(user) or not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    scope = access.scope_for(user)
    q = Q(issuer_body__isnull=True, org_id__in=scope.leader_of)
    if scope.own_org_id is not None and is_clerk_of(user, scope, scope.own_org_id):
        q |= Q(issuer_body__isnull=True, org_id=scope.own_org_id)
    return q | Q(issuer_body_id__in=scope.bodies)


def visible(user: User | AnonymousUser, scope: Scope) -> Q:
    if access.role(user):
        return Q(pk__in=[])
    by_org = Q(issuer_body__isnull=True) & scope.org_q("org__")
    # A body's papers are its own: the org's other staff do not see its drafts.
    by_body = Q(issuer_body__isnull=False) & (
        Q(issuer_body_id__in=scope.bodies) | scope.org_q("org__", own_org=False)
    )
    copied = Notice.cc_orgs.through.objects.filter(scope.org_q("org__")).values("notice_id")
    received = (
        scope.org_q("recipient_org__")
        | scope.org_q("recipient_person__org__", own_org=False)
        | Q(pk__in=copied)
    )
    if scope.own_person_id is not None:
        received |= Q(recipient_person_id=scope.own_person_id)
    return by_org | by_body | (~Q(status=Notice.Status.DRAFT) & received)


def allowed(user: User | AnonymousUser, action: str, obj: Any) -> bool:
    if isinstance(obj, TaskAssignment):
        return action == ASSIGN and may_issue_for(user, obj.org, None)
    if action == ISSUE:
        return may_issue_for(user, obj.org, obj.issuer_body)
    if action == ACKNOWLEDGE:
        return is_recipient(user, obj)
    return False


def assignments_visible(user: User | AnonymousUser, scope: Scope) -> Q:
    if access.role(user):
        return Q(pk__in=[])
    return scope.org_q("org__")


def notices_allowed(user: User | AnonymousUser, action: str) -> bool:
    return action == ISSUE and may_issue_any(user)


def assignments_allowed(user: User | AnonymousUser, action: str) -> bool:
    # Tasks are broken down for an org's own collective list: bodies have none.
    return action == ASSIGN and may_issue_any(user, orgs_only=True)


def register() -> None:
    access.register(Notice, access.Policy(visible, allowed, notices_allowed))
    access.register(
        TaskAssignment, access.Policy(assignments_visible, allowed, assignments_allowed)
    )
