"""Forms of the rule pages: the year asked about, and a new version's fields."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from liangze.core.forms import BootstrapMixin, IssuedVersionForm
from liangze.ledger.models import Rule


class RuleHistoryForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("制定机关或出处"), required=False, max_length=100)


class RuleVersionForm(IssuedVersionForm):
    """A new version starting from `base` (as `initial`): its threshold is of the base's kind.

    The fields are services.EDITABLE, labelled as the model labels them.
    """

    field_order = (
        "year",
        "name",
        "text",
        "threshold_count",
        "threshold_percent",
        "deadline_month",
        "deadline_day",
        "evidence_workdays",
        "source",
        "allow_tighten",
    )

    name = forms.CharField(label=_("名称"), max_length=100)
    text = forms.CharField(label=_("原文要求"), widget=forms.Textarea(attrs={"rows": 3}))
    threshold_count = forms.IntegerField(label=_("至少次数/人数"), min_value=1)
    threshold_percent = forms.DecimalField(
        label=_("比例（%）"), max_digits=5, decimal_places=2, min_value=0, max_value=100
    )
    deadline_month = forms.IntegerField(
        label=_("截止月"), min_value=1, max_value=12, required=False
    )
    deadline_day = forms.IntegerField(label=_("截止日"), min_value=1, max_value=31, required=False)
    evidence_workdays = forms.IntegerField(
        label=_("佐证材料报送时限（工作日）"), min_value=0, required=False
    )

    def __init__(self, base: Rule, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["threshold_count" if base.threshold_count is None else "threshold_percent"]
