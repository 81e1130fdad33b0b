"""The workbook layout (docs/import.md) and the template built from it.

Sheet names and headers are the file format, not interface text: they stay
Chinese whatever the interface language, so they are plain strings.
"""

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from django.db.models import Choices
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from liangze.core import xlsx
from liangze.orgs.models import DisciplineBody, OrgKind, OrgLevel, PositionKind, Rank

LEVEL_SYNONYMS = {
    "县": OrgLevel.COUNTY.value,
    "乡镇": OrgLevel.TOWNSHIP.value,
    "街道": OrgLevel.TOWNSHIP.value,
}
SEPARATORS = "、,，;；"


def _one_of(choices: type[Choices], *extra: str) -> str:
    def text() -> str:
        return "、".join([*map(str, choices.labels), *extra])

    return lazy(text, str)()


@dataclass(frozen=True)
class Column:
    header: str
    required: bool
    width: int
    example: object
    note: str | Promise = ""


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)


_SEVERAL = _("可填多个，用 、 , ； 分隔")

ORGS = Sheet(
    "组织",
    (
        Column("组织编号", True, 16, "SL-001", _("唯一，重复导入时据此识别")),
        Column("名称", True, 28, "示例县委"),
        Column("类型", True, 12, "党委", _one_of(OrgKind)),
        Column("层级", True, 14, "县（市、区）", _one_of(OrgLevel, *LEVEL_SYNONYMS)),
        Column("上级组织编号", False, 16, "", _("空为顶级；可引用本表或系统中已有的组织")),
        Column("排序", False, 8, 1, _("不小于 0 的整数，空为 0")),
    ),
)
BODIES = Sheet(
    "纪检机构",
    (
        Column("编号", True, 16, "SL-D01", _("唯一，重复导入时据此识别")),
        Column("名称", True, 28, "示例县纪委"),
        Column("类型", True, 16, "纪委", _one_of(DisciplineBody.Kind)),
        Column("所在组织编号", True, 16, "SL-001"),
        Column("监督单位编号", False, 24, "SL-001", _SEVERAL),
    ),
)
PEOPLE = Sheet(
    "人员",
    (
        Column("人员编号", True, 16, "SL-P001", _("唯一，重复导入时据此识别")),
        Column("姓名", True, 12, "张三"),
        Column("性别", True, 8, "男", _("男、女")),
        Column("是否党员", False, 10, "是", _("是、否，空为是")),
        Column("职级", False, 10, "县处级", _one_of(Rank)),
        Column("所在单位编号", True, 16, "SL-001"),
        Column("科室", False, 16, "办公室"),
    ),
)
POSITIONS = Sheet(
    "职务",
    (
        Column("人员编号", True, 16, "SL-P001"),
        Column("任职组织编号", True, 16, "SL-001"),
        Column("职务类别", True, 20, "主要负责人", _one_of(PositionKind)),
        Column("职务名称", True, 20, "县委书记"),
        Column("纪检机构编号", False, 16, "", _("纪检职务必填")),
        Column("分管工作", False, 24, "全面工作"),
        Column("分管单位编号", False, 20, "", _SEVERAL),
        Column("联系单位编号", False, 20, "", _SEVERAL),
        Column("任职日期", True, 14, date(2024, 1, 1), _("Excel 日期或 YYYY-MM-DD")),
        Column("免职日期", False, 14, "", _("空为现任")),
    ),
)
SHEETS = (ORGS, BODIES, PEOPLE, POSITIONS)

_REQUIRED_FILL = PatternFill("solid", fgColor="FDE9D9")


def template_workbook() -> bytes:
    """The empty template users download: headers (required ones shaded) and one example row."""
    book = Workbook()
    book.remove(book.active)
    for spec in SHEETS:
        sheet = book.create_sheet(spec.name)
        sheet.append(xlsx.cells(sheet, spec.headers))
        sheet.append(xlsx.cells(sheet, (c.example for c in spec.columns)))
        for index, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = column.width
            header = sheet.cell(row=1, column=index)
            header.font = Font(bold=True)
            if column.required:
                header.fill = _REQUIRED_FILL
            if isinstance(column.example, date):
                sheet.cell(row=2, column=index).number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
