from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from liangze import access
from liangze.accounts.models import User
from liangze.core.forms import BootstrapMixin
from liangze.orgs import queries
from liangze.orgs.models import (
    DisciplineBody,
    GroupRole,
    LeadingGroup,
    Org,
    Position,
    Rank,
)


class PeopleFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("姓名或编号"), required=False)
    org = forms.UUIDField(label=_("单位"), required=False, widget=forms.HiddenInput)
    rank = forms.ChoiceField(
        label=_("职级"), required=False, choices=[("", _("全部职级"))] + Rank.choices
    )
    party = forms.ChoiceField(
        label=_("政治面貌"),
        required=False,
        choices=[("", _("全部")), ("yes", _("党员")), ("no", _("非党员"))],
    )


class OrgImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("Excel 文件"),
        help_text=_("按模板填写的 .xlsx 文件，不超过 20 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LeadingGroupForm(BootstrapMixin, forms.Form):
    """A leading group's particulars; `dissolved` only once it exists."""

    name = forms.CharField(label=_("名称"), max_length=200)
    kind = forms.ChoiceField(label=_("类别"), choices=LeadingGroup.Kind.choices)
    body = forms.ModelChoiceField(
        label=_("成立机关（纪检机构）"),
        queryset=DisciplineBody.objects.none(),
        required=False,
        empty_label=_("（由本单位党组织成立）"),
    )
    established = forms.DateField(label=_("成立日期"), widget=DATE)
    dissolved = forms.DateField(
        label=_("撤销日期"),
        widget=DATE,
        required=False,
        help_text=_("填写后，仍在任的成员于当日一并离任。"),
    )
    office_org = forms.ModelChoiceField(label=_("办公室所在单位"), queryset=Org.objects.none())
    office_section = forms.CharField(
        label=_("办公室所在科室"),
        max_length=100,
        required=False,
        help_text=_(
            "如 宣教室、监察室：该科室人员可以领导小组办公室名义开展工作；留空表示该单位全体人员。"
        ),
    )
    purpose = forms.CharField(
        label=_("职责"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, org: Org, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["body"].queryset = org.discipline_bodies.all()
        fields["office_org"].queryset = queries.office_choices(org)
        if not editing:
            del fields["dissolved"]


class MembershipForm(BootstrapMixin, forms.Form):
    """A new seat: chosen by a current post at the group's units, or by person number."""

    position = forms.ModelChoiceField(
        label=_("按职务选择"),
        queryset=Position.objects.none(),
        required=False,
        empty_label=_("（不按职务选择）"),
    )
    person_no = forms.CharField(
        label=_("或人员编号"),
        max_length=64,
        required=False,
        help_text=_("不在上列单位任职的人员，填写其人员编号。"),
    )
    role = forms.ChoiceField(label=_("小组职务"), choices=GroupRole.choices)
    start_date = forms.DateField(label=_("起始日期"), widget=DATE)
    end_date = forms.DateField(label=_("结束日期"), widget=DATE, required=False)

    def __init__(self, user: User, group: LeadingGroup, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        fields: dict[str, Any] = self.fields
        fields["position"].queryset = queries.member_choices(group)
        fields["position"].label_from_instance = lambda p: f"{p.person.name} · {p.title}"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        position, number = data.get("position"), data.get("person_no", "").strip()
        if bool(position) == bool(number):
            self.add_error("position", _("请按职务选择一名人员，或填写人员编号，二者选一。"))
        elif number:
            person = (
                access.people_visible_to(self.user, administering=True)
                .filter(person_no=number)
                .first()
            )
            if person is None:
                self.add_error("person_no", _("找不到人员编号为“%(no)s”的人员。") % {"no": number})
            data["person"] = person
        elif position is not None:
            data["person"] = position.person
        return data

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = ("person", "position", "role", "start_date", "end_date")
        return {name: data.get(name) for name in fields}


class MembershipEndForm(BootstrapMixin, forms.Form):
    end_date = forms.DateField(label=_("离任日期"), widget=DATE)
