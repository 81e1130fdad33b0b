"""The weekly warning snapshot: every unit and person under a scope, coloured and kept.

Run every Monday by the huey task in dashboard/tasks.py, or by
`manage.py snapshot_warnings`. The tree is cut into batches of whole subtrees
(a county at province scale) and the levels above them; each batch is counted
set-based by ledger.rollups (a fixed number of queries per batch, whatever its
size), totalled up the tree in memory along the paths, classified by the
warning scale, and written with bulk_create in a transaction of its own. A
week's rows are replaced when the job runs again for the same week, so a re-run
(or a backfill over weeks already taken) leaves one row per unit and person.
"""

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from time import perf_counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from liangze import access
from liangze.accounts.models import User
from liangze.core import audit, versions
from liangze.dashboard import policy, queries
from liangze.dashboard.models import ScaleVersion, WarningSnapshot
from liangze.dashboard.warning import (
    Scale,
    ScaleBook,
    classify,
    conditions_of,
    person_metrics,
    scale_json,
    scale_loosening,
    unit_metrics,
    with_values,
)
from liangze.ledger import queries as rollups
from liangze.ledger.queries import Tally
from liangze.orgs.models import DisciplineBody, Org
from liangze.orgs.tree import ancestor_paths

# A subtree of at most this many orgs is counted in one go (a county at province scale);
# a larger one is split into its own level and its children's subtrees.
BATCH_ORGS = 4_000
WRITE_BATCH = 5_000


def monday(on: date) -> date:
    """The week a day belongs to, named by its Monday."""
    return on - timedelta(days=on.weekday())


@dataclass
class SnapshotCounts:
    week: date
    units: int = 0
    people: int = 0
    batches: int = 0
    seconds: float = 0.0
    colours: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _batches(root: Org) -> Iterator[tuple[Org, bool]]:
    """(org, own level only?) covering the subtree: whole subtrees of at most BATCH_ORGS,
    and above them the orgs on their own."""
    pending = [root]
    while pending:
        org = pending.pop()
        if Org.objects.filter(org.subtree_q()).count() <= BATCH_ORGS:
            yield org, False
            continue
        yield org, True
        pending.extend(org.children.filter(is_active=True).order_by("-path"))


def _subtree_totals(orgs: Sequence[Org], own: dict[int, Tally]) -> dict[int, Tally]:
    """Each org's own tally plus those of everything below it (deepest first, along parents)."""
    totals = {org.pk: Tally() for org in orgs}
    for org in sorted(orgs, key=lambda o: len(o.path), reverse=True):
        if org.pk in own:
            totals[org.pk].add(own[org.pk])
        if org.parent_id in totals:
            totals[org.parent_id].add(totals[org.pk])
    return totals


def _rectification_totals(orgs: Sequence[Org], own: dict[int, int]) -> dict[int, int]:
    totals = dict.fromkeys((org.pk for org in orgs), 0)
    for org in sorted(orgs, key=lambda o: len(o.path), reverse=True):
        totals[org.pk] += own.get(org.pk, 0)
        if org.parent_id in totals:
            totals[org.parent_id] += totals[org.pk]
    return totals


def _unit_row(
    week: date, on: date, org_id: int, tally: Tally, rectifications: int, scale: Scale
) -> WarningSnapshot:
    metrics = unit_metrics(tally, rectifications)
    return WarningSnapshot(
        week=week,
        org_id=org_id,
        colour=classify(metrics, scale, "unit"),
        metrics={**metrics, **queries.tally_json(tally)},
        scale_code=scale.code,
        scale_version=scale.version,
        taken_on=on,
    )


def _person_rows(
    week: date,
    on: date,
    people: dict[tuple[int, int | None], Tally],
    scales: Mapping[int, Scale],
    fallback: Scale,
) -> list[WarningSnapshot]:
    """The people's rows, each coloured by the scale of their org (`scales`, by org id)."""
    rows = []
    for (org_id, person_id), tally in people.items():
        if person_id is None:  # items nobody answers for: shown on the unit, not a person
            continue
        scale = scales.get(org_id, fallback)
        metrics = person_metrics(tally)
        rows.append(
            WarningSnapshot(
                week=week,
                org_id=org_id,
                person_id=person_id,
                colour=classify(metrics, scale, "person"),
                metrics={**metrics, **queries.tally_json(tally)},
                scale_code=scale.code,
                scale_version=scale.version,
                taken_on=on,
            )
        )
    return rows


