"""Opening the workbook and reading cells, collecting every problem instead of stopping."""

import hashlib
import os
import re
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any, TypeVar
from zipfile import BadZipFile

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from liangze.core import limits
from liangze.orgs.importing.layout import SEPARATORS, SHEETS, Sheet

MAX_BYTES = 20 * 1024 * 1024

Source = str | os.PathLike[str] | IO[bytes]
T = TypeVar("T")

_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_SPLIT = re.compile(f"[{SEPARATORS}\\s]+")


@dataclass(frozen=True)
class Problem:
    """Why one cell (or the whole file, when `sheet` is empty) cannot be imported."""

    sheet: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        if not self.sheet:
            return self.reason
        return _("工作表「%(sheet)s」第 %(row)d 行「%(column)s」：%(reason)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
        }


class ImportFailed(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(_("导入失败，共 %(count)d 处问题。") % {"count": len(problems)})
        self.problems = problems


def _file_problem(reason: str) -> ImportFailed:
    return ImportFailed([Problem("", 0, "", reason)])


def source_name(source: Source) -> str:
    if isinstance(source, str | os.PathLike):
        return os.path.basename(source)
    return os.path.basename(getattr(source, "name", "") or "")


def _size(source: Source) -> int:
    if isinstance(source, str | os.PathLike):
        return os.path.getsize(source)
    size = source.seek(0, os.SEEK_END)
    source.seek(0)
    return size


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # Numbers typed into a code column arrive as floats: 1001 → "1001", not "1001.0".
        value = int(value)
    return str(value).strip()


class Cells:
    """One data row; each reader returns a value and records a problem when the cell is bad."""

    def __init__(
        self, sheet: str, number: int, values: dict[str, object], problems: list[Problem]
    ) -> None:
        self.sheet = sheet
        self.number = number
        self.values = values
        self.problems = problems

    def problem(self, column: str, reason: str) -> None:
        self.problems.append(Problem(self.sheet, self.number, column, reason))

    def text(self, column: str, *, max_length: int, required: bool = False) -> str:
        value = _text(self.values[column])
        if required and not value:
            self.problem(column, _("必填，不能为空"))
        elif len(value) > max_length:
            self.problem(column, _("不能超过 %(limit)d 个字符") % {"limit": max_length})
        return value

    def keys(self, column: str) -> frozenset[str]:
        return frozenset(k for k in _SPLIT.split(_text(self.values[column])) if k)

    def choice(self, column: str, options: Mapping[str, T], default: T | None = None) -> T | None:
        value = _text(self.values[column])
        if not value:
            if default is None:
                self.problem(column, _("必填，不能为空"))
            return default
        if value not in options:
            self.problem(
                column,
                _("「%(value)s」不是可选的值，应为：%(options)s")
                % {"value": value, "options": "、".join(options)},
            )
        return options.get(value)

    def whole_number(self, column: str) -> int:
        value = self.values[column]
        text = _text(value)
        if not text:
            return 0
        if text.isdigit():
            return int(text)
        self.problem(column, _("应为不小于 0 的整数"))
        return 0

    def date(self, column: str, *, required: bool = False) -> date | None:
        value = self.values[column]
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = _text(value)
        if not text:
            if required:
                self.problem(column, _("必填，不能为空"))
            return None
        found = _DATE.fullmatch(text)
        try:
            if found:
                return date(*map(int, found.groups()))
        except ValueError:
            pass
        self.problem(
            column, _("「%(value)s」不是有效日期，应为 Excel 日期或 YYYY-MM-DD") % {"value": text}
        )
        return None


@dataclass
class Rows:
    """The data rows of the sheets present in the file, by sheet name."""

    by_sheet: dict[str, list[Cells]]
    problems: list[Problem]

    def of(self, sheet: Sheet) -> list[Cells] | None:
        return self.by_sheet.get(sheet.name)


# What openpyxl raises for a file that is not a workbook or is damaged; a damaged
# archive may open and only fail once a sheet is inflated or its XML parsed (XML
# parsers raise subclasses of SyntaxError).
_DAMAGED = (
    BadZipFile,
    InvalidFileException,
    KeyError,
    OSError,
    ValueError,
    SyntaxError,
    zlib.error,
)


def read_rows(source: Source) -> Rows:
    """Every non-empty row of every known sheet; raises ImportFailed for a file it cannot use."""
    try:
        size = _size(source)
    except FileNotFoundError:
        raise _file_problem(_("找不到文件 %(name)s。") % {"name": source_name(source)}) from None
    if size > MAX_BYTES:
        raise _file_problem(
            _("文件超过 %(limit)d MB，请拆分后分批导入。") % {"limit": MAX_BYTES // 2**20}
        )
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except _DAMAGED:
        raise _invalid() from None
    try:
        return _read_book(book)
    except _DAMAGED:
        raise _invalid() from None
    except limits.TooManyRows as error:
        raise _file_problem(str(error)) from None
    finally:
        book.close()


def _invalid() -> ImportFailed:
    return _file_problem(
        _("文件不是有效的 Excel 工作簿（.xlsx）。如为 .xls 或 .et 文件，请先另存为 .xlsx。")
    )


def _read_book(book: Any) -> Rows:
    present = [spec for spec in SHEETS if spec.name in book.sheetnames]
    if not present:
        raise _file_problem(
            _("文件中没有可导入的工作表，工作表名称应为：%(names)s。")
            % {"names": "、".join(spec.name for spec in SHEETS)}
        )
    problems: list[Problem] = []
    layouts = {}
    for spec in present:
        sheet = book[spec.name]
        # Some writers record a wrong used range; reading to the real end is safe.
        sheet.reset_dimensions()
        layouts[spec.name] = (sheet, _header_index(spec, sheet, problems))
    if problems:
        # Rows under a wrong header cannot be read reliably; report the header alone.
        raise ImportFailed(problems)
    by_sheet = {
        name: list(_cells(name, sheet, index, problems)) for name, (sheet, index) in layouts.items()
    }
    return Rows(by_sheet, problems)


def _header_index(spec: Sheet, sheet: Any, problems: list[Problem]) -> dict[str, int]:
    first = next(sheet.iter_rows(max_row=1, values_only=True), ())
    index: dict[str, int] = {}
    for position, value in enumerate(first):
        header = _text(value).rstrip("*＊").strip()
        if not header:
            continue
        if header not in spec.headers:
            problems.append(Problem(spec.name, 1, header, _("不是模板中的列，请删除或改正列名")))
        elif header in index:
            problems.append(Problem(spec.name, 1, header, _("列名重复")))
        else:
            index[header] = position
    for header in spec.headers:
        if header not in index:
            problems.append(Problem(spec.name, 1, header, _("缺少这一列")))
    return index


def _cells(
    name: str, sheet: Any, index: dict[str, int], problems: list[Problem]
) -> Iterator[Cells]:
    rows = limits.bounded_rows(sheet, settings.LIANGZE_ORG_IMPORT_MAX_ROWS, min_row=2)
    for number, row in enumerate(rows, start=2):
        values = {h: row[i] if i < len(row) else None for h, i in index.items()}
        if any(_text(v) for v in values.values()):
            yield Cells(name, number, values, problems)


def digest(source: Source) -> str:
    """SM3 of the file, which names an import run so that the same file can finish it."""
    hasher = hashlib.new("sm3")
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as file:
            for block in iter(lambda: file.read(2**20), b""):
                hasher.update(block)
        return hasher.hexdigest()
    source.seek(0)
    for block in iter(lambda: source.read(2**20), b""):
        hasher.update(block)
    source.seek(0)
    return hasher.hexdigest()
