"""Reads of 整改, scoped by access; the dashboard's roll-up of open ones."""

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy

from liangze import access
from liangze.accounts.models import User
from liangze.core.periods import end_of
from liangze.orgs.models import Org
from liangze.orgs.tree import PATH_STEP
from liangze.supervision.models import OPEN_RECTIFICATION, Rectification

R = Rectification.Status

# For the dashboard ---------------------------------------------------------------


def open_on_q(as_of: date) -> Q:
    """Rectifications open at the end of `as_of`: opened by then and not yet verified by then.

    A rectification opens when it is created (recording a finding with `rectify`, or
    `rectification_open`): `created_at`. It closes only when verified, and verified is
    final (only a reported one is verified or returned), so a verified one's
    `reviewed_at` is the moment it closed; a returned one's `reviewed_at` is the return,
    which leaves it open. There is no status history, and none is needed: any status
    other than verified has been open since `created_at`. A verified one without
    `reviewed_at` (data from before it was kept) counts as closed, as it always did.
    """
    moment = end_of(as_of)
    return Q(created_at__lt=moment) & (
        Q(status__in=OPEN_RECTIFICATION) | Q(status=R.VERIFIED, reviewed_at__gte=moment)
    )


def open_rectifications_by_child(org: Org, year: int, as_of: date) -> dict[int, int]:
    """Rectifications open on `as_of` (see open_on_q), for inspections of `year`, rolled
    up one level.

    Keys: `org.id` for those at the org itself, and each direct child's id for
    its whole subtree; children without any are left out. One GROUP BY over
    the path prefix (plus one query naming the branches found), whatever the
    size of the subtree. Not scoped: the caller has already shown `org`.
    A back-filled weekly snapshot passes its own date, so a past week does not
    count today's rectifications; the live dashboard passes today.
    """
    prefix_len = len(org.path) + PATH_STEP
    grouped = (
        Rectification.objects.filter(
            org.subtree_q("org__"),
            open_on_q(as_of),
            finding__inspection__year=year,
        )
        .annotate(branch=Substr("org__path", 1, prefix_len))
        .values("branch")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_branch = {row["branch"]: row["n"] for row in grouped}
    if not by_branch:
        return {}
    ids = dict(Org.objects.filter(path__in=list(by_branch)).values_list("path", "pk"))
    return {ids[branch]: n for branch, n in by_branch.items() if branch in ids}


# Rectifications ---------------------------------------------------------------------


def rectifications_visible_to(user: User) -> QuerySet[Rectification]:
    return Rectification.objects.filter(access.visible_q(user, Rectification))


def rectification_search(
    user: User,
    *,
    text: str = "",
    status: str = "",
    year: int | None = None,
    overdue: bool = False,
    mine: bool = False,
) -> QuerySet[Rectification]:
    found = rectifications_visible_to(user)
    if text:
        found = found.filter(
            Q(org__name__icontains=text)
            | Q(finding__description__icontains=text)
            | Q(finding__inspection__title__icontains=text)
        )
    if status:
        found = found.filter(status=status)
    if year:
        found = found.filter(finding__inspection__year=year)
    if overdue:
        found = found.filter(
            deadline__lt=timezone.localdate(), status__in=(R.OPEN, R.PLANNED, R.RETURNED)
        )
    if mine:
        scope = access.scope_for(user)
        found = found.filter(Q(org_id=scope.own_org_id) | Q(org_id__in=scope.leader_of))
    return found.select_related("org", "finding__inspection").order_by("deadline", "pk")


def get_rectification_for_user(user: User, code: Any, action: str = access.VIEW) -> Rectification:
    related = Rectification.objects.select_related(
        "org",
        "reviewed_by",
        "finding__duty_item__duty_list",
        "finding__target",
        "finding__inspection__org",
        "finding__inspection__organiser_body__org",
        "finding__inspection__organiser_org",
    )
    return access.get_for_user(user, related, action, code=code)


def is_overdue(rectification: Rectification, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        rectification.status in (R.OPEN, R.PLANNED, R.RETURNED) and rectification.deadline < today
    )


RECTIFICATION_HEADERS = (
    gettext_lazy("整改单位"),
    gettext_lazy("督查检查"),
    gettext_lazy("问题"),
    gettext_lazy("整改期限"),
    gettext_lazy("状态"),
    gettext_lazy("整改方案"),
    gettext_lazy("整改情况"),
    gettext_lazy("验收意见"),
)


def rectification_rows(found: QuerySet[Rectification]) -> Iterator[tuple[Any, ...]]:
    for r in found.select_related("finding").iterator(chunk_size=500):
        yield (
            r.org.name,
            r.finding.inspection.title,
            r.finding.description,
            r.deadline,
            r.get_status_display(),
            r.plan,
            r.report,
            r.review_note,
        )
