"""Excel workbooks written write-only from iterators of rows (downloads: core.downloads).

Every cell of every workbook the app writes gets its value through `put`: a
spreadsheet runs text that begins with `=`, `+`, `-`, `@`, a tab or a CR as a
formula (CSV/Excel injection), and names, subjects and notes are typed by
users. Such text is stored as text, unchanged, with Excel's quote prefix (the
hidden apostrophe) so that it stays text when someone edits the cell. The app
writes no formula of its own.
"""

from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def put(cell: Cell, value: Any) -> Cell:
    """Give `cell` the value `value`, text always as text, never as a formula."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def cells(sheet: Any, values: Iterable[Any]) -> list[Cell]:
    """One row for `sheet.append`, in write-only or ordinary sheets alike."""
    return [put(WriteOnlyCell(sheet), value) for value in values]


def workbook_bytes(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    book = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title)
        header_cells = cells(sheet, headers)
        for cell in header_cells:
            cell.font = Font(bold=True)
        sheet.append(header_cells)
        for row in rows:
            sheet.append(cells(sheet, row))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
