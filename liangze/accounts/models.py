from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liangze.core.models import CodedModel
from liangze.orgs.models import Person


class AdminRole(models.TextChoices):
    """三员分立: three administrators, each limited to their own work (NF-3)."""

    NONE = "", _("业务用户")
    SYSTEM = "system", _("系统管理员")
    SECURITY = "security", _("安全管理员")
    AUDIT = "audit", _("审计管理员")


class User(CodedModel, AbstractUser):
    """A login. A business user is bound to a Person; an administrator never is."""

    person = models.OneToOneField(
        Person,
        verbose_name=_("对应人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
    )
    admin_role = models.CharField(
        _("管理角色"), max_length=10, choices=AdminRole.choices, blank=True, default=""
    )
    must_change_password = models.BooleanField(_("须修改初始密码"), default=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(admin_role="") | models.Q(person__isnull=True),
                name="admin_is_not_business_user",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.person is not None:
            return f"{self.person.name}（{self.username}）"
        return f"{self.get_admin_role_display()}（{self.username}）"

    def clean(self) -> None:
        super().clean()
        if self.admin_role and self.person_id:
            raise ValidationError({"person": _("管理员账号不能绑定业务人员（三员分立）。")})
        if not self.admin_role and not self.person_id and not self.is_superuser:
            raise ValidationError({"person": _("业务用户必须绑定一名人员。")})


class LoginFailure(models.Model):
    """A failed login; enough recent ones for a username lock it (等保 lockout)."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.CharField(max_length=45, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("登录失败记录")

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"


# The periods a token may be created for, in days: short enough that a forgotten one ends.
TOKEN_LIFETIMES = (30, 90, 180, 365)
TOKEN_DEFAULT_LIFETIME = 90


class ApiToken(CodedModel):
    """A bearer token for the JSON API; only its SM3 digest is stored.

    It ends by itself at `expires_at`, and for good when revoked: by its owner, or
    with every other token of the account when the password changes, the account is
    disabled or its second factor is reset. Re-enabling an account revives none.
    """

    class Scope(models.TextChoices):
        READ = "read", _("只读")
        WRITE = "write", _("读写")

    class RevokeReason(models.TextChoices):
        OWNER = "owner", _("本人吊销")
        PASSWORD = "password", _("密码变更")
        DISABLED = "disabled", _("账号停用")
        TWO_FACTOR = "two_factor", _("双因素重置")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("前缀"), max_length=8)
    scope = models.CharField(_("权限范围"), max_length=8, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_reason = models.CharField(
        _("吊销原因"), max_length=12, choices=RevokeReason.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
