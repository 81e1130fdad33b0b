"""The four-colour warning (四色预警) as data: 绿 commendable, 蓝 normal, 黄 warning, 红 called
to account.

A scale is a versioned JSON file in scales/ with a stable code, its issuing
body and year, and for units and for people an ordered list of rules — a
colour, "any" or "all", and conditions on named metrics, each with the seed
passage or local decision it rests on. `classify` is a pure function of the
metrics and the scale: the first rule that matches gives the colour, else the
scale's default. Loading validates every field and names the one that is wrong.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from django.db import models
from django.utils.translation import gettext_lazy as _

from liangze.ledger.queries import Tally

SCALES_DIR = Path(__file__).parent / "scales"
DEFAULT_SCALE = SCALES_DIR / "demo-county-2026.json"

Subject = Literal["unit", "person"]


class Colour(models.TextChoices):
    GREEN = "green", _("绿")
    BLUE = "blue", _("蓝")
    YELLOW = "yellow", _("黄")
    RED = "red", _("红")


# Ranked from good to bad: the trend chart and the sort order read them this way.
RANK = {Colour.GREEN: 0, Colour.BLUE: 1, Colour.YELLOW: 2, Colour.RED: 3}

UNIT_METRICS: dict[str, Any] = {
    "overdue_cells": _("逾期台账（项·季）"),
    "due_cells": _("已到期台账（项·季）"),
    "overdue_rate": _("台账逾期率（%）"),
    "failing_indicators": _("未达标指标"),
    "assessed_indicators": _("已考核指标"),
    "failing_rate": _("指标未达标率（%）"),
    "open_rectifications": _("未销号整改"),
    "assessed": _("可考事项（到期台账＋已考核指标）"),
}
PERSON_METRICS: dict[str, Any] = {
    key: UNIT_METRICS[key]
    for key in (
        "overdue_cells",
        "due_cells",
        "failing_indicators",
        "assessed_indicators",
        "assessed",
    )
}
METRICS: dict[Subject, dict[str, Any]] = {"unit": UNIT_METRICS, "person": PERSON_METRICS}

OPS = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "==": lambda a, b: a == b,
}


class ScaleError(ValueError):
    """A scale file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Condition:
    metric: str
    op: str
    value: float
    source: str

    def holds(self, metrics: Mapping[str, float]) -> bool:
        return bool(OPS[self.op](metrics[self.metric], self.value))


@dataclass(frozen=True)
class WarningRule:
    colour: Colour
    match: Literal["any", "all"]
    conditions: tuple[Condition, ...]

    def matches(self, metrics: Mapping[str, float]) -> bool:
        results = (c.holds(metrics) for c in self.conditions)
        return any(results) if self.match == "any" else all(results)


@dataclass(frozen=True)
class ColourInfo:
    label: str
    meaning: str
    source: str


@dataclass(frozen=True)
class Scale:
    code: str
    version: int
    year: int
    issuer: str
    title: str
    source: str
    colours: dict[Colour, ColourInfo]
    default: Colour
    unit: tuple[WarningRule, ...]
    person: tuple[WarningRule, ...]

    def rules(self, subject: Subject) -> tuple[WarningRule, ...]:
        return self.unit if subject == "unit" else self.person

    @property
    def label(self) -> str:
        return f"{self.title}（{self.issuer}，{self.year}年第{self.version}版）"


def classify(metrics: Mapping[str, float], scale: Scale, subject: Subject = "unit") -> Colour:
    """The colour of one unit or one person: the first rule that matches, else the default."""
    for rule in scale.rules(subject):
        if rule.matches(metrics):
            return rule.colour
    return scale.default


def _rate(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def unit_metrics(tally: Tally, open_rectifications: int = 0) -> dict[str, float]:
    """What the scale reads of a unit (its whole subtree) from its ledger tally."""
    return {
        "overdue_cells": tally.overdue_cells,
        "due_cells": tally.due_cells,
        "overdue_rate": _rate(tally.overdue_cells, tally.due_cells),
        "failing_indicators": tally.failing_indicators,
        "assessed_indicators": tally.assessed_indicators,
        "failing_rate": _rate(tally.failing_indicators, tally.assessed_indicators),
        "open_rectifications": open_rectifications,
        "assessed": tally.due_cells + tally.assessed_indicators,
    }


def person_metrics(tally: Tally) -> dict[str, float]:
    metrics = unit_metrics(tally)
    return {key: metrics[key] for key in PERSON_METRICS}


# Loading --------------------------------------------------------------------------------


class _Reader:
    """Reads one field after another, raising ScaleError with the field's path."""

    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, where: str, problem: str) -> ScaleError:
        return ScaleError(f"预警标准 {self.name}：字段 {where} {problem}")

    def get(self, data: Any, key: str, where: str, kind: type | tuple[type, ...]) -> Any:
        path = f"{where}.{key}" if where else key
        if not isinstance(data, dict):
            raise self.fail(where or "（根）", "应为对象")
        if key not in data:
            raise self.fail(path, "缺失")
        value = data[key]
        # bool is an int in Python; a threshold of `true` is a typo, not a number.
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise self.fail(path, f"类型不正确（{value!r}）")
        if not isinstance(value, kind):
            raise self.fail(path, f"类型不正确（{value!r}）")
        if isinstance(value, str) and not value.strip():
            raise self.fail(path, "不能为空")
        return value

    def colour(self, value: Any, where: str) -> Colour:
        if value not in Colour.values:
            raise self.fail(where, f"不是有效的颜色：{value!r}（应为 {'、'.join(Colour.values)}）")
        return Colour(value)


