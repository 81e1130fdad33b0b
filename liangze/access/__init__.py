"""Every access question is answered here (DESIGN: "access checks in one place").

Scope (`scope.py`) comes from what a person currently holds; each app registers
a `Policy` for its models (what a user may see, what they may do to a row);
refusals (`refusals.py`) are raised and audited here only.

The three administrators (三员分立) see no business row anywhere: `visible_q`
gives them nothing, whatever a policy says, unless a page of their own work
asks `administering=True` of a model whose policy names their role in
`administered_by` (the system admin keeps the org tree).

An outsider asking for an object gets 404, as if it did not exist; an insider
without the right gets 403. Both are written to the audit trail, and only this
package raises them: `require`, `require_any`, `get_for_user`, `get_within`,
and `deny` for what no policy is asked (tests/access/test_refusals_scan.py).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import F, Model, Q, QuerySet
from django.http import Http404

from liangze.access.groups import (
    acted_in_group_name_q,
    acts_for_group,
    acts_for_issuer,
    groups_user_acts_for,
    require_acts_for_group,
)
from liangze.access.refusals import BAD_LOOKUP, NOT_FOUND, _refusal, record_carried_refusal
from liangze.access.scope import (
    AUDITOR,
    NOTHING,
    SECURITY,
    SYSTEM,
    Scope,
    current_positions,
    heads_body_q,
    invalidate,
    role,
    scope_for,
)
from liangze.accounts.models import User
from liangze.core.models import Evidence
from liangze.orgs.models import DisciplineBody, GroupMembership, LeadingGroup, Org, Person, Position

__all__ = [
    "AUDITOR",
    "BAD_LOOKUP",
    "CHANGE",
    "NOTHING",
    "NOT_FOUND",
    "SECURITY",
    "SYSTEM",
    "VIEW",
    "Policy",
    "Scope",
    "acted_in_group_name_q",
    "administers",
    "acts_for_group",
    "acts_for_issuer",
    "current_positions",
    "deny",
    "get_for_user",
    "get_within",
    "groups_user_acts_for",
    "heads_body_q",
    "invalidate",
    "jurisdictions",
    "require_discipline_staff",
    "orgs_visible_to",
    "people_visible_to",
    "record_carried_refusal",
    "register",
    "require",
    "require_acts_for_group",
    "require_any",
    "require_role",
    "role",
    "scope_for",
    "user_can",
    "user_can_any",
    "visible_q",
]

M = TypeVar("M", bound=Model)

VIEW = "view"
CHANGE = "change"


# Querysets -----------------------------------------------------------------


def _people_q(scope: Scope, prefix: str = "") -> Q:
    q = scope.org_q(f"{prefix}org__", own_org=False)
    if scope.own_person_id is not None and not scope.in_subtrees(scope.own_org_path):
        q |= Q(**{f"{prefix}pk": scope.own_person_id})
    return q


def _nothing_allowed(user: User | AnonymousUser, action: str) -> bool:
    return False


@dataclass(frozen=True)
class Policy:
    """How one model is scoped: what a user may see, and what they may do to one row.

    `model_allowed` answers for an action before there is a row to ask about
    (plan an inspection, record an activity): may the user do it at all?

    `administered_by`: the administrator roles whose own work keeps these rows
    (the org tree: the system admin); they see every row, but only where the
    page of that work asks (`administering=True`), never on a business page.

    Domain apps register theirs at start-up (their `policy.py`), so that every
    question still goes through this module and its audit of refusals.
    """

    visible: Callable[[User | AnonymousUser, Scope], Q]
    allowed: Callable[[User | AnonymousUser, str, Any], bool]
    model_allowed: Callable[[User | AnonymousUser, str], bool] = _nothing_allowed
    administered_by: frozenset[str] = frozenset()


_policies: dict[type[Model], Policy] = {}


def register(model: type[Model], policy: Policy) -> None:
    _policies[model] = policy


def _policy(model: type[Model]) -> Policy:
    try:
        return _policies[model]
    except KeyError:
        raise TypeError(f"no access policy for {model.__name__}") from None


def administers(user: User | AnonymousUser, model: type[Model]) -> bool:
    """Does `user` keep `model`'s rows as their administrative work (`Policy.administered_by`)?"""
    return bool(role(user)) and role(user) in _policy(model).administered_by


