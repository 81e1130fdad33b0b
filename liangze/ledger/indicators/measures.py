"""量化指标 (RULE-2): one rule's figure for one subject and one period, from recorded activities.

Pure functions over plain values — no database — so every threshold, rounding
and deadline is tested on hand-made data; indicator_queries feeds them.

Which activities count for a period, and by when:
- an activity counts when it is of the rule's kind, its subject holds the rule's words,
  and — for a report — it is of the rule's report kind and went to every recipient the
  rule names (上级党委和纪委: one of the two is not the duty);
- most rules count the activities held within the period, due by its last day;
- a rule with a fixed date (deadline_month/day, e.g. 1月15日) is a report on the
  period (“报告上年度…情况”): the reports held in the period that follows count
  for it, on time up to the first such date after the period ends — for a
  yearly report, 15 January of the following year — and late after that date;
- a rule with evidence_workdays counts an activity on time when its first
  evidence file came within that many working days (Chinese calendar, 调休
  included) from the activity's day on — a file from before that day does not
  count, one on the day does — late when it came after, and not yet while none has come —
  pending until the limit has passed, then not at all. The file is the
  activity's own or one filed with a verified progress entry that names the
  activity (see indicator_batch); the date is the upload's.

A proportional rule (8 % of a population) whose population is empty for the
subject and period is 不适用: there is nobody to measure against, so it is no
verdict — not met, and left out of every count, rate, colour and escalation. A
fixed-count rule is asked whatever the population.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal
from enum import Enum

from django.db import models
from django.utils.translation import gettext_lazy as _

from liangze.core.periods import Period
from liangze.core.workdays import add_workdays
from liangze.ledger.models import Rule


class Status(models.TextChoices):
    MET = "met", _("达标")
    UNMET = "unmet", _("未达标")
    PENDING = "pending", _("未到期")
    LATE = "late", _("逾期补报")
    # A proportional rule with nobody to measure against has nothing to ask: counting it
    # as met inflated the totals (a county's branch secretaries without a team).
    NOT_APPLICABLE = "not_applicable", _("不适用")


# The statuses that are a verdict on a duty; 不适用 is none and stays out of every
# count, rate, colour and escalation.
APPLICABLE = frozenset(Status) - {Status.NOT_APPLICABLE}


@dataclass(frozen=True)
class Record:
    """An activity as the computation sees it."""

    id: int
    kind: str
    held_on: date
    host_id: int
    participant_ids: frozenset[int] = frozenset()
    subject: str = ""
    evidence_first_uploaded_on: date | None = None
    report_kind: str = ""
    recipients: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Indicator:
    required: int
    actual: int
    status: Status
    deadline: date
    activity_ids: tuple[int, ...]  # the records that count, oldest first
    late_ids: frozenset[int]  # those of them that came late


class _Standing(Enum):
    ON_TIME = "on_time"
    LATE = "late"
    WAITING = "waiting"  # its evidence may still come in time
    MISSING = "missing"  # its evidence did not come in time and has not come since


def required(rule: Rule, population_size: int) -> int:
    """How many the period needs: a percentage of the population rounded up, or a count."""
    if rule.threshold_percent is None:
        return rule.threshold_count or 0
    share = Decimal(population_size) * Decimal(rule.threshold_percent) / Decimal(100)
    return int(share.to_integral_value(rounding=ROUND_CEILING))


def applies(rule: Rule, population_size: int) -> bool:
    """False for a proportional rule whose population is empty: a share of nobody."""
    return rule.threshold_percent is None or population_size > 0


def _has_fixed_date(rule: Rule) -> bool:
    return rule.deadline_month is not None and rule.deadline_day is not None


def deadline(rule: Rule, period: Period) -> date:
    """The last day on which the period's duty is done on time."""
    if rule.deadline_month is None or rule.deadline_day is None:
        return period.end
    this_year = date(period.end.year, rule.deadline_month, rule.deadline_day)
    if this_year > period.end:
        return this_year
    return date(period.end.year + 1, rule.deadline_month, rule.deadline_day)


