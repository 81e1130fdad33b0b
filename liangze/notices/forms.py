from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liangze.core.forms import BootstrapMixin
from liangze.notices import queries
from liangze.notices.models import Notice, NoticeKind
from liangze.notices.sources import Issuer
from liangze.orgs.models import Org, Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def year_choices() -> list[tuple[str, str]]:
    this = timezone.localdate().year
    return [(str(y), f"{y}年") for y in range(this + 1, this - 5, -1)]


class NoticeFilterForm(BootstrapMixin, forms.Form):
    box = forms.ChoiceField(
        required=False,
        choices=[
            (queries.BOX_ALL, _("全部可见")),
            (queries.BOX_RECEIVED, _("我签收的")),
            (queries.BOX_SENT, _("我发出的")),
        ],
        widget=forms.HiddenInput,
    )
    q = forms.CharField(label=_("标题、文号或正文"), required=False)
    kind = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部类别")), *NoticeKind.choices]
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部状态")), *Notice.Status.choices]
    )
    issuer = forms.CharField(label=_("发文机关"), required=False)
    recipient = forms.CharField(label=_("主送"), required=False)
    year = forms.TypedChoiceField(
        label=_("年度"), required=False, coerce=int, empty_value=None, choices=[]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部年度")), *year_choices()]  # type: ignore[attr-defined]  # a ChoiceField, as declared

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "text": data["q"].strip(),
            "kind": data["kind"],
            "status": data["status"],
            "issuer": data["issuer"].strip(),
            "recipient": data["recipient"].strip(),
            "year": data["year"],
            "box": data["box"] or queries.BOX_ALL,
        }


class PersonChoice(forms.ModelChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name}（{obj.org.name}）"


class NoticeForm(BootstrapMixin, forms.Form):
    """A draft's editable parts; the service checks the recipient is in the issuer's area."""

    title = forms.CharField(label=_("标题"), max_length=200)
    recipient_person = PersonChoice(
        label=_("主送人员"), queryset=Person.objects.none(), required=False
    )
    recipient_org = forms.ModelChoiceField(
        label=_("主送单位"), queryset=Org.objects.none(), required=False
    )
    body = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "每行一段；以“一、”开头的行排为一级标题（黑体），以“（一）”开头的为二级标题（楷体）。"
        ),
    )
    cc_orgs = forms.ModelMultipleChoiceField(
        label=_("抄送/协办单位"),
        queryset=Org.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("所选单位可以查看本件。"),
    )
    cc_text = forms.CharField(
        label=_("抄送（版记）"),
        max_length=500,
        required=False,
        help_text=_("印在版记中的抄送机关，用顿号分隔。"),
    )
    reply_due = forms.DateField(
        label=_("报送落实情况期限"),
        required=False,
        widget=DATE,
        help_text=_("督办书要求书面报送落实情况的日期；其他类别可不填。"),
    )

    def __init__(self, notice: Notice, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": notice.title,
                "recipient_person": notice.recipient_person_id,
                "recipient_org": notice.recipient_org_id,
                "body": notice.body,
                "cc_orgs": list(notice.cc_orgs.values_list("pk", flat=True)),
                "cc_text": notice.cc_text,
                "reply_due": notice.reply_due,
            },
        )
        super().__init__(*args, **kwargs)
        self.kind = notice.kind
        issuer = Issuer(notice.org, notice.issuer_body)
        orgs = queries.recipient_orgs(issuer)
        self.fields["recipient_org"].queryset = orgs  # type: ignore[attr-defined]  # a ModelChoiceField, as declared
        self.fields["cc_orgs"].queryset = orgs  # type: ignore[attr-defined]  # a ModelChoiceField, as declared
        people = queries.recipient_people(issuer, notice.kind)
        self.fields["recipient_person"].queryset = people  # type: ignore[attr-defined]  # a ModelChoiceField, as declared
        if notice.kind == NoticeKind.DUTY:
            del self.fields["recipient_org"]
            self.fields["recipient_person"].required = True
        elif notice.kind == NoticeKind.TASK:
            del self.fields["recipient_person"]
            self.fields["recipient_org"].required = True
            self.fields["recipient_org"].label = _("牵头单位")
            self.fields["cc_orgs"].label = _("协办单位")
        else:
            self.fields["recipient_person"].help_text = _("主送人员和主送单位二选一。")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person, org = data.get("recipient_person"), data.get("recipient_org")
        if self.kind == NoticeKind.ORDER and (person is None) == (org is None):
            self.add_error("recipient_person", _("主送人员和主送单位请选择且只选择一个。"))
        return data

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "body": data["body"],
            "recipient_person": data.get("recipient_person"),
            "recipient_org": data.get("recipient_org"),
            "cc_orgs": list(data["cc_orgs"]),
            "cc_text": data["cc_text"],
            "reply_due": data["reply_due"],
        }


class IssuerYearForm(BootstrapMixin, forms.Form):
    """Which issuer and year a generation runs for; the issuers are the user's own."""

    issuer = forms.ChoiceField(label=_("发文机关"))
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=[])

    def __init__(self, choices: list[queries.IssuerChoice], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer"].choices = [(c.key, c.name) for c in choices]  # type: ignore[attr-defined]  # a ChoiceField, as declared
        self.fields["year"].choices = year_choices()  # type: ignore[attr-defined]  # a ChoiceField, as declared
        self.fields["year"].initial = timezone.localdate().year


class ProgressForm(IssuerYearForm):
    minimum = forms.IntegerField(
        label=_("逾期事项数不少于"),
        min_value=1,
        max_value=100,
        initial=queries.POOR_PROGRESS_CELLS,
    )


class OrgLabel(forms.ModelChoiceField[Org]):
    def label_from_instance(self, obj: Org) -> str:
        return obj.name


class AssignmentForm(BootstrapMixin, forms.Form):
    lead_org = OrgLabel(label=_("牵头单位"), queryset=Org.objects.none())
    assisting_orgs = forms.ModelMultipleChoiceField(
        label=_("协办单位"),
        queryset=Org.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    deadline = forms.DateField(
        label=_("完成时限"),
        required=False,
        widget=DATE,
        help_text=_("不填则按季度工作措施推进，年底前完成。"),
    )

    def __init__(self, orgs: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_org"].queryset = orgs  # type: ignore[attr-defined]  # a ModelChoiceField, as declared
        self.fields["assisting_orgs"].queryset = orgs  # type: ignore[attr-defined]  # a ModelChoiceField, as declared


class AbbreviationForm(BootstrapMixin, forms.Form):
    abbreviation = forms.CharField(label=_("发文机关代字"), max_length=8)