def visible_q(user: User | AnonymousUser, model: type[Model], *, administering: bool = False) -> Q:
    """The filter that limits `model` to what `user` may see.

    An administrator sees no row (三员分立), except on the pages of their own work
    (`administering`) the rows of a model they keep: all of them."""
    if role(user):
        return Q() if administering and administers(user, model) else Q(pk__in=[])
    return _policy(model).visible(user, scope_for(user))


def orgs_visible_to(user: User | AnonymousUser, *, administering: bool = False) -> QuerySet[Org]:
    return Org.objects.filter(visible_q(user, Org, administering=administering))


def people_visible_to(
    user: User | AnonymousUser, *, administering: bool = False
) -> QuerySet[Person]:
    return Person.objects.filter(visible_q(user, Person, administering=administering))


# Single objects ------------------------------------------------------------


def user_can(user: User | AnonymousUser, action: str, obj: Model) -> bool:
    """May `user` do `action` on `obj`? (Visibility is checked separately.)"""
    return action == VIEW or _policy(type(obj)).allowed(user, action, obj)


def require(user: User | AnonymousUser | None, action: str, obj: Model) -> None:
    """For services: refuse (403, audited) unless `user` may do `action` on `obj`.

    `obj` may be a row not yet saved, built only to ask the policy (“an entry
    for this item”); the refusal then names the rows it points to.

    `None` is the operator running a command on the server (imports, demo
    data); a web request always carries a user, anonymous or not.
    """
    if user is not None and not user_can(user, action, obj):
        raise _refusal(PermissionDenied(), user, type(obj), {}, obj, f"no_{action}")


def user_can_any(user: User | AnonymousUser | None, action: str, model: type[Model]) -> bool:
    """May `user` do `action` on `model` at all — before there is a row to ask about?"""
    return user is None or _policy(model).model_allowed(user, action)


def require_any(user: User | AnonymousUser | None, action: str, model: type[Model]) -> None:
    """For pages that start something new (plan an inspection): 403, audited, unless
    `user_can_any`."""
    if not user_can_any(user, action, model):
        raise _refusal(PermissionDenied(), user, model, {}, None, f"no_{action}")


def jurisdictions(user: User | AnonymousUser | None) -> set[int]:
    """The orgs whose subtree `user` may issue rules as data for (quantified duties, the
    escalation ladder, the warning scale): where a discipline body they work in sits and
    which it supervises — the 纪委 of that level. A 派驻组 sits at the county but
    supervises only its departments, so it issues nothing for the county. The operator
    (None) issues from data files, not through pages."""
    if user is None or role(user):
        return set()
    bodies = scope_for(user).bodies
    if not bodies:
        return set()
    return set(
        DisciplineBody.objects.filter(pk__in=bodies, supervised_orgs=F("org")).values_list(
            "org_id", flat=True
        )
    )


def require_discipline_staff(user: User | AnonymousUser, *, model: type[Model], label: str) -> None:
    """The pages of rules as data (quantified duties, the ladder, the scale) are discipline
    staff's: 403, audited, for anyone else."""
    if not role(user) and scope_for(user).bodies:
        return
    deny(user, model=model, label=label, reason="no_discipline_role", hide=False)


def _org_data_allowed(user: User | AnonymousUser, action: str, obj: Any) -> bool:
    return action == CHANGE and role(user) == SYSTEM


# The org tree is the system administrator's work (ORG-*): the pages that keep it ask
# `administering=True`; the business pages that take an org as their subject do not.
KEPT_BY_SYSTEM = frozenset({SYSTEM})


def _org_data(visible: Callable[[User | AnonymousUser, Scope], Q], allowed: Any) -> Policy:
    return Policy(visible, allowed, administered_by=KEPT_BY_SYSTEM)


