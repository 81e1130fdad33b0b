"""Indicators of an org's quantified duties, from its recorded activities (RULE-2, RULE-3).

The figures come from indicator_batch, which reads everything in a fixed number
of queries — the leadership positions and the heads the populations are made
of, the activities with their participants and first evidence upload — and
computes them with the pure functions of `indicators`, so a unit with forty
leaders costs what a branch with three does. This module adds the rules, the
periods a page asks for, and the people and activities it links to.

Who is measured: positions held on the last day of each figure's own period, or
today while it runs — a month's figure is the same in the month, quarter and
year views. 主要负责人 are the principals and branch secretaries; 班子成员
the members; a 班子 rule (team) measures both.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import cast

from django.db.models import Q, QuerySet
from django.utils import timezone

from liangze import access
from liangze.accounts.models import User
from liangze.core.periods import Kind, Period
from liangze.ledger.indicators import jurisdiction
from liangze.ledger.indicators.jurisdiction import FREQUENCY, RuleBook
from liangze.ledger.indicators.measures import APPLICABLE, Indicator, Status
from liangze.ledger.models import Activity, Rule
from liangze.orgs.models import Org, Person


@dataclass(frozen=True)
class Row:
    """One figure: a rule, whom it measures, a period, and the records behind it."""

    rule: Rule
    org: Org
    subject: Person | Org
    period: Period
    indicator: Indicator
    activities: list[Activity]
    population: int  # how many people a proportional rule is measured against

    @property
    def is_unit(self) -> bool:
        return isinstance(self.subject, Org)

    @property
    def required(self) -> int:
        return self.indicator.required

    @property
    def actual(self) -> int:
        return self.indicator.actual

    @property
    def status(self) -> Status:
        return self.indicator.status

    @property
    def deadline(self) -> date:
        return self.indicator.deadline

    @property
    def records(self) -> list[tuple[Activity, bool]]:
        """(activity, came late) for each record that counts."""
        return [(a, a.pk in self.indicator.late_ids) for a in self.activities]


@dataclass
class Summary:
    """How one child org stands on its own indicators, for a dashboard of the level below."""

    org: Org
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def met(self) -> int:
        return self.counts[Status.MET]

    @property
    def unmet(self) -> int:
        return self.counts[Status.UNMET]

    @property
    def pending(self) -> int:
        return self.counts[Status.PENDING]

    @property
    def late(self) -> int:
        return self.counts[Status.LATE]

    @property
    def not_applicable(self) -> int:
        return self.counts[Status.NOT_APPLICABLE]

    @property
    def total(self) -> int:
        """The figures that measure something: 不适用 ones would pass for met ones in a rate."""
        return sum(n for status, n in self.counts.items() if status in APPLICABLE)


def current_period() -> Period:
    """What the pages show unless told otherwise: the quarter we are in."""
    return Period.containing(timezone.localdate(), "quarter")


def active_rules(year: int) -> list[Rule]:
    """The newest active version of each rule the installation ships, issued by `year`:
    what governs an org no level above has issued its own version for (see jurisdiction)."""
    return RuleBook.load(year).rules_for("")


def _slots(rule: Rule, period: Period) -> list[Period]:
    """The rule's own periods within the asked one (the months of a quarter), or the one
    around it (the year of a quarter)."""
    kind = cast(Kind, rule.period_kind)
    if FREQUENCY.index(kind) <= FREQUENCY.index(period.kind):
        return period.parts(kind)
    return [Period.containing(period.start, kind)]


def _compute(orgs: Sequence[Org], period: Period, today: date | None) -> dict[int, list[Row]]:
    """The figures of the orgs, with the people and activities the page links to.

    The computation is indicator_batch's, for all the orgs governed by the same rules
    at once (jurisdiction); two more
    queries fetch the leaders and the records that count, for display.
    """
    today = today or timezone.localdate()
    book = RuleBook.load(period.year)

    def slots(rule: Rule) -> list[Period]:
        return _slots(rule, period)

    figures = jurisdiction.compute([(org.pk, org.path) for org in orgs], book, slots, today=today)
    people = Person.objects.in_bulk({f.person_id for f in figures if f.person_id is not None})
    activity_ids = {i for f in figures for i in f.indicator.activity_ids}
    # The minutes may run long and no figure needs them.
    activities = Activity.objects.defer("minutes").in_bulk(activity_ids)
    by_pk = {org.pk: org for org in orgs}
    rows: dict[int, list[Row]] = {org.pk: [] for org in orgs}
    for figure in figures:
        org = by_pk[figure.org_id]
        rows[org.pk].append(
            Row(
                rule=figure.rule,
                org=org,
                subject=org if figure.person_id is None else people[figure.person_id],
                period=figure.period,
                indicator=figure.indicator,
                activities=[activities[i] for i in figure.indicator.activity_ids],
                population=figure.population,
            )
        )
    return rows


def indicators_for(org: Org, period: Period, *, today: date | None = None) -> list[Row]:
    """Every active rule's figure for the org and each of its leaders, in `period`."""
    return _compute([org], period, today)[org.pk]


def indicators_for_subtree(org: Org, period: Period, *, today: date | None = None) -> list[Summary]:
    """For each direct child of the org, how many of its own figures are met, unmet, …"""
    children = list(org.children.filter(is_active=True).order_by("sort_order", "path"))
    by_org = _compute(children, period, today)
    return [Summary(child, Counter(row.status for row in by_org[child.pk])) for child in children]


# The rules by jurisdiction (their pages) ------------------------------------------------


def rules_in_force(org: Org, year: int) -> list[Rule]:
    """The version of each rule that governs the org in `year`, issuer loaded (two queries)."""
    return RuleBook.load(year).rules_for(org.path)


def rule_base(org: Org, key: str, year: int) -> Rule | None:
    """The version a new one for the org's subtree starts from: what governs the org."""
    return RuleBook.load(year).governing(org.path).get(key)


def rule_versions(user: User, key: str, *, text: str = "") -> QuerySet[Rule]:
    """Every version of the rule the user may see, newest first."""
    versions = Rule.objects.filter(access.visible_q(user, Rule), key=key)
    if text:
        versions = versions.filter(Q(issuer_name__icontains=text) | Q(source__icontains=text))
    return versions.select_related("issuer").order_by("-version")
