"""A filled-in list form (.xlsx in the layout exports.py writes) read back into a draft (DOC-2).

The sheet is read like the paper form: the header is the row holding “序号”
(with 一季度…四季度 in it or in the row below), data rows follow until the
signature line, and a merged cell counts for every row it covers — the
official form merges 责任名称 over the rows of one responsibility. Every
problem in the file is collected before anything is written; the rows then go
through services.duty_items_save, so the import obeys the same rules as the
grid editor, all or nothing.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError
from zipfile import BadZipFile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from liangze import access
from liangze.accounts.models import User
from liangze.core import audit, limits
from liangze.duties import policy
from liangze.duties.lists import exports, services
from liangze.duties.lists.exports import NAME, RESPONSIBLE, SEQ
from liangze.duties.models import DutyItem, DutyList, ListType
from liangze.orgs.models import Person

MAX_BYTES = 10 * 2**20
MAX_ROWS = 2000  # far more than any list; keeps a stray cell at row 1,000,000 from costing time
MAX_NAME = MAX_DEPARTMENT = 100  # DutyItem.name and .department
_SIGNATURE = re.compile(r"\(签字\):")  # after NFKC; the line under the table
_ROW_NUMBER = re.compile(r"第 (\d+) 行")  # how services.duty_items_save names a row


@dataclass
class Row:
    number: int  # the Excel row
    values: dict[str, str]  # as services.duty_items_save takes them


@transaction.atomic
def duty_items_import(*, actor: User, duty_list: DutyList, file: UploadedFile) -> list[DutyItem]:
    """Replace the draft's rows with the sheet's; a ValidationError lists every problem."""
    access.require(actor, policy.EDIT, duty_list)
    rows = read_rows(duty_list, file)
    try:
        items = services.duty_items_save(
            actor=actor, duty_list=duty_list, rows=[row.values for row in rows]
        )
    except ValidationError as error:
        raise ValidationError([_renumber(message, rows) for message in error.messages]) from None
    audit.record(
        actor=actor,
        verb=audit.Verb.IMPORT,
        obj=duty_list,
        data={"file": file.name or "", "rows": len(items)},
    )
    return items


def read_rows(duty_list: DutyList, file: UploadedFile) -> list[Row]:
    """The sheet's rows ready for duty_items_save, or a ValidationError naming each bad cell."""
    grid = _grid(_open(file))
    header, depth = _find_header(grid)
    _check_type(duty_list, grid[:header])
    problems: list[str] = []
    columns = _columns(duty_list, grid[header : header + depth], problems)
    if problems:
        raise ValidationError(problems)
    rows: list[Row] = []
    for n in range(header + depth, len(grid)):
        if _is_signature_line(grid[n]):
            break
        # A row with nothing but a 序号 is a blank line of the printed form.
        if any(grid[n][col] for field, col in columns.items() if field != SEQ):
            rows.append(Row(n + 1, {field: grid[n][col] for field, col in columns.items()}))
    if not rows:
        raise ValidationError(_("表格中没有清单事项。"))
    _resolve(duty_list, rows, problems)
    if problems:
        raise ValidationError(problems)
    return rows


def _open(file: UploadedFile) -> Worksheet:
    name = (file.name or "").lower()
    if name.endswith((".xls", ".et")):
        raise ValidationError(_("请先把文件另存为 .xlsx 格式再导入。"))
    if not name.endswith(".xlsx"):
        raise ValidationError(_("只能导入 Excel 工作簿（.xlsx）。"))
    if (file.size or 0) > MAX_BYTES:
        raise ValidationError(
            _("文件超过 %(limit)d MB，不能导入。") % {"limit": MAX_BYTES // 2**20}
        )
    try:
        # Counted read-only first: the full load below keeps every cell (and its style).
        quick = load_workbook(file, read_only=True, data_only=True)
        try:
            for _row in limits.bounded_rows(quick.worksheets[0], MAX_ROWS):
                pass
        finally:
            quick.close()
        file.seek(0)
        # Not read-only: merged ranges are needed to carry 责任名称 down.
        return load_workbook(file, data_only=True).worksheets[0]
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError, ParseError):
        raise ValidationError(_("文件不是有效的 Excel 工作簿（.xlsx）。")) from None
    except limits.TooManyRows as error:
        raise ValidationError(str(error)) from None


