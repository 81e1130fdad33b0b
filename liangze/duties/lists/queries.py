"""Reads behind the list pages, scoped by core.access; each page in a fixed number of queries.

Catalogues have their own reads (catalogues/queries.py), coverage its own (coverage/).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liangze import access
from liangze.accounts.models import User
from liangze.core import integrity
from liangze.duties import policy
from liangze.duties.lists import copydetect, exports, signing
from liangze.duties.models import (
    CatalogueEntry,
    DutyItem,
    DutyList,
    Review,
    Signature,
)
from liangze.orgs.models import LEADER_KINDS, DisciplineBody, Org, Person, Position, PositionKind

PRINCIPAL_KINDS = (PositionKind.PRINCIPAL, PositionKind.BRANCH_SECRETARY)

RELATED = ("org", "person", "discipline_body", "catalogue")


def duty_lists_visible_to(user: User) -> QuerySet[DutyList]:
    return DutyList.objects.filter(access.visible_q(user, DutyList)).select_related(*RELATED)


def duty_list_search(
    user: User,
    *,
    text: str = "",
    year: int | None = None,
    list_type: str = "",
    status: str = "",
    mine: bool = False,
    all_versions: bool = False,
    org: Org | None = None,
) -> QuerySet[DutyList]:
    """The lists the user sees, filtered as the list page and the API both filter them."""
    lists = duty_lists_visible_to(user)
    if not all_versions:
        lists = lists.filter(is_current=True)
    if mine:
        lists = lists.filter(policy.held_q(access.scope_for(user)))
    if text:
        lists = lists.filter(Q(org__name__icontains=text) | Q(person__name__icontains=text))
    if year:
        lists = lists.filter(year=year)
    if list_type:
        lists = lists.filter(list_type=list_type)
    if status:
        lists = lists.filter(status=status)
    if org is not None:
        lists = lists.filter(org.subtree_q("org__"))
    return lists.order_by("-year", "org__path", "list_type", "holder_key", "-version")


def review_queue(
    user: User, *, text: str = "", year: int | None = None, list_type: str = ""
) -> QuerySet[DutyList]:
    """Submitted current lists the user reviews: units seen from a higher level (REVIEW)."""
    below = Q(pk__in=[]) if access.role(user) else access.scope_for(user).above_q("org__")
    lists = duty_list_search(user, text=text, year=year, list_type=list_type).filter(below)
    return lists.filter(status=DutyList.Status.SUBMITTED).order_by("submitted_at", "org__path")


@dataclass(frozen=True)
class ListRow:
    """A list on a page of lists, with what the columns need beyond the row itself."""

    duty_list: DutyList
    late: bool
    waiting_days: int | None

    @property
    def copied_percent(self) -> int | None:
        """How much repeats another list or the template, when enough to flag (LIST-7)."""
        dl = self.duty_list
        if not copydetect.flagged(dl):
            return None
        return round(100 * max(dl.similarity or 0.0, dl.template_similarity or 0.0))


def is_late(duty_list: DutyList, today: date) -> bool:
    """Submitted after the deadline, or not yet signed and submitted with the deadline past."""
    if duty_list.deadline is None:
        return False
    if duty_list.submitted_at is not None:
        return timezone.localdate(duty_list.submitted_at) > duty_list.deadline
    unsent = (DutyList.Status.DRAFT, DutyList.Status.DISCUSSED, DutyList.Status.SIGNED)
    return duty_list.status in unsent and today > duty_list.deadline


def list_rows(lists: Iterable[DutyList]) -> list[ListRow]:
    today = timezone.localdate()
    return [
        ListRow(
            dl,
            is_late(dl, today),
            (today - timezone.localdate(dl.submitted_at)).days if dl.submitted_at else None,
        )
        for dl in lists
    ]


def get_duty_list_for_user(user: User, code: Any, action: str = access.VIEW) -> DutyList:
    lists = DutyList.objects.select_related(*RELATED)
    return access.get_for_user(user, lists, action, code=code)


# One list -----------------------------------------------------------------------


@dataclass(frozen=True)
class Actions:
    """What the user may do to the list now — the only buttons the page offers."""

    edit: bool
    sign: bool
    submit: bool
    review: bool
    publish: bool
    revise: bool
    paper_sign: bool  # record a signature made on paper, with its scan, for a pending line

    @property
    def any(self) -> bool:
        return any(vars(self).values())


def actions_for(user: User, duty_list: DutyList, signatures: Sequence[Signature]) -> Actions:
    def may(action: str) -> bool:
        return access.user_can(user, action, duty_list)

    status, current = duty_list.status, duty_list.is_current
    # The first signature already covers the content: from then on only a new version changes it.
    frozen = duty_list.is_frozen or bool(signatures)
    signed_by_user = any(s.signer_id == user.pk for s in signatures)
    # A list signed before 附件4 had its second line is not complete for submission.
    all_signed = set(exports.signature_roles(duty_list.list_type)) <= {s.role for s in signatures}
    signable = current and status in (DutyList.Status.DISCUSSED, DutyList.Status.SIGNED)
    return Actions(
        edit=current and not frozen and may(policy.EDIT),
        sign=current
        and status == DutyList.Status.DISCUSSED
        and not signed_by_user
        and may(policy.SIGN),
        submit=current and status == DutyList.Status.SIGNED and all_signed and may(policy.SUBMIT),
        review=current and status == DutyList.Status.SUBMITTED and may(policy.REVIEW),
        publish=current and status == DutyList.Status.ACCEPTED and may(policy.PUBLISH),
        revise=current and frozen and may(policy.EDIT),
        paper_sign=signable and not all_signed and may(policy.PAPER_SIGN),
    )


@dataclass(frozen=True)
class SignLine:
    """One signature line of the list's form: signed, or still waiting for whom."""

    label: str
    role: str
    signature: Signature | None
    signers: list[Person]  # who fills the line while it is pending

    @property
    def signer_names(self) -> str:
        return "、".join(person.name for person in self.signers)

    @property
    def who(self) -> str:
        """The line's post with the names expected on it: “班子成员本人（李明华）”."""
        names = f"（{self.signer_names}）" if self.signers else ""
        return f"{Signature.Role(self.role).label}{names}"


