"""The escalation job (SUP-1): due-soon and overdue ledger cells, and quantified duties
near their deadline or failed, turned into reminders along the ladder.

Run daily by the huey task in ledger/tasks.py, or by `manage.py run_escalation`.
The cells of every current published list of the year are read in a fixed number
of queries; the figures of every unit's quantified duties are computed by
indicator_batch a chunk of units at a time, each chunk in a fixed number of
queries. The pure ladder (ledger/escalation.py) decides, and only the steps not
raised before are stored: (step, cause) is unique, so a second run the same day
adds nothing. Before raising, the live reminders whose cause has gone are closed
(已消除, see reminders.resolution); one whose cause comes back is raised again.

Everything is read as it stood at the end of `on` — entries entered, verified or
returned by then, activities recorded by then — so a missed day can be run later
and decides what it would have decided then.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from liangze import access
from liangze.accounts.models import User
from liangze.core import audit, repeats, versions
from liangze.core.periods import Period
from liangze.duties.models import DutyItem, DutyList
from liangze.ledger import queries as ledger
from liangze.ledger.models import Rule
from liangze.ledger.queries import PRINCIPAL_KINDS, RuleBook, current_lists, on_duty
from liangze.orgs.models import DisciplineBody, Org, Person, Position
from liangze.supervision.models import LadderVersion, Reminder
from liangze.supervision.reminders import ladder as escalation
from liangze.supervision.reminders import policy as reminder_policy
from liangze.supervision.reminders import queries as reminder_queries
from liangze.supervision.reminders.ladder import (
    CellFact,
    Decision,
    IndicatorFact,
    LadderBook,
    Step,
)
from liangze.supervision.reminders.policy import ACKNOWLEDGE
from liangze.supervision.reminders.queries import cell_facts, ladder_book


@dataclass
class Counts:
    created: Counter[str] = field(default_factory=Counter)  # step → new reminders
    cells: int = 0  # cells looked at
    figures: int = 0  # indicator figures looked at
    resolved: int = 0  # live reminders whose cause went away (已消除)
    reopened: int = 0  # resolved ones whose cause came back

    @property
    def total(self) -> int:
        return sum(self.created.values())


# Codes looked up per query when counting the reminders stored: under SQLite's
# variable limit, and a small IN list for PostgreSQL's planner.
STORE_CHUNK = 500


@dataclass(frozen=True)
class _Unit:
    pk: int
    name: str
    path: str


class _Bodies:
    """Each unit's nearest supervising discipline body: the grant on its longest ancestor path.

    The grants are read once per run, when first needed; a unit is answered by looking
    up its own path's prefixes, so a province costs a lookup per level, not a scan.
    """

    @cached_property
    def by_path(self) -> dict[str, int]:
        through = DisciplineBody.supervised_orgs.through
        found: dict[str, int] = {}
        for body_id, path in through.objects.values_list("disciplinebody_id", "org__path"):
            # Two bodies over the same subtree: the later one, for a stable answer.
            found[path] = max(body_id, found.get(path, body_id))
        return found

    def nearest(self, path: str) -> int | None:
        for length in range(len(path), 0, -1):
            body_id = self.by_path.get(path[:length])
            if body_id is not None:
                return body_id
        return None


def _principals(org_ids: Iterable[int], on: date) -> dict[int, int]:
    """Org id → the person id of its principal on `on`."""
    positions = (
        Position.objects.filter(on_duty(on), org_id__in=org_ids, kind__in=PRINCIPAL_KINDS)
        .order_by("start_date")
        .values_list("org_id", "person_id")
    )
    # The latest appointment wins when two overlap on a changeover day.
    return dict(positions)


@dataclass
class _Recipients:
    principals: dict[int, int]
    bodies: _Bodies
    paths: dict[int, str]

    def resolve(self, decision: Decision, responsible: int | None) -> tuple[int | None, int | None]:
        """(person, body) a decision goes to; (None, None) when nobody can receive it.

        Work nobody is named for falls to the unit's principal rather than to no one.
        """
        principal = self.principals.get(decision.org_id)
        if decision.recipient == "responsible":
            return responsible or principal, None
        if decision.recipient == "principal":
            return principal, None
        return None, self.bodies.nearest(self.paths[decision.org_id])


# Ledger cells ------------------------------------------------------------------------------


def _cell_message(decision: Decision, items: dict[int, DutyItem], unit: Org) -> str:
    if decision.item_id is None:
        return _("%(org)s %(year)s年已有 %(count)d 项台账逾期未填报，建议约谈其主要负责人。") % {
            "org": unit.name,
            "year": decision.period,
            "count": decision.overdue_cells,
        }
    item = items[decision.item_id]
    values = {
        "org": unit.name,
        "item": item.name,
        "period": Period.parse(decision.period).label,
        "deadline": f"{decision.deadline:%Y-%m-%d}",
        "days": decision.overdue_workdays,
        "person": item.responsible.name if item.responsible else _("（未指定）"),
    }
    if decision.step == Step.REMINDER:
        text = _("“%(item)s”%(period)s台账将于 %(deadline)s 截止，请及时填报。")
    elif decision.step == Step.PRINCIPAL_NOTICE:
        text = _(
            "%(org)s“%(item)s”%(period)s台账已于 %(deadline)s 逾期未填报，"
            "请督促责任人%(person)s落实。"
        )
    elif decision.step == Step.ADMONITION_PROPOSAL:
        text = _(
            "%(org)s“%(item)s”%(period)s台账已逾期 %(days)d 个工作日，建议约谈责任人%(person)s。"
        )
    else:
        text = _(
            "%(org)s“%(item)s”%(period)s台账已逾期 %(days)d 个工作日，建议发出任务落实督办书。"
        )
    return text % values


def _cell_reminders(
    decisions: Sequence[Decision], year: int, on: date, bodies: _Bodies
) -> list[Reminder]:
    """The rows for the new decisions; the items and lists they name are read only now."""
    items = DutyItem.objects.select_related("duty_list__org", "responsible").in_bulk(
        {d.item_id for d in decisions if d.item_id is not None}
    )
    # A unit-wide 约谈 hangs on the unit's first current list.
    lists_by_org: dict[int, DutyList] = {}
    unit_wide = {d.org_id for d in decisions if d.item_id is None}
    if unit_wide:
        for duty_list in (
            current_lists(year).filter(org_id__in=unit_wide).select_related("org").order_by("pk")
        ):
            lists_by_org.setdefault(duty_list.org_id, duty_list)
    for each in items.values():
        lists_by_org.setdefault(each.duty_list.org_id, each.duty_list)
    paths = {org_id: duty_list.org.path for org_id, duty_list in lists_by_org.items()}
    to = _Recipients(_principals(paths, on), bodies, paths)
    reminders = []
    for decision in decisions:
        item = items[decision.item_id] if decision.item_id is not None else None
        duty_list = item.duty_list if item else lists_by_org[decision.org_id]
        responsible = (item.responsible_id or duty_list.person_id) if item else None
        person_id, body_id = to.resolve(decision, responsible)
        if person_id is None and body_id is None:
            continue
        reminders.append(
            Reminder(
                step=decision.step,
                cause=decision.cause,
                org=duty_list.org,
                duty_list=duty_list,
                duty_item=item,
                period=decision.period,
                deadline=decision.deadline,
                recipient_person_id=person_id,
                recipient_body_id=body_id,
                raised_on=on,
                message=_cell_message(decision, items, duty_list.org),
                facts={
                    "overdue_workdays": decision.overdue_workdays,
                    "overdue_cells": decision.overdue_cells,
                },
            )
        )
    return reminders


def _escalate_cells(on: date, counts: Counts, bodies: _Bodies, book: LadderBook) -> None:
    year = on.year
    cells = cell_facts(year, on)
    counts.cells = len(cells)
    if not cells:
        return
    # Each unit's cells go up its own jurisdiction's ladder (paths needed only when some
    # level has issued one).
    ids = {c.org_id for c in cells}
    paths = (
        Org.objects.filter(pk__in=ids).values_list("pk", "path")
        if book.issued
        else [(org_id, "") for org_id in ids]
    )
    by_org: dict[int, list[CellFact]] = defaultdict(list)
    for cell in cells:
        by_org[cell.org_id].append(cell)
    decisions = [
        decision
        for ladder, org_ids in book.groups(paths)
        for decision in escalation.decide([c for o in org_ids for c in by_org[o]], on, ladder)
    ]
    existing = _raised(
        Reminder.objects.filter(duty_list__isnull=False, period__startswith=str(year)),
        decisions,
        on,
        counts,
    )
    new = [d for d in decisions if (d.step, d.cause) not in existing]
    if new:
        _store(_cell_reminders(new, year, on, bodies), counts)


# Quantified duties -------------------------------------------------------------------------


def _subject_name(decision: Decision, unit: _Unit, people: dict[int, str]) -> str:
    return people.get(decision.person_id, "") if decision.person_id else unit.name


def _figure_message(decision: Decision, rule: Rule, unit: _Unit, people: dict[int, str]) -> str:
    values = {
        "org": unit.name,
        "who": _subject_name(decision, unit, people),
        "rule": rule.name,
        "period": Period.parse(decision.period).label,
        "deadline": f"{decision.deadline:%Y-%m-%d}" if decision.deadline else "",
        "required": decision.required,
        "actual": decision.actual,
        "count": len(decision.unmet_periods),
        "periods": "、".join(Period.parse(p).label for p in decision.unmet_periods),
    }
    if decision.step == Step.REMINDER:
        text = _(
            "%(who)s“%(rule)s”%(period)s将于 %(deadline)s 截止，"
            "目前完成 %(actual)d/%(required)d，请及时落实并上传佐证材料。"
        )
    elif decision.step == Step.PRINCIPAL_NOTICE:
        text = _(
            "%(org)s %(who)s“%(rule)s”%(period)s未达标（应完成 %(required)d，"
            "实际 %(actual)d，%(deadline)s 截止），请督促落实。"
        )
    elif decision.step == Step.ADMONITION_PROPOSAL:
        text = _(
            "%(org)s %(who)s“%(rule)s”%(period)s已有 %(count)d 期未达标（%(periods)s），建议约谈。"
        )
    else:
        text = _(
            "%(org)s %(who)s“%(rule)s”%(period)s连续 %(count)d 期未达标（%(periods)s），"
            "建议发出任务落实督办书。"
        )
    return text % values


def _figure_reminders(
    decisions: Sequence[Decision],
    rules: dict[int, Rule],
    units: dict[int, _Unit],
    on: date,
    to: _Recipients,
) -> Iterator[Reminder]:
    subjects = {d.person_id for d in decisions if d.person_id is not None}
    people = dict(Person.objects.filter(pk__in=subjects).values_list("pk", "name"))
    for decision in decisions:
        assert decision.rule_id is not None  # noqa: S101 — decide_indicators sets it
        person_id, body_id = to.resolve(decision, decision.person_id)
        if person_id is None and body_id is None:
            continue
        unit = units[decision.org_id]
        yield Reminder(
            step=decision.step,
            cause=decision.cause,
            org_id=unit.pk,
            rule_id=decision.rule_id,
            subject_person_id=decision.person_id,
            period=decision.period,
            deadline=decision.deadline,
            recipient_person_id=person_id,
            recipient_body_id=body_id,
            raised_on=on,
            message=_figure_message(decision, rules[decision.rule_id], unit, people),
            facts={
                "required": decision.required,
                "actual": decision.actual,
                "unmet_periods": list(decision.unmet_periods),
            },
        )


def _units(chunk: int) -> Iterator[list[_Unit]]:
    rows = (
        Org.objects.filter(is_active=True)
        .order_by("path")
        .values_list("pk", "name", "path")
        .iterator(chunk_size=chunk)
    )
    while batch := list(islice(rows, chunk)):
        yield [_Unit(*row) for row in batch]


def _escalate_figures(
    on: date, counts: Counts, bodies: _Bodies, ladders: LadderBook, chunk: int
) -> None:
    # Each unit is measured by the rules of its own jurisdiction, up its own ladder.
    book = RuleBook.load(on.year)
    rules = book.every_rule
    if not rules:
        return
    by_id = {rule.pk: rule for rule in rules}
    for units in _units(chunk):
        ids = [unit.pk for unit in units]
        by_pk = {unit.pk: unit for unit in units}
        decisions: list[Decision] = []
        named: set[str] = {str(on.year - 1), str(on.year)}
        for ladder, org_ids in ladders.groups((unit.pk, unit.path) for unit in units):
            periods = {rule.pk: escalation.indicator_periods(rule, on, ladder) for rule in rules}
            named |= {str(p) for ps in periods.values() for p in ps}

            def slots(rule: Rule, periods: dict[int, list[Period]] = periods) -> list[Period]:
                return periods[rule.pk]

            figures = ledger.compute_governed_indicators(
                [(pk, by_pk[pk].path) for pk in org_ids], book, slots, today=on
            )
            counts.figures += len(figures)
            facts = [
                IndicatorFact(
                    rule_id=f.rule.pk,
                    org_id=f.org_id,
                    person_id=f.person_id,
                    period=f.period,
                    status=f.indicator.status,
                    required=f.indicator.required,
                    actual=f.indicator.actual,
                    deadline=f.indicator.deadline,
                )
                for f in figures
            ]
            decisions += escalation.decide_indicators(facts, on, ladder)
        if not decisions:
            continue
        existing = _raised(
            Reminder.objects.filter(org_id__in=ids, rule__isnull=False, period__in=sorted(named)),
            decisions,
            on,
            counts,
        )
        new = [d for d in decisions if (d.step, d.cause) not in existing]
        to = _Recipients(_principals(ids, on), bodies, {u.pk: u.path for u in units})
        _store(list(_figure_reminders(new, by_id, by_pk, on, to)), counts)


def _raised(
    candidates: QuerySet[Reminder], decisions: Sequence[Decision], on: date, counts: Counts
) -> set[tuple[str, str]]:
    """The (step, cause) pairs already raised; those of them 已消除 whose cause is back
    (an entry returned, a figure failing again) are raised again, unread, on `on`."""
    existing: set[tuple[str, str]] = set()
    back = []
    decided = {(d.step, d.cause) for d in decisions}
    for pk, step, cause, resolved_on in candidates.values_list(
        "pk", "step", "cause", "resolved_on"
    ):
        existing.add((step, cause))
        if resolved_on is not None and (step, cause) in decided:
            back.append(pk)
    if back:
        counts.reopened += Reminder.objects.filter(pk__in=back).update(
            resolved_on=None, acknowledged_at=None, raised_on=on
        )
    return existing


def _resolve_stale(on: date, counts: Counts, chunk: int) -> None:
    """Close the live reminders whose cause no longer holds (已消除), a chunk of units at a time."""
    for units in _units(chunk):
        stale = reminder_queries.stale_reminders([unit.pk for unit in units], on)
        if stale:
            counts.resolved += Reminder.objects.filter(pk__in=stale).update(resolved_on=on)


def _store(reminders: list[Reminder], counts: Counts) -> None:
    if not reminders:
        return
    # ignore_conflicts: a run racing this one (the task and the command) cannot double up.
    Reminder.objects.bulk_create(reminders, ignore_conflicts=True)
    # Counted by the codes this run generated, as stored: a row the racing run inserted
    # first was skipped, and the audit event must not claim it.
    codes = [r.code for r in reminders]
    for start in range(0, len(codes), STORE_CHUNK):
        stored = Reminder.objects.filter(code__in=codes[start : start + STORE_CHUNK])
        counts.created.update(str(step) for step in stored.values_list("step", flat=True))


@transaction.atomic
def run_escalation(*, on: date, chunk: int = ledger.INDICATOR_CHUNK) -> Counts:
    """Raise every step of the ladder due on `on` that has not been raised before."""
    counts = Counts()
    bodies = _Bodies()
    ladders = ladder_book(on.year)
    _resolve_stale(on, counts, chunk)
    _escalate_cells(on, counts, bodies, ladders)
    _escalate_figures(on, counts, bodies, ladders, chunk)
    audit.record(
        actor=None,
        verb=audit.Verb.CREATE,
        label=_("督促提醒（%(day)s）") % {"day": f"{on:%Y-%m-%d}"},
        data={
            "on": on.isoformat(),
            "cells": counts.cells,
            "figures": counts.figures,
            "created": dict(counts.created),
            "resolved": counts.resolved,
            "reopened": counts.reopened,
        },
    )
    return counts


@transaction.atomic
def reminder_acknowledge(*, actor: User, reminder: Reminder) -> Reminder:
    """The recipient has read it: it leaves their to-do list. Acknowledging twice is harmless."""
    access.require(actor, ACKNOWLEDGE, reminder)
    repeats.lock(reminder)  # two clicks at once: the second sees the first's time
    if reminder.acknowledged_at is None:
        reminder.acknowledged_at = timezone.now()
        reminder.save(update_fields=["acknowledged_at"])
        audit.record(actor=actor, verb=audit.Verb.UPDATE, obj=reminder, data={"acknowledged": True})
    return reminder


@transaction.atomic
def reminders_acknowledge(*, actor: User | None, reminders: Sequence[Reminder]) -> list[Reminder]:
    """Several reminders handled at once (a 督办书 answering a unit's pending steps):
    one UPDATE and one audit event naming them all, whatever their number.

    The same check as reminder_acknowledge, for every one of them before anything is
    written: one the actor may not acknowledge refuses the lot. The check reads the
    actor's scope once (access caches it) and the reminders' recipients as loaded, so
    it costs no query per reminder. Those already read keep their time; the ones newly
    acknowledged are returned.
    """
    for reminder in reminders:
        access.require(actor, ACKNOWLEDGE, reminder)
    pending = {r.pk: r for r in reminders if r.acknowledged_at is None}
    if not pending:
        return []
    now = timezone.now()
    # Locked, so one read by someone else meanwhile keeps their time and their event.
    unread = Reminder.objects.select_for_update().filter(pk__in=pending, acknowledged_at=None)
    newly = set(unread.values_list("pk", flat=True))
    Reminder.objects.filter(pk__in=newly).update(acknowledged_at=now)
    done = [pending[pk] for pk in sorted(newly)]
    for reminder in done:
        reminder.acknowledged_at = now
    if done:
        audit.record(
            actor=actor,
            verb=audit.Verb.UPDATE,
            label=_("督促提醒（%(count)d 条）") % {"count": len(done)},
            data={"acknowledged": True, "reminders": [str(r.code) for r in done]},
        )
    return done


@transaction.atomic
def ladder_issue(
    *,
    actor: User | None,
    issuer: Org,
    year: int,
    thresholds: dict[str, int],
    source: str,
    allow_tighten: bool = True,
) -> LadderVersion:
    """A new version of the ladder's thresholds for the issuer's subtree from `year` on.

    Never an edit: earlier versions stay. It needs its source (出处) and may only
    escalate sooner than the ladder governing the level above, where that one allows it.
    """
    version = LadderVersion(
        issuer=issuer,
        issuer_name=issuer.name,
        version=versions.next_number(LadderVersion.objects.filter(issuer=issuer)),
        year=year,
        thresholds=thresholds,
        source=source.strip(),
        allow_tighten=allow_tighten,
    )
    access.require(actor, reminder_policy.ISSUE, version)
    problems: dict[str, list[str]] = {}
    if not version.source:
        problems["source"] = [_("请注明本版本的出处（文件名称、文号或会议决定）。")]
    for name, (label, _stricter) in escalation.THRESHOLDS.items():
        value = thresholds.get(name)
        if not isinstance(value, int) or value < 1:
            problems[name] = [_("%(field)s须为正整数。") % {"field": label}]
    upper = ladder_book(year).upper(issuer.path)
    if upper is not None and not problems:
        ladder, allowed, name = upper
        upper_thresholds = escalation.thresholds_of(ladder)
        problems |= escalation.ladder_loosening(thresholds, upper_thresholds, name, allowed)
    if problems:
        raise ValidationError(problems)
    version.full_clean()
    versions.save_new_version(version)
    audit.record(
        actor=actor,
        verb=audit.Verb.CREATE,
        obj=version,
        data={"issuer": issuer.name, "version": version.version, "year": year, "source": source}
        | {"thresholds": thresholds},
    )
    return version
