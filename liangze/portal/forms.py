from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from liangze.core import holidays
from liangze.core.forms import BootstrapMixin
from liangze.core.models import AuditEvent


class AuditSearchForm(BootstrapMixin, forms.Form):
    person = forms.CharField(label=_("操作人"), required=False)
    obj = forms.CharField(label=_("对象"), required=False)
    verb = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部"))] + AuditEvent.Verb.choices
    )
    since = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("截止日期不能早于起始日期。"))
        return data


class HolidayYearForm(BootstrapMixin, forms.Form):
    """A year's arrangement typed in the box or imported from a file (core.holidays reads both)."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    notice_title = forms.CharField(label=_("通知名称"), max_length=200)
    notice_number = forms.CharField(
        label=_("文号"), max_length=50, help_text=_("如：国办发明电〔2026〕7号")
    )
    rows = forms.CharField(
        label=_("放假与调休安排"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "placeholder": "放假,元旦,2027-01-01,2027-01-03"}),
    )
    file = forms.FileField(
        label=_("或导入文件"),
        required=False,
        help_text=_("CSV、Excel（.xlsx）或文本文件；选择了文件则以文件为准。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year = data.get("year")
        if year is None:
            return data
        try:
            holidays.refuse_shipped(year)
        except ValidationError as error:
            self.add_error(None, error)
            return data
        source = "file" if data.get("file") else "rows"
        try:
            if source == "file":
                rows: list[list[Any]] = holidays.rows_from_file(data["file"])
            elif data.get("rows", "").strip():
                rows = holidays.rows_from_text(data["rows"])
            else:
                self.add_error("rows", _("请填写放假与调休安排，或选择要导入的文件。"))
                return data
            data["arrangement"] = holidays.arrangement_from_rows(year, rows)
        except ValidationError as error:
            self.add_error(source, error)
        return data
