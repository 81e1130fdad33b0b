from itertools import groupby
from operator import attrgetter
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liangze.accounts.models import User
from liangze.core.forms import BootstrapMixin
from liangze.core.workdays import add_workdays
from liangze.duties.models import DutyItem
from liangze.orgs.models import Org, Person
from liangze.supervision.inspections import queries
from liangze.supervision.models import (
    Finding,
    Inspection,
    InspectionTarget,
    Sanction,
    UnitFlag,
    Verdict,
)
from liangze.supervision.rectifications.services import RECTIFICATION_WORKDAYS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# text_area and year_choices are public because the 整改 forms (rectifications.forms) reuse them.
def text_area(label: Any, *, rows: int, required: bool = True) -> forms.CharField:
    """A multi-line text field `rows` high."""
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


def year_choices() -> list[tuple[str, str]]:
    this = timezone.localdate().year
    return [("", str(_("全部年度")))] + [(str(y), f"{y}年") for y in range(this + 1, this - 5, -1)]


class InspectionFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("名称或检查范围"), required=False)
    kind = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部类别")), *Inspection.Kind.choices]
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部状态")), *Inspection.Status.choices]
    )
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()  # type: ignore[attr-defined]  # a ChoiceField, as declared

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "text": data["q"].strip(),
            "kind": data["kind"],
            "status": data["status"],
            "year": data["year"],
        }


