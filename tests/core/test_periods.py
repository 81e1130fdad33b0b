from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liangze.core.periods import Kind, Period, quarters


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31), "2026年"),
        ("2026-H2", date(2026, 7, 1), date(2026, 12, 31), "2026年下半年"),
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31), "2026年一季度"),
        ("2024-M02", date(2024, 2, 1), date(2024, 2, 29), "2024年2月"),
    ],
)
def test_it_parses_periods_and_knows_their_bounds(
    text: str, start: date, end: date, label: str
) -> None:
    period = Period.parse(text)
    assert (period.start, period.end, period.label, str(period)) == (start, end, label, text)


@pytest.mark.parametrize("text", ["2026-Q5", "2026-M13", "26-Q1", "2026Q1", ""])
def test_it_refuses_bad_periods_in_chinese(text: str) -> None:
    with pytest.raises(ValueError, match="不是有效的期间"):
        Period.parse(text)


def test_it_splits_a_year_into_quarters_and_a_quarter_into_months() -> None:
    assert [str(q) for q in quarters(2026)] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert [str(m) for m in Period.parse("2026-Q3").parts("month")] == [
        "2026-M07",
        "2026-M08",
        "2026-M09",
    ]
    assert str(Period.parse("2026-Q4").following()) == "2027-Q1"


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    st.sampled_from(["year", "half", "quarter", "month"]),
)
def test_it_places_every_day_in_exactly_its_period(day: date, kind: Kind) -> None:
    period = Period.containing(day, kind)
    assert period.contains(day)
    assert Period.parse(str(period)) == period
    assert not period.following().contains(day)
