"""Who may see and act on responsibility lists; registered with core.access at start-up.

- see: everyone whose scope covers the unit, plus — once published — the
  range it was published to (the unit, its subtree, or every login);
- edit, submit, revise: the unit's leadership team, the person whose list it
  is, or for a supervisory list the discipline body's own staff;
- sign: the unit's principal (主要负责人签字); a member's list also by the member;
  a supervisory list by the unit's principal and by the body's head (附件4 has
  both lines: 党委(组)主要负责人, 纪委(纪检组)主要负责人), not by other staff;
- record a paper signature (录入纸质签字, with the scanned page): the unit's
  principal, who gathers the signatures; not the system administrator, who
  sees no list or its evidence (三员分立) — the operator's command line remains;
- review: the higher level — whoever sees the unit through an ancestor;
- publish: once the list is accepted, the unit's principal; a personal or
  supervisory list also by its holder, never a collective list by a member.

Catalogues (责任目录) are rules as data, issued by a higher level:
- see: every business user — a unit writes its lists from them — and, on the
  catalogue pages, the system admin, who keeps the seed documents
  (`administered_by`); the security and audit admins none;
- a draft belongs to an org: a new version to the org its predecessor went out
  from; a shared draft loaded from a seed document to none yet;
- issue (下发) a draft, in the name of an org: the org's leadership team or the
  staff of a discipline body sitting in it — for the org the draft belongs to,
  and a shared draft only from the top of the tree, which it then belongs to
  (claimed by a unit below, it would be out of reach of the levels above);
- edit (correct a draft's entries, start a new version of an issued one): the
  same people for the org it belongs to; a shared draft, only the system admin.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from liangze import access
from liangze.access import Scope
from liangze.accounts.models import User
from liangze.duties.models import Catalogue, DutyList, ListType
from liangze.orgs.models import DisciplineBody, Org
from liangze.orgs.tree import ancestor_paths

EDIT = "edit"
SIGN = "sign"
PAPER_SIGN = "paper_sign"
SUBMIT = "submit"
REVIEW = "review"
PUBLISH = "publish"
ISSUE = "issue"  # a catalogue


def _published_to(user: User | AnonymousUser, scope: Scope) -> Q:
    published = Q(in_force=True)
    q = published & Q(publish_range=DutyList.PublishRange.EVERYONE)
    if scope.own_org_id is not None:
        own = Org.objects.filter(pk=scope.own_org_id).values_list("path", flat=True).first()
        if own:
            q |= published & Q(publish_range=DutyList.PublishRange.UNIT, org_id=scope.own_org_id)
            q |= published & Q(
                publish_range=DutyList.PublishRange.SUBTREE,
                org__path__in=[*ancestor_paths(own), own],
            )
    return q


def visible(user: User | AnonymousUser, scope: Scope) -> Q:
    return scope.org_q("org__", own_org=False) | _published_to(user, scope)


def _is_holder(scope: Scope, duty_list: DutyList) -> bool:
    if duty_list.list_type == ListType.SUPERVISORY:
        return duty_list.discipline_body_id in scope.bodies
    if duty_list.person_id is not None and duty_list.person_id == scope.own_person_id:
        return True
    return duty_list.org_id in scope.leader_of


def held_q(scope: access.Scope) -> Q:
    """The lists `scope` holds (“我的清单”): `_is_holder` as a database filter."""
    supervisory = Q(list_type=ListType.SUPERVISORY)
    q = supervisory & Q(discipline_body_id__in=scope.bodies)
    held = Q(org_id__in=scope.leader_of)
    if scope.own_person_id is not None:
        held |= Q(person_id=scope.own_person_id)
    return q | (~supervisory & held)


def allowed(user: User | AnonymousUser, action: str, duty_list: DutyList) -> bool:
    if access.role(user):
        return False
    scope = access.scope_for(user)
    if action == PAPER_SIGN:
        return duty_list.org_id in scope.principal_of
    if action in (EDIT, SUBMIT):
        return _is_holder(scope, duty_list)
    if action == SIGN:
        if duty_list.list_type == ListType.SUPERVISORY:
            return duty_list.discipline_body_id in scope.heads or (
                duty_list.org_id in scope.principal_of
            )
        return duty_list.org_id in scope.principal_of or (
            duty_list.list_type == ListType.MEMBER and duty_list.person_id == scope.own_person_id
        )
    if action == REVIEW:
        return scope.above(duty_list.org)
    if action == PUBLISH:
        # The team's own list is the team's: only its principal puts it out (LIST-5).
        if duty_list.list_type == ListType.COLLECTIVE:
            return duty_list.org_id in scope.principal_of
        return duty_list.org_id in scope.principal_of or _is_holder(scope, duty_list)
    return False


# Catalogues ---------------------------------------------------------------------------


def catalogue_issuers(user: User | AnonymousUser | None) -> set[int]:
    """The orgs `user` may issue a catalogue from: those they lead, their bodies' orgs."""
    if user is None or access.role(user):
        return set()
    scope = access.scope_for(user)
    body_orgs = DisciplineBody.objects.filter(pk__in=scope.bodies).values_list("org_id", flat=True)
    return set(scope.leader_of) | set(body_orgs)


def draft_issuers(user: User | AnonymousUser | None, draft: Catalogue) -> set[int]:
    """The orgs `user` may issue `draft` from: the org it belongs to, as stored (not the
    one it is being asked to go out from); a shared draft, the top of the tree."""
    mine = catalogue_issuers(user)
    stored = Catalogue.objects.filter(pk=draft.pk).values_list("issuer_id", flat=True)
    owner = stored.first() if draft.pk is not None else draft.issuer_id
    if owner is not None:
        return mine & {owner}
    return set(Org.objects.filter(pk__in=mine, parent__isnull=True).values_list("pk", flat=True))


def catalogues_visible(user: User | AnonymousUser, scope: Scope) -> Q:
    return Q() if getattr(user, "is_authenticated", False) else Q(pk__in=[])


def catalogue_allowed(user: User | AnonymousUser, action: str, catalogue: Catalogue) -> bool:
    """`issue` is asked of the draft with `issuer` already set to the org it goes out from."""
    if action == ISSUE:
        return catalogue.issuer_id in draft_issuers(user, catalogue)
    if action == EDIT:
        if catalogue.issuer_id is None:
            return access.role(user) == access.SYSTEM
        return catalogue.issuer_id in catalogue_issuers(user)
    return False


def catalogues_allowed(user: User | AnonymousUser, action: str) -> bool:
    return action == ISSUE and bool(catalogue_issuers(user))


def register() -> None:
    access.register(DutyList, access.Policy(visible, allowed))
    access.register(
        Catalogue,
        access.Policy(
            catalogues_visible,
            catalogue_allowed,
            catalogues_allowed,
            administered_by=frozenset({access.SYSTEM}),
        ),
    )
