"""Reads of organizations and people, always scoped by core.access.

The org tree's own pages pass `administering=True`: there the system admin, who
keeps the tree, sees all of it (access.administers). A business page that takes
an org as its subject asks without it, and an administrator gets nothing.
The people and the leading groups are read only by the org tree's pages.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Prefetch, Q, QuerySet
from django.utils import timezone

from liangze import access
from liangze.accounts.models import User
from liangze.orgs.models import (
    DISCIPLINE_KINDS,
    LEADER_KINDS,
    ROLE_ORDER,
    DisciplineBody,
    GroupAct,
    GroupMembership,
    LeadingGroup,
    Org,
    Person,
    Position,
)
from liangze.orgs.tree import ancestor_paths


def _current(on: Any = None) -> Q:
    on = on or timezone.localdate()
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


def current_positions_of(person: Person) -> QuerySet[Position]:
    return person.positions.filter(_current()).select_related("org").order_by("org__path")


def jurisdiction_orgs(user: User) -> QuerySet[Org]:
    """The orgs whose subtree the user issues rules as data for (access.jurisdictions)."""
    return Org.objects.filter(pk__in=access.jurisdictions(user)).order_by("path")


def chosen_org(user: User, code: str | None) -> Org | None:
    """The org a rules-as-data page is asked about (refused as get_org_for_user refuses),
    else the first the user issues for, else the top of what they see."""
    if code:
        return get_org_for_user(user, code)
    return jurisdiction_orgs(user).first() or tree_roots_for(user).first()


def issuing_org(user: User, code: str | None, *, model: type[Model], action: str) -> Org:
    """The org a new version of rules-as-data (a rule, the ladder, the scale) is issued for:
    the one asked about, for discipline staff who may issue that kind (403/404, audited)."""
    access.require_any(user, action, model)
    org = chosen_org(user, code)
    if org is None:
        access.deny(user, model=model, reason="not_found", hide=True)
    return org


def tree_roots_for(user: User, *, administering: bool = False) -> QuerySet[Org]:
    """The top of what the user sees: the roots of each visible subtree."""
    if administering and access.administers(user, Org):
        return Org.objects.filter(depth=1)
    scope = access.scope_for(user)
    q = Q(path__in=scope.org_paths)
    if scope.own_org_id is not None:
        q |= Q(pk=scope.own_org_id)
    paths = list(Org.objects.filter(q).values_list("path", flat=True))
    roots = [p for p in paths if not any(p != o and p.startswith(o) for o in paths)]
    return Org.objects.filter(path__in=roots)


def children_of(user: User, org: Org, *, administering: bool = False) -> QuerySet[Org]:
    visible = access.visible_q(user, Org, administering=administering)
    return org.children.filter(visible).order_by("sort_order", "path")


def ancestors_of(org: Org) -> list[Org]:
    return list(Org.objects.filter(path__in=ancestor_paths(org.path)).order_by("path"))


def followable(user: User, orgs: Iterable[Org | None]) -> set[int]:
    """The orgs among `orgs` that `get_org_for_user` lets `user` open: links only to those."""
    ids = {org.pk for org in orgs if org is not None}
    return set(access.orgs_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def with_ancestry(orgs: list[Org]) -> list[Org]:
    """Sets `ancestry` ("市 / 县 / 乡镇") on each org of a page, in one query."""
    wanted = {p for org in orgs for p in ancestor_paths(org.path)}
    names = dict(Org.objects.filter(path__in=wanted).values_list("path", "name"))
    for org in orgs:
        chain = (names[p] for p in ancestor_paths(org.path) if p in names)
        org.ancestry = " / ".join(chain)  # type: ignore[attr-defined]  # for the template
    return orgs


def org_search(user: User, text: str) -> QuerySet[Org]:
    """The org tree's search box."""
    found = access.orgs_visible_to(user, administering=True)
    return found.filter(name__icontains=text.strip()).order_by("path")


def get_org_for_user(
    user: User, code: Any, action: str = access.VIEW, *, administering: bool = False
) -> Org:
    return access.get_for_user(
        user, Org.objects.all(), action, administering=administering, code=code
    )


@dataclass
class OrgPage:
    org: Org
    ancestors: list[Org]
    leaders: list[Position]
    bodies: Sequence[DisciplineBody]
    supervising: list[DisciplineBody]
    supervised: list[Org]
    subtree_orgs: int
    subtree_people: int
    groups: list[LeadingGroup]
    may_add_group: bool


def org_page(user: User, org: Org) -> OrgPage:
    """Everything the org page shows, in a fixed number of queries."""
    on_duty = Position.objects.filter(_current()).select_related("person")
    bodies = list(
        org.discipline_bodies.prefetch_related(
            Prefetch(
                "positions",
                queryset=on_duty.filter(kind__in=DISCIPLINE_KINDS),
                to_attr="staff",
            )
        )
    )
    supervised = (
        Org.objects.filter(supervising_bodies__org=org)
        .filter(access.visible_q(user, Org, administering=True))
        .distinct()
        .order_by("path")
    )
    leaders = (
        on_duty.filter(org=org, kind__in=LEADER_KINDS)
        .prefetch_related("portfolio_orgs", "liaison_orgs")
        .order_by("kind", "start_date")
    )
    subtree = Org.objects.filter(org.subtree_q())
    return OrgPage(
        org=org,
        ancestors=ancestors_of(org),
        leaders=list(leaders),
        bodies=bodies,
        supervising=list(supervising_bodies(org)),
        supervised=list(supervised[:200]),
        subtree_orgs=subtree.count() - 1,
        subtree_people=Person.objects.filter(org__in=subtree, is_active=True).count(),
        groups=leading_groups_of(user, org),
        may_add_group=access.user_can(user, access.CHANGE, LeadingGroup(org=org)),
    )


