"""Forms of the activity pages: the fast entry form and the list filters."""

from itertools import groupby
from operator import attrgetter
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liangze.accounts.models import User
from liangze.core.forms import BootstrapMixin, MultipleFileField, SubmittedOnce
from liangze.core.models import Evidence
from liangze.duties.models import DutyItem
from liangze.ledger.activities import queries as activity_queries
from liangze.ledger.models import Activity, ActivityKind, ReportKind, ReportRecipient
from liangze.orgs.models import Org, Person

# Activities ---------------------------------------------------------------------------

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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


class ActivityForm(BootstrapMixin, SubmittedOnce):
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
    report_kind = forms.ChoiceField(
        label=_("报告类别"),
        choices=[("", _("请选择")), *ReportKind.choices],
        required=False,
        help_text=_("书面报告填写；每年1月15日前的第一责任人、监督责任报告按类别统计。"),
    )
    recipients = forms.MultipleChoiceField(
        label=_("报送对象"),
        choices=ReportRecipient.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("书面报告填写，可多选；同时报送上级党委和纪委的，两项都勾选。"),
    )
    recipient = forms.CharField(
        label=_("报送单位名称"),
        max_length=200,
        required=False,
        help_text=_("可选，例如“区委、区纪委”。"),
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
        self,
        user: User,
        org: Org,
        *args: Any,
        activity: Activity | None = None,
        kind: str = "",
        **kwargs: Any,
    ) -> None:
        if activity is None:
            # A reminder's next step opens the form on the kind it asks for (约谈, 谈心谈话…).
            kwargs.setdefault(
                "initial",
                {
                    "kind": kind if kind in ActivityKind.values else ActivityKind.TALK,
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
            # A correction changes a row that is there; only a new activity needs the token.
            del fields["submission"]
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
        "report_kind": activity.report_kind,
        "recipients": activity.recipients,
        "recipient": activity.recipient,
        "minutes": activity.minutes,
        "items": [i.pk for i in activity.items.all()],
    }


# Progress entries ---------------------------------------------------------------------
