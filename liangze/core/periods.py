"""Periods as explicit values — 2026, 2026-H1, 2026-Q3, 2026-M07 — never loose strings."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from django.utils import timezone

Kind = Literal["year", "half", "quarter", "month"]
_PATTERN = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]|M(?:0[1-9]|1[0-2])))?$")
_MONTHS = {"year": 12, "half": 6, "quarter": 3, "month": 1}
_LABEL = {"half": ("上半年", "下半年"), "quarter": ("一季度", "二季度", "三季度", "四季度")}


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: Kind
    index: int = 1  # 1-based within the year

    @classmethod
    def parse(cls, text: str) -> "Period":
        match = _PATTERN.match(text.strip())
        if not match:
            raise ValueError(f"不是有效的期间：{text!r}（应为 2026、2026-H1、2026-Q1 或 2026-M01）")
        year, part = int(match[1]), match[2]
        if part is None:
            return cls(year, "year")
        kind: Kind = {"H": "half", "Q": "quarter", "M": "month"}[part[0]]  # type: ignore[assignment]  # the pattern admits H, Q and M
        return cls(year, kind, int(part[1:]))

    @classmethod
    def containing(cls, day: date, kind: Kind) -> "Period":
        return cls(day.year, kind, (day.month - 1) // _MONTHS[kind] + 1)

    def __str__(self) -> str:
        if self.kind == "year":
            return str(self.year)
        letter = {"half": "H", "quarter": "Q", "month": "M"}[self.kind]
        return (
            f"{self.year}-{letter}{self.index:02d}"
            if letter == "M"
            else (f"{self.year}-{letter}{self.index}")
        )

    @property
    def label(self) -> str:
        if self.kind == "year":
            return f"{self.year}年"
        if self.kind == "month":
            return f"{self.year}年{self.index}月"
        return f"{self.year}年{_LABEL[self.kind][self.index - 1]}"

    @property
    def start(self) -> date:
        return date(self.year, (self.index - 1) * _MONTHS[self.kind] + 1, 1)

    @property
    def end(self) -> date:
        last_month = self.index * _MONTHS[self.kind]
        if last_month == 12:
            return date(self.year, 12, 31)
        return date(self.year, last_month + 1, 1) - timedelta(days=1)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def parts(self, kind: Kind) -> list["Period"]:
        """The periods of `kind` inside this one (the months of a quarter, …)."""
        first = Period.containing(self.start, kind)
        return [
            Period(self.year, kind, i)
            for i in range(first.index, Period.containing(self.end, kind).index + 1)
        ]

    def following(self) -> "Period":
        per_year = 12 // _MONTHS[self.kind]
        if self.index < per_year:
            return Period(self.year, self.kind, self.index + 1)
        return Period(self.year + 1, self.kind, 1)


def quarters(year: int) -> list[Period]:
    return Period(year, "year").parts("quarter")


def end_of(day: date) -> datetime:
    """The first moment after `day` in the project's time zone: "by the end of `day`"."""
    return datetime.combine(
        day + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone()
    )
