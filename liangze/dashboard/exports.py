"""The dashboard's table as an Excel workbook: the units, then the people (DOC-1)."""

from collections.abc import Iterator, Sequence
from typing import Any

from liangze.core.xlsx import workbook_bytes
from liangze.dashboard.queries import CHART_STATUSES, Dashboard, UnitRow

UNIT_HEADERS = (
    "单位",
    "预警颜色",
    "逾期台账（项·季）",
    "已到期台账（项·季）",
    "台账逾期率（%）",
    "未达标指标",
    "已考核指标",
    "指标未达标率（%）",
    "未销号整改",
)
PERSON_HEADERS = (
    "姓名",
    "预警颜色",
    "逾期台账（项·季）",
    "已到期台账（项·季）",
    "未达标指标",
    "已考核指标",
)


def _unit(row: UnitRow) -> list[Any]:
    m = row.metrics
    return [
        row.label,
        str(row.colour.label),
        int(m["overdue_cells"]),
        int(m["due_cells"]),
        m["overdue_rate"],
        int(m["failing_indicators"]),
        int(m["assessed_indicators"]),
        m["failing_rate"],
        int(m["open_rectifications"]),
        *(row.tally.cells[status] for status in CHART_STATUSES),
    ]


def _units(board: Dashboard) -> Iterator[Sequence[Any]]:
    if board.own is not None:
        yield _unit(board.own)
    for row in board.rows:
        yield _unit(row)
    if board.total is not None:
        yield _unit(board.total)


def workbook(board: Dashboard) -> bytes:
    source = (
        "实时计算"
        if board.source == "live"
        else f"{board.as_of:%Y-%m-%d} 周快照"
        if board.as_of
        else "无快照"
    )
    headers = [*UNIT_HEADERS, *(f"台账·{status.label}" for status in CHART_STATUSES)]
    people = (
        [
            p.person.name,
            str(p.colour.label),
            int(p.metrics["overdue_cells"]),
            int(p.metrics["due_cells"]),
            int(p.metrics["failing_indicators"]),
            int(p.metrics["assessed_indicators"]),
        ]
        for p in board.people
    )
    note = [
        ("单位", board.org.name),
        ("年度", board.year),
        ("数据", source),
        ("预警标准", board.scale.label),
    ]
    return workbook_bytes(
        [
            (f"{board.org.name}"[:31], headers, _units(board)),
            ("本级人员", PERSON_HEADERS, people),
            ("说明", ("项目", "内容"), note),
        ]
    )
