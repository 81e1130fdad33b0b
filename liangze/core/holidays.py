"""Years of holidays entered from the State Council's notice (core.workdays reads them).

One arrangement is a list of rows, typed on the page or imported from a file:

    类型, 名称, 开始日期, 结束日期
    放假, 元旦, 2027-01-01, 2027-01-03
    上班, 春节, 2027-02-07

The same rows come from a text box (comma, tab or space between the columns),
a CSV file or the first sheet of an Excel workbook; every message names the row.
Core sits below access: the page asks whether the user is the system
administrator before it calls `holiday_year_save`.
"""

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import StringIO
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from liangze.core import audit, limits, workdays
from liangze.core.audit import Actor
from liangze.core.models import HolidayYear

HOLIDAY = "放假"
WORKDAY = "上班"
_KINDS = {HOLIDAY: HOLIDAY, "休息": HOLIDAY, WORKDAY: WORKDAY, "调休上班": WORKDAY, "补班": WORKDAY}
HEADER = ("类型", "名称", "开始日期", "结束日期")
# A year has a few dozen lines; the bounds keep a stray file from costing a worker.
MAX_ROWS = 200
MAX_BYTES = 512 * 1024
_WEEKDAYS = "一二三四五六日"
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
# Commas or tabs keep an empty column; spaces alone are a convenience when typing.
_SEPARATORS = re.compile(r"\s*[,，\t]\s*")


@dataclass(frozen=True)
class Holiday:
    row: int
    name: str
    start: date
    end: date


@dataclass(frozen=True)
class SwappedWorkday:
    row: int
    name: str
    day: date


@dataclass(frozen=True)
class Arrangement:
    holidays: tuple[Holiday, ...]
    workdays: tuple[SwappedWorkday, ...]


def notice_title(year: int) -> str:
    return _("国务院办公厅关于%(year)s年部分节假日安排的通知") % {"year": year}


# Reading rows ---------------------------------------------------------------


def rows_from_text(text: str) -> list[list[str]]:
    return [
        _SEPARATORS.split(line) if _SEPARATORS.search(line) else line.split()
        for line in (line.strip() for line in text.splitlines())
    ]


