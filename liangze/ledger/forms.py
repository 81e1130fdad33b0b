from itertools import groupby
from operator import attrgetter
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liangze.accounts.models import User
from liangze.core.forms import BootstrapMixin
from liangze.duties.models import DutyItem
from liangze.ledger import activity_queries, reminder_queries
from liangze.ledger.models import Activity, ActivityKind, Evidence, Reminder
from liangze.orgs.models import Org, Person

# Activities ---------------------------------------------------------------------------

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EVIDENCE_ACCEPT = "image/*,.pdf,.doc,.docx,.xls,.xlsx"


class ActivityFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("主题、记录或参加人"), required=False)
    kind = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部类别")), *ActivityKind.choices]
    )
    host = forms.CharField(label=_("主持/谈话人"), required=False)
    org = forms.CharField(label=_("单位"), required=False)
    since = forms.DateField(label=_("起始日期"), required=False, widget=DATE)
    until = forms.DateField(label=_("截止日期"), required=False, widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("截止日期不能早于起始日期。"))
        return data

    def filters(self) -> dict[str, Any]:
        """The search's arguments; an invalid filter shows its error and filters nothing."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "text": data["q"].strip(),
            "kind": data["kind"],
            "host": data["host"].strip(),
            "org": data["org"].strip(),
            "since": data["since"],
            "until": data["until"],
        }


class PersonChoiceField(forms.ModelChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name}（{obj.org.name}）"


class PeopleField(forms.ModelMultipleChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name}（{obj.org.name}）"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (photos of one meeting); each is checked by evidence_store."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ActivityForm(BootstrapMixin, forms.Form):
    """The fast form: one screen on a phone, the unit's people to tick.

    Field checks only; the rules across rows (who may be named, dates, list
    items) are the service's, and its refusals are put on these fields.
    """

    kind = forms.ChoiceField(
        label=_("类别"),
        choices=ActivityKind.choices,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )
    held_on = forms.DateField(label=_("日期"), widget=DATE)
    host = PersonChoiceField(label=_("主持/谈话/授课/报告人"), queryset=Person.objects.none())
    participants = PeopleField(
        label=_("参加人员/谈话对象"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    subject = forms.CharField(label=_("主题"), max_length=200)
    recipient = forms.CharField(
        label=_("报送对象"),
        max_length=200,
        required=False,
        help_text=_("书面报告填写，例如“区委、区纪委”。"),
    )
    minutes = forms.CharField(
        label=_("记录"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    uploads = MultipleFileField(
        label=_("佐证材料"),
        required=False,
        help_text=_("照片、PDF、Word 或 Excel，可多选，每个不超过 20 MB。"),
    )
    items = forms.ModelMultipleChoiceField(
        label=_("关联清单事项"),
        queryset=DutyItem.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("可选，可多选；本活动作为哪些责任清单事项的佐证。"),
    )
    dropped_evidence = forms.ModelMultipleChoiceField(
        label=_("移除佐证材料"),
        queryset=Evidence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(
        self, user: User, org: Org, *args: Any, activity: Activity | None = None, **kwargs: Any
    ) -> None:
        if activity is None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": ActivityKind.TALK,
                    "held_on": timezone.localdate(),
                    "host": activity_queries.default_host(user, org),
                },
            )
        else:
            kwargs.setdefault("initial", _initial(activity))
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["held_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        named = [activity.host, *activity.participants.all()] if activity else []
        people = activity_queries.pickable_people(user, org, include=named)
        fields["host"].queryset = people
        fields["participants"].queryset = people
        linked = list(activity.items.all()) if activity else []
        items = activity_queries.linkable_items(org, include=linked)
        fields["items"].queryset = items
        # Grouped by list: an item's name alone does not say which list it is on.
        fields["items"].choices = [
            (str(duty_list), [(item.pk, str(item)) for item in group])
            for duty_list, group in groupby(items, key=attrgetter("duty_list"))
        ]
        self.has_items = bool(fields["items"].choices)
        if activity is None:
            del fields["dropped_evidence"]
        else:
            fields["dropped_evidence"].queryset = activity.evidence.all()

    def arguments(self) -> dict[str, Any]:
        """The cleaned form as the service's keyword arguments (the fields are named after them)."""
        return dict(self.cleaned_data)


def _initial(activity: Activity) -> dict[str, Any]:
    return {
        "kind": activity.kind,
        "held_on": activity.held_on,
        "host": activity.host_id,
        "participants": [p.pk for p in activity.participants.all()],
        "subject": activity.subject,
        "recipient": activity.recipient,
        "minutes": activity.minutes,
        "items": [i.pk for i in activity.items.all()],
    }


# Progress entries ---------------------------------------------------------------------


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
