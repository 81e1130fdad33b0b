"""Forms of the rule pages: the year asked about, and a new version's fields."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from liangze.core.forms import BootstrapMixin
from liangze.ledger.models import Rule


class RuleHistoryForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("制定机关或出处"), required=False, max_length=100)


class RuleVersionForm(BootstrapMixin, forms.Form):
    """A new version starting from `base` (as `initial`): its threshold is of the base's kind.

    The fields are services.EDITABLE, labelled as the model labels them.
    """

    year = forms.IntegerField(label=_("适用年度（起）"), min_value=2000, max_value=2100)
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

    def __init__(self, base: Rule, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["threshold_count" if base.threshold_count is None else "threshold_percent"]