def window(rule: Rule, period: Period) -> tuple[date, date]:
    """The days on which an activity counts for the period (first, last)."""
    counted = period.following() if _has_fixed_date(rule) else period
    return counted.start, counted.end


def qualifies(rule: Rule, record: Record, period: Period) -> bool:
    first, last = window(rule, period)
    return _qualifies(rule, record, first, last)


def _qualifies(rule: Rule, record: Record, first: date, last: date) -> bool:
    return (
        record.kind == rule.activity_kind
        and rule.subject_contains in record.subject
        and rule.report_kind in ("", record.report_kind)
        and record.recipients.issuperset(rule.recipients)
        and first <= record.held_on <= last
    )


def _standing(rule: Rule, record: Record, due: date, today: date) -> _Standing:
    standing = _Standing.ON_TIME
    if rule.evidence_workdays is not None:
        limit = add_workdays(record.held_on, rule.evidence_workdays)
        uploaded = record.evidence_first_uploaded_on
        if uploaded is not None and uploaded < record.held_on:
            # A file from before the meeting is no evidence of it (会后…报送); the batch
            # already leaves such files out, this keeps the pure rule right on its own.
            uploaded = None
        if uploaded is None:
            standing = _Standing.WAITING if today <= limit else _Standing.MISSING
        elif uploaded > limit:
            standing = _Standing.LATE
    if standing is _Standing.ON_TIME and record.held_on > due:
        return _Standing.LATE
    return standing


def _reached(records: Sequence[Record], population: frozenset[int] | None) -> int:
    """Distinct people of the population reached; without a population, the count."""
    if population is None:
        return len(records)
    reached: set[int] = set()
    for record in records:
        reached |= record.participant_ids & population
    return len(reached)


def evaluate(
    rule: Rule,
    period: Period,
    records: Iterable[Record],
    *,
    population: frozenset[int] = frozenset(),
    today: date,
) -> Indicator:
    """The indicator of `rule` for one subject in `period`.

    `records` are the subject's activities (the unit's, or those the person
    hosted); `population` the people a rule with a population is measured
    against — each counts once however often they were talked to.
    """
    people = None if rule.population == Rule.Population.NONE else population
    due = deadline(rule, period)
    by_standing: dict[_Standing, list[Record]] = {s: [] for s in _Standing}
    first, last = window(rule, period)
    chosen = sorted((r for r in records if _qualifies(rule, r, first, last)), key=_order)
    for record in chosen:
        by_standing[_standing(rule, record, due, today)].append(record)
    on_time, late = by_standing[_Standing.ON_TIME], by_standing[_Standing.LATE]
    waiting = by_standing[_Standing.WAITING]
    need = required(rule, len(population))
    done_on_time = _reached(on_time, people)
    done = _reached([*on_time, *late], people)
    if not applies(rule, len(population)):
        status = Status.NOT_APPLICABLE
    elif done_on_time >= need:
        status = Status.MET
    elif done >= need:
        status = Status.LATE
    elif today <= due or _reached([*on_time, *late, *waiting], people) >= need:
        status = Status.PENDING
    else:
        status = Status.UNMET
    counted = _counted(sorted([*on_time, *late], key=_order), people)
    late_ids = {r.id for r in late}
    return Indicator(
        required=need,
        actual=done,
        status=status,
        deadline=due,
        activity_ids=tuple(r.id for r in counted),
        late_ids=frozenset(r.id for r in counted if r.id in late_ids),
    )


def _order(record: Record) -> tuple[date, int]:
    return record.held_on, record.id


def _counted(records: Sequence[Record], population: frozenset[int] | None) -> list[Record]:
    """The records behind the figure: for a population, those that reached one of it."""
    if population is None:
        return list(records)
    return [r for r in records if r.participant_ids & population]
