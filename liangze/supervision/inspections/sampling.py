"""Reproducible random draws (SUP-4): pure functions, no database, no clock.

A draw is a function of four recorded values — the population (organization
numbers, sorted), the seed, the sample size and the algorithm version — so
anyone holding them can re-run it, here or by hand with any SM3 tool:

    sm3-rank/1: rank each unit by SM3("sm3-rank/1|<seed>|<org number>") as
    hexadecimal text, lowest first; the sample is the first `size` units.

Every unit's rank depends only on its own number and the seed, so the order
the population is listed in cannot change the result, and adding or removing
one unit moves at most one unit in or out of the sample. A new algorithm gets
a new version string and a new entry in ALGORITHMS; recorded draws keep
verifying with the version they were made with.
"""

import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from liangze.core.sm3 import sm3_hex

SM3_RANK_1 = "sm3-rank/1"
CURRENT = SM3_RANK_1  # what new draws use


def _sm3_rank(population: Sequence[str], seed: str, size: int) -> list[str]:
    def key(code: str) -> tuple[str, str]:
        return sm3_hex(f"{SM3_RANK_1}|{seed}|{code}".encode()), code

    return sorted(population, key=key)[:size]


ALGORITHMS: dict[str, Callable[[Sequence[str], str, int], list[str]]] = {
    SM3_RANK_1: _sm3_rank,
}


class SamplingError(ValueError):
    """A draw that cannot be made as asked (the message is for the user)."""


def normalise(population: Iterable[str]) -> list[str]:
    """The population as recorded: unique organization numbers in sorted order."""
    return sorted(set(population))


def population_digest(population: Iterable[str]) -> str:
    """SM3 over the sorted numbers, one per line: a short fingerprint to compare populations."""
    return sm3_hex("\n".join(normalise(population)).encode())


def draw(population: Iterable[str], seed: str, size: int, algorithm: str = CURRENT) -> list[str]:
    """The `size` units the algorithm picks, in the order drawn."""
    units = normalise(population)
    if algorithm not in ALGORITHMS:
        raise SamplingError(f"未知的抽取算法版本：{algorithm}")
    if not seed:
        raise SamplingError("随机种子不能为空。")
    if size < 1:
        raise SamplingError("抽取数量至少为 1。")
    if size > len(units):
        raise SamplingError(f"抽取数量 {size} 超过了可抽取单位数 {len(units)}。")
    return ALGORITHMS[algorithm](units, seed, size)


def make_seed(at: datetime, public_number: str = "", entropy: str | None = None) -> str:
    """A seed nobody could have chosen in advance: the moment, a public number, fresh randomness.

    The public number (公证数, e.g. a lottery draw announced that day) is typed
    in by the drawer in front of witnesses; the random part comes from the
    operating system. The seed is recorded and shown, so it need not be secret.
    """
    entropy = entropy if entropy is not None else secrets.token_hex(8)
    parts = [at.strftime("%Y%m%dT%H%M%S%z"), public_number.strip(), entropy]
    return "/".join(parts)


@dataclass(frozen=True)
class Verification:
    """The outcome of re-running a recorded draw."""

    recomputed: list[str]
    matches: bool  # re-running gives the recorded result
    digest_ok: bool  # the recorded population still has the recorded digest
    population_unchanged: (
        bool | None
    )  # the population today equals the recorded one (None: not asked)
    added: list[str]  # in today's population, not in the recorded one
    removed: list[str]  # in the recorded population, not in today's

    @property
    def ok(self) -> bool:
        return self.matches and self.digest_ok


def verify(
    *,
    population: Sequence[str],
    digest: str,
    seed: str,
    size: int,
    algorithm: str,
    result: Sequence[str],
    current_population: Iterable[str] | None = None,
) -> Verification:
    """Re-run a recorded draw from its recorded inputs and compare with its recorded result."""
    recorded = normalise(population)
    try:
        recomputed = draw(recorded, seed, size, algorithm)
    except SamplingError:
        recomputed = []
    added: list[str] = []
    removed: list[str] = []
    unchanged: bool | None = None
    if current_population is not None:
        now = set(current_population)
        added = sorted(now - set(recorded))
        removed = sorted(set(recorded) - now)
        unchanged = not added and not removed
    return Verification(
        recomputed=recomputed,
        matches=recomputed == list(result),
        digest_ok=population_digest(recorded) == digest and list(population) == recorded,
        population_unchanged=unchanged,
        added=added,
        removed=removed,
    )
