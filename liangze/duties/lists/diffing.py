"""What changed between two versions of a list (LIST-8: every version stays readable).

Pure functions over plain rows, so the comparison is tested without the database.
A row is a mapping with `seq`, `entry` (a catalogue ref, "" for an own item) and
the fields in FIELDS, already rendered as text.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from django.utils.translation import gettext_lazy as _

FIELDS: tuple[tuple[str, Any], ...] = (
    ("name", _("责任名称")),
    ("task", _("项目任务")),
    ("responsible", _("责任人")),
    ("department", _("责任部门")),
    ("q1", _("一季度")),
    ("q2", _("二季度")),
    ("q3", _("三季度")),
    ("q4", _("四季度")),
)

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "delete", "insert"
    text: str


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: Any
    old: str
    new: str
    segments: tuple[Segment, ...]


@dataclass
class RowDiff:
    kind: str  # "changed", "unchanged", "added", "removed"
    name: str
    entry: str
    old_seq: int | None = None
    new_seq: int | None = None
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def moved(self) -> bool:
        return None not in (self.old_seq, self.new_seq) and self.old_seq != self.new_seq


def segments(old: str, new: str) -> tuple[Segment, ...]:
    """Old → new as runs of kept, deleted and inserted characters."""
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(Segment("equal", old[i1:i2]))
            continue
        if i2 > i1:
            out.append(Segment("delete", old[i1:i2]))
        if j2 > j1:
            out.append(Segment("insert", new[j1:j2]))
    return tuple(out)


def _compare(old: Row, new: Row) -> RowDiff:
    changes = [
        FieldChange(name, label, o, n, segments(o, n))
        for name, label in FIELDS
        if (o := str(old.get(name) or "")) != (n := str(new.get(name) or ""))
    ]
    return RowDiff(
        kind="changed" if changes or old["seq"] != new["seq"] else "unchanged",
        name=str(new.get("name") or ""),
        entry=str(new.get("entry") or ""),
        old_seq=old["seq"],
        new_seq=new["seq"],
        changes=changes,
    )


def _pair(old: Sequence[Row], new: Sequence[Row]) -> Iterable[tuple[Row | None, Row | None]]:
    """Pair the rows of one catalogue entry (or the own items) across versions.

    Rows keep their names far more often than their position, so runs of equal
    names pair first; what is left pairs in order, and the surplus is added or removed.
    """
    names = SequenceMatcher(
        None, [r.get("name") for r in old], [r.get("name") for r in new], autojunk=False
    )
    for _op, i1, i2, j1, j2 in names.get_opcodes():
        left, right = old[i1:i2], new[j1:j2]
        for k in range(max(len(left), len(right))):
            yield (left[k] if k < len(left) else None, right[k] if k < len(right) else None)


def _group(rows: Iterable[Row]) -> dict[str, list[Row]]:
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: r["seq"]):
        groups[str(row.get("entry") or "")].append(row)
    return groups


def diff_versions(old_rows: Iterable[Row], new_rows: Iterable[Row]) -> list[RowDiff]:
    """Every row of both versions, matched by catalogue entry and then by name and order.

    In the new version's order; a removed row sits where it stood in the old one.
    """
    old_groups, new_groups = _group(old_rows), _group(new_rows)
    diffs: list[RowDiff] = []
    for entry in old_groups.keys() | new_groups.keys():
        for old, new in _pair(old_groups.get(entry, []), new_groups.get(entry, [])):
            if old is not None and new is not None:
                diffs.append(_compare(old, new))
            elif new is not None:
                diffs.append(
                    RowDiff("added", str(new.get("name") or ""), entry, new_seq=new["seq"])
                )
            elif old is not None:
                diffs.append(
                    RowDiff("removed", str(old.get("name") or ""), entry, old_seq=old["seq"])
                )

    def position(d: RowDiff) -> tuple[float, int]:
        if d.new_seq is not None:
            return (d.new_seq, 0)
        return ((d.old_seq or 0) - 0.5, 1)

    return sorted(diffs, key=position)
