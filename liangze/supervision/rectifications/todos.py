"""To-dos from inspections: 整改 the unit must plan or report, reports the organiser must verify."""

from collections.abc import Iterator

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liangze import access
from liangze.accounts.models import User
from liangze.core.todos import Todo
from liangze.supervision.models import Rectification

LIMIT = 50
R = Rectification.Status


def for_user(user: User) -> Iterator[Todo]:
    if access.role(user) or not getattr(user, "is_authenticated", False):
        return
    scope = access.scope_for(user)
    today = timezone.localdate()
    units = set(scope.leader_of)
    if scope.own_org_id is not None:
        units.add(scope.own_org_id)
    if units:
        to_do = (
            Rectification.objects.filter(
                org_id__in=units, status__in=(R.OPEN, R.PLANNED, R.RETURNED)
            )
            .select_related("org", "finding")
            .order_by("deadline", "pk")[:LIMIT]
        )
        for rectification in to_do:
            kind = _("制定整改方案") if rectification.status == R.OPEN else _("报告整改情况")
            yield Todo(
                kind,
                f"{rectification.org.name}：{rectification.finding.description[:40]}",
                rectification.get_absolute_url(),
                due=rectification.deadline,
                overdue=rectification.deadline < today,
            )
    organiser = Q(finding__inspection__organiser_body_id__in=scope.bodies) | Q(
        finding__inspection__organiser_org_id__in=scope.leader_of
    )
    if scope.oversees:
        to_verify = (
            Rectification.objects.filter(organiser, status=R.REPORTED)
            .select_related("org", "finding")
            .order_by("reported_at", "pk")[:LIMIT]
        )
        for rectification in to_verify:
            yield Todo(
                _("验收整改"),
                f"{rectification.org.name}：{rectification.finding.description[:40]}",
                rectification.get_absolute_url(),
            )