def _line_signers(duty_list: DutyList, pending: set[str]) -> dict[str, list[Person]]:
    """The people expected on each pending line: the holder, the principal, the body's head."""
    signers: dict[str, list[Person]] = {role: [] for role in pending}
    if Signature.Role.MEMBER in pending and duty_list.person is not None:
        signers[Signature.Role.MEMBER].append(duty_list.person)
    today = timezone.localdate()
    posts = Position.objects.filter(start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    wanted = Q(pk__in=[])
    if Signature.Role.PRINCIPAL in pending:
        wanted |= Q(org_id=duty_list.org_id, kind__in=PRINCIPAL_KINDS)
    if Signature.Role.DISCIPLINE in pending and duty_list.discipline_body_id is not None:
        wanted |= access.heads_body_q() & Q(discipline_body_id=duty_list.discipline_body_id)
    body = duty_list.discipline_body_id
    for post in posts.filter(wanted).select_related("person").order_by("person__name"):
        in_body = body is not None and post.discipline_body_id == body
        role = Signature.Role.DISCIPLINE if in_body else Signature.Role.PRINCIPAL
        if role in signers and post.person not in signers[role]:
            signers[role].append(post.person)
    return signers


def sign_lines(duty_list: DutyList, signatures: Sequence[Signature]) -> list[SignLine]:
    by_role = {s.role: s for s in signatures}
    layout = exports.layout(duty_list.list_type)
    pending = {role for _label, role in layout.signatures if role not in by_role}
    signers = _line_signers(duty_list, pending) if pending else {}
    return [
        SignLine(str(label), role, by_role.get(role), signers.get(role, []))
        for label, role in layout.signatures
    ]


def paper_signer(duty_list: DutyList, role: str) -> Person | None:
    """The person whose paper signature fills the pending line `role`, if there is one."""
    signatures = list(duty_list.signatures.all())
    line = next((line for line in sign_lines(duty_list, signatures) if line.role == role), None)
    if line is None or line.signature is not None or not line.signers:
        return None
    return line.signers[0]


STEPS = (
    (DutyList.Status.DRAFT, _("编制")),
    (DutyList.Status.DISCUSSED, _("集体讨论")),
    (DutyList.Status.SIGNED, _("签字背书")),
    (DutyList.Status.SUBMITTED, _("报送")),
    (DutyList.Status.ACCEPTED, _("审核")),
    (DutyList.Status.PUBLISHED, _("公示")),
)


def workflow_steps(duty_list: DutyList) -> list[tuple[Any, str]]:
    """The LIST-5 steps, each "done", "current", "returned" or "todo"."""
    order: list[str] = [status for status, _label in STEPS]
    returned = duty_list.status == DutyList.Status.RETURNED
    reached = order.index(DutyList.Status.ACCEPTED if returned else duty_list.status)

    def state(n: int) -> str:
        if n < reached:
            return "done"
        if n == reached:
            return "returned" if returned else "current"
        return "todo"

    return [(label, state(n)) for n, (_status, label) in enumerate(STEPS)]


@dataclass(frozen=True)
class SignatureLine:
    signature: Signature
    valid: bool  # the content still hashes to what was signed


@dataclass
class ListPage:
    duty_list: DutyList
    items: list[DutyItem]
    position: Position | None  # the holder's current post at the unit (职务, 分管, 联系单位)
    problems: list[signing.Problem]
    signatures: list[SignatureLine]
    reviews: list[Review]
    versions: list[DutyList]
    actions: Actions
    late: bool
    steps: list[tuple[Any, str]]
    sign_lines: list[SignLine]
    layout: exports.Layout  # the official form's title, columns and lines (004 附件1–4)


def _holder_position(duty_list: DutyList) -> Position | None:
    if duty_list.person is None:
        return None
    return (
        access.current_positions(duty_list.person)
        .filter(org=duty_list.org, kind__in=LEADER_KINDS)
        .prefetch_related("liaison_orgs")
        .order_by("kind")
        .first()
    )


def versions_of(user: User, duty_list: DutyList) -> QuerySet[DutyList]:
    """Every version of the same list the user may see, oldest first."""
    return DutyList.objects.filter(
        access.visible_q(user, DutyList),
        org_id=duty_list.org_id,
        year=duty_list.year,
        list_type=duty_list.list_type,
        holder_key=duty_list.holder_key,
    ).order_by("version")


def items_of(duty_list: DutyList) -> QuerySet[DutyItem]:
    return duty_list.items.select_related("entry", "responsible").order_by("seq")


def list_page(user: User, duty_list: DutyList) -> ListPage:
    items = list(items_of(duty_list))
    signatures = list(duty_list.signatures.select_related("scan"))
    content = signing.digest(canonical_text(duty_list)) if signatures else ""
    layout = exports.layout(duty_list.list_type)
    versions = list(versions_of(user, duty_list).only("code", "version", "status", "is_current"))
    # Reasons given to earlier versions stay in view while the next one is prepared.
    reviews = Review.objects.filter(duty_list__in=[v.pk for v in versions])
    return ListPage(
        duty_list=duty_list,
        items=items,
        position=_holder_position(duty_list),
        problems=completeness(duty_list),
        signatures=[SignatureLine(s, s.digest == content) for s in signatures],
        reviews=list(reviews.select_related("duty_list")),
        versions=versions,
        actions=actions_for(user, duty_list, signatures),
        late=is_late(duty_list, timezone.localdate()),
        steps=workflow_steps(duty_list),
        sign_lines=sign_lines(duty_list, signatures),
        layout=layout,
    )


def completeness(duty_list: DutyList) -> list[signing.Problem]:
    required = list(
        duty_list.catalogue.entries.filter(list_type=duty_list.list_type)
        .order_by("seq")
        .values_list("ref", "name")
    )
    return signing.completeness_problems(required, duty_list.items.select_related("entry"))


def canonical_text(duty_list: DutyList) -> str:
    """The canonical form of a list version's content, which the SM3 digest covers."""
    header = {
        "org": str(duty_list.org.code),
        "org_name": duty_list.org.name,
        "year": duty_list.year,
        "list_type": duty_list.list_type,
        "person": str(duty_list.person.code) if duty_list.person else "",
        "discipline_body": str(duty_list.discipline_body.code) if duty_list.discipline_body else "",
        "catalogue": f"{duty_list.catalogue.key}@{duty_list.catalogue.version}",
        "version": duty_list.version,
        "discussed_on": duty_list.discussed_on.isoformat() if duty_list.discussed_on else "",
    }
    rows = (
        {
            "seq": item.seq,
            "entry": item.entry.ref if item.entry else "",
            "name": item.name,
            "task": item.task,
            "responsible": str(item.responsible.code) if item.responsible else "",
            "department": item.department,
            **{q: getattr(item, q) for q in DutyItem.QUARTERS},
        }
        for item in items_of(duty_list)
    )
    return signing.canonical(header, rows)


def previous_version(user: User, duty_list: DutyList) -> DutyList | None:
    if duty_list.previous_id is None:
        return None
    return duty_lists_visible_to(user).filter(pk=duty_list.previous_id).first()


def version_rows(duty_list: DutyList) -> list[dict[str, Any]]:
    """The rows of a version as text, for diffing.diff_versions."""
    items = duty_list.items.select_related("entry", "responsible").order_by("seq")
    return [
        {
            "seq": item.seq,
            "entry": item.entry_ref or "",
            "name": item.name,
            "task": item.task,
            "responsible": (
                f"{item.responsible.name}（{item.responsible.person_no}）"
                if item.responsible
                else ""
            ),
            "department": item.department,
            **{q: getattr(item, q) for q in DutyItem.QUARTERS},
        }
        for item in items
    ]


# The grid editor -------------------------------------------------------------------

GRID_FIELDS = ("entry", "name", "task", "responsible", "department", *DutyItem.QUARTERS)
PEOPLE_LIMIT = 500


QUARTER_LABELS = dict(zip(DutyItem.QUARTERS, signing.QUARTER_LABELS, strict=True))


@dataclass(frozen=True)
class GridRow:
    values: dict[str, str]
    entry: CatalogueEntry | None
    responsible_name: str

    @property
    def quarters(self) -> list[tuple[str, str, str]]:
        return [(q, QUARTER_LABELS[q], self.values[q]) for q in DutyItem.QUARTERS]


@dataclass
class Editor:
    """What the grid needs besides the rows: the catalogue entries and the unit's people."""

    entries: dict[str, CatalogueEntry]
    people: list[Person]

    def grid(self, rows: Iterable[dict[str, str]]) -> list[GridRow]:
        names = {p.person_no: p.name for p in self.people}
        return [
            GridRow(
                {f: row.get(f, "") for f in GRID_FIELDS},
                self.entries.get(row.get("entry", "")),
                names.get(row.get("responsible", ""), ""),
            )
            for row in rows
        ]


def editor_for(duty_list: DutyList) -> Editor:
    entries = duty_list.catalogue.entries.filter(list_type=duty_list.list_type).order_by("seq")
    people = (
        Person.objects.filter(duty_list.org.subtree_q("org__"), is_active=True)
        .select_related("org")
        .order_by("org__path", "name")[:PEOPLE_LIMIT]
    )
    return Editor({e.ref: e for e in entries}, list(people))


def grid_rows(duty_list: DutyList) -> list[dict[str, str]]:
    """The stored rows in the grid's shape (the responsible person by number)."""
    items = duty_list.items.select_related("entry", "responsible").order_by("seq")
    return [
        {
            "entry": item.entry_ref or "",
            "name": item.name,
            "task": item.task,
            "responsible": item.responsible.person_no if item.responsible else "",
            "department": item.department,
            **{q: getattr(item, q) for q in DutyItem.QUARTERS},
        }
        for item in items
    ]


# Creating a list ---------------------------------------------------------------------


def led_orgs(user: User) -> QuerySet[Org]:
    return Org.objects.filter(pk__in=access.scope_for(user).leader_of).order_by("path")


def own_bodies(user: User) -> QuerySet[DisciplineBody]:
    bodies = DisciplineBody.objects.filter(pk__in=access.scope_for(user).bodies)
    return bodies.select_related("org").order_by("org__path", "name")


def leader_positions(user: User) -> QuerySet[Position]:
    """Current principals and members of the orgs the user leads: whose lists they may start."""
    today = timezone.localdate()
    return (
        Position.objects.filter(
            org_id__in=access.scope_for(user).leader_of,
            kind__in=LEADER_KINDS,
            start_date__lte=today,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("person", "org")
        .order_by("org__path", "kind", "person__name")
    )


def signatures_check(using: str) -> integrity.Result:
    """Every signature, and every signed list's seal, still covers the list's content."""
    result = integrity.Result("签字背书 SM3")
    signed = (
        DutyList.objects.using(using)
        .filter(Q(signatures__isnull=False) | ~Q(digest=""))
        .distinct()
        .select_related(*RELATED)
        .prefetch_related("signatures")
        .order_by("pk")
    )
    for duty_list in signed:
        content = signing.digest(canonical_text(duty_list))
        stored = [(s.get_role_display(), s.digest) for s in duty_list.signatures.all()]
        if duty_list.digest:
            stored.append((str(_("清单")), duty_list.digest))
        for role, digest in stored:
            result.checked += 1
            if digest != content:
                result.failures.append(
                    f"{duty_list}（第 {duty_list.version} 版）{role}：内容与签字摘要不符"
                )
    return result
