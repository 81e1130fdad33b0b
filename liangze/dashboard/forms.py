"""Forms of the scale pages: the year asked about, and a new version's values."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from liangze.core.forms import BootstrapMixin
from liangze.dashboard.warning import (
    METRICS,
    SUBJECT_LABELS,
    SUBJECTS,
    Colour,
    Condition,
    Scale,
    Subject,
    condition_key,
)


class ScaleVersionForm(BootstrapMixin, forms.Form):
    """A new version of `base`: one number per condition, named by warning.condition_key."""

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

    def __init__(self, base: Scale, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys: list[str] = []
        for subject in SUBJECTS:
            for n, rule in enumerate(base.rules(subject)):
                for m, condition in enumerate(rule.conditions):
                    self._add(base, subject, rule.colour, n, m, condition)

    def _add(
        self, base: Scale, subject: Subject, colour: Colour, n: int, m: int, condition: Condition
    ) -> None:
        key = condition_key(subject, n, m)
        metric = METRICS[subject][condition.metric]
        label = f"{SUBJECT_LABELS[subject]}·{base.colours[colour].label}：{metric} {condition.op}"
        self.fields[key] = forms.FloatField(
            label=label,
            min_value=0,
            initial=condition.value,
            help_text=condition.source,
            widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
        )
        self.keys.append(key)

    def values(self) -> dict[str, float]:
        return {key: self.cleaned_data[key] for key in self.keys}

    def condition_fields(self) -> list[forms.BoundField]:
        return [self[key] for key in self.keys]
