"""Which version of each quantified duty governs an org: rules belong to a jurisdiction.

A rule version is issued by an org for its subtree from a year on; the versions
loaded from rules/*.json (no issuer) are the installation's defaults. For an org
and a year, each rule key is governed by the newest active version its nearest
issuer up the org's ancestry has issued by that year, else by the default.

A lower level may only tighten what governs the level above it — a higher
threshold, an earlier deadline, fewer working days to file evidence — and only
where that rule allows it (`allow_tighten`). New versions are checked when they
are issued (`loosening`); the walk down the tree checks again, so that a version
an upper level has since overtaken or closed to tightening stops governing
rather than loosening its subtree. The top of a tree is bound by nothing: the
defaults are where a locality starts, and RULE-3 lets it change them.

Set-based: `RuleBook` reads a year's rules in one query and resolves the rules of
any number of orgs from their paths without another one; orgs whose ancestries
hold the same issuers share one rule list, so indicator_batch computes each such
group at once (`figures`).
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice

from django.utils.translation import gettext as _

from liangze.ledger.indicators import batch as indicator_batch
from liangze.ledger.models import Rule
from liangze.orgs.tree import PATH_STEP

# The page reads from the monthly duties to the yearly ones, the order PeriodKind declares.
FREQUENCY = Rule.PeriodKind.values

# What a tightening version may not change: these decide what is measured, not how strictly.
FIXED = (
    "actor",
    "activity_kind",
    "subject_contains",
    "population",
    "period_kind",
    "report_kind",
    "recipients",
)


def _number(value: object) -> str:
    """8 for 8.00, 8.5 for 8.50: as a person writes the threshold."""
    text = str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _label(name: str) -> str:
    (field,) = [f for f in Rule._meta.fields if f.name == name]
    return str(field.verbose_name)


def _upper_name(upper: Rule) -> str:
    issuer = upper.issuer_name if upper.issuer_id else _("系统默认规则")
    return _("%(issuer)s第%(version)s版") % {"issuer": issuer, "version": upper.version}


def loosening(rule: Rule, upper: Rule) -> dict[str, list[str]]:
    """Why `rule` would loosen `upper`, the version governing the level above, by field.

    Pure. Empty when `rule` is at least as strict on every count.
    """
    problems: dict[str, list[str]] = defaultdict(list)
    named = {"upper": _upper_name(upper)}
    if not upper.allow_tighten:
        problems["__all__"].append(_("%(upper)s不允许下级另行规定。") % named)
        return dict(problems)
    for name in FIXED:
        if getattr(rule, name) != getattr(upper, name):
            problems[name].append(
                _("%(field)s须与%(upper)s一致。") % {**named, "field": _label(name)}
            )
    for name in ("threshold_count", "threshold_percent"):
        above, own = getattr(upper, name), getattr(rule, name)
        if above is not None and (own is None or own < above):
            problems[name].append(
                _("%(field)s不得低于%(upper)s的%(value)s。")
                % {**named, "field": _label(name), "value": _number(above)}
            )
    if upper.deadline_month is not None and upper.deadline_day is not None:
        above_deadline = (upper.deadline_month, upper.deadline_day)
        if rule.deadline_month is None or rule.deadline_day is None:
            problems["deadline_month"].append(_("%(upper)s规定了截止日期，不得取消。") % named)
        elif (rule.deadline_month, rule.deadline_day) > above_deadline:
            problems["deadline_day"].append(
                _("截止日期不得晚于%(upper)s的%(month)s月%(day)s日。")
                % {**named, "month": above_deadline[0], "day": above_deadline[1]}
            )
    if upper.evidence_workdays is not None and (
        rule.evidence_workdays is None or rule.evidence_workdays > upper.evidence_workdays
    ):
        problems["evidence_workdays"].append(
            _("%(field)s不得多于%(upper)s的%(days)s个工作日。")
            % {**named, "field": _label("evidence_workdays"), "days": upper.evidence_workdays}
        )
    return dict(problems)


@dataclass
class RuleBook:
    """A year's rules by jurisdiction: the defaults, and each issuer's newest versions."""

    year: int
    defaults: dict[str, Rule]
    issued: dict[str, dict[str, Rule]]  # issuer's path → key → its newest version
    _lists: dict[tuple[str, ...], list[Rule]] = field(default_factory=dict)

    def _order(self, rules: Iterable[Rule]) -> list[Rule]:
        """By frequency, then as the data file lists them: a key keeps its place in any version."""
        first: dict[str, int] = {}
        for rule in [
            *self.defaults.values(),
            *(r for own in self.issued.values() for r in own.values()),
        ]:
            first[rule.key] = min(first.get(rule.key, rule.pk), rule.pk)
        return sorted(rules, key=lambda r: (FREQUENCY.index(r.period_kind), first[r.key], r.pk))

    @classmethod
    def load(cls, year: int) -> "RuleBook":
        """One query: the newest active version of each key for each issuer, up to `year`
        (that of the latest year, and of that year the last one issued)."""
        defaults: dict[str, Rule] = {}
        issued: dict[str, dict[str, Rule]] = defaultdict(dict)
        rules = (
            Rule.objects.filter(is_active=True, year__lte=year)
            .select_related("issuer")
            .order_by("key", "-year", "-version")
        )
        for rule in rules:
            own = defaults if rule.issuer is None else issued[rule.issuer.path]
            own.setdefault(rule.key, rule)
        return cls(year, defaults, dict(issued))

    def governing(self, path: str) -> dict[str, Rule]:
        """Key → the version governing the org at `path` (the org's own issues included)."""
        rules = dict(self.defaults)
        levels = [path[:end] for end in range(PATH_STEP, len(path) + 1, PATH_STEP)]
        for level in levels:
            for key, rule in self.issued.get(level, {}).items():
                upper = rules.get(key)
                if upper is None or level == levels[0] or not loosening(rule, upper):
                    rules[key] = rule
        return rules

    def upper(self, path: str, key: str) -> Rule | None:
        """The version governing the level above `path` (the default for a tree's top)."""
        if len(path) <= PATH_STEP:
            return None
        return self.governing(path[:-PATH_STEP]).get(key)

    def rules_for(self, path: str) -> list[Rule]:
        """The rules governing the org at `path`, in the page's order; shared by orgs whose
        ancestries hold the same issuers."""
        issuers = tuple(
            path[:end]
            for end in range(PATH_STEP, len(path) + 1, PATH_STEP)
            if path[:end] in self.issued
        )
        if issuers not in self._lists:
            self._lists[issuers] = self._order(self.governing(path).values())
        return self._lists[issuers]

    @property
    def every_rule(self) -> list[Rule]:
        """Every version that governs some org (the periods of each must be known up front)."""
        found = {rule.pk: rule for rule in self.defaults.values()}
        found |= {rule.pk: rule for own in self.issued.values() for rule in own.values()}
        return self._order(found.values())

    def groups(self, orgs: Iterable[tuple[int, str]]) -> list[tuple[list[Rule], list[int]]]:
        """The orgs (id, path) grouped by the rule list that governs them, in their order."""
        by_list: dict[int, tuple[list[Rule], list[int]]] = {}
        for org_id, path in orgs:
            rules = self.rules_for(path)
            by_list.setdefault(id(rules), (rules, []))[1].append(org_id)
        return [group for group in by_list.values() if group[0]]


def figures(
    orgs: Iterable[tuple[int, str]],
    book: RuleBook,
    slots: indicator_batch.Slots,
    *,
    today: date,
    chunk: int = indicator_batch.CHUNK,
) -> Iterator[indicator_batch.Figure]:
    """Every org's figures under its own rules, `chunk` orgs at a time.

    Each chunk costs indicator_batch's fixed number of queries once per rule list
    found in it — one or two in practice, as a tightening covers a whole subtree
    and the orgs come in path order.
    """
    rows = iter(orgs)
    while batch := list(islice(rows, chunk)):
        for rules, org_ids in book.groups(batch):
            yield from indicator_batch.compute(org_ids, rules, slots, today=today)


def compute(
    orgs: Sequence[tuple[int, str]],
    book: RuleBook,
    slots: indicator_batch.Slots,
    *,
    today: date,
) -> list[indicator_batch.Figure]:
    """The figures of a few orgs (one chunk), each under its own rules."""
    return list(figures(orgs, book, slots, today=today, chunk=max(len(orgs), 1)))
