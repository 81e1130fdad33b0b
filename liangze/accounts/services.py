"""Writes about accounts: logins, lockout, passwords, roles, API tokens."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liangze import access
from liangze.accounts.models import (
    TOKEN_DEFAULT_LIFETIME,
    TOKEN_LIFETIMES,
    AdminRole,
    ApiToken,
    LoginFailure,
    User,
)
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
    tokens_revoke_all(user, ApiToken.RevokeReason.PASSWORD, actor=user)


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
    tokens_revoke_all(user, ApiToken.RevokeReason.PASSWORD, actor=actor)
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
    if not active:
        tokens_revoke_all(user, ApiToken.RevokeReason.DISABLED, actor=actor)


@transaction.atomic
def api_token_create(
    *,
    actor: User,
    name: str,
    scope: str = ApiToken.Scope.READ,
    lifetime_days: int = TOKEN_DEFAULT_LIFETIME,
) -> tuple[ApiToken, str]:
    """A new token for the actor's own use; the clear value is returned once.

    Read-only and 90 days unless asked otherwise: a token that only reports figures
    must not be able to write, and one that is forgotten must end by itself.
    """
    if not name.strip():
        raise ValidationError({"name": _("请填写令牌用途。")})
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": _("权限范围不正确。")})
    if lifetime_days not in TOKEN_LIFETIMES:
        raise ValidationError({"lifetime_days": _("有效期不正确。")})
    clear = "lz_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name.strip(),
        digest=sm3_hex(clear.encode()),
        prefix=clear[:8],
        scope=scope,
        expires_at=timezone.now() + timedelta(days=lifetime_days),
    )
    audit.record(
        actor=actor,
        verb=audit.Verb.CREATE,
        obj=token,
        data={"scope": scope, "expires_at": token.expires_at.isoformat()},
    )
    return token, clear


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    if token.user_id != actor.pk:
        # Someone else's token does not exist for the actor (outsider: 404).
        access.deny(actor, obj=token, reason="not_owner", hide=True)
    token.revoked_at = timezone.now()
    token.revoked_reason = ApiToken.RevokeReason.OWNER
    token.save(update_fields=["revoked_at", "revoked_reason"])
    audit.record(actor=actor, verb=audit.Verb.UPDATE, obj=token, data={"revoked": True})


@transaction.atomic
def tokens_revoke_all(user: User, reason: str, *, actor: User | None = None) -> int:
    """Revoke every live token of `user` for good; how many were.

    Called when the password is changed or reset, when the account is disabled and
    when its second factor is reset (`reason`: ApiToken.RevokeReason): whoever had
    the old credentials may have copied a token too. Re-enabling the account later
    revives none of them. `actor` did it; None is the command line.
    """
    live = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    codes = [str(code) for code in live.values_list("code", flat=True)]
    if not codes:
        return 0
    ApiToken.objects.filter(code__in=codes).update(revoked_at=timezone.now(), revoked_reason=reason)
    audit.record(
        actor=actor,
        verb=audit.Verb.UPDATE,
        obj=user,
        data={"tokens_revoked": codes, "reason": reason},
    )
    return len(codes)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Seconds: a token's last use is written at most this often, and a client's failures
# with one reason are audited one event per window, the repeats counted into it.
TOKEN_QUIET_SECONDS = 60


class TokenRefused(Exception):
    """A bearer token that may not make this request; `reason` says why."""

    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"
    READ_ONLY = "read_only"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def token_authenticate(clear: str, *, method: str) -> User:
    """The user behind a bearer token, for a request with this HTTP method.

    Refused (TokenRefused, audited) when the token is unknown, revoked or its
    account disabled, expired, or read-only and the method writes. One query
    when refused, two at most when accepted.
    """
    token = ApiToken.objects.select_related("user").filter(digest=sm3_hex(clear.encode())).first()
    reason = _token_refusal(token, method)
    if token is None or reason:
        _record_token_failure(token, clear, reason, method)
        raise TokenRefused(reason)
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= timedelta(
        seconds=TOKEN_QUIET_SECONDS
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def _token_refusal(token: ApiToken | None, method: str) -> str:
    if token is None:
        return TokenRefused.UNKNOWN
    if token.revoked_at is not None or not token.user.is_active:
        return TokenRefused.REVOKED
    if token.is_expired:
        return TokenRefused.EXPIRED
    if token.scope == ApiToken.Scope.READ and method.upper() not in SAFE_METHODS:
        return TokenRefused.READ_ONLY
    return ""


def _record_token_failure(token: ApiToken | None, clear: str, reason: str, method: str) -> None:
    """Audit a refused token, once per window for each client address, reason and token.

    A client retrying a dead token, or guessing, would otherwise write one chained
    audit event per request; the failures in between are counted in the cache and
    carried by the next event as `repeats`. Of the secret only the prefix that the
    token page shows is kept.
    """
    key = f"accounts:token-refused:{current_ip() or ''}:{reason}:{token.pk if token else ''}"
    repeats_key = f"{key}:repeats"
    if not cache.add(key, True, timeout=TOKEN_QUIET_SECONDS):
        cache.add(repeats_key, 0, timeout=24 * 3600)
        cache.incr(repeats_key)
        return
    repeats = cache.get(repeats_key, 0)
    cache.delete(repeats_key)
    audit.record(
        actor=None,
        actor_name=token.user.get_username() if token else _("未知令牌"),
        verb=audit.Verb.DENIED if reason == TokenRefused.READ_ONLY else audit.Verb.LOGIN_FAILED,
        obj=token,
        data={
            "via": "api_token",
            "reason": reason,
            # Our tokens' prefix is shown on the token page; anything else may be a secret.
            "prefix": clear[:8] if clear.startswith("lz_") else "",
            "method": method.upper(),
            "repeats": repeats,
        },
    )
