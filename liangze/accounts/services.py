"""Writes about accounts: logins, lockout, passwords, roles, API tokens."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liangze import access
from liangze.accounts.models import AdminRole, ApiToken, LoginFailure, User
from liangze.core import audit
from liangze.core.context import current_ip
from liangze.core.sm3 import sm3_hex
from liangze.orgs.models import Person


class LoginRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _recent_failures(username: str) -> int:
    since = timezone.now() - timedelta(minutes=settings.LIANGZE_LOCKOUT_MINUTES)
    return LoginFailure.objects.filter(username=username, at__gte=since).count()


def is_locked(username: str) -> bool:
    return _recent_failures(username) >= settings.LIANGZE_LOCKOUT_ATTEMPTS


def login_check(*, username: str, password: str) -> User:
    """The user for these credentials, or LoginRefused with the reason to show.

    After LIANGZE_LOCKOUT_ATTEMPTS failures within LIANGZE_LOCKOUT_MINUTES the
    username is locked for that long, even for the right password. Failures
    are committed on their own: the refusal must not roll them back.
    """
    username = username.strip()
    locked_message = _("连续登录失败次数过多，账号已锁定 %(minutes)s 分钟，请稍后再试。") % {
        "minutes": settings.LIANGZE_LOCKOUT_MINUTES
    }
    if is_locked(username):
        _record_failure(username, "locked", count=False)
        raise LoginRefused(locked_message)
    user = authenticate(username=username, password=password)
    if user is None:
        _record_failure(username, "bad_credentials", count=True)
        if is_locked(username):
            audit.record(actor=None, actor_name=username, verb=audit.Verb.LOCKED)
            raise LoginRefused(locked_message)
        raise LoginRefused(_("用户名或密码不正确。"))
    with transaction.atomic():
        LoginFailure.objects.filter(username=username).delete()
        audit.record(actor=user, verb=audit.Verb.LOGIN)
    return user


@transaction.atomic
def _record_failure(username: str, reason: str, *, count: bool) -> None:
    if count:
        LoginFailure.objects.create(username=username, ip=current_ip() or "", at=timezone.now())
    audit.record(
        actor=None, actor_name=username, verb=audit.Verb.LOGIN_FAILED, data={"reason": reason}
    )


def logout_recorded(*, user: User) -> None:
    audit.record(actor=user, verb=audit.Verb.LOGOUT)


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit.record(actor=user, verb=audit.Verb.UPDATE, obj=user, data={"field": "password"})


def generate_initial_password() -> str:
    """A random password that passes the rules; the user must change it at first login."""
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(10)) + "#"
        try:
            validate_password(candidate)
        except ValidationError:
            continue
        return candidate


ADMINS = (
    (AdminRole.SYSTEM, "sysadmin"),
    (AdminRole.SECURITY, "secadmin"),
    (AdminRole.AUDIT, "auditadmin"),
)


@transaction.atomic
def admins_init(*, usernames: dict[str, str], passwords: dict[str, str]) -> list[User]:
    """The three separated administrators of a new installation (三员分立), or none at all.

    `usernames` and `passwords` are keyed by AdminRole; every password is a one-time
    one, changed at first login. Once any administrator or any of the usernames
    exists, nothing changes: a second run must not reset a working site.
    """
    taken = User.objects.filter(
        Q(admin_role__in=[role for role, _default in ADMINS]) | Q(username__in=usernames.values())
    )
    if taken.exists():
        return []
    created = []
    for role, _default in ADMINS:
        user = User(username=usernames[role].strip(), admin_role=role, must_change_password=True)
        validate_password(passwords[role], user)
        user.set_password(passwords[role])
        user.full_clean()
        user.save()
        audit.record(actor=None, verb=audit.Verb.CREATE, obj=user, data={"admin_role": role})
        created.append(user)
    return created


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    person: Person | None = None,
    admin_role: str = AdminRole.NONE,
    password: str | None = None,
) -> tuple[User, str]:
    """A new account with an initial password (returned once, never stored in clear)."""
    access.require_role(actor, access.SECURITY)
    user = User(username=username.strip(), person=person, admin_role=admin_role)
    initial = password or generate_initial_password()
    validate_password(initial, user)
    user.set_password(initial)
    user.must_change_password = True
    user.full_clean()
    user.save()
    audit.record(
        actor=actor,
        verb=audit.Verb.CREATE,
        obj=user,
        data={"admin_role": admin_role, "person": str(person.code) if person else ""},
    )
    return user, initial


@transaction.atomic
def user_reset_password(*, actor: User, user: User) -> str:
    access.require_role(actor, access.SECURITY)
    initial = generate_initial_password()
    user.set_password(initial)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    LoginFailure.objects.filter(username=user.username).delete()
    audit.record(actor=actor, verb=audit.Verb.UPDATE, obj=user, data={"field": "password_reset"})
    return initial


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> None:
    access.require_role(actor, access.SECURITY)
    LoginFailure.objects.filter(username=user.username).delete()
    audit.record(actor=actor, verb=audit.Verb.UPDATE, obj=user, data={"field": "unlock"})


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> None:
    access.require_role(actor, access.SECURITY)
    if user.pk == actor.pk:
        raise ValidationError(_("不能停用自己的账号。"))
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(
        actor=actor, verb=audit.Verb.UPDATE, obj=user, data={"is_active": [not active, active]}
    )


@transaction.atomic
def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """A new token for the actor's own use; the clear value is returned once."""
    if not name.strip():
        raise ValidationError({"name": _("请填写令牌用途。")})
    clear = "lz_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name.strip(), digest=sm3_hex(clear.encode()), prefix=clear[:8]
    )
    audit.record(actor=actor, verb=audit.Verb.CREATE, obj=token)
    return token, clear


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    if token.user_id != actor.pk:
        # Someone else's token does not exist for the actor (outsider: 404).
        access.deny(actor, obj=token, reason="not_owner", hide=True)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor=actor, verb=audit.Verb.UPDATE, obj=token, data={"revoked": True})


def user_for_token(clear: str) -> User | None:
    """The active user behind a bearer token, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=sm3_hex(clear.encode()), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
