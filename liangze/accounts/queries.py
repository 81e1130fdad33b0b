from typing import Any

from django.db.models import Q, QuerySet

from liangze import access
from liangze.accounts.models import ApiToken, User


def users_search(actor: User, *, text: str = "", admin_role: str = "all") -> QuerySet[User]:
    access.require_role(actor, access.SECURITY)
    users = User.objects.select_related("person__org").order_by("username")
    if text:
        users = users.filter(Q(username__icontains=text) | Q(person__name__icontains=text))
    if admin_role != "all" and admin_role is not None:
        users = users.filter(admin_role=admin_role)
    return users


def get_user_for_security_admin(actor: User, code: Any) -> User:
    access.require_role(actor, access.SECURITY)
    return access.get_within(actor, User.objects.all(), code=code)


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def get_own_token(user: User, code: Any) -> ApiToken:
    # Another user's token is not there for this one: 404, audited.
    return access.get_within(user, ApiToken.objects.filter(user=user), code=code)
