"""What signing a list needs: completeness (LIST-4) and the canonical form that is signed (LIST-8).

Pure functions, no database: the sign-off page, the service and the tests ask alike.
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from liangze.core.sm3 import sm3_hex

QUARTER_LABELS = ("一季度", "二季度", "三季度", "四季度")


@dataclass(frozen=True)
class Problem:
    kind: str  # "missing_entry", "no_task", "no_responsible", "no_measure"
    message: str
    item_seq: int | None = None
    entry_ref: str | None = None


def completeness_problems(
    required: Sequence[tuple[str, str]], items: Iterable[Any]
) -> list[Problem]:
    """Why a list cannot be signed yet: “体系完整、覆盖全面、责任到人、任务到项”.

    `required` holds (ref, name) of the catalogue entries the list type must
    carry; `items` are the list's rows (entry ref or None, seq, name, task,
    responsible id, q1…q4). “任务到项”: every row says its 项目任务.
    """
    items = list(items)
    problems: list[Problem] = []
    covered = {item.entry_ref for item in items if item.entry_ref}
    for ref, name in required:
        if ref not in covered:
            problems.append(
                Problem("missing_entry", f"目录责任“{name}”还没有对应的清单事项。", entry_ref=ref)
            )
    for item in items:
        if not item.task.strip():
            problems.append(
                Problem(
                    "no_task",
                    f"第 {item.seq} 项“{item.name}”没有填写项目任务/具体分解内容。",
                    item.seq,
                )
            )
        if not item.responsible_id:
            problems.append(
                Problem("no_responsible", f"第 {item.seq} 项“{item.name}”没有责任人。", item.seq)
            )
        for label, measure in zip(QUARTER_LABELS, item.measures, strict=True):
            if not measure.strip():
                problems.append(
                    Problem(
                        "no_measure",
                        f"第 {item.seq} 项“{item.name}”缺少{label}的工作措施和目标要求。",
                        item.seq,
                    )
                )
    return problems


def canonical(header: dict[str, Any], rows: Iterable[dict[str, Any]]) -> str:
    """The exact text a signature covers: stable key order, no whitespace variance."""
    body = {"header": header, "items": list(rows)}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(text: str) -> str:
    return sm3_hex(text.encode())