def _rules(reader: _Reader, data: dict[str, Any], subject: Subject) -> tuple[WarningRule, ...]:
    items = reader.get(data, subject, "", list)
    rules = []
    for n, item in enumerate(items):
        where = f"{subject}[{n}]"
        colour = reader.colour(reader.get(item, "colour", where, str), f"{where}.colour")
        match = reader.get(item, "match", where, str)
        if match not in ("any", "all"):
            raise reader.fail(f"{where}.match", f"应为 any 或 all，而不是 {match!r}")
        conditions = []
        raw_conditions = reader.get(item, "conditions", where, list)
        if not raw_conditions:
            raise reader.fail(f"{where}.conditions", "至少需要一个条件")
        for m, raw in enumerate(raw_conditions):
            at = f"{where}.conditions[{m}]"
            metric = reader.get(raw, "metric", at, str)
            if metric not in METRICS[subject]:
                known = "、".join(METRICS[subject])
                raise reader.fail(f"{at}.metric", f"是未知指标 {metric!r}（可用：{known}）")
            op = reader.get(raw, "op", at, str)
            if op not in OPS:
                raise reader.fail(f"{at}.op", f"应为 {' '.join(OPS)} 之一，而不是 {op!r}")
            value = reader.get(raw, "value", at, (int, float))
            if value < 0:
                raise reader.fail(f"{at}.value", f"不能为负数（{value}）")
            source = reader.get(raw, "source", at, str)
            conditions.append(Condition(metric, op, float(value), source))
        rules.append(WarningRule(colour, match, tuple(conditions)))
    return tuple(rules)


def parse_scale(data: Any, name: str = "（未命名）") -> Scale:
    reader = _Reader(name)
    raw_colours = reader.get(data, "colours", "", dict)
    colours = {}
    for colour in Colour:
        info = reader.get(raw_colours, colour.value, "colours", dict)
        where = f"colours.{colour.value}"
        colours[colour] = ColourInfo(
            label=reader.get(info, "label", where, str),
            meaning=reader.get(info, "meaning", where, str),
            source=reader.get(info, "source", where, str),
        )
    unknown = set(raw_colours) - set(Colour.values)
    if unknown:
        raise reader.fail("colours", f"含有未知颜色：{'、'.join(sorted(unknown))}")
    version = reader.get(data, "version", "", int)
    year = reader.get(data, "year", "", int)
    if version < 1:
        raise reader.fail("version", f"应为正整数（{version}）")
    if not 2000 <= year <= 2100:
        raise reader.fail("year", f"不是有效年度（{year}）")
    return Scale(
        code=reader.get(data, "code", "", str),
        version=version,
        year=year,
        issuer=reader.get(data, "issuer", "", str),
        title=reader.get(data, "title", "", str),
        source=reader.get(data, "source", "", str),
        colours=colours,
        default=reader.colour(reader.get(data, "default", "", str), "default"),
        unit=_rules(reader, data, "unit"),
        person=_rules(reader, data, "person"),
    )


def load_scale(path: Path) -> Scale:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ScaleError(f"预警标准 {path.name}：不是有效的 JSON（第{error.lineno}行）") from None
    return parse_scale(data, path.name)


@cache
def all_scales() -> tuple[Scale, ...]:
    """Every scale in scales/, each validated: a broken file stops the job or the page
    with a message naming it, rather than colouring with it."""
    scales = tuple(load_scale(path) for path in sorted(SCALES_DIR.glob("*.json")))
    if not scales:
        raise ScaleError(f"预警标准目录 {SCALES_DIR} 中没有标准文件")
    return scales


def scale_for(year: int) -> Scale:
    """The scale in force for `year`: the newest version of the latest year not after it
    (or the earliest scale, for a year before any was issued)."""
    scales = sorted(all_scales(), key=lambda s: (s.year, s.version))
    issued = [s for s in scales if s.year <= year]
    return issued[-1] if issued else scales[0]
