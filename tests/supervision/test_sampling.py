"""The draw as a pure function (SUP-4): no database, no clock."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liangze.core.sm3 import sm3_hex
from liangze.supervision.inspections import sampling

UNITS = [f"C-T{n:02d}" for n in range(1, 31)]
SEED = "20260715T093000+0800/07-12-23-31-33-05/9f1c2b7a00d4e611"


def test_it_gives_the_same_draw_for_the_same_seed_and_population() -> None:
    first = sampling.draw(UNITS, SEED, 6)
    again = sampling.draw(list(reversed(UNITS)), SEED, 6)
    assert first == again
    assert len(first) == 6
    assert len(set(first)) == 6
    assert set(first) <= set(UNITS)


def test_it_verifies_a_recorded_draw() -> None:
    population = sampling.normalise(UNITS)
    result = sampling.draw(population, SEED, 5)
    check = sampling.verify(
        population=population,
        digest=sampling.population_digest(population),
        seed=SEED,
        size=5,
        algorithm=sampling.CURRENT,
        result=result,
        current_population=UNITS,
    )
    assert check.ok
    assert check.recomputed == result
    assert check.population_unchanged is True


def test_it_gives_a_different_result_for_a_different_population() -> None:
    smaller = UNITS[:-10]
    assert sampling.draw(UNITS, SEED, 6) != sampling.draw(smaller, SEED, 6)


def test_it_gives_a_different_result_for_a_different_seed() -> None:
    assert sampling.draw(UNITS, SEED, 6) != sampling.draw(UNITS, SEED + "x", 6)


def test_it_can_be_rerun_by_hand_with_any_sm3_tool() -> None:
    """The documented rule: sort by SM3("sm3-rank/1|seed|number") as hex, take the first n."""
    by_hand = sorted(UNITS, key=lambda c: sm3_hex(f"sm3-rank/1|{SEED}|{c}".encode()))[:4]
    assert sampling.draw(UNITS, SEED, 4, "sm3-rank/1") == by_hand


def test_it_detects_a_tampered_result_or_population() -> None:
    population = sampling.normalise(UNITS)
    result = sampling.draw(population, SEED, 5)
    digest = sampling.population_digest(population)
    swapped = [*result[:-1], next(u for u in UNITS if u not in result)]
    tampered_result = sampling.verify(
        population=population,
        digest=digest,
        result=swapped,
        seed=SEED,
        size=5,
        algorithm=sampling.CURRENT,
    )
    assert not tampered_result.matches
    shrunk = population[1:]
    tampered_population = sampling.verify(
        population=shrunk,
        digest=digest,
        result=result,
        seed=SEED,
        size=5,
        algorithm=sampling.CURRENT,
    )
    assert not tampered_population.digest_ok
    assert not tampered_population.ok


def test_it_reports_how_todays_population_differs() -> None:
    population = sampling.normalise(UNITS)
    result = sampling.draw(population, SEED, 5)
    check = sampling.verify(
        population=population,
        digest=sampling.population_digest(population),
        seed=SEED,
        size=5,
        algorithm=sampling.CURRENT,
        result=result,
        current_population=[*UNITS[1:], "C-T99"],
    )
    assert check.ok  # the recorded draw still verifies …
    assert check.population_unchanged is False  # … but the population has moved since
    assert check.added == ["C-T99"]
    assert check.removed == [UNITS[0]]


@pytest.mark.parametrize(("size", "message"), [(0, "至少为 1"), (31, "超过了可抽取单位数 30")])
def test_it_refuses_an_impossible_size(size: int, message: str) -> None:
    with pytest.raises(sampling.SamplingError, match=message):
        sampling.draw(UNITS, SEED, size)


def test_it_refuses_an_unknown_algorithm() -> None:
    with pytest.raises(sampling.SamplingError, match="未知的抽取算法版本"):
        sampling.draw(UNITS, SEED, 3, "dice/0")


def test_it_makes_a_seed_from_the_moment_a_public_number_and_fresh_randomness() -> None:
    at = datetime(2026, 7, 15, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    seed = sampling.make_seed(at, " 07-12-23 ", entropy="abcd")
    assert seed == "20260715T093000+0800/07-12-23/abcd"
    assert sampling.make_seed(at) != sampling.make_seed(at)


@given(
    units=st.sets(
        st.text("ABCDEFGHIJ0123456789-", min_size=1, max_size=8), min_size=2, max_size=40
    ),
    seed=st.text(min_size=1, max_size=20),
    data=st.data(),
)
def test_it_moves_at_most_one_unit_when_one_leaves_the_population(
    units: set[str], seed: str, data: st.DataObject
) -> None:
    size = data.draw(st.integers(1, len(units) - 1))
    gone = data.draw(st.sampled_from(sorted(units)))
    before = set(sampling.draw(units, seed, size))
    after = set(sampling.draw(units - {gone}, seed, size))
    assert len(before - after) <= 1
    assert before - {gone} <= after