def rows_from_file(file: UploadedFile) -> list[list[Any]]:
    name = (file.name or "").lower()
    if (file.size or 0) > MAX_BYTES:
        raise ValidationError(_("文件超过 %(limit)d KB，不能导入。") % {"limit": MAX_BYTES // 1024})
    if name.endswith(".xlsx"):
        try:
            book = load_workbook(file, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
            raise ValidationError(_("无法读取这个 Excel 文件，请另存为 .xlsx 后重试。")) from error
        try:
            return [list(row) for row in limits.bounded_rows(book.worksheets[0], MAX_ROWS)]
        except limits.TooManyRows as error:
            raise ValidationError(str(error)) from None
        finally:
            book.close()
    raw = file.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError(_("无法识别文件的编码，请保存为 UTF-8 编码的 CSV 或文本文件。"))
    rows = (
        [[cell.strip() for cell in row] for row in csv.reader(StringIO(text))]
        if name.endswith(".csv")
        else rows_from_text(text)
    )
    if len(rows) > MAX_ROWS:
        raise ValidationError(str(limits.TooManyRows(file.name or "", MAX_ROWS)))
    return rows


def arrangement_from_rows(year: int, rows: Iterable[Sequence[Any]]) -> Arrangement:
    """The rows as `year`'s holidays and 调休 working days, or every problem by row."""
    problems: list[str] = []
    holidays: list[Holiday] = []
    swapped: list[SwappedWorkday] = []
    for number, row in enumerate(rows, start=1):
        cells = [_text(cell) for cell in row]
        while cells and not cells[-1]:
            cells.pop()
        if not cells or cells[0].startswith("#") or tuple(cells[:2]) == HEADER[:2]:
            continue
        row_problems: list[str] = []
        kind = _KINDS.get(cells[0])
        if kind is None:
            row_problems.append(_("类型应为“放假”或“上班”，而不是“%(kind)s”") % {"kind": cells[0]})
        name = cells[1] if len(cells) > 1 else ""
        if not name:
            row_problems.append(_("缺少名称（如“元旦”“春节”）"))
        start = _date(cells, 2, _("开始日期"), row_problems)
        end = _date(cells, 3, _("结束日期"), row_problems) if len(cells) > 3 else start
        if len(cells) > 4:
            row_problems.append(_("多出了第 5 列及以后的内容"))
        if kind == WORKDAY and end != start:
            row_problems.append(_("调休上班日只写一天，不写结束日期"))
        if not row_problems and start is not None and end is not None:
            if kind == HOLIDAY:
                holidays.append(Holiday(number, name, start, end))
            else:
                swapped.append(SwappedWorkday(number, name, start))
        problems += [_at(number, problem) for problem in row_problems]
    arrangement = Arrangement(tuple(holidays), tuple(swapped))
    problems += arrangement_problems(year, arrangement)
    if problems:
        raise ValidationError(problems)
    return arrangement


def _at(row: int, problem: str) -> str:
    return _("第%(row)s行：%(problem)s") % {"row": row, "problem": problem}


def _text(cell: Any) -> str:
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return "" if cell is None else str(cell).strip()


def _date(cells: list[str], index: int, label: str, problems: list[str]) -> date | None:
    text = cells[index] if len(cells) > index else ""
    if not text:
        problems.append(_("缺少%(label)s") % {"label": label})
        return None
    match = _DATE.match(text)
    try:
        if match is None:
            raise ValueError(text)
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        problems.append(
            _("%(label)s“%(text)s”不是日期，请写成 2027-01-01 的格式")
            % {"label": label, "text": text}
        )
        return None


# Checking an arrangement ----------------------------------------------------


def arrangement_problems(year: int, arrangement: Arrangement) -> list[str]:
    """What is wrong with a year's arrangement as a whole; empty when it may be saved."""
    problems: list[str] = []

    def at(row: int, text: str) -> None:
        problems.append(_at(row, text))

    if not arrangement.holidays:
        problems.append(_("至少要有一行放假安排。"))
    taken: dict[date, Holiday] = {}
    for holiday in arrangement.holidays:
        if holiday.end < holiday.start:
            at(holiday.row, _("结束日期早于开始日期"))
            continue
        if holiday.start.year != year or holiday.end.year != year:
            at(
                holiday.row,
                _("%(name)s的日期不在%(year)s年内") % {"name": holiday.name, "year": year},
            )
            continue
        clash = next((taken[d] for d in _days(holiday) if d in taken), None)
        if clash is not None:
            at(
                holiday.row,
                _("%(name)s与第%(other)s行的%(other_name)s日期重叠")
                % {"name": holiday.name, "other": clash.row, "other_name": clash.name},
            )
            continue
        taken.update(dict.fromkeys(_days(holiday), holiday))
    seen: dict[date, SwappedWorkday] = {}
    for swapped in arrangement.workdays:
        day = swapped.day
        if day.year != year:
            at(swapped.row, _("%(day)s不在%(year)s年内") % {"day": day.isoformat(), "year": year})
        elif day.weekday() < 5:
            at(
                swapped.row,
                _("%(day)s是星期%(weekday)s，调休上班日只能是星期六或星期日")
                % {"day": day.isoformat(), "weekday": _WEEKDAYS[day.weekday()]},
            )
        elif day in taken:
            at(
                swapped.row,
                _("%(day)s已是第%(other)s行%(name)s的放假日")
                % {"day": day.isoformat(), "other": taken[day].row, "name": taken[day].name},
            )
        elif day in seen:
            at(
                swapped.row,
                _("%(day)s与第%(other)s行重复") % {"day": day.isoformat(), "other": seen[day].row},
            )
        else:
            seen[day] = swapped
    return problems


def _days(holiday: Holiday) -> list[date]:
    return [
        date.fromordinal(n) for n in range(holiday.start.toordinal(), holiday.end.toordinal() + 1)
    ]


# Reading and writing the stored year ----------------------------------------


def refuse_shipped(year: int) -> None:
    """A year the library ships is not entered: its data is checked upstream, and deadlines
    already computed from it must not move because someone typed a date."""
    if workdays.is_shipped(year):
        message = _("%(year)s年的节假日安排已随日历库提供，无需录入。") % {"year": year}
        raise ValidationError({"year": message})


def as_rows(row: HolidayYear) -> str:
    """A stored year as the text the page edits, so a correction starts from what is there."""
    lines = [f"{HOLIDAY},{h['name']},{h['start']},{h['end']}" for h in row.holidays]
    lines += [f"{WORKDAY},{w['name']},{w['day']}" for w in row.workdays]
    return "\n".join(lines)


@transaction.atomic
def holiday_year_save(
    *,
    actor: Actor,
    year: int,
    notice_title: str,
    notice_number: str,
    arrangement: Arrangement,
    file_name: str = "",
) -> HolidayYear:
    """Enter a year, or correct it: the audit event keeps what it was before."""
    refuse_shipped(year)
    problems = arrangement_problems(year, arrangement)
    if problems:
        raise ValidationError(problems)
    row = HolidayYear.objects.select_for_update().filter(year=year).first()
    before = _snapshot(row) if row is not None else {}
    row = row or HolidayYear(year=year)
    row.notice_title = notice_title
    row.notice_number = notice_number
    row.holidays = [
        {"name": h.name, "start": h.start.isoformat(), "end": h.end.isoformat()}
        for h in sorted(arrangement.holidays, key=lambda h: h.start)
    ]
    row.workdays = [
        {"name": w.name, "day": w.day.isoformat()}
        for w in sorted(arrangement.workdays, key=lambda w: w.day)
    ]
    row.entered_by_id = actor.pk if actor.is_authenticated else None
    row.entered_at = timezone.now()
    row.full_clean()
    row.save()
    after = _snapshot(row)
    data: dict[str, Any]
    if before:
        verb, data = audit.Verb.UPDATE, audit.changes(before, after)
    else:
        verb, data = audit.Verb.CREATE, after
    if file_name:
        verb, data = audit.Verb.IMPORT, {**data, "file": file_name}
    audit.record(actor=actor, verb=verb, obj=row, data=data)
    # Now for this process, and again once committed in case a question reloaded mid-way.
    workdays.forget_entered_years()
    transaction.on_commit(workdays.forget_entered_years)
    return row


def _snapshot(row: HolidayYear) -> dict[str, Any]:
    return {
        "notice_title": row.notice_title,
        "notice_number": row.notice_number,
        "holidays": row.holidays,
        "workdays": row.workdays,
    }
