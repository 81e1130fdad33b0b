"""The four-colour scale: data validated on load, and a pure classification (no database)."""

import copy
import json
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from liangze.dashboard.warning import (
    DEFAULT_SCALE,
    Colour,
    ScaleError,
    all_scales,
    classify,
    parse_scale,
    person_metrics,
    scale_for,
    unit_metrics,
)
from liangze.ledger.entries.clock import CellStatus
from liangze.ledger.entries.rollups import Tally
from liangze.ledger.indicators.measures import Status

RAW = json.loads(DEFAULT_SCALE.read_text(encoding="utf-8"))
SCALE = parse_scale(RAW, "demo")


def unit(**values: float) -> dict[str, float]:
    base = {
        "overdue_cells": 0,
        "due_cells": 10,
        "overdue_rate": 0.0,
        "failing_indicators": 0,
        "assessed_indicators": 10,
        "failing_rate": 0.0,
        "open_rectifications": 0,
        "assessed": 20,
    }
    return base | values


def person(**values: float) -> dict[str, float]:
    base = {
        "overdue_cells": 0,
        "due_cells": 4,
        "failing_indicators": 0,
        "assessed_indicators": 6,
        "assessed": 10,
    }
    return base | values


def test_it_loads_the_shipped_scale_with_its_identity_and_sources() -> None:
    (scale,) = all_scales()
    assert (scale.code, scale.version, scale.year) == ("four-colour", 1, 2026)
    assert scale.issuer == "示范县纪委监委"
    assert [scale.colours[c].label for c in Colour] == ["绿", "蓝", "黄", "红"]
    conditions = [c for rule in (*scale.unit, *scale.person) for c in rule.conditions]
    assert conditions and all(c.source for c in conditions)
    assert scale_for(2026) == scale == scale_for(2030) == scale_for(2019)


# Units ------------------------------------------------------------------------------------


def test_it_colours_a_clean_unit_with_something_to_judge_green() -> None:
    assert classify(unit(), SCALE) == Colour.GREEN


def test_it_leaves_a_unit_with_nothing_due_yet_blue() -> None:
    nothing = unit(due_cells=0, assessed_indicators=0, assessed=0)
    assert classify(nothing, SCALE) == Colour.BLUE


@pytest.mark.parametrize(
    ("rate", "colour"),
    [(0.1, Colour.BLUE), (9.9, Colour.BLUE), (10.0, Colour.YELLOW), (29.9, Colour.YELLOW),
     (30.0, Colour.RED), (100.0, Colour.RED)],
)  # fmt: skip
def test_it_draws_the_overdue_rate_boundaries_inclusively(rate: float, colour: Colour) -> None:
    assert classify(unit(overdue_cells=1, overdue_rate=rate), SCALE) == colour


@pytest.mark.parametrize(
    ("rate", "colour"),
    [(19.9, Colour.BLUE), (20.0, Colour.YELLOW), (49.9, Colour.YELLOW), (50.0, Colour.RED)],
)
def test_it_draws_the_failing_rate_boundaries(rate: float, colour: Colour) -> None:
    assert classify(unit(failing_indicators=1, failing_rate=rate), SCALE) == colour


@pytest.mark.parametrize(("n", "colour"), [(1, Colour.YELLOW), (4, Colour.YELLOW), (5, Colour.RED)])
def test_it_warns_of_open_rectifications(n: int, colour: Colour) -> None:
    assert classify(unit(open_rectifications=n), SCALE) == colour


def test_it_takes_the_worst_colour_any_metric_calls_for() -> None:
    assert classify(unit(overdue_rate=12.0, open_rectifications=9), SCALE) == Colour.RED


# People -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overdue", "failing", "colour"),
    [(0, 0, Colour.GREEN), (1, 0, Colour.YELLOW), (0, 2, Colour.YELLOW), (2, 2, Colour.YELLOW),
     (3, 0, Colour.RED), (0, 3, Colour.RED)],
)  # fmt: skip
def test_it_colours_a_person_by_counts(overdue: int, failing: int, colour: Colour) -> None:
    metrics = person(overdue_cells=overdue, failing_indicators=failing)
    assert classify(metrics, SCALE, "person") == colour


def test_it_derives_the_metrics_from_a_tally() -> None:
    tally = Tally(
        cells=Counter({CellStatus.OVERDUE: 3, CellStatus.DONE: 7, CellStatus.NOT_DUE: 10}),
        due_cells=10,
        indicators=Counter({Status.UNMET: 1, Status.MET: 2, Status.LATE: 1, Status.PENDING: 5}),
    )
    assert unit_metrics(tally, 2) == {
        "overdue_cells": 3,
        "due_cells": 10,
        "overdue_rate": 30.0,
        "failing_indicators": 1,
        "assessed_indicators": 4,
        "failing_rate": 25.0,
        "open_rectifications": 2,
        "assessed": 14,
    }
    assert person_metrics(Tally()) == {
        "overdue_cells": 0,
        "due_cells": 0,
        "failing_indicators": 0,
        "assessed_indicators": 0,
        "assessed": 0,
    }


# Validation --------------------------------------------------------------------------------


def broken(change: Callable[[Any], None]) -> str:
    data = copy.deepcopy(RAW)
    change(data)
    with pytest.raises(ScaleError) as raised:
        parse_scale(data, "broken.json")
    return str(raised.value)


def test_it_names_a_missing_field() -> None:
    message = broken(lambda d: d.pop("issuer"))
    assert message == "预警标准 broken.json：字段 issuer 缺失"


def test_it_names_an_unknown_metric_with_its_path() -> None:
    def change(d: Any) -> None:
        d["unit"][1]["conditions"][0]["metric"] = "overdue_ratio"

    message = broken(change)
    assert "unit[1].conditions[0].metric" in message and "overdue_ratio" in message


def test_it_refuses_a_metric_that_only_units_have_on_a_person() -> None:
    def change(d: Any) -> None:
        d["person"][0]["conditions"][0]["metric"] = "open_rectifications"

    assert "person[0].conditions[0].metric" in broken(change)


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("unit", 0, "colour"), "purple", "unit[0].colour"),
        (("unit", 0, "match"), "most", "unit[0].match"),
        (("unit", 0, "conditions", 0, "op"), "=>", "unit[0].conditions[0].op"),
        (("unit", 0, "conditions", 0, "value"), "30", "unit[0].conditions[0].value"),
        (("unit", 0, "conditions", 0, "value"), True, "unit[0].conditions[0].value"),
        (("unit", 0, "conditions", 0, "value"), -1, "unit[0].conditions[0].value"),
        (("unit", 0, "conditions", 0, "source"), " ", "unit[0].conditions[0].source"),
        (("version",), 0, "version"),
        (("year",), 26, "year"),
        (("default",), "grey", "default"),
    ],
)
def test_it_names_the_field_with_a_bad_value(
    path: tuple[str | int, ...], value: object, field: str
) -> None:
    def change(d: Any) -> None:
        target = d
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    assert f"字段 {field} " in broken(change)


def test_it_requires_every_colour_to_be_described() -> None:
    assert "colours.yellow 缺失" in broken(lambda d: d["colours"].pop("yellow"))
