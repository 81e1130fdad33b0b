"""Forms of 整改: the unit's plan and report, the organiser's verdict, the list's filter."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from liangze.core.forms import BootstrapMixin, MultipleFileField
from liangze.supervision.inspections.forms import text_area, year_choices
from liangze.supervision.models import Rectification


class PlanForm(BootstrapMixin, forms.Form):
    plan = text_area(_("整改方案"), rows=5)


class ReportForm(BootstrapMixin, forms.Form):
    report = text_area(_("整改情况"), rows=5)
    uploads = MultipleFileField(
        label=_("佐证材料"),
        required=False,
        help_text=_("制度文件、会议记录、照片等；图片、PDF、Word 或 Excel，可多选。"),
    )


class VerifyForm(BootstrapMixin, forms.Form):
    note = text_area(_("验收意见"), rows=2, required=False)


class ReturnForm(BootstrapMixin, forms.Form):
    reason = text_area(_("退回理由"), rows=2)


class RectificationFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("单位、问题或检查名称"), required=False)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部状态")), *Rectification.Status.choices],
    )
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    overdue = forms.BooleanField(label=_("仅看逾期"), required=False)
    mine = forms.BooleanField(label=_("仅看本单位"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()  # type: ignore[attr-defined]  # a ChoiceField, as declared

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "text": data["q"].strip(),
            "status": data["status"],
            "year": data["year"],
            "overdue": data["overdue"],
            "mine": data["mine"],
        }
