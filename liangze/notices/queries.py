"""Reads behind the 三书 pages and API, scoped by core.access; a page in fixed queries."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from django.db.models import Count, Max, Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liangze import access
from liangze.accounts.models import User
from liangze.core.sm3 import sm3_hex
from liangze.duties.models import DutyList
from liangze.notices import numbering, policy, sources
from liangze.notices.models import Notice, NoticeFile, NoticeKind
from liangze.notices.sources import Issuer
from liangze.orgs.models import LEADER_KINDS, DisciplineBody, Org, Person, Position
from liangze.supervision.models import Reminder

RELATED = (
    "org",
    "issuer_body",
    "recipient_person__org",
    "recipient_org",
    "issued_by__person",
    "acknowledged_by__person",
)

# Which box of the register: everything visible, what the user signs for, what they issue.
BOX_ALL, BOX_RECEIVED, BOX_SENT = "all", "received", "sent"

# “Poor progress” (工作进展较差): this many overdue ledger cells in the year. Three, as the
# escalation ladder's 约谈 threshold (supervision/reminders/ladder.json): a unit that the
# ladder already proposes to 约谈 is the one a 督办书 is for; one late quarter is not a pattern.
POOR_PROGRESS_CELLS = 3


def notices_visible_to(user: User) -> QuerySet[Notice]:
    return Notice.objects.filter(access.visible_q(user, Notice)).select_related(*RELATED)


def notice_search(
    user: User,
    *,
    text: str = "",
    kind: str = "",
    status: str = "",
    issuer: str = "",
    recipient: str = "",
    year: int | None = None,
    box: str = BOX_ALL,
) -> QuerySet[Notice]:
    found = notices_visible_to(user)
    if box == BOX_RECEIVED:
        found = found.filter(policy.received_q(user)).exclude(status=Notice.Status.DRAFT)
    elif box == BOX_SENT:
        found = found.filter(policy.issuable_q(user))
    if text:
        found = found.filter(
            Q(title__icontains=text) | Q(number__icontains=text) | Q(body__icontains=text)
        )
    if kind:
        found = found.filter(kind=kind)
    if status:
        found = found.filter(status=status)
    if issuer:
        found = found.filter(issuer_name__icontains=issuer)
    if recipient:
        found = found.filter(recipient_name__icontains=recipient)
    if year:
        found = found.filter(year=year)
    return found.order_by("-year", "-issued_at", "-created_at", "-pk")


def get_notice_for_user(user: User, code: UUID, action: str = access.VIEW) -> Notice:
    return access.get_for_user(user, Notice.objects.select_related(*RELATED), action, code=code)


@dataclass(frozen=True)
class Actions:
    edit: bool
    issue: bool
    delete: bool
    acknowledge: bool


def actions_for(user: User, notice: Notice) -> Actions:
    may_issue = notice.is_draft and access.user_can(user, policy.ISSUE, notice)
    return Actions(
        edit=may_issue,
        issue=may_issue,
        delete=may_issue,
        acknowledge=notice.status == Notice.Status.ISSUED
        and access.user_can(user, policy.ACKNOWLEDGE, notice),
    )


@dataclass(frozen=True)
class FileCheck:
    sm3: str
    size: int
    intact: bool  # the stored bytes still hash to the digest recorded at issue


def file_check(notice: Notice) -> FileCheck | None:
    stored = NoticeFile.objects.filter(notice=notice).first()
    if stored is None:
        return None
    return FileCheck(stored.sm3, stored.size, sm3_hex(bytes(stored.content)) == stored.sm3)


def issued_file(notice: Notice) -> bytes | None:
    content = NoticeFile.objects.filter(notice=notice).values_list("content", flat=True).first()
    return bytes(content) if content is not None else None


# The register (发文登记簿) as Excel -----------------------------------------------------

EXPORT_HEADERS = (
    _("文号"),
    _("类别"),
    _("标题"),
    _("发文机关"),
    _("主送"),
    _("抄送/协办"),
    _("成文日期"),
    _("状态"),
    _("签收人"),
    _("签收时间"),
    _("报送期限"),
)


def export_rows(found: QuerySet[Notice]) -> Iterator[list[Any]]:
    for notice in found.iterator(chunk_size=500):
        acknowledged = (
            timezone.localtime(notice.acknowledged_at).strftime("%Y-%m-%d %H:%M")
            if notice.acknowledged_at
            else ""
        )
        yield [
            notice.number or str(_("（未编号）")),
            notice.get_kind_display(),
            notice.title,
            notice.issuer_name,
            notice.recipient_name,
            notice.cc_text,
            notice.issued_on,
            notice.get_status_display(),
            notice.acknowledged_name,
            acknowledged,
            notice.reply_due,
        ]


# Issuers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuerChoice:
    issuer: Issuer
    abbreviation: str

    @property
    def key(self) -> str:
        return self.issuer.key

    @property
    def name(self) -> str:
        return self.issuer.name


def issuers_for(user: User) -> list[IssuerChoice]:
    """In whose name the user may issue: orgs they lead (or clerk for), bodies they work in."""
    if access.role(user):
        return []
    scope = access.scope_for(user)
    org_ids = set(scope.leader_of)
    if scope.own_org_id is not None and policy.is_clerk_of(user, scope, scope.own_org_id):
        org_ids.add(scope.own_org_id)
    orgs = Org.objects.filter(pk__in=org_ids).order_by("path")
    bodies = (
        DisciplineBody.objects.filter(pk__in=scope.bodies)
        .select_related("org")
        .prefetch_related("supervised_orgs")
        .order_by("org__path", "name")
    )
    issuers = [Issuer(o) for o in orgs] + [Issuer(b.org, b) for b in bodies]
    return [IssuerChoice(i, numbering.abbreviation_for(i.org, i.body)) for i in issuers]


def issuer_by_key(user: User, key: str, *, orgs_only: bool = False) -> Issuer | None:
    for choice in issuers_for(user):
        if choice.key == key and not (orgs_only and choice.issuer.body is not None):
            return choice.issuer
    return None


# Choices on the edit form -------------------------------------------------------------

CHOICES_LIMIT = 500
M = TypeVar("M", bound=Model)
PAGE_LIMIT = 50


def _first(queryset: QuerySet[M]) -> QuerySet[M]:
    """The first CHOICES_LIMIT rows, as a queryset a form field can still filter (no slice)."""
    ids = list(queryset.values_list("pk", flat=True)[:CHOICES_LIMIT])
    return queryset.model._default_manager.filter(pk__in=ids).order_by(*queryset.query.order_by)


def recipient_orgs(issuer: Issuer) -> QuerySet[Org]:
    orgs = Org.objects.filter(issuer.area_q()).exclude(pk=issuer.org.pk).order_by("path")
    return _first(orgs)


def recipient_people(issuer: Issuer, kind: str) -> QuerySet[Person]:
    """Whom a notice may address: the team for a 告知书, any leader in the area for a 督办书."""
    today = timezone.localdate()
    if kind == NoticeKind.DUTY:
        area = Q(org=issuer.org)
    else:
        area = issuer.area_q("org__")
    holders = (
        Position.objects.filter(area, kind__in=LEADER_KINDS, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values("person_id")
    )
    people = Person.objects.filter(pk__in=holders).order_by("org__path", "name")
    return _first(people).select_related("org")


# Tasks (目标任务通知书) ---------------------------------------------------------------


def collective_for(user: User, org: Org, year: int) -> DutyList | None:
    """The unit's settled collective list, if the user may see it."""
    duty_list = sources.collective_list(org, year)
    if duty_list is None:
        return None
    visible = DutyList.objects.filter(access.visible_q(user, DutyList), pk=duty_list.pk)
    return duty_list if visible.exists() else None


