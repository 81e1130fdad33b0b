from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from liangze.accounts.models import (
    TOKEN_DEFAULT_LIFETIME,
    TOKEN_LIFETIMES,
    AdminRole,
    ApiToken,
    User,
)
from liangze.core.forms import BootstrapMixin
from liangze.orgs.models import Person


class LoginForm(BootstrapMixin, forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput)


class PasswordChangeForm(BootstrapMixin, forms.Form):
    old_password = forms.CharField(label=_("当前密码"), widget=forms.PasswordInput)
    new_password = forms.CharField(label=_("新密码"), widget=forms.PasswordInput)
    confirm = forms.CharField(label=_("确认新密码"), widget=forms.PasswordInput)

    def __init__(self, user: User, *args: object, **kwargs: object) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self) -> str:
        value: str = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("当前密码不正确。"))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new, confirm = data.get("new_password"), data.get("confirm")
        if new and confirm and new != confirm:
            self.add_error("confirm", _("两次输入的新密码不一致。"))
        elif new:
            if new == data.get("old_password"):
                self.add_error("new_password", _("新密码不能与当前密码相同。"))
            else:
                try:
                    validate_password(new, self.user)
                except forms.ValidationError as error:
                    self.add_error("new_password", error)
        return data


class UserCreateForm(BootstrapMixin, forms.Form):
    username = forms.RegexField(
        label=_("用户名"),
        max_length=150,
        regex=r"^[A-Za-z0-9_.@-]+$",
        error_messages={"invalid": _("用户名只能包含字母、数字和 _ . @ -。")},
    )
    admin_role = forms.ChoiceField(label=_("角色"), choices=AdminRole.choices, required=False)
    person_no = forms.CharField(
        label=_("人员编号"), required=False, help_text=_("业务用户填写对应人员的编号；管理员留空。")
    )

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if User.objects.filter(username=username).exists():
            raise forms.ValidationError(_("该用户名已被使用。"))
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person_no = (data.get("person_no") or "").strip()
        if data.get("admin_role"):
            if person_no:
                self.add_error("person_no", _("管理员账号不能绑定业务人员（三员分立）。"))
            return data
        if not person_no:
            self.add_error("person_no", _("业务用户必须填写对应人员的编号。"))
            return data
        person = Person.objects.filter(person_no=person_no).first()
        if person is None:
            self.add_error("person_no", _("没有编号为 %(no)s 的人员。") % {"no": person_no})
        elif User.objects.filter(person=person).exists():
            self.add_error("person_no", _("该人员已有账号。"))
        data["person"] = person
        return data


class UserFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("用户名或姓名"), required=False)
    admin_role = forms.ChoiceField(
        label=_("角色"),
        required=False,
        initial="all",
        choices=[("all", _("全部角色"))] + AdminRole.choices,
    )


def _lifetime_choices() -> list[tuple[int, str]]:
    return [(days, _("%(days)s 天") % {"days": days}) for days in TOKEN_LIFETIMES]


class ApiTokenForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("用途"), max_length=100)
    lifetime_days = forms.TypedChoiceField(
        label=_("有效期"),
        coerce=int,
        initial=TOKEN_DEFAULT_LIFETIME,
        choices=_lifetime_choices,
    )
    scope = forms.ChoiceField(
        label=_("权限范围"),
        initial=ApiToken.Scope.READ,
        choices=ApiToken.Scope.choices,
        help_text=_("只读令牌只能查询数据；需要通过接口签收、提交时才选“读写”。"),
    )
