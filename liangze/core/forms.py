from django import forms
from django.utils.translation import gettext_lazy as _

from liangze.core.models import AuditEvent


class BootstrapMixin:
    """Gives every widget Bootstrap's class, so templates render fields as they are."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)


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

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("截止日期不能早于起始日期。"))
        return data