# Poor progress (督办书) --------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    units: list[sources.Laggard]
    people: list[sources.Laggard]
    minimum: int
    ordered: set[str]  # laggard keys that already have a 督办书 from this issuer this year


def poor_progress(issuer: Issuer, year: int, minimum: int, on: date) -> Progress:
    cells = sources.overdue_cells(issuer.area_q("org__"), year, on)
    units, people = sources.laggards(cells, minimum)
    rows = Notice.objects.filter(
        issuer_key=issuer.key, kind=NoticeKind.ORDER, year=year
    ).values_list("recipient_person_id", "recipient_org_id")
    ordered = {f"p{p}" if p else f"o{o}" for p, o in rows}
    return Progress(units, people, minimum, ordered)


@dataclass(frozen=True)
class PendingOrder:
    """A unit the ladder wants a 督办书 for: its pending 督办书草稿 steps for one body."""

    org: Org
    body: DisciplineBody
    steps: int
    latest_on: date
    reminder_code: UUID  # the latest step; generating from it answers them all


def pending_orders(user: User, limit: int = PAGE_LIMIT) -> tuple[list[PendingOrder], int]:
    """Units with unanswered 督办书草稿 steps addressed to the user's bodies, most steps first,
    and how many such units there are in all (5 queries).

    Unanswered: no 督办书 drafted from it yet, read or not — a step whose draft was
    deleted is back here — and its cause still there (not 已消除).
    """
    if access.role(user):
        return [], 0
    scope = access.scope_for(user)
    steps = Reminder.objects.filter(
        step=Reminder.Step.SUPERVISION_ORDER_DRAFT,
        recipient_body_id__in=scope.bodies,
        notices__isnull=True,
        resolved_on__isnull=True,  # 已消除: nothing left to order
    )
    groups = (
        steps.values("org_id", "recipient_body_id")
        .annotate(steps=Count("pk"), latest=Max("pk"), latest_on=Max("raised_on"))
        .order_by("-steps", "org_id")
    )
    total = groups.count()
    rows = list(groups[:limit])
    orgs = Org.objects.in_bulk({r["org_id"] for r in rows})
    bodies = DisciplineBody.objects.in_bulk({r["recipient_body_id"] for r in rows})
    codes = dict(
        Reminder.objects.filter(pk__in=[r["latest"] for r in rows]).values_list("pk", "code")
    )
    found = [
        PendingOrder(
            org=orgs[r["org_id"]],
            body=bodies[r["recipient_body_id"]],
            steps=r["steps"],
            latest_on=r["latest_on"],
            reminder_code=codes[r["latest"]],
        )
        for r in rows
    ]
    return found, total


def order_of_reminder(user: User, reminder: Reminder) -> Notice | None:
    """The 督办书 made from the reminder, if the user may see it (the first, as
    services.order_from_reminder answers with it)."""
    return notices_visible_to(user).filter(reminders=reminder).order_by("pk").first()


def may_order_from(user: User, reminder: Reminder) -> bool:
    """May the user make the 督办书 of a 督办书草稿 step: staff of the body it is addressed to,
    the check services.order_from_reminder makes."""
    body = reminder.recipient_body
    if reminder.step != Reminder.Step.SUPERVISION_ORDER_DRAFT or body is None:
        return False
    probe = Notice(org=body.org, issuer_body=body, kind=NoticeKind.ORDER)
    return access.user_can(user, policy.ISSUE, probe)


def get_order_reminder(user: User, code: UUID) -> Reminder:
    reminders = Reminder.objects.select_related("org", "recipient_body__org")
    return access.get_for_user(user, reminders, code=code)