def _grid(sheet: Worksheet) -> list[list[str]]:
    """Cell texts, a merged cell's text repeated down the rows it covers."""
    grid = [[_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:
        top = grid[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row, merged.max_row):
            grid[r][merged.min_col - 1] = top
    return grid


def _find_header(grid: list[list[str]]) -> tuple[int, int]:
    """(index, depth) of the header: the row with 序号, and 一季度 in it or the next row."""
    labels = exports.field_labels()
    seq, first_quarter = _key(labels[SEQ]), _key(labels["q1"])
    for n, row in enumerate(grid):
        keys = {_key(text) for text in row}
        if seq not in keys:
            continue
        if first_quarter in keys:
            return n, 1
        if n + 1 < len(grid) and first_quarter in {_key(text) for text in grid[n + 1]}:
            return n, 2
    raise ValidationError(
        _("没有找到表头：应有一行含「%(seq)s」，其下或同行有「%(q1)s」至「%(q4)s」。")
        % {"seq": labels[SEQ], "q1": labels["q1"], "q4": labels["q4"]}
    )


def _check_type(duty_list: DutyList, above: list[list[str]]) -> None:
    """A title above the table that names another list type means the wrong file."""
    titles = {_key(exports.layout(t).title): t for t in ListType}
    found = {titles[_key(text)] for row in above for text in row if _key(text) in titles}
    if found and duty_list.list_type not in found:
        raise ValidationError(
            _("这是「%(file)s」，不能导入到「%(list)s」。")
            % {"file": ListType(found.pop()).label, "list": duty_list.get_list_type_display()}
        )


def _columns(duty_list: DutyList, header: list[list[str]], problems: list[str]) -> dict[str, int]:
    """The column index of each field of this list type's layout, by its heading."""
    labels = exports.field_labels()
    headings = [
        _key(next((r[c] for r in reversed(header) if r[c]), "")) for c in range(len(header[0]))
    ]
    columns: dict[str, int] = {}
    for field, _column in exports.layout(duty_list.list_type).columns:
        key = _key(labels[field])
        found = next((c for c, heading in enumerate(headings) if heading.startswith(key)), None)
        if found is None:
            problems.append(_("表头缺少「%(column)s」列。") % {"column": labels[field]})
        else:
            columns[field] = found
    return columns


def _resolve(duty_list: DutyList, rows: list[Row], problems: list[str]) -> None:
    """Turn names into catalogue refs and people into person numbers, in place."""
    labels = exports.field_labels()
    entries: dict[str, tuple[str, str]] = {}
    for entry in duty_list.catalogue.entries.filter(list_type=duty_list.list_type):
        entries.setdefault(_key(entry.name), (entry.ref, entry.name))
    people = _people(duty_list, {row.values.get(RESPONSIBLE, "") for row in rows} - {""})

    def problem(row: Row, field: str, reason: str) -> None:
        problems.append(
            _("第 %(row)d 行「%(column)s」：%(reason)s")
            % {"row": row.number, "column": labels[field], "reason": reason}
        )

    mark = exports.own_mark()
    marks = (mark, unicodedata.normalize("NFKC", mark))
    for row in rows:
        values = row.values
        values.pop(SEQ, None)  # the order of the rows is the order of the list
        name = values[NAME]
        suffix = next((m for m in marks if name.endswith(m)), "")
        if suffix:
            name = name[: -len(suffix)].rstrip()
            values["entry"] = ""
        else:  # a catalogue responsibility, spelled as the catalogue spells it; else own
            values["entry"], name = entries.get(_key(name), ("", name))
        values[NAME] = name
        if not name:
            problem(row, NAME, _("不能为空。"))
        elif len(name) > MAX_NAME:
            problem(row, NAME, _("不能超过 %(n)d 个字符。") % {"n": MAX_NAME})
        if len(values.get("department", "")) > MAX_DEPARTMENT:
            problem(row, "department", _("不能超过 %(n)d 个字符。") % {"n": MAX_DEPARTMENT})
        if duty_list.person is not None:
            values[RESPONSIBLE] = duty_list.person.person_no  # the person named above the table
        elif values.get(RESPONSIBLE):
            person_no, reason = people(values[RESPONSIBLE])
            values[RESPONSIBLE] = person_no
            if reason:
                problem(row, RESPONSIBLE, reason)


def _people(duty_list: DutyList, wanted: set[str]) -> Callable[[str], tuple[str, str]]:
    """A resolver: person number or name → (person_no, problem), within the unit's subtree."""
    found = list(
        Person.objects.filter(duty_list.org.subtree_q("org__"))
        .filter(Q(person_no__in=wanted) | Q(name__in=wanted))
        .values_list("person_no", "name")
    )
    numbers = {no for no, _name in found}
    by_name: dict[str, list[str]] = {}
    for no, name in found:
        by_name.setdefault(name, []).append(no)

    def resolve(text: str) -> tuple[str, str]:
        if text in numbers:
            return text, ""
        matches = by_name.get(text, [])
        if len(matches) == 1:
            return matches[0], ""
        if matches:
            return "", _("本单位及下级中有 %(n)d 人名为「%(name)s」，请改填人员编号。") % {
                "n": len(matches),
                "name": text,
            }
        return "", _("本单位及下级中没有姓名或编号为「%(name)s」的人员。") % {"name": text}

    return resolve


def _is_signature_line(row: list[str]) -> bool:
    return any(_SIGNATURE.search(unicodedata.normalize("NFKC", text)) for text in row)


def _renumber(message: str, rows: list[Row]) -> str:
    """Put the Excel row number where duty_items_save counted data rows from 1."""
    found = _ROW_NUMBER.search(message)
    if found is None or not 0 < int(found.group(1)) <= len(rows):
        return message
    number = rows[int(found.group(1)) - 1].number
    return f"{message[: found.start(1)]}{number}{message[found.end(1) :]}"


def _key(text: str) -> str:
    """Compare headings and names ignoring spaces, line breaks and full/half-width forms."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a person number typed as a number: 1001, not 1001.0
    return str(value).strip()
