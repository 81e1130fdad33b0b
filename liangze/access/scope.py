"""What a user may see, from what their person currently holds (NF-3).

- a leader (主要负责人, 班子成员, 支部书记) sees the subtree of the org they lead;
- discipline staff see the subtrees their discipline body supervises;
  its head (纪委书记/纪检组长, or the 纪检委员 who is the body) also signs for it;
- everybody sees their own org's page and their own person record;
- administrators (三员分立) hold no scope at all: no business row is theirs to
  see. What their own work needs (the system admin keeps the org tree) is
  granted by the models' policies as an administrative permission
  (`Policy.administered_by`), asked for only by the pages of that work.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from liangze.accounts.models import User
from liangze.orgs.models import (
    DISCIPLINE_KINDS,
    LEADER_KINDS,
    DisciplineBody,
    Org,
    Person,
    Position,
    PositionKind,
    subtree_q,
)

SYSTEM = "system"
SECURITY = "security"
AUDITOR = "audit"


@dataclass(frozen=True)
class Scope:
    """What one user may see: whole subtrees by path prefix, plus single rows."""

    org_paths: tuple[str, ...] = ()
    own_org_id: int | None = None
    own_org_path: str = ""
    own_person_id: int | None = None
    principal_of: frozenset[int] = frozenset()  # orgs where the user is 主要负责人/支部书记
    leader_of: frozenset[int] = frozenset()  # orgs where the user sits on the team
    bodies: frozenset[int] = frozenset()  # discipline bodies the user works in
    heads: frozenset[int] = frozenset()  # discipline bodies the user heads (主要负责人)
    body_paths: tuple[str, ...] = ()  # subtrees those bodies supervise

    def org_q(self, prefix: str = "", *, own_org: bool = True) -> Q:
        """Orgs in scope; `own_org=False` leaves out the bare own-org grant (for its people)."""
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
        return org.pk == self.own_org_id or any(org.path.startswith(p) for p in self.org_paths)

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


def heads_body_q(prefix: str = "") -> Q:
    """Posts that head their discipline body: its secretary, or the 纪检委员 who is the body.

    A 纪委 or 纪检组 also counts 纪检委员 among its members; only a body of the
    纪检委员 kind is headed by one.
    """
    return Q(**{f"{prefix}kind": PositionKind.DISCIPLINE_SECRETARY}) | Q(
        **{
            f"{prefix}kind": PositionKind.DISCIPLINE_MEMBER,
            f"{prefix}discipline_body__kind": DisciplineBody.Kind.MEMBER,
        }
    )


def _heads(kind: str, body_kind: str | None) -> bool:
    """`heads_body_q` for one post already read."""
    return kind == PositionKind.DISCIPLINE_SECRETARY or (
        kind == PositionKind.DISCIPLINE_MEMBER and body_kind == DisciplineBody.Kind.MEMBER
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
    if role(user) or not user.person_id:
        return NOTHING
    # One query for the person and their org's path, cached on the user for later use.
    person = Person.objects.select_related("org").get(pk=user.person_id)
    user.person = person
    paths: list[str] = []
    principal_of: set[int] = set()
    leader_of: set[int] = set()
    bodies: set[int] = set()
    heads: set[int] = set()
    for kind, org_id, path, body_id, body_kind in current_positions(person).values_list(
        "kind", "org_id", "org__path", "discipline_body_id", "discipline_body__kind"
    ):
        if kind in LEADER_KINDS:
            paths.append(path)
            leader_of.add(org_id)
            if kind != PositionKind.MEMBER:
                principal_of.add(org_id)
        elif kind in DISCIPLINE_KINDS and body_id:
            bodies.add(body_id)
            if _heads(kind, body_kind):
                heads.add(body_id)
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
        heads=frozenset(heads),
        body_paths=_outermost(body_paths),
    )


def invalidate(user: User) -> None:
    if hasattr(user, "_liangze_scope"):
        del user._liangze_scope