def supervising_bodies(org: Org) -> QuerySet[DisciplineBody]:
    """Bodies supervising the org, directly or through an ancestor (grants flow down)."""
    paths = [*ancestor_paths(org.path), org.path]
    return (
        DisciplineBody.objects.filter(supervised_orgs__path__in=paths)
        .select_related("org")
        .distinct()
        .order_by("org__path", "name")
    )


def people_search(
    user: User,
    *,
    text: str = "",
    org: Org | None = None,
    rank: str = "",
    party: str = "",
) -> QuerySet[Person]:
    people = access.people_visible_to(user, administering=True).select_related("org")
    if text:
        people = people.filter(Q(name__icontains=text) | Q(person_no=text))
    if org is not None:
        people = people.filter(org.subtree_q("org__"))
    if rank:
        people = people.filter(rank=rank)
    if party in ("yes", "no"):
        people = people.filter(is_party_member=party == "yes")
    return people.order_by("org__path", "name")


def get_person_for_user(user: User, code: Any, action: str = access.VIEW) -> Person:
    people = Person.objects.select_related("org")
    return access.get_for_user(user, people, action, administering=True, code=code)


def positions_of(person: Person) -> tuple[list[Position], list[Position]]:
    """(current, past) positions, with what the page shows of each."""
    positions = (
        person.positions.select_related("org", "discipline_body")
        .prefetch_related("portfolio_orgs", "liaison_orgs")
        .order_by("-start_date")
    )
    current_ids = set(person.positions.filter(_current()).values_list("pk", flat=True))
    current = [p for p in positions if p.pk in current_ids]
    past = [p for p in positions if p.pk not in current_ids]
    return current, past


# Leading groups (ORG-5) ---------------------------------------------------------


def _seated(groups: list[LeadingGroup]) -> list[LeadingGroup]:
    """Splits each group's prefetched `seats` into `current` and `past`, by role then date."""
    today = timezone.localdate()
    for group in groups:
        seats: list[GroupMembership] = group.seats  # type: ignore[attr-defined]
        seats.sort(key=lambda m: (ROLE_ORDER[m.role], m.start_date, m.pk))
        group.current = [m for m in seats if m.is_current(today)]  # type: ignore[attr-defined]
        group.past = [m for m in seats if not m.is_current(today)]  # type: ignore[attr-defined]
        group.standing = group.dissolved is None or group.dissolved >= today  # type: ignore[attr-defined]
    return groups


def _groups_with_seats() -> QuerySet[LeadingGroup]:
    seats = GroupMembership.objects.select_related("person", "position")
    return LeadingGroup.objects.select_related("org", "body", "office_org").prefetch_related(
        Prefetch("memberships", queryset=seats, to_attr="seats")
    )


def leading_groups_of(user: User, org: Org) -> list[LeadingGroup]:
    """The org's groups with their members, standing ones first, in three queries."""
    groups = _seated(list(_groups_with_seats().filter(org=org)))
    for group in groups:
        group.may_change = access.user_can(user, access.CHANGE, group)  # type: ignore[attr-defined]
    return sorted(groups, key=lambda g: not g.standing)  # type: ignore[attr-defined]


def get_group_for_user(user: User, code: Any, action: str = access.VIEW) -> LeadingGroup:
    group = access.get_for_user(user, _groups_with_seats(), action, administering=True, code=code)
    return _seated([group])[0]


def get_membership_for_user(user: User, code: Any, action: str = access.VIEW) -> GroupMembership:
    queryset = GroupMembership.objects.select_related("group", "person")
    return access.get_for_user(user, queryset, action, administering=True, code=code)


def member_choices(group: LeadingGroup) -> QuerySet[Position]:
    """Current posts a member usually sits by: at the group's org and at its office's unit."""
    orgs = {group.org_id, group.office_org_id}
    return (
        Position.objects.filter(_current(), org_id__in=orgs)
        .select_related("person", "org")
        .order_by("org__path", "kind", "person__name")
    )


def office_choices(org: Org) -> QuerySet[Org]:
    """Where a group's office may sit: the org itself or a unit right below it."""
    return Org.objects.filter(Q(pk=org.pk) | Q(parent=org), is_active=True).order_by("path")


def issuing_group(obj: Any) -> LeadingGroup | None:
    """The group in whose name `obj` was issued, if its office issued it."""
    act = (
        GroupAct.objects.filter(model=obj._meta.label, object_id=obj.pk)
        .select_related("group")
        .first()
    )
    return act.group if act else None
