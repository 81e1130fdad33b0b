"""Every access question is answered here (DESIGN: "access checks in one place").

Scope comes from what a person currently holds (NF-3):
- a leader (主要负责人, 班子成员, 支部书记) sees the subtree of the org they lead;
- discipline staff see the subtrees their discipline body supervises;
- everybody sees their own org's page and their own person record;
- administrators (三员分立) see only what their own work needs: the system
  admin all org data, the security admin org and people names to bind
  accounts, the audit admin no business data at all.

An outsider asking for an object gets 404, as if it did not exist; an insider
without the right gets 403. Both are written to the audit trail, and only this
package raises them: `require`, `require_any`, `get_for_user`, `get_within`,
and `deny` for what no policy is asked (tests/access/test_refusals_scan.py).
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, NoReturn, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from liangze.access import page
from liangze.accounts.models import User
from liangze.core import audit
from liangze.core.models import Evidence
from liangze.orgs.models import (
    DISCIPLINE_KINDS,
    LEADER_KINDS,
    Org,
    Person,
    Position,
    PositionKind,
    subtree_q,
)

M = TypeVar("M", bound=Model)

VIEW = "view"
CHANGE = "change"

SYSTEM = "system"
SECURITY = "security"
AUDITOR = "audit"

# Reasons of refusals that are not about a right: the page asked for a row that
# is not there, or named it in a form no row can have (an unknown period).
NOT_FOUND = "not_found"
BAD_LOOKUP = "bad_lookup"


@dataclass(frozen=True)
class Scope:
    """What one user may see: whole subtrees by path prefix, plus single rows."""

    everything: bool = False
    org_paths: tuple[str, ...] = ()
    own_org_id: int | None = None
    own_org_path: str = ""
    own_person_id: int | None = None
    principal_of: frozenset[int] = frozenset()  # orgs where the user is 主要负责人/支部书记
    leader_of: frozenset[int] = frozenset()  # orgs where the user sits on the team
    bodies: frozenset[int] = frozenset()  # discipline bodies the user works in
    body_paths: tuple[str, ...] = ()  # subtrees those bodies supervise

    def org_q(self, prefix: str = "", *, own_org: bool = True) -> Q:
        """Orgs in scope; `own_org=False` leaves out the bare own-org grant (for its people)."""
        if self.everything:
            return Q()
        q = Q(pk__in=[])
        for path in self.org_paths:
            q |= subtree_q(path, prefix)
        # Only when no subtree holds it already: an OR across the joined tables
        # keeps PostgreSQL from using any index (bench/README.md).
        if own_org and self.own_org_id is not None and not self.in_subtrees(self.own_org_path):
            q |= Q(**{f"{prefix}pk": self.own_org_id})
        return q

    @property
    def oversees(self) -> bool:
        """A team member or discipline staff: one who watches others' work, not only their own."""
        return bool(self.leader_of or self.bodies)

    def in_subtrees(self, path: str) -> bool:
        return any(path.startswith(p) for p in self.org_paths)

    def covers_org(self, org: Org) -> bool:
        return (
            self.everything
            or org.pk == self.own_org_id
            or any(org.path.startswith(p) for p in self.org_paths)
        )

    def above_q(self, prefix: str = "") -> Q:
        """`above` as a filter: orgs strictly below one of the user's subtree roots."""
        q = Q(pk__in=[])
        for path in self.org_paths:
            q |= subtree_q(path, prefix) & ~Q(**{f"{prefix}path": path})
        return q

    def supervises_q(self, prefix: str = "") -> Q:
        """`supervises` as a filter."""
        q = Q(pk__in=[])
        for path in self.body_paths:
            q |= subtree_q(path, prefix)
        return q

    def supervises(self, org: Org) -> bool:
        """Sees `org` as discipline staff of a body that supervises it (监督责任)."""
        return any(org.path.startswith(p) for p in self.body_paths)

    def above(self, org: Org) -> bool:
        """Sees `org` from a higher level (through a grant on a proper ancestor)."""
        return any(org.path.startswith(p) and org.path != p for p in self.org_paths)


NOTHING = Scope()


def role(user: User | AnonymousUser) -> str:
    return user.admin_role if user.is_authenticated else ""


def current_positions(person: Person, on: date | None = None) -> QuerySet[Position]:
    on = on or timezone.localdate()
    return person.positions.filter(start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )


def _outermost(paths: Iterable[str]) -> tuple[str, ...]:
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return tuple(kept)


