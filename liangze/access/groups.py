"""Leading groups' offices act in their group's name (ORG-5).

000 §五.1: “领导小组下设办公室（设在区纪委宣教室）”; 004 is signed by the
“区教育局落实党风廉政建设责任制领导小组办公室”. Whoever works in the office —
in its unit and section, or seated as 办公室主任/副主任 — may issue and run
what the group issues, while the group stands.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from liangze.access.refusals import _refusal
from liangze.access.scope import role, scope_for
from liangze.accounts.models import User
from liangze.orgs.models import OFFICE_ROLES, GroupAct, GroupMembership, LeadingGroup

NO_GROUP = Q(pk__in=[])


def _groups_acted_for_q(user: User | AnonymousUser) -> Q:
    if not user.is_authenticated or role(user):
        return NO_GROUP
    scope = scope_for(user)
    if scope.own_person_id is None:
        return NO_GROUP
    assert isinstance(user, User) and user.person is not None  # scope_for loaded it
    on = timezone.localdate()
    standing = Q(established__lte=on) & (Q(dissolved__isnull=True) | Q(dissolved__gte=on))
    staff = Q(office_org_id=scope.own_org_id) & (
        Q(office_section="") | Q(office_section=user.person.department)
    )
    seats = GroupMembership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on),
        person_id=scope.own_person_id,
        role__in=OFFICE_ROLES,
        start_date__lte=on,
    )
    return standing & (staff | Q(pk__in=seats.values("group_id")))


def groups_user_acts_for(user: User | AnonymousUser) -> QuerySet[LeadingGroup]:
    """The standing groups whose office the user works in."""
    return LeadingGroup.objects.filter(_groups_acted_for_q(user))


def acts_for_group(user: User | AnonymousUser | None, group: LeadingGroup) -> bool:
    """May `user` act in `group`'s name, as staff of its office? `None` is the operator."""
    return user is None or groups_user_acts_for(user).filter(pk=group.pk).exists()


def require_acts_for_group(user: User | AnonymousUser | None, group: LeadingGroup) -> None:
    """For services: 403, audited, unless the user works in the group's office."""
    if not acts_for_group(user, group):
        raise _refusal(PermissionDenied(), user, LeadingGroup, {}, group, "not_group_office")


def _acts(model: type[Model], user: User | AnonymousUser) -> QuerySet[GroupAct]:
    groups = groups_user_acts_for(user)
    return GroupAct.objects.filter(model=model._meta.label, group__in=groups)


def acted_in_group_name_q(user: User | AnonymousUser, model: type[Model], prefix: str = "") -> Q:
    """Rows of `model` issued in the name of a group whose office the user works in."""
    if not user.is_authenticated or role(user) or scope_for(user).own_person_id is None:
        return NO_GROUP
    return Q(**{f"{prefix}pk__in": _acts(model, user).values("object_id")})


def acts_for_issuer(user: User | AnonymousUser | None, obj: Model) -> bool:
    """Was `obj` issued in the name of a group whose office the user works in?"""
    if user is None:
        return True
    if obj.pk is None or not user.is_authenticated or role(user):
        return False
    return _acts(type(obj), user).filter(object_id=obj.pk).exists()
