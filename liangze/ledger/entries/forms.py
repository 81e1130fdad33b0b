"""Forms of the ledger grid and its entries."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liangze.core.forms import BootstrapMixin, MultipleFileField

# Activities ---------------------------------------------------------------------------
from liangze.ledger.activities.forms import DATE
from liangze.ledger.models import Activity


class LedgerYearForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)


class GridFilterForm(BootstrapMixin, forms.Form):
    """Narrow a year grid to one 责任人 or one 责任名称; the choices are the list's own."""

    person = forms.TypedChoiceField(label=_("责任人"), required=False, coerce=int, empty_value=None)
    ref = forms.ChoiceField(label=_("责任名称"), required=False)

    def __init__(
        self,
        data: Any,
        *,
        people: list[tuple[int, str]],
        responsibilities: list[tuple[str, str]],
    ) -> None:
        super().__init__(data)
        fields: dict[str, Any] = self.fields
        fields["person"].choices = [("", _("全部责任人")), *people]
        fields["ref"].choices = [("", _("全部责任")), *responsibilities]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {"person": self.cleaned_data["person"], "entry_ref": self.cleaned_data["ref"]}


class ActivityChoiceField(forms.ModelMultipleChoiceField[Activity]):
    def label_from_instance(self, obj: Activity) -> str:
        return f"{obj.held_on:%Y-%m-%d} {obj.get_kind_display()} · {obj.subject}（{obj.host.name}）"


class EntryForm(BootstrapMixin, forms.Form):
    """One progress entry; the 补录 reason is asked for only once the period has locked."""

    text = forms.CharField(label=_("完成情况"), widget=forms.Textarea(attrs={"rows": 5}))
    done_on = forms.DateField(label=_("完成日期"), widget=DATE)
    uploads = MultipleFileField(
        label=_("佐证材料"),
        required=False,
        help_text=_("会议记录、照片、工作记录本、谈话记录等；图片、PDF、Word 或 Excel，可多选。"),
    )
    activities = ActivityChoiceField(
        label=_("关联活动"),
        queryset=Activity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_(
            "本期进度依据的会议、谈话等活动（可多选）。核实销号后，本条佐证材料也计为这些活动的佐证。"
        ),
    )
    late_reason = forms.CharField(label=_("补录原因"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self,
        *args: Any,
        late: bool,
        activities: QuerySet[Activity] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"done_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        if activities is None:
            del fields["activities"]
        else:
            fields["activities"].queryset = activities
        if not late:
            del fields["late_reason"]


class RejectForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(BootstrapMixin, forms.Form):
    # Not required here: the service words the refusal, so the form and the API agree.
    text = forms.CharField(
        label=_("批注内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
    )


# Reminders ----------------------------------------------------------------------------