def scope_for(user: User | AnonymousUser) -> Scope:
    """The user's scope, computed once per request object (two queries)."""
    cached: Scope | None = getattr(user, "_liangze_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    if user.is_authenticated:
        user._liangze_scope = scope  # type: ignore[attr-defined]  # a cache on this request's user
    return scope


def _compute_scope(user: User | AnonymousUser) -> Scope:
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if role(user) in (SYSTEM, SECURITY):
        return Scope(everything=True)
    if role(user) or not user.person_id:
        return NOTHING
    # One query for the person and their org's path, cached on the user for later use.
    person = Person.objects.select_related("org").get(pk=user.person_id)
    user.person = person
    paths: list[str] = []
    principal_of: set[int] = set()
    leader_of: set[int] = set()
    bodies: set[int] = set()
    for kind, org_id, path, body_id in current_positions(person).values_list(
        "kind", "org_id", "org__path", "discipline_body_id"
    ):
        if kind in LEADER_KINDS:
            paths.append(path)
            leader_of.add(org_id)
            if kind != PositionKind.MEMBER:
                principal_of.add(org_id)
        elif kind in DISCIPLINE_KINDS and body_id:
            bodies.add(body_id)
    body_paths: list[str] = []
    if bodies:
        body_paths = list(
            Org.objects.filter(supervising_bodies__in=bodies).values_list("path", flat=True)
        )
    paths += body_paths
    return Scope(
        org_paths=_outermost(paths),
        own_org_id=person.org_id,
        own_org_path=person.org.path,
        own_person_id=person.pk,
        principal_of=frozenset(principal_of),
        leader_of=frozenset(leader_of),
        bodies=frozenset(bodies),
        body_paths=_outermost(body_paths),
    )


def invalidate(user: User) -> None:
    if hasattr(user, "_liangze_scope"):
        del user._liangze_scope


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

    Domain apps register theirs at start-up (their `policy.py`), so that every
    question still goes through this module and its audit of refusals.
    """

    visible: Callable[[User | AnonymousUser, Scope], Q]
    allowed: Callable[[User | AnonymousUser, str, Any], bool]
    model_allowed: Callable[[User | AnonymousUser, str], bool] = _nothing_allowed


_policies: dict[type[Model], Policy] = {}


def register(model: type[Model], policy: Policy) -> None:
    _policies[model] = policy


def _policy(model: type[Model]) -> Policy:
    try:
        return _policies[model]
    except KeyError:
        raise TypeError(f"no access policy for {model.__name__}") from None


def visible_q(user: User | AnonymousUser, model: type[Model]) -> Q:
    """The filter that limits `model` to what `user` may see."""
    return _policy(model).visible(user, scope_for(user))


def orgs_visible_to(user: User | AnonymousUser) -> QuerySet[Org]:
    return Org.objects.filter(visible_q(user, Org))


def people_visible_to(user: User | AnonymousUser) -> QuerySet[Person]:
    return Person.objects.filter(visible_q(user, Person))


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


def _org_data_allowed(user: User | AnonymousUser, action: str, obj: Any) -> bool:
    return action == CHANGE and role(user) == SYSTEM


register(Org, Policy(lambda user, scope: scope.org_q(), _org_data_allowed))
register(Person, Policy(lambda user, scope: _people_q(scope), _org_data_allowed))
register(Position, Policy(lambda user, scope: _people_q(scope, "person__"), _org_data_allowed))


def _evidence_visible(user: User | AnonymousUser, scope: Scope) -> Q:
    """A file is seen with its unit's records, and by whoever uploaded it; not by administrators."""
    if role(user):
        return Q(pk__in=[])
    return scope.org_q("org__") | Q(uploaded_by_id=getattr(user, "pk", None))


# Files are only read here; what may be done with one is asked of the record it proves.
register(Evidence, Policy(_evidence_visible, lambda user, action, obj: False))


def get_for_user(
    user: User | AnonymousUser, queryset: QuerySet[M], action: str = VIEW, **lookup: Any
) -> M:
    """The object, if the user may see it and do `action`; else 404 or 403, audited."""
    visible = queryset.filter(visible_q(user, queryset.model))
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


E = TypeVar("E", bound=Exception)


def _refusal(
    error: E,
    user: User | AnonymousUser | None,
    model: type[Model] | None,
    lookup: dict[str, Any],
    obj: Model | None,
    why: str,
    *,
    label: str = "",
) -> E:
    """The refusal to raise, its audit event written now or carried with it.

    Inside a transaction the event would be rolled back with everything the
    refused service did; it then travels on the exception and is written by
    whoever catches it at the top (access.middleware, the API's handlers).
    """
    if obj is not None and obj._state.adding:
        # A probe built to ask the policy: it has no identity of its own, so name
        # the saved rows it points to.
        pointed_to = _pointed_to(obj)
        names = "、".join(str(row) for row in pointed_to.values())
        lookup = {**pointed_to, **lookup}
        label = label or f"新建{obj._meta.verbose_name}（{names}）"
        obj = None
    if not label:
        if obj is not None:
            label = str(obj)
        elif model is None:
            label = "（不存在）"
        elif isinstance(error, Http404):
            label = f"{model._meta.verbose_name}（不存在）"
        else:
            label = str(model._meta.verbose_name)
    data: dict[str, Any] = {"reason": why, "lookup": {k: _text(v) for k, v in lookup.items()}}
    if page.current():
        data["page"] = page.current()
    event: dict[str, Any] = {
        "actor": user,
        "verb": audit.Verb.DENIED,
        "obj": obj,
        "label": label,
        "data": data,
    }
    if transaction.get_connection().in_atomic_block:
        error.audit_event = event  # type: ignore[attr-defined]  # carried to the middleware
    else:
        audit.record(**event)
    return error


def _pointed_to(probe: Model) -> dict[str, Model]:
    return {
        field.name: getattr(probe, field.name)
        for field in probe._meta.concrete_fields
        if field.is_relation and getattr(probe, field.attname) is not None
    }


def _text(value: Any) -> str:
    """A row by its URL code where it has one (the trail names objects so), else its key."""
    if isinstance(value, Model):
        return str(getattr(value, "code", None) or value.pk)
    return str(value)


def record_carried_refusal(error: BaseException) -> None:
    """Write the audit event a refusal carried out of a rolled-back transaction."""
    event = getattr(error, "audit_event", None)
    if event is not None:
        error.audit_event = None  # type: ignore[attr-defined]  # written once
        audit.record(**event)
