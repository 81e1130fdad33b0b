from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from liangze.accounts.models import User
from liangze.core.forms import BootstrapMixin
from liangze.duties.catalogues import queries
from liangze.duties.models import Catalogue
from liangze.orgs.models import Org


class YearField(forms.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=2000, max_value=2100, **kwargs)


def with_all(label: Any, choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class CatalogueFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("名称或下发机关"), required=False)
    year = YearField(label=_("年度"), required=False)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=with_all(_("全部状态"), Catalogue.Status.choices)
    )


class CatalogueEntryForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("责任名称"), max_length=100)
    text = forms.CharField(label=_("要求"), widget=forms.Textarea(attrs={"rows": 3}))


class CatalogueSettingsForm(BootstrapMixin, forms.Form):
    covers_units_without_committee = forms.BooleanField(
        label=Catalogue._meta.get_field("covers_units_without_committee").verbose_name,
        help_text=Catalogue._meta.get_field("covers_units_without_committee").help_text,
        required=False,
    )


class CatalogueIssueForm(BootstrapMixin, forms.Form):
    issuer = forms.ModelChoiceField(label=_("下发组织"), queryset=Org.objects.none())
    year = YearField(label=_("适用年度"))
    submit_deadline = forms.DateField(
        label=_("报送截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, user: User, draft: Catalogue, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = queries.issuer_orgs(user, draft)  # type: ignore[attr-defined]  # a ModelChoiceField, as declared
