from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BootstrapMixin:
    """Gives every widget Bootstrap's class, so templates render fields as they are."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]  # mixed into forms.Form
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)


# What the file picker offers; core.files checks each file's type by its first bytes.
EVIDENCE_ACCEPT = "image/*,.pdf,.doc,.docx,.xls,.xlsx"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (photos of one meeting); core.files checks each."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class YearForm(BootstrapMixin, forms.Form):
    """The year a page is asked about (?year=): this year when absent or out of range."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)

    def chosen(self) -> int:
        year = self.cleaned_data.get("year") if self.is_valid() else None
        return year or timezone.localdate().year
