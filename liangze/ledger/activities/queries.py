"""Reads of activities and what the activity form offers, scoped by core.access."""

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liangze import access
from liangze.accounts.models import User
from liangze.duties.models import DutyItem
from liangze.ledger import policy
from liangze.ledger.models import Activity
from liangze.orgs.models import LEADER_KINDS, Org, Person, Position, PositionKind

PICKER_LIMIT = 300
HEAD_KINDS = (PositionKind.PRINCIPAL, PositionKind.BRANCH_SECRETARY)


def activities_visible_to(user: User) -> QuerySet[Activity]:
    return Activity.objects.filter(access.visible_q(user, Activity))


def activity_search(
    user: User,
    *,
    text: str = "",
    kind: str = "",
    org: str = "",
    host: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[Activity]:
    """Activities the user sees; `org` and `host` match by name, `text` the subject,
    the minutes and the participants' names. A page of any size is the same few queries:
    the rows, then the participants and the evidence of all of them."""
    found = activities_visible_to(user)
    if text:
        talked_to = Activity.objects.filter(participants__name__icontains=text).values("pk")
        found = found.filter(
            Q(subject__icontains=text) | Q(minutes__icontains=text) | Q(pk__in=talked_to)
        )
    if kind:
        found = found.filter(kind=kind)
    if org:
        found = found.filter(org__name__icontains=org)
    if host:
        found = found.filter(host__name__icontains=host)
    if since:
        found = found.filter(held_on__gte=since)
    if until:
        found = found.filter(held_on__lte=until)
    return (
        found.select_related("org", "host")
        .prefetch_related("participants", "evidence")
        .order_by("-held_on", "-created_at")
    )


def get_activity_for_user(user: User, code: Any, action: str = access.VIEW) -> Activity:
    related = Activity.objects.select_related("org", "host__org", "entered_by__person")
    return access.get_for_user(
        user,
        related.prefetch_related(
            "participants__org", "evidence", "items__duty_list__org", "items__duty_list__person"
        ),
        action,
        code=code,
    )


EXPORT_HEADERS = (
    _("日期"),
    _("类别"),
    _("单位"),
    _("主持/谈话/授课/报告人"),
    _("参加/谈话对象"),
    _("主题"),
    _("报告类别"),
    _("报送对象"),
    _("记录"),
    _("佐证材料（件）"),
)


def export_rows(activities: QuerySet[Activity]) -> Iterator[tuple[Any, ...]]:
    """The spreadsheet rows of a search, read in chunks (prefetching per chunk)."""
    for a in activities.iterator(chunk_size=500):
        yield (
            a.held_on,
            a.get_kind_display(),
            a.org.name,
            a.host.name,
            "、".join(p.name for p in a.participants.all()),
            a.subject,
            a.get_report_kind_display(),
            "；".join(filter(None, (a.get_recipients_display(), a.recipient))),
            a.minutes,
            len(a.evidence.all()),
        )


# The activity form ------------------------------------------------------------------


def recordable_orgs(user: User) -> QuerySet[Org]:
    """The units policy.may_record lets the user record for: their own and the ones they lead."""
    if access.role(user):
        return Org.objects.none()
    scope = access.scope_for(user)
    return Org.objects.filter(Q(pk=scope.own_org_id) | Q(pk__in=scope.leader_of)).order_by("path")


def _on_duty() -> Q:
    today = timezone.localdate()
    return Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))


def pickable_people(user: User, org: Org, include: Iterable[Person] = ()) -> QuerySet[Person]:
    """Who the form offers: the unit's people, then the heads of its child units and of the
    units its leaders liaise with (分管、联系单位) — the people talks are counted over.

    `include` keeps the people an existing activity names even if they have left since.
    Capped at PICKER_LIMIT.
    """
    if not policy.may_record(user, org):
        return Person.objects.none()
    leaders = Position.objects.filter(_on_duty(), org=org, kind__in=LEADER_KINDS)
    heads = Position.objects.filter(_on_duty(), kind__in=HEAD_KINDS).filter(
        Q(org__parent=org)
        | Q(org__portfolio_positions__in=leaders)
        | Q(org__liaison_positions__in=leaders)
    )
    wanted = Q(org=org, is_active=True) | Q(pk__in=heads.values("person_id"))
    wanted |= Q(pk__in=[p.pk for p in include])
    # The unit's team first, then its other people, then heads of other units.
    place = Case(
        When(pk__in=leaders.values("person_id"), then=Value(0)),
        When(org=org, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    order = ("place", "org__path", "name")
    # The cap is taken on ids first: a form field's queryset cannot be a slice.
    ids = list(
        Person.objects.filter(wanted)
        .annotate(place=place)
        .order_by(*order)
        .values_list("pk", flat=True)[:PICKER_LIMIT]
    )
    return (
        Person.objects.filter(pk__in=ids)
        .select_related("org")
        .annotate(place=place)
        .order_by(*order)
    )


def linkable_items(org: Org, include: Iterable[DutyItem] = ()) -> QuerySet[DutyItem]:
    """Items of the unit's lists in force of this year and last (an activity in January
    often still proves last year's work), and those an existing activity links already."""
    recent = Q(
        duty_list__org=org,
        duty_list__in_force=True,
        duty_list__year__gte=timezone.localdate().year - 1,
    )
    return (
        DutyItem.objects.filter(recent | Q(pk__in=[i.pk for i in include]))
        .select_related("duty_list__org", "duty_list__person")
        .order_by(
            "-duty_list__year", "duty_list__list_type", "duty_list__holder_key", "duty_list", "seq"
        )
    )


def default_host(user: User, org: Org) -> int | None:
    """The user's own person when they lead the unit: leaders record their own talks."""
    scope = access.scope_for(user)
    return scope.own_person_id if org.pk in scope.leader_of else None
