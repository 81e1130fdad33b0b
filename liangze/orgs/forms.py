from django import forms
from django.utils.translation import gettext_lazy as _

from liangze.core.forms import BootstrapMixin
from liangze.orgs.models import Rank


class PeopleFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("姓名或编号"), required=False)
    org = forms.UUIDField(label=_("单位"), required=False, widget=forms.HiddenInput)
    rank = forms.ChoiceField(
        label=_("职级"), required=False, choices=[("", _("全部职级"))] + Rank.choices
    )
    party = forms.ChoiceField(
        label=_("政治面貌"),
        required=False,
        choices=[("", _("全部")), ("yes", _("党员")), ("no", _("非党员"))],
    )


class OrgImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("Excel 文件"),
        help_text=_("按模板填写的 .xlsx 文件，不超过 20 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
