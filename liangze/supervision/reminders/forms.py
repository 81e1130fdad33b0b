from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from liangze.core.forms import BootstrapMixin
from liangze.supervision.models import Reminder
from liangze.supervision.reminders import queries as reminder_queries
from liangze.supervision.reminders.ladder import THRESHOLDS

# Activities ---------------------------------------------------------------------------


class ReminderFilterForm(BootstrapMixin, forms.Form):
    """Which of the user's reminders to list; unread and addressed to them by default."""

    scope = forms.ChoiceField(
        label=_("范围"),
        required=False,
        choices=[
            (reminder_queries.MINE, _("发给我的")),
            (reminder_queries.ALL, _("我可查看的全部")),
        ],
    )
    state = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[
            (reminder_queries.UNREAD, _("未阅")),
            (reminder_queries.READ, _("已阅")),
            (reminder_queries.RESOLVED, _("已消除")),
            ("", _("全部")),
        ],
    )
    step = forms.ChoiceField(
        label=_("督促环节"),
        required=False,
        choices=[("", _("全部环节")), *Reminder.Step.choices],
    )
    q = forms.CharField(label=_("内容或单位"), required=False)

    def __init__(self, data: Any) -> None:
        # Unread and addressed to the user unless asked otherwise; 全部 is an explicit "".
        data = data.copy()
        data.setdefault("scope", reminder_queries.MINE)
        data.setdefault("state", reminder_queries.UNREAD)
        super().__init__(data)

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "scope": data.get("scope") or reminder_queries.MINE,
            "state": data.get("state", reminder_queries.UNREAD),
            "step": data.get("step", ""),
            "text": data.get("q", "").strip(),
        }


# The ladder by jurisdiction ---------------------------------------------------------------


class LadderVersionForm(BootstrapMixin, forms.Form):
    """A new version of the thresholds: one field per threshold (ladder.THRESHOLDS)."""

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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (label, stricter) in THRESHOLDS.items():
            help_text = _("数值越小越严") if stricter == "lower" else _("数值越大越严")
            self.fields[name] = forms.IntegerField(
                label=label,
                min_value=1,
                max_value=3650,
                help_text=help_text,
                widget=forms.NumberInput(attrs={"class": "form-control"}),
            )

    def thresholds(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in THRESHOLDS}

    def threshold_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in THRESHOLDS]
