import csv
import io
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liangze.accounts.models import User
from liangze.core.forms import BootstrapMixin
from liangze.duties.catalogues import queries as catalogue_queries
from liangze.duties.catalogues.forms import YearField, with_all
from liangze.duties.coverage.queries import PERSON_KINDS
from liangze.duties.lists import queries
from liangze.duties.models import Catalogue, DutyItem, DutyList, ListType, Review
from liangze.orgs.models import DisciplineBody, Org, Position


class ListFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("单位或责任人"), required=False)
    year = YearField(label=_("年度"), required=False)
    list_type = forms.ChoiceField(
        label=_("清单类型"), required=False, choices=with_all(_("全部类型"), ListType.choices)
    )

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> "ListFilterForm":
        """Bound to the query string; the year is this year unless the user chose otherwise."""
        data = dict(query.items())
        data.setdefault("year", str(timezone.localdate().year))
        return cls(data)

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"text": data["q"].strip(), "year": data["year"], "list_type": data["list_type"]}


class DutyListFilterForm(ListFilterForm):
    MINE, ALL = "mine", "all"

    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=with_all(_("全部状态"), DutyList.Status.choices)
    )
    scope = forms.ChoiceField(
        required=False,
        choices=[(MINE, _("我的清单")), (ALL, _("全部可见"))],
        widget=forms.HiddenInput,
    )
    all_versions = forms.BooleanField(label=_("含历史版本"), required=False)

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return super().filters() | {
            "status": data["status"],
            "mine": data["scope"] == self.MINE,
            "all_versions": data["all_versions"],
        }


class PositionChoiceField(forms.ModelChoiceField[Position]):
    def label_from_instance(self, obj: Position) -> str:
        return f"{obj.org.name} · {obj.person.name}（{obj.title}）"


class DutyListCreateForm(BootstrapMixin, forms.Form):
    """Which list to start; the year is the catalogue's (a list follows the catalogue it covers)."""

    catalogue = forms.ModelChoiceField(label=_("责任目录"), queryset=Catalogue.objects.none())
    list_type = forms.ChoiceField(label=_("清单类型"), choices=ListType.choices)
    org = forms.ModelChoiceField(
        label=_("单位"),
        queryset=Org.objects.none(),
        required=False,
        help_text=_("领导班子主体责任清单：选择本人所在领导班子的单位。"),
    )
    position = PositionChoiceField(
        label=_("责任人"),
        queryset=Position.objects.none(),
        required=False,
        help_text=_("主要负责人、班子成员责任清单：选择本人。"),
    )
    discipline_body = forms.ModelChoiceField(
        label=_("纪检机构"),
        queryset=DisciplineBody.objects.none(),
        required=False,
        help_text=_("纪委（纪检委员）监督责任清单：选择本人所在的纪检机构。"),
    )

    WHO = {
        ListType.PRINCIPAL: _("请选择一位现任主要负责人（支部书记）。"),
        ListType.MEMBER: _("请选择一位现任班子成员。"),
    }

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["catalogue"].queryset = catalogue_queries.issued_catalogues()
        fields["org"].queryset = queries.led_orgs(user)
        fields["position"].queryset = queries.leader_positions(user)
        fields["discipline_body"].queryset = queries.own_bodies(user)
        # A choice with one possible answer is answered already (most users lead one unit).
        for name in ("catalogue", "org", "discipline_body"):
            choices = list(fields[name].queryset[:2])
            if len(choices) == 1:
                fields[name].initial = choices[0].pk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        list_type = data.get("list_type")
        position: Position | None = data.get("position")
        data["person"] = None
        if list_type == ListType.COLLECTIVE and not data.get("org"):
            self.add_error("org", _("请选择单位。"))
        elif list_type in PERSON_KINDS:
            if position is None or position.kind not in PERSON_KINDS[list_type]:
                self.add_error("position", self.WHO[list_type])
            else:
                data["org"], data["person"] = position.org, position.person
        elif list_type == ListType.SUPERVISORY:
            body = data.get("discipline_body")
            if body is None:
                self.add_error("discipline_body", _("请选择纪检机构。"))
            else:
                data["org"] = body.org
        return data


class DiscussForm(BootstrapMixin, forms.Form):
    discussed_on = forms.DateField(
        label=_("讨论日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    meeting = forms.CharField(label=_("会议"), max_length=200)
    attendees = forms.CharField(
        label=_("参会人员"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ReviewForm(BootstrapMixin, forms.Form):
    """通过 and 退回 are the form's two submit buttons; a return needs its reasons."""

    verdict = forms.ChoiceField(choices=Review.Verdict.choices)
    reason = forms.CharField(
        label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("verdict") == Review.Verdict.RETURNED and not data.get("reason", "").strip():
            self.add_error("reason", _("退回清单必须写明理由。"))
        return data


class PublishForm(BootstrapMixin, forms.Form):
    publish_range = forms.ChoiceField(label=_("公示范围"), choices=DutyList.PublishRange.choices)


class PaperSignForm(BootstrapMixin, forms.Form):
    """录入纸质签字: which pending line was signed on paper, and the scan of that page."""

    role = forms.ChoiceField(label=_("签字栏"))
    scan = forms.FileField(
        label=_("签字页扫描件"),
        help_text=_("图片或 PDF，作为佐证材料留存。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.gif"}),
    )

    def __init__(self, lines: Iterable[queries.SignLine], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [
            (line.role, line.who) for line in lines if line.signature is None and line.signers
        ]


# The grid editor's rows -----------------------------------------------------------

_ROW_KEY = re.compile(r"^rows-(\d+)-(\w+)$")
_ROW_IN_ERROR = re.compile(r"^第 (\d+) 行")
PASTE_COLUMNS = ("name", "task", "responsible", "department", *DutyItem.QUARTERS)


def rows_from_post(data: Mapping[str, Any]) -> list[dict[str, str]]:
    """The grid's rows (`rows-<n>-<field>`), in the order of their numbers."""
    rows: dict[int, dict[str, str]] = {}
    for key, value in data.items():
        match = _ROW_KEY.match(key)
        if match and match[2] in queries.GRID_FIELDS:
            rows.setdefault(int(match[1]), {})[match[2]] = str(value)
    return [rows[n] for n in sorted(rows)]


def rows_from_paste(text: str) -> tuple[list[dict[str, str]], list[str]]:
    """Rows copied from Excel: tab-separated, quoted where a cell holds a line break.

    The columns are PASTE_COLUMNS in order; a header row (starting 责任名称) is skipped.
    """
    rows: list[dict[str, str]] = []
    errors: list[str] = []
    reader = csv.reader(io.StringIO(text.strip("\r\n")), delimiter="\t")
    for n, cells in enumerate(reader, start=1):
        if not any(c.strip() for c in cells) or (cells and cells[0].strip() == "责任名称"):
            continue
        if len(cells) > len(PASTE_COLUMNS):
            errors.append(
                _(
                    "粘贴的第 %(n)d 行有 %(m)d 列，最多 8 列：责任名称、项目任务、责任人编号、"
                    "责任部门、一季度、二季度、三季度、四季度。"
                )
                % {"n": n, "m": len(cells)}
            )
            continue
        rows.append({f: c.strip() for f, c in zip(PASTE_COLUMNS, cells, strict=False)})
    return rows, errors


def rows_in_error(errors: list[str]) -> set[int]:
    """The (1-based) rows that duty_items_save's messages name, to mark them in the grid."""
    return {int(match[1]) for error in errors if (match := _ROW_IN_ERROR.match(error))}
