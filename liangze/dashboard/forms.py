"""Forms of the scale pages: the year asked about, and a new version's values."""

from typing import Any

from django import forms

from liangze.core.forms import IssuedVersionForm
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


class ScaleVersionForm(IssuedVersionForm):
    """A new version of `base`: one number per condition, named by warning.condition_key."""

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
