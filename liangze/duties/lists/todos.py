"""To-dos from responsibility lists: what to fill, sign, submit, revise, review or publish."""

from collections.abc import Iterator

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liangze import access
from liangze.accounts.models import User
from liangze.core.todos import Todo
from liangze.duties import policy
from liangze.duties.lists import queries
from liangze.duties.models import DutyList, ListType, Signature

Status = DutyList.Status
LIMIT = 50


def _todo(kind: str, duty_list: DutyList) -> Todo:
    today = timezone.localdate()
    due = duty_list.deadline
    overdue = bool(
        due and due < today and duty_list.status in (Status.DRAFT, Status.DISCUSSED, Status.SIGNED)
    )
    return Todo(kind, str(duty_list), duty_list.get_absolute_url(), due, overdue)


def for_user(user: User) -> Iterator[Todo]:
    if access.role(user) or not user.is_authenticated:
        return
    scope = access.scope_for(user)
    current = DutyList.objects.filter(is_current=True).select_related("org", "person")
    held = current.filter(policy.held_q(scope)).filter(
        status__in=(Status.DRAFT, Status.DISCUSSED, Status.SIGNED, Status.RETURNED)
    )
    labels = {
        Status.DRAFT: _("编制清单"),
        Status.DISCUSSED: _("签字背书"),
        Status.SIGNED: _("报送清单"),
        Status.RETURNED: _("修改退回的清单"),
    }
    signed = Signature.objects.filter(duty_list=OuterRef("pk"))
    held = held.annotate(
        signed_by_me=Exists(signed.filter(signer=user)),
        principal_signed=Exists(signed.filter(role=Signature.Role.PRINCIPAL)),
    )
    for mine in held[:LIMIT]:
        if mine.status == Status.DISCUSSED and mine.signed_by_me:
            continue  # their line is signed; the list waits for the others'
        label = labels[Status(mine.status)]
        own = mine.list_type == ListType.MEMBER and mine.person_id == scope.own_person_id
        if mine.status == Status.DISCUSSED and own and mine.principal_signed:
            label = _("待签字")  # the principal has signed: the member's line is the one missing
        yield _todo(label, mine)
    to_sign = (
        current.filter(status=Status.DISCUSSED, org_id__in=scope.principal_of)
        .exclude(policy.held_q(scope))
        .exclude(Exists(signed.filter(signer=user)))
    )
    for duty_list in to_sign[:LIMIT]:
        yield _todo(_("签字背书"), duty_list)
    to_publish = current.filter(status=Status.ACCEPTED).filter(
        Q(org_id__in=scope.principal_of) | policy.held_q(scope)
    )
    for duty_list in to_publish[:LIMIT]:
        yield _todo(_("公示清单"), duty_list)
    for duty_list in queries.review_queue(user)[:LIMIT]:
        yield _todo(_("审核清单"), duty_list)