register(Org, _org_data(lambda user, scope: scope.org_q(), _org_data_allowed))
register(Person, _org_data(lambda user, scope: _people_q(scope), _org_data_allowed))
register(Position, _org_data(lambda user, scope: _people_q(scope, "person__"), _org_data_allowed))


def _group_allowed(user: User | AnonymousUser, action: str, obj: Any) -> bool:
    """A group is kept by the system administrator and by its own org's 主要负责人."""
    if action != CHANGE:
        return False
    group = obj.group if isinstance(obj, GroupMembership) else obj
    return role(user) == SYSTEM or group.org_id in scope_for(user).principal_of


register(LeadingGroup, _org_data(lambda user, scope: scope.org_q("org__"), _group_allowed))
register(
    GroupMembership, _org_data(lambda user, scope: scope.org_q("group__org__"), _group_allowed)
)


def _evidence_visible(user: User | AnonymousUser, scope: Scope) -> Q:
    """A file is seen with its unit's records, and by whoever uploaded it."""
    return scope.org_q("org__") | Q(uploaded_by_id=getattr(user, "pk", None))


# Files are only read here; what may be done with one is asked of the record it proves.
register(Evidence, Policy(_evidence_visible, lambda user, action, obj: False))


def get_for_user(
    user: User | AnonymousUser,
    queryset: QuerySet[M],
    action: str = VIEW,
    *,
    administering: bool = False,
    **lookup: Any,
) -> M:
    """The object, if the user may see it and do `action`; else 404 or 403, audited.
    `administering`: asked by a page of an administrator's own work (`visible_q`)."""
    visible = queryset.filter(visible_q(user, queryset.model, administering=administering))
    try:
        obj = visible.get(**lookup)
    except ObjectDoesNotExist:
        hidden = queryset.filter(**lookup).first()
        raise _refusal(Http404(), user, queryset.model, lookup, hidden, "not_visible") from None
    except (ValidationError, ValueError):
        # A value no row can have: Django refuses a malformed UUID with ValidationError,
        # text for an integer key with ValueError. Pages pass codes from query strings.
        raise _refusal(Http404(), user, queryset.model, lookup, None, BAD_LOOKUP) from None
    if not user_can(user, action, obj):
        raise _refusal(PermissionDenied(), user, queryset.model, lookup, obj, f"no_{action}")
    return obj


def get_within(user: User | AnonymousUser | None, queryset: QuerySet[M], **lookup: Any) -> M:
    """A row under one the user was already given (an item of a list they see): 404,
    audited, when there is none. Access was decided on the parent; this asks nothing."""
    try:
        return queryset.get(**lookup)
    except ObjectDoesNotExist:
        raise _refusal(Http404(), user, queryset.model, lookup, None, NOT_FOUND) from None
    except (ValidationError, ValueError):
        raise _refusal(Http404(), user, queryset.model, lookup, None, BAD_LOOKUP) from None


def deny(
    user: User | AnonymousUser | None,
    *,
    reason: str,
    hide: bool,
    obj: Model | None = None,
    model: type[Model] | None = None,
    lookup: Mapping[str, Any] | None = None,
    label: str = "",
) -> NoReturn:
    """Refuse `user`, audited, when the question is not one `require` can put to a policy.

    `hide`: answer 404, as if `obj` did not exist — for an outsider, a missing
    row, or a parameter no row can match (reason BAD_LOOKUP); otherwise 403, for
    an insider who sees the object but may not do this. Every caller decides:
    there is no default, because the wrong one either leaks that a row exists
    or tells an insider a lie.

    The event names `obj`, or else `model` and the `lookup` that was asked for;
    `label` replaces the object's own name (a page: “监督看板”).
    """
    error: Http404 | PermissionDenied = Http404() if hide else PermissionDenied()
    model = model or (type(obj) if obj is not None else None)
    raise _refusal(error, user, model, dict(lookup or {}), obj, reason, label=label)


def require_role(user: User | AnonymousUser, needed: str) -> None:
    """Administrative pages: only the one administrator whose work it is."""
    if role(user) != needed:
        raise _refusal(
            PermissionDenied(), user, None, {}, None, f"role_{needed}", label=f"需要{needed}角色"
        )
