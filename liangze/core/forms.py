import uuid
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


class IssuedVersionForm(BootstrapMixin, forms.Form):
    """What every new version of rules-as-data states besides its values (a rule, the
    ladder, the scale): the year it applies from, its 出处, and whether lower levels may
    tighten it. Subclasses add their values after the year."""

    year = forms.IntegerField(label=_("适用年度（起）"), min_value=2000, max_value=2100)
    source = forms.CharField(
        label=_("出处"),
        max_length=200,
        help_text=_("本版本依据的文件名称、文号或会议决定，必填；旧版本保持不变。"),
    )
    allow_tighten = forms.BooleanField(
        label=_("允许下级从严"),
        required=False,
        help_text=_("勾选后，下级可以在本版本基础上从严规定。"),
    )


class YearForm(BootstrapMixin, forms.Form):
    """The year a page is asked about (?year=): this year when absent or out of range."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)

    def chosen(self) -> int:
        year = self.cleaned_data.get("year") if self.is_valid() else None
        return year or timezone.localdate().year


class SubmittedOnce(forms.Form):
    """A form that makes a row, sent with a one-time token so that sending it twice makes one.

    The token is new on every blank form and kept when the form comes back with errors;
    the service claims it (`core.repeats.claim`). Render `{{ form.submission }}` in the
    template when the fields are laid out by hand.
    """

    submission = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)
