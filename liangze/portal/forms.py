from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

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
