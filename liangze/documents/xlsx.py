"""Official forms as Excel workbooks: bordered table, merged headers, ready to print.

The sheet reads top to bottom like the paper form — title, the line under
it, the table, a blank row, the signature line, small print — so that the
same sheet, filled in, can be imported back (DOC-2).
"""

import unicodedata
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from liangze.core.xlsx import put
from liangze.documents.layout import (
    TABLE_FONT,
    TEXT_FONT,
    TITLE_FALLBACK_FONT,
    Cell,
    Form,
    Kind,
)

TITLE_ROW = 1
HEADING_ROW = 2
TABLE_TOP = 3  # the table's first row; the signature line follows it after a blank row

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
# Excel has no font fallback: the title uses the face every Chinese Windows has.
TITLE = Font(name=TITLE_FALLBACK_FONT, size=18)
TEXT = Font(name=TEXT_FONT, size=12)
SMALL = Font(name=TEXT_FONT, size=8, color="666666")
TABLE = Font(name=TABLE_FONT, size=10.5)
TABLE_BOLD = Font(name=TABLE_FONT, size=10.5, bold=True)
LINE_POINTS = 14.5  # one line of 10.5 pt 宋体, with leading


def form_bytes(form: Form, *, sheet_title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = sheet_title[:31]  # Excel's limit on sheet names
    draw_form(sheet, form)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def draw_form(sheet: Worksheet, form: Form) -> None:
    width = len(form.columns)
    for n, column in enumerate(form.columns, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = column.width
    line(sheet, TITLE_ROW, form.title, width, TITLE, "center")
    sheet.row_dimensions[TITLE_ROW].height = 36
    two_sided_line(sheet, HEADING_ROW, form.heading, width, TEXT)
    for cell in form.cells():
        table_cell(sheet, cell, TABLE_TOP)
    fit_row_heights(sheet, form, TABLE_TOP)
    bottom = TABLE_TOP + form.table_rows + 1
    two_sided_line(sheet, bottom, form.signatures, width, TEXT)
    if form.note:
        line(sheet, bottom + 1, form.note, width, SMALL, "left")
    print_setup(sheet, first_title_row=TABLE_TOP, title_rows=form.head_rows)


def line(sheet: Worksheet, row: int, text: str, width: int, font: Font, align: str) -> None:
    """A borderless line of text across the sheet's `width` columns."""
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    target = put(sheet.cell(row=row, column=1), text)
    target.font = font
    target.alignment = Alignment(horizontal=align, vertical="center")


def two_sided_line(
    sheet: Worksheet, row: int, parts: tuple[str, str], width: int, font: Font
) -> None:
    """Left part over the left half, right part right-aligned over the right half."""
    middle = width // 2
    for text, first, last, align in (
        (parts[0], 1, middle, "left"),
        (parts[1], middle + 1, width, "right"),
    ):
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        target = put(sheet.cell(row=row, column=first), text or None)
        target.font = font
        target.alignment = Alignment(horizontal=align, vertical="center")
    sheet.row_dimensions[row].height = 24


def table_cell(sheet: Worksheet, cell: Cell, top: int) -> None:
    """Draw one table cell at offset `top`; a merged cell is bordered all round."""
    row, col = top + cell.row, cell.col + 1
    if cell.rows > 1 or cell.cols > 1:
        sheet.merge_cells(
            start_row=row,
            start_column=col,
            end_row=top + cell.last_row,
            end_column=cell.last_col + 1,
        )
    for r in range(row, top + cell.last_row + 1):
        for c in range(col, cell.last_col + 2):
            sheet.cell(row=r, column=c).border = BORDER
    target = put(sheet.cell(row=row, column=col), cell.text or None)
    target.font = TABLE_BOLD if cell.kind in (Kind.LABEL, Kind.HEADER) else TABLE
    target.alignment = Alignment(
        horizontal="center" if cell.center else "left", vertical="center", wrap_text=True
    )


def fit_row_heights(sheet: Worksheet, form: Form, top: int) -> None:
    """Set row heights for wrapped text, which Excel does not do for files it did not write."""
    widths = [column.width for column in form.columns]
    lines = [1] * form.table_rows
    for cell in form.cells():
        if cell.rows == 1:
            room = sum(widths[cell.col : cell.last_col + 1])
            lines[cell.row] = max(lines[cell.row], text_lines(cell.text, room))
    for n, count in enumerate(lines):
        sheet.row_dimensions[top + n].height = count * LINE_POINTS + 6


def text_lines(text: str, width: float) -> int:
    """Lines `text` wraps to in a column `width` characters wide (CJK counts as two)."""
    usable = max(width - 1, 1)
    total = 0
    for part in text.split("\n"):
        size = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in part)
        total += max(1, -(-size // int(usable)))
    return total


def print_setup(sheet: Worksheet, *, first_title_row: int, title_rows: int) -> None:
    """A4 landscape, one page wide, the table's head repeated on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages tall as it takes
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    last = first_title_row + title_rows - 1
    sheet.print_title_rows = f"{first_title_row}:{last}"
