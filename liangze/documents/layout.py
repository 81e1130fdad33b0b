"""What an official form looks like, described once for both the Word and the Excel renderer.

The seeds' attachment forms (e.g. 004 附件1–4) share one shape: a title; a line
under it (单位(盖章)：… on the left, 填报日期：… on the right); one bordered table
of label/value rows (单位 | 姓名 | 职务), column headers where some columns sit
under a common heading (工作措施和目标要求 over 一季度…四季度), and body rows
where equal neighbouring values of a column are merged into one cell; then the
signature line and small print. `cells()` turns a `Form` into positioned,
merged cells, so the .docx and the .xlsx of one form cannot disagree about
what goes where — each renderer only draws them.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

# 公文 typefaces (GB/T 9704): 方正小标宋简体 for titles, 仿宋 for text; 宋体 reads
# best at table sizes. 方正小标宋 is not on every office PC, hence the fallback.
TITLE_FONT = "方正小标宋简体"
TITLE_FALLBACK_FONT = "黑体"
TEXT_FONT = "仿宋"
TABLE_FONT = "宋体"


class Kind(StrEnum):
    LABEL = "label"  # 单位, 姓名 … in the label/value rows
    VALUE = "value"
    HEADER = "header"  # column headings
    BODY = "body"


@dataclass(frozen=True)
class Column:
    label: str
    width: int  # in Excel character units; Word scales the widths to the page
    group: str = ""  # a heading shared with the neighbouring columns of the same group
    center: bool = False


@dataclass(frozen=True)
class Cell:
    """One (possibly merged) cell of the table, rows and columns counted from 0."""

    row: int
    col: int
    text: str
    kind: Kind
    rows: int = 1
    cols: int = 1
    center: bool = False

    @property
    def is_heading(self) -> bool:
        return self.kind in (Kind.LABEL, Kind.HEADER)

    @property
    def last_row(self) -> int:
        return self.row + self.rows - 1

    @property
    def last_col(self) -> int:
        return self.col + self.cols - 1


@dataclass(frozen=True)
class Form:
    title: str
    columns: tuple[Column, ...]
    body: tuple[tuple[str, ...], ...]
    merge_down: frozenset[int] = frozenset()  # columns whose equal neighbours merge
    heading: tuple[str, str] = ("", "")  # left and right of the line under the title
    fields: tuple[tuple[tuple[str, str], ...], ...] = ()  # rows of (label, value) pairs
    signatures: tuple[str, str] = ("", "")  # left and right of the line under the table
    note: str = ""  # small print under the signatures

    @property
    def header_depth(self) -> int:
        return 2 if any(column.group for column in self.columns) else 1

    @property
    def head_rows(self) -> int:
        """Rows above the body — repeated on every printed page."""
        return len(self.fields) + self.header_depth

    @property
    def table_rows(self) -> int:
        return self.head_rows + len(self.body)

    def cells(self) -> list[Cell]:
        return [*self._field_cells(), *self._header_cells(), *self._body_cells()]

    def rows(self) -> list[list[Cell]]:
        """The cells by the row they start in, left to right: an HTML table's rows."""
        rows: list[list[Cell]] = [[] for _row in range(self.table_rows)]
        for cell in self.cells():
            rows[cell.row].append(cell)
        for row in rows:
            row.sort(key=lambda cell: cell.col)
        return rows

    def _field_cells(self) -> list[Cell]:
        cells: list[Cell] = []
        for row, pairs in enumerate(self.fields):
            col = 0
            for (label, value), size in zip(
                pairs, split(len(self.columns), len(pairs)), strict=True
            ):
                cells.append(Cell(row, col, label, Kind.LABEL, center=True))
                cells.append(Cell(row, col + 1, value, Kind.VALUE, cols=size - 1))
                col += size
        return cells

    def _header_cells(self) -> list[Cell]:
        top, depth = len(self.fields), self.header_depth
        cells: list[Cell] = []
        for start, length in runs([column.group for column in self.columns]):
            group = self.columns[start].group
            if group:
                cells.append(Cell(top, start, group, Kind.HEADER, cols=length, center=True))
            for col in range(start, start + length):
                label = self.columns[col].label
                if group:
                    cells.append(Cell(top + 1, col, label, Kind.HEADER, center=True))
                else:
                    cells.append(Cell(top, col, label, Kind.HEADER, rows=depth, center=True))
        return cells

    def _body_cells(self) -> list[Cell]:
        top = self.head_rows
        cells: list[Cell] = []
        for col, column in enumerate(self.columns):
            values = [row[col] for row in self.body]
            spans = runs(values) if col in self.merge_down else [(n, 1) for n in range(len(values))]
            for start, length in spans:
                cells.append(
                    Cell(
                        top + start,
                        col,
                        values[start],
                        Kind.BODY,
                        rows=length,
                        center=column.center,
                    )
                )
        return cells


def runs(values: Sequence[str]) -> list[tuple[int, int]]:
    """(start, length) of each run of equal neighbours; empty values never join a run."""
    found: list[tuple[int, int]] = []
    for n, value in enumerate(values):
        if found and value and values[found[-1][0]] == value:
            start, length = found[-1]
            found[-1] = (start, length + 1)
        else:
            found.append((n, 1))
    return found


def split(width: int, parts: int) -> list[int]:
    """`width` columns as `parts` near-equal slices of at least 2 (a label and its value)."""
    if parts < 1 or width < 2 * parts:
        raise ValueError(f"cannot fit {parts} label/value pairs into {width} columns")
    size, extra = divmod(width, parts)
    return [size + 1 if n < extra else size for n in range(parts)]