def _replace(week: date, rows_q: Q, rows: list[WarningSnapshot], counts: SnapshotCounts) -> None:
    """Replace the week's rows that `rows_q` selects with `rows`."""
    WarningSnapshot.objects.filter(rows_q, week=week).delete()
    # A run racing this one (the task on another worker, the command) may have written the
    # same rows since the delete: theirs stand, and no IntegrityError ends this run.
    WarningSnapshot.objects.bulk_create(rows, batch_size=WRITE_BATCH, ignore_conflicts=True)
    # Counted as stored, not as attempted, so the audit event states what the week holds.
    stored = WarningSnapshot.objects.filter(rows_q, week=week)
    units = stored.filter(person=None).values_list("colour").annotate(n=Count("pk"))
    for colour, n in units.order_by():
        counts.units += n
        counts.colours[colour] += n
    counts.people += stored.filter(person__isnull=False).count()


def _snapshot_root(root: Org, on: date, book: ScaleBook, counts: SnapshotCounts) -> None:
    """Each unit and person coloured by the scale of its own jurisdiction."""
    week, year = counts.week, on.year
    upper: dict[str, Org] = {}  # path → an org counted on its own, above the batches
    upper_tally: dict[int, Tally] = defaultdict(Tally)
    upper_rect: dict[int, int] = defaultdict(int)

    def to_uppers(path: str, tally: Tally, rect: int, *, itself: bool) -> None:
        paths = [*ancestor_paths(path), path] if itself else ancestor_paths(path)
        for p in paths:
            if p in upper:
                upper_tally[upper[p].pk].add(tally)
                upper_rect[upper[p].pk] += rect

    for batch_root, own_only in _batches(root):
        counts.batches += 1
        if own_only:
            upper[batch_root.path] = batch_root
            units, people = rollups.by_org([batch_root], Q(org=batch_root), year, on)
            rect = queries.own_rectifications([batch_root], batch_root, year, on)
            to_uppers(
                batch_root.path,
                units.get(batch_root.pk, Tally()),
                rect.get(batch_root.pk, 0),
                itself=True,
            )
            with transaction.atomic():
                # The unit row waits for the batches below it; its people are complete now.
                _replace(
                    week,
                    Q(org=batch_root, person__isnull=False),
                    _person_rows(week, on, people, {}, book.scale_for(batch_root.path)),
                    counts,
                )
            continue
        orgs = rollups.subtree_orgs(batch_root)
        units, people = rollups.by_org(orgs, batch_root.subtree_q("org__"), year, on)
        totals = _subtree_totals(orgs, units)
        rect_totals = _rectification_totals(
            orgs, queries.own_rectifications(orgs, batch_root, year, on)
        )
        scales = {org.pk: book.scale_for(org.path) for org in orgs}
        rows = [
            _unit_row(week, on, org.pk, totals[org.pk], rect_totals[org.pk], scales[org.pk])
            for org in orgs
        ]
        rows += _person_rows(week, on, people, scales, book.scale_for(batch_root.path))
        with transaction.atomic():
            _replace(week, batch_root.subtree_q("org__"), rows, counts)
        to_uppers(batch_root.path, totals[batch_root.pk], rect_totals[batch_root.pk], itself=False)
    if upper:
        rows = [
            _unit_row(
                week, on, org.pk, upper_tally[org.pk], upper_rect[org.pk], book.scale_for(org.path)
            )
            for org in upper.values()
        ]
        with transaction.atomic():
            ids = [org.pk for org in upper.values()]
            _replace(week, Q(org_id__in=ids, person__isnull=True), rows, counts)


