from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
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


class ApiToken(CodedModel):
    """A bearer token for the JSON API; only its SM3 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("前缀"), max_length=8)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"
