"""The four-colour warning (四色预警) as data: 绿 commendable, 蓝 normal, 黄 warning, 红 called
to account.

A scale is a versioned JSON file in scales/ with a stable code, its issuing
body and year, and for units and for people an ordered list of rules — a
colour, "any" or "all", and conditions on named metrics, each with the seed
passage or local decision it rests on. `classify` is a pure function of the
metrics and the scale: the first rule that matches gives the colour, else the
scale's default. Loading validates every field and names the one that is wrong.

A scale belongs to a jurisdiction: the files are the installation's defaults, and
the 纪委 of a level may issue a stricter one for its subtree (ScaleVersion) — the
same colours and conditions, each value warning sooner or commending less
readily — where the level above allows it. `ScaleBook` resolves each unit's
scale from its path, as the quantified duties and the escalation ladder do.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

from django.db import models
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from liangze.ledger.queries import Tally
from liangze.orgs.tree import PATH_STEP

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


# Jurisdiction ----------------------------------------------------------------------------

SUBJECTS: tuple[Subject, ...] = ("unit", "person")
SUBJECT_LABELS: dict[Subject, Any] = {"unit": _("单位"), "person": _("个人")}


def condition_key(subject: Subject, rule: int, condition: int) -> str:
    """How a page and a service name one condition's value: "unit.0.1"."""
    return f"{subject}.{rule}.{condition}"


def conditions_of(scale: Scale) -> dict[str, Condition]:
    return {
        condition_key(subject, n, m): condition
        for subject in SUBJECTS
        for n, rule in enumerate(scale.rules(subject))
        for m, condition in enumerate(rule.conditions)
    }


def with_values(scale: Scale, values: Mapping[str, float], **fields: Any) -> Scale:
    """The scale's colours and conditions with other values (by condition_key)."""

    def rules(subject: Subject) -> tuple[WarningRule, ...]:
        return tuple(
            replace(
                rule,
                conditions=tuple(
                    replace(c, value=float(values.get(condition_key(subject, n, m), c.value)))
                    for m, c in enumerate(rule.conditions)
                ),
            )
            for n, rule in enumerate(scale.rules(subject))
        )

    return replace(scale, unit=rules("unit"), person=rules("person"), **fields)


def scale_json(scale: Scale) -> dict[str, Any]:
    """The scale in its file form, which parse_scale reads back."""

    def rules(subject: Subject) -> list[dict[str, Any]]:
        return [
            {
                "colour": rule.colour.value,
                "match": rule.match,
                "conditions": [
                    {"metric": c.metric, "op": c.op, "value": c.value, "source": c.source}
                    for c in rule.conditions
                ],
            }
            for rule in scale.rules(subject)
        ]

    return {
        "code": scale.code,
        "version": scale.version,
        "year": scale.year,
        "issuer": scale.issuer,
        "title": scale.title,
        "source": scale.source,
        "colours": {
            colour.value: {"label": info.label, "meaning": info.meaning, "source": info.source}
            for colour, info in scale.colours.items()
        },
        "default": scale.default.value,
        "unit": rules("unit"),
        "person": rules("person"),
    }


def _loosens(own: float, above: float, op: str, good: bool) -> bool:
    """Whether a condition with `own` in place of `above` is met more readily by a bad
    unit (a warning colour) or more readily at all (a good colour)."""
    if op == "==":
        return own != above
    warns_more_when_lower = op in (">=", ">")
    if good:
        return own < above if warns_more_when_lower else own > above
    return own > above if warns_more_when_lower else own < above


def scale_loosening(
    values: Mapping[str, float], upper: Scale, upper_name: str, allowed: bool
) -> dict[str, list[str]]:
    """Why `values` (by condition_key) would be laxer than `upper`, by condition. Pure.

    A colour better than the default (green) must be no easier to earn; one worse
    (yellow, red) must come no later.
    """
    if not allowed:
        return {"__all__": [gettext_now("%(upper)s不允许下级另行规定。") % {"upper": upper_name}]}
    problems: dict[str, list[str]] = {}
    for subject in SUBJECTS:
        for n, rule in enumerate(upper.rules(subject)):
            good = RANK[rule.colour] < RANK[upper.default]
            for m, condition in enumerate(rule.conditions):
                key = condition_key(subject, n, m)
                own = float(values.get(key, condition.value))
                if _loosens(own, condition.value, condition.op, good):
                    problems[key] = [
                        gettext_now(
                            "%(subject)s%(colour)s色条件“%(metric)s %(op)s”不得宽于"
                            "%(upper)s的 %(value)s。"
                        )
                        % {
                            "subject": SUBJECT_LABELS[subject],
                            "colour": upper.colours[rule.colour].label,
                            "metric": METRICS[subject][condition.metric],
                            "op": condition.op,
                            "upper": upper_name,
                            "value": f"{condition.value:g}",
                        }
                    ]
    return problems


@dataclass(frozen=True)
class ScaleIssue:
    """One level's newest scale, as the book reads it (a ScaleVersion row)."""

    scale: Scale
    allow_tighten: bool
    name: str  # "城关镇党委第2版", for the messages


@dataclass
class ScaleBook:
    """A year's scales by jurisdiction: the default file's and each issuer's newest."""

    default: Scale
    issued: dict[str, ScaleIssue]  # issuer's path → its newest scale
    _scales: dict[tuple[str, ...], Scale] = field(default_factory=dict)

    def governing(self, path: str) -> tuple[Scale, bool, str]:
        """The scale of the org at `path`, whether it may be tightened below, and its name."""
        scale, allowed, name = self.default, True, gettext_now("系统默认标准")
        levels = [path[:end] for end in range(PATH_STEP, len(path) + 1, PATH_STEP)]
        for level in levels:
            issue = self.issued.get(level)
            if issue is None:
                continue
            values = {k: c.value for k, c in conditions_of(issue.scale).items()}
            if level == levels[0] or (
                conditions_of(issue.scale).keys() == conditions_of(scale).keys()
                and not scale_loosening(values, scale, name, allowed)
            ):
                scale, allowed, name = issue.scale, issue.allow_tighten, issue.name
        return scale, allowed, name

    def upper(self, path: str) -> tuple[Scale, bool, str] | None:
        """What governs the level above `path` (None for a tree's top: bound by nothing)."""
        return None if len(path) <= PATH_STEP else self.governing(path[:-PATH_STEP])

    def scale_for(self, path: str) -> Scale:
        issuers = tuple(
            path[:end]
            for end in range(PATH_STEP, len(path) + 1, PATH_STEP)
            if path[:end] in self.issued
        )
        if issuers not in self._scales:
            self._scales[issuers] = self.governing(path)[0]
        return self._scales[issuers]