class PeopleField(forms.ModelMultipleChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        where = f"{obj.org.name} {obj.department}".strip()
        return f"{obj.name}（{where}）"


class OrgChoiceField(forms.ModelChoiceField[Org]):
    def label_from_instance(self, obj: Org) -> str:
        return f"{'　' * max(obj.depth - 1, 0)}{obj.name}"


class InspectionForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=Inspection.Kind.choices)
    title = forms.CharField(label=_("名称"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    period = forms.CharField(
        label=_("期间"), max_length=8, help_text=_("全年填 2026，半年 2026-H2，月度 2026-M07。")
    )
    organiser = forms.ChoiceField(label=_("组织机关"))
    org = OrgChoiceField(
        label=_("检查范围"),
        queryset=Org.objects.none(),
        help_text=_("检查覆盖该单位及其下级；范围内的必查单位自动列入名单。"),
    )
    planned_start = forms.DateField(label=_("计划开始"), widget=DATE)
    planned_end = forms.DateField(label=_("计划结束"), widget=DATE)
    inspectors = PeopleField(
        label=_("检查人员"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    requirements = text_area(_("检查内容与要求"), rows=4, required=False)

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        today = timezone.localdate()
        kwargs.setdefault(
            "initial",
            {
                "kind": Inspection.Kind.SPECIAL,
                "year": today.year,
                "period": f"{today.year}-H{1 if today.month <= 6 else 2}",
                "planned_start": today,
                "planned_end": add_workdays(today, 20),
            },
        )
        super().__init__(*args, **kwargs)
        self.organisers = queries.organisers_for(user)
        fields: dict[str, Any] = self.fields
        fields["organiser"].choices = [(o.key, o.label) for o in self.organisers]
        fields["org"].queryset = queries.scope_choices(self.organisers)
        people = queries.inspector_choices(self.organisers)
        # A sliced queryset cannot be filtered when the form checks the ticks: bound it by ids.
        shown = list(people.values_list("pk", flat=True)[: queries.PICKER_LIMIT])
        fields["inspectors"].queryset = people.filter(pk__in=shown)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("计划结束日期不能早于开始日期。"))
        return data

    def arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        organiser = next(o for o in self.organisers if o.key == data.pop("organiser"))
        data["organiser_body"] = organiser.body
        data["organiser_org"] = organiser.org
        data["issuing_group"] = organiser.group
        data["inspectors"] = list(data["inspectors"])
        return data


class TargetAddForm(BootstrapMixin, forms.Form):
    org = forms.CharField(label=_("单位名称或组织编号"), max_length=200)


class DrawForm(BootstrapMixin, forms.Form):
    size = forms.IntegerField(label=_("抽取数量"), min_value=1, max_value=1000)
    rule = forms.ChoiceField(label=_("抽取总体"), choices=list(queries.POPULATION_RULES.items()))
    public_number = forms.CharField(
        label=_("公证数（可选）"),
        max_length=60,
        required=False,
        help_text=_("如当日公开开奖号码，当众录入；与抽取时刻、系统随机数一起组成随机种子。"),
    )


class ReasonForm(BootstrapMixin, forms.Form):
    reason = text_area(_("理由"), rows=2, required=False)


class CheckForm(BootstrapMixin, forms.Form):
    conclusion = text_area(_("检查意见"), rows=3)


class ConcludeForm(BootstrapMixin, forms.Form):
    summary = text_area(_("检查结论"), rows=4)


class ItemChoiceField(forms.ModelChoiceField[DutyItem]):
    def label_from_instance(self, obj: DutyItem) -> str:
        return str(obj)


class FindingForm(BootstrapMixin, forms.Form):
    description = text_area(_("问题描述"), rows=4)
    severity = forms.ChoiceField(label=_("严重程度"), choices=Finding.Severity.choices)
    duty_item = ItemChoiceField(
        label=_("对应清单事项"),
        queryset=DutyItem.objects.none(),
        required=False,
        empty_label=_("（不针对具体事项）"),
    )
    is_perfunctory = forms.BooleanField(
        label=_("认定为“走过场”"),
        required=False,
        help_text=_("敷衍塞责、走过场、装样子；认定后由组织机关作出责令重新开展、约谈或通报。"),
    )
    rectify = forms.BooleanField(label=_("同时下达整改"), required=False, initial=True)
    deadline = forms.DateField(label=_("整改期限"), required=False, widget=DATE)
    requirement = text_area(_("整改要求"), rows=2, required=False)

    def __init__(self, target: InspectionTarget, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "rectify": True,
                "deadline": add_workdays(timezone.localdate(), RECTIFICATION_WORKDAYS),
            },
        )
        super().__init__(*args, **kwargs)
        items = queries.unit_items(target.org, target.inspection.year)
        field: Any = self.fields["duty_item"]
        field.queryset = items
        field.choices = [("", field.empty_label)] + [
            (str(duty_list), [(item.pk, str(item)) for item in group])
            for duty_list, group in groupby(items, key=attrgetter("duty_list"))
        ]

    def arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class RectifyForm(BootstrapMixin, forms.Form):
    deadline = forms.DateField(label=_("整改期限"), required=False, widget=DATE)
    requirement = text_area(_("整改要求"), rows=2, required=False)


class SanctionForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("处理方式"), choices=Sanction.Kind.choices)
    decided_on = forms.DateField(label=_("决定日期"), required=False, widget=DATE)
    note = text_area(_("说明"), rows=2, required=False)


class VerdictForm(forms.Form):
    item = forms.IntegerField()
    value = forms.ChoiceField(choices=Verdict.Value.choices)
    note = forms.CharField(max_length=500, required=False)


class FlagFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("单位或说明"), required=False)
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    reason = forms.ChoiceField(
        label=_("必查原因"), required=False, choices=[("", _("全部原因")), *UnitFlag.Reason.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()  # type: ignore[attr-defined]  # a ChoiceField, as declared

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"text": data["q"].strip(), "year": data["year"], "reason": data["reason"]}


class FlagForm(BootstrapMixin, forms.Form):
    org = forms.CharField(
        label=_("单位名称或组织编号"),
        max_length=200,
        widget=forms.TextInput(attrs={"list": "flaggable-orgs", "autocomplete": "off"}),
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    reason = forms.ChoiceField(label=_("必查原因"), choices=UnitFlag.Reason.choices)
    note = forms.CharField(
        label=_("说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如案件名称、线索来源；问责模块上线后由案件和线索自动标记。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)