def _roots(body: DisciplineBody | None) -> list[Org]:
    """The outermost subtrees a body supervises; without a body, the whole tree."""
    if body is None:
        return list(Org.objects.filter(parent__isnull=True).order_by("path"))
    orgs = list(body.supervised_orgs.order_by("path"))
    kept: list[Org] = []
    for org in orgs:
        if not any(org.path.startswith(k.path) for k in kept):
            kept.append(org)
    return kept


def warning_snapshot_take(
    *, actor: User | None, on: date, body: DisciplineBody | None = None
) -> SnapshotCounts:
    """Colour every unit and person under `body`'s scope (or the whole tree) for the week of `on`.

    Counted as of `on`; the week is the Monday before it. Operators (actor None) and
    the body's own staff may take it.
    """
    if not policy.may_take_snapshot(actor, body):
        access.deny(actor, obj=body, model=WarningSnapshot, reason="no_snapshot", hide=False)
    started = perf_counter()
    book = queries.scale_book(on.year)
    scale = book.default
    counts = SnapshotCounts(week=monday(on))
    for root in _roots(body):
        _snapshot_root(root, on, book, counts)
    counts.seconds = perf_counter() - started
    audit.record(
        actor=actor,
        verb=audit.Verb.CREATE,
        label=_("预警快照（%(week)s 周）") % {"week": f"{counts.week:%Y-%m-%d}"},
        data={
            "on": on.isoformat(),
            "body": body.body_no if body else None,
            "units": counts.units,
            "people": counts.people,
            "scale": f"{scale.code}@{scale.version}",
        },
    )
    return counts


def warning_snapshot_backfill(
    *, actor: User | None, start: date, end: date, body: DisciplineBody | None = None
) -> list[SnapshotCounts]:
    """A snapshot for every week from `start`'s to `end`'s, each as of its Monday
    (the last as of `end`), so a trend can be drawn for weeks before the job ran."""
    taken = []
    week = monday(start)
    while week < monday(end):
        taken.append(warning_snapshot_take(actor=actor, on=max(week, start), body=body))
        week += timedelta(days=7)
    taken.append(warning_snapshot_take(actor=actor, on=end, body=body))
    return taken


@transaction.atomic
def scale_issue(
    *,
    actor: User | None,
    issuer: Org,
    year: int,
    values: dict[str, float],
    source: str,
    allow_tighten: bool = True,
) -> ScaleVersion:
    """A new version of the four-colour scale for the issuer's subtree from `year` on.

    It keeps the colours and conditions of the scale governing the issuer and sets their
    values (`values`, by warning.condition_key). Never an edit: earlier versions stay. It
    needs its source (出处) and may be no laxer than the scale governing the level above,
    where that one allows it.
    """
    book = queries.scale_book(year)
    base = book.governing(issuer.path)[0]
    number = versions.next_number(ScaleVersion.objects.filter(issuer=issuer))
    scale = with_values(
        base,
        values,
        code=f"{base.code.split('@')[0]}@{issuer.org_no}"[:64],
        version=number,
        year=year,
        issuer=issuer.name,
        source=source.strip() or base.source,
    )
    version = ScaleVersion(
        issuer=issuer,
        issuer_name=issuer.name,
        version=number,
        year=year,
        data=scale_json(scale),
        source=source.strip(),
        allow_tighten=allow_tighten,
    )
    access.require(actor, policy.ISSUE, version)
    known = conditions_of(base)
    problems: dict[str, list[str]] = {}
    if not version.source:
        problems["source"] = [_("请注明本版本的出处（文件名称、文号或会议决定）。")]
    for key in sorted(set(values) - set(known)):
        problems[key] = [_("预警标准中没有条件 %(key)s。") % {"key": key}]
    for key, value in values.items():
        if key in known and value < 0:
            problems[key] = [_("条件的数值不能为负数。")]
    upper = book.upper(issuer.path)
    if upper is not None and not problems:
        upper_scale, allowed, name = upper
        problems |= scale_loosening(values, upper_scale, name, allowed)
    if problems:
        raise ValidationError(problems)
    version.full_clean()
    versions.save_new_version(version)
    audit.record(
        actor=actor,
        verb=audit.Verb.CREATE,
        obj=version,
        data={"issuer": issuer.name, "version": number, "year": year, "source": version.source}
        | {"values": values},
    )
    return version
