"""Stored coverage tallies (LIST-6): a province root's roll-up in a few rows.

Computed live, a roll-up reads every unit, post and discipline body of the
subtree — seconds at a province root (bench/README.md). CoverageTally keeps,
per org, year and reference date, the required and done counts of each list
type for the org's own level and for its whole subtree, so coverage() reads
the org's row and its children's.

Which basis: a roll-up counts the posts of the whole subtree on its org's
reference date, and units without a Party committee as its catalogue says
(coverage.reference: the nearest catalogue issued for the year). So each
catalogue's issuer roots a *zone* — its whole subtree, counted on that
deadline with that setting — and the roots of the tree that issued nothing
root the zone of the fallback date and default setting. Zones nest: below a
catalogue issued by a county inside the province's zone, an org has a row for
each basis, the outer one for the province's and city's roll-ups.

Kept right:
- done: `list_done` moves one holder's count along the ancestor path, in the
  transaction of the publication that puts a list in force, with F() increments
  (concurrent publications add up).
- required: `rebuild` recounts a subtree set-based, one INSERT … SELECT per
  zone (when a catalogue is issued, and `manage.py rebuild_coverage`);
  `refresh_orgs` recounts a few orgs' own level and moves their ancestors by
  the difference (registered with orgs.changes: after an import, and when
  orgs.services creates an org, a body or a post).
Rebuilds and refreshes hold a PostgreSQL advisory lock on the year, which
`list_done` shares: a publication that waited for a rebuild lands on the new rows,
and a rebuild that waited for a publication counts it.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, F, Max, When
from django.utils import timezone

from liangze.duties.coverage import queries as coverage
from liangze.duties.coverage.queries import PERSON_KINDS, Basis, unit_kinds
from liangze.duties.models import Catalogue, CoverageTally, DutyList, ListType
from liangze.orgs.models import DisciplineBody, Org, Position
from liangze.orgs.tree import PATH_STEP, ancestor_paths, subtree_bounds

LOCK_NAMESPACE = 0x4C5A  # "LZ": the first key of the two-int advisory lock; the year is the second
# More orgs touched than this (a whole county imported): recount the year set-based instead.
REFRESH_LIMIT = 2000
# The order of the r0/d0 … r3/d3 counts in the rebuild's SQL.
ORDER = (ListType.COLLECTIVE, ListType.PRINCIPAL, ListType.MEMBER, ListType.SUPERVISORY)
Key = tuple[int, Basis]


def _lock(year: int, *, shared: bool) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite lets one writer in at a time already
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, %s)", [LOCK_NAMESPACE, year])


# Zones ----------------------------------------------------------------------


@dataclass(frozen=True)
class Zone:
    basis: Basis
    roots: tuple[str, ...]  # paths of whole subtrees, none inside another


def _tops(paths: Iterable[str]) -> tuple[str, ...]:
    tops: list[str] = []
    for path in sorted(paths):  # a subtree's paths follow its root's in sorted order
        if not tops or not path.startswith(tops[-1]):
            tops.append(path)
    return tuple(tops)


def zones(year: int) -> list[Zone]:
    """The subtrees counted on each basis of the year (as coverage.reference)."""
    bases: dict[str, Basis] = {}
    issued = Catalogue.objects.filter(
        year=year,
        status=Catalogue.Status.ISSUED,
        issuer__isnull=False,
        submit_deadline__isnull=False,
    ).order_by(F("issued_at").asc(nulls_first=True), "pk")
    for path, deadline, covers in issued.values_list(
        "issuer__path", "submit_deadline", "covers_units_without_committee"
    ):
        if deadline is not None:
            bases[path] = Basis(deadline, covers)  # of two issued by one org, the later wins
    by_basis: dict[Basis, list[str]] = defaultdict(list)
    for path, basis in bases.items():
        by_basis[basis].append(path)
    roots = Org.objects.filter(parent__isnull=True).exclude(path__in=list(bases))
    fallback = Basis(coverage.fallback_date(year), coverage.COVERS_BY_DEFAULT)
    by_basis[fallback].extend(roots.values_list("path", flat=True))
    ordered = sorted(by_basis.items(), key=lambda b: (b[0].on, b[0].covers_units_without_committee))
    return [Zone(basis, _tops(paths)) for basis, paths in ordered if paths]


def _within(roots: tuple[str, ...], scope: str | None) -> list[str]:
    """The part of a zone inside the subtree at `scope`, as subtree roots."""
    if scope is None:
        return list(roots)
    if any(scope.startswith(root) for root in roots):
        return [scope]
    return [root for root in roots if root.startswith(scope)]


# Rebuild --------------------------------------------------------------------


@transaction.atomic
def rebuild(year: int, org: Org | None = None) -> int:
    """Recount the year's tallies of `org`'s subtree (default: every org); the rows written
    (PostgreSQL; 0 on SQLite).

    Set-based: one DELETE, then one INSERT … SELECT per zone grouping the
    subtree's units, posts and bodies by every path prefix; the ancestors of
    `org` then move by the difference its subtree made.
    """
    _lock(year, shared=False)
    before = _subtree_counts(org, year) if org else {}
    stale = CoverageTally.objects.filter(year=year)
    if org is not None:
        stale = stale.filter(org__in=Org.objects.filter(org.subtree_q()).values("pk"))
    stale.delete()
    now = timezone.now()
    deepest = Org.objects.aggregate(m=Max("depth"))["m"] or 1
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner's estimates for the grouped CASE sums are wild (10^11 rows), which
            # would compile the statement — seconds of JIT for a query that runs once; and
            # the default 4 MB spills its hashes of 280,000 orgs to disk.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")
        for zone in zones(year):
            roots = _within(zone.roots, org.path if org else None)
            if roots:
                cursor.execute(*_insert_sql(roots, deepest, year, zone.basis, now))
                written += max(cursor.rowcount, 0)  # SQLite does not count INSERT … SELECT rows
    if org is not None:
        after = _subtree_counts(org, year)
        for basis in before.keys() | after.keys():
            _add_above(org, year, basis, after.get(basis, {}), before.get(basis, {}))
    transaction.on_commit(coverage.invalidate)
    return written


def rebuild_all() -> None:
    """Every year that has tallies, recounted whole."""
    for year in sorted(set(CoverageTally.objects.values_list("year", flat=True).distinct())):
        rebuild(year)


def years_to_count() -> list[int]:
    """The years a full recount covers: those with an issued catalogue or with tallies."""
    issued = Catalogue.objects.filter(status=Catalogue.Status.ISSUED).values_list("year", flat=True)
    counted = CoverageTally.objects.values_list("year", flat=True).distinct()
    return sorted(set(issued) | set(counted))


SUBTREE = [CoverageTally.column(t, m) for t in ORDER for m in ("required_sub", "done_sub")]


def _basis(row: dict[str, Any]) -> Basis:
    return Basis(row.pop("as_of"), row.pop("covers_units_without_committee"))


def _subtree_counts(org: Org, year: int) -> dict[Basis, dict[str, int]]:
    rows = CoverageTally.objects.filter(org=org, year=year).values(
        "as_of", "covers_units_without_committee", *SUBTREE
    )
    return {_basis(row): row for row in rows}


def _add_above(
    org: Org, year: int, basis: Basis, after: dict[str, int], before: dict[str, int]
) -> None:
    """Move the ancestors' subtree counts by the difference `org`'s subtree made."""
    moved = {c: after.get(c, 0) - before.get(c, 0) for c in SUBTREE}
    if any(moved.values()):
        CoverageTally.objects.filter(
            org__in=Org.objects.filter(path__in=ancestor_paths(org.path)).values("pk"),
            year=year,
            **coverage.tally_key(basis),
        ).update(**{c: F(c) + n for c, n in moved.items() if n})


def _insert_sql(
    roots: list[str], deepest: int, year: int, basis: Basis, now: datetime
) -> tuple[str, list[Any]]:
    """One zone's rows: own counts per org, and their sums over every path prefix.

    A holder is done when a list of its type is in force,
    matched as coverage._required matches it; the done lists are joined as
    DISTINCT sets (a hash join), never probed per row.
    """
    q = connection.ops.quote_name
    org_t, dl_t = q(Org._meta.db_table), q(DutyList._meta.db_table)
    post_t, body_t = q(Position._meta.db_table), q(DisciplineBody._meta.db_table)
    params: list[Any] = []

    def p(*values: Any) -> str:
        params.extend(values)
        return ", ".join(["%s"] * len(values))

    # Only quoted names, placeholders and integers are interpolated: S608 does not apply.
    def done(list_type: str, columns: str) -> str:
        return (
            f"SELECT DISTINCT {columns} FROM {dl_t} WHERE year = {p(year)}"  # noqa: S608
            f" AND list_type = {p(list_type)} AND in_force = {p(True)}"
        )

    def zone() -> str:
        return " OR ".join(
            f"(o.path >= {p(low)}" + (f" AND o.path < {p(high)})" if high else ")")
            for low, high in map(subtree_bounds, roots)
        )

    principal, member = PERSON_KINDS[ListType.PRINCIPAL], PERSON_KINDS[ListType.MEMBER]
    units, on = unit_kinds(basis.covers_units_without_committee), basis.on
    columns = [CoverageTally.column(t, m) for t in ORDER for m in CoverageTally.MEASURES]
    values = [
        f"{table}.{measure}{n}"
        for n in range(len(ORDER))
        for table, measure in (("own", "r"), ("own", "d"), ("sub", "r"), ("sub", "d"))
    ]
    # Placeholders are numbered in the order p() is called: the f-string below calls it in
    # the order they appear in the text.
    sql = f"""
WITH zone AS (
  SELECT o.id, o.path, o.depth,
    CASE WHEN o.kind IN ({p(*units)}) AND o.is_active = {p(True)} THEN 1 ELSE 0 END AS unit
  FROM {org_t} o WHERE {zone()}
),
done_units AS ({done(ListType.COLLECTIVE, "org_id")}),
done_principals AS ({done(ListType.PRINCIPAL, "org_id, person_id")}),
done_members AS ({done(ListType.MEMBER, "org_id, person_id")}),
done_bodies AS ({done(ListType.SUPERVISORY, "discipline_body_id")}),
posts AS (
  SELECT s.org_id,
    SUM(CASE WHEN s.kind IN ({p(*principal)}) THEN 1 ELSE 0 END) AS r1,
    SUM(CASE WHEN s.kind IN ({p(*principal)}) AND dp.org_id IS NOT NULL THEN 1 ELSE 0 END) AS d1,
    SUM(CASE WHEN s.kind IN ({p(*member)}) THEN 1 ELSE 0 END) AS r2,
    SUM(CASE WHEN s.kind IN ({p(*member)}) AND dm.org_id IS NOT NULL THEN 1 ELSE 0 END) AS d2
  FROM {post_t} s
  JOIN zone z ON z.id = s.org_id
  LEFT JOIN done_principals dp ON dp.org_id = s.org_id AND dp.person_id = s.person_id
  LEFT JOIN done_members dm ON dm.org_id = s.org_id AND dm.person_id = s.person_id
  WHERE s.kind IN ({p(*principal, *member)}) AND s.start_date <= {p(on)}
    AND (s.end_date IS NULL OR s.end_date >= {p(on)})
  GROUP BY s.org_id
),
bodies AS (
  SELECT b.org_id, COUNT(*) AS r3, COUNT(db.discipline_body_id) AS d3
  FROM {body_t} b
  JOIN zone z ON z.id = b.org_id
  LEFT JOIN done_bodies db ON db.discipline_body_id = b.id
  GROUP BY b.org_id
),
own AS (
  SELECT z.id, z.path, z.depth,
    z.unit AS r0, CASE WHEN z.unit = 1 AND du.org_id IS NOT NULL THEN 1 ELSE 0 END AS d0,
    COALESCE(posts.r1, 0) AS r1, COALESCE(posts.d1, 0) AS d1,
    COALESCE(posts.r2, 0) AS r2, COALESCE(posts.d2, 0) AS d2,
    COALESCE(bodies.r3, 0) AS r3, COALESCE(bodies.d3, 0) AS d3
  FROM zone z
  LEFT JOIN done_units du ON du.org_id = z.id
  LEFT JOIN posts ON posts.org_id = z.id
  LEFT JOIN bodies ON bodies.org_id = z.id
),
levels AS ({" UNION ALL ".join(f"SELECT {k} AS k" for k in range(_depth(roots), deepest + 1))}),
sub AS (
  SELECT SUBSTR(own.path, 1, {PATH_STEP} * levels.k) AS prefix,
    SUM(r0) AS r0, SUM(d0) AS d0, SUM(r1) AS r1, SUM(d1) AS d1,
    SUM(r2) AS r2, SUM(d2) AS d2, SUM(r3) AS r3, SUM(d3) AS d3
  FROM own JOIN levels ON levels.k <= own.depth
  GROUP BY SUBSTR(own.path, 1, {PATH_STEP} * levels.k)
)
INSERT INTO {q(CoverageTally._meta.db_table)}
  (org_id, year, as_of, covers_units_without_committee, computed_at,
   {", ".join(q(c) for c in columns)})
SELECT own.id, {p(year, on, basis.covers_units_without_committee, now)}, {", ".join(values)}
FROM own JOIN sub ON sub.prefix = own.path
"""  # noqa: S608
    return sql, params


def _depth(roots: list[str]) -> int:
    return min(len(root) for root in roots) // PATH_STEP


# Done -----------------------------------------------------------------------


def list_done(duty_list: DutyList, step: int) -> None:
    """The list came into (+1) or went out of (-1) force: move its holder's count.

    Called in the transaction of the status change, after it. The holder
    counts at its org (a body's list: at the body's org) and at every
    ancestor's subtree, for each basis it has rows for — a person
    once per post of the list's kinds held on that date, as coverage counts.
    """
    year, list_type = duty_list.year, duty_list.list_type
    _lock(year, shared=True)
    if list_type == ListType.SUPERVISORY:
        if duty_list.discipline_body_id is None:
            return
        others = coverage._done_lists(year, list_type).filter(
            discipline_body_id=duty_list.discipline_body_id
        )
        if others.exclude(pk=duty_list.pk).exists():
            return  # the body is counted through its other list, before and after
        node = Org.objects.get(discipline_bodies=duty_list.discipline_body_id)
    else:
        node = duty_list.org
    stored = CoverageTally.objects.filter(org=node, year=year)
    bases = [
        Basis(on, covers)
        for on, covers in stored.values_list("as_of", "covers_units_without_committee")
    ]
    if not bases:
        return
    weights = dict.fromkeys(bases, 1)
    if list_type == ListType.COLLECTIVE:
        weights = {
            basis: int(
                node.is_active and node.kind in unit_kinds(basis.covers_units_without_committee)
            )
            for basis in bases
        }
    if list_type in PERSON_KINDS and duty_list.person_id is not None:
        spans = Position.objects.filter(
            org=node, person_id=duty_list.person_id, kind__in=PERSON_KINDS[list_type]
        ).values_list("start_date", "end_date")
        held = list(spans)
        weights = {
            basis: sum(
                1 for start, end in held if start <= basis.on and (end is None or end >= basis.on)
            )
            for basis in bases
        }
    above = Org.objects.filter(path__in=[*ancestor_paths(node.path), node.path])
    own, sub = (
        CoverageTally.column(list_type, "done_own"),
        CoverageTally.column(list_type, "done_sub"),
    )
    for basis, weight in weights.items():
        if weight:
            n = step * weight
            CoverageTally.objects.filter(
                org__in=above.values("pk"), year=year, **coverage.tally_key(basis)
            ).update(
                **{sub: F(sub) + n, own: Case(When(org=node, then=F(own) + n), default=F(own))}
            )


# Refresh --------------------------------------------------------------------


@transaction.atomic
def refresh_orgs(org_ids: Iterable[int]) -> None:
    """Recount the own level of these orgs — their units, posts or bodies changed — and carry
    the differences up their ancestors, for every year and date they have rows for.

    An org without rows (created since) gets its parent's dates. Beyond
    REFRESH_LIMIT orgs, each year is rebuilt instead.
    """
    ids = set(org_ids)
    if not ids or not CoverageTally.objects.exists():
        return
    if len(ids) > REFRESH_LIMIT:
        rebuild_all()
        return
    only = ("path", "parent", "kind", "is_active")
    orgs = {o.pk: o for o in Org.objects.filter(pk__in=ids).only(*only)}
    parents = {o.parent_id for o in orgs.values() if o.parent_id} - set(orgs)
    stored: dict[int, set[Key]] = defaultdict(set)
    for org_id, year, on, covers in (
        CoverageTally.objects.filter(org_id__in=[*orgs, *parents])
        .values_list("org_id", "year", "as_of", "covers_units_without_committee")
        .distinct()
    ):
        stored[org_id].add((year, Basis(on, covers)))
    if not stored:
        return
    for year in sorted({year for keys in stored.values() for year, _ in keys}):
        _lock(year, shared=False)
    # Parents first, so an org created under another new one inherits its dates.
    wanted: dict[int, set[Key]] = {}
    for org in sorted(orgs.values(), key=lambda o: o.path):
        parent = org.parent_id or 0
        inherited = wanted.get(parent) or stored.get(parent, set())
        wanted[org.pk] = stored[org.pk] | inherited
    now = timezone.now()
    CoverageTally.objects.bulk_create(
        CoverageTally(org_id=pk, year=year, computed_at=now, **coverage.tally_key(basis))
        for pk, keys in wanted.items()
        for year, basis in keys - stored[pk]
    )
    counted = _own_counts(orgs, wanted)
    paths = {p for o in orgs.values() for p in (*ancestor_paths(o.path), o.path)}
    rows = list(
        CoverageTally.objects.select_for_update(of=("self",))
        .filter(
            org__in=Org.objects.filter(path__in=paths).values("pk"),
            year__in={year for keys in wanted.values() for year, _ in keys},
        )
        .select_related("org")
        .only("org__path", *(f.name for f in CoverageTally._meta.concrete_fields))
    )
    by_key = {
        (r.org.path, r.year, Basis(r.as_of, r.covers_units_without_committee)): r for r in rows
    }
    for org in orgs.values():
        for (year, basis), types in counted.get(org.pk, {}).items():
            row = by_key[(org.path, year, basis)]
            for list_type, (required, done) in types.items():
                required_own = CoverageTally.column(list_type, "required_own")
                done_own = CoverageTally.column(list_type, "done_own")
                moved_required = required - getattr(row, required_own)
                moved_done = done - getattr(row, done_own)
                setattr(row, required_own, required)
                setattr(row, done_own, done)
                for path in (*ancestor_paths(org.path), org.path):
                    above = by_key.get((path, year, basis))
                    if above is not None:
                        _bump(
                            above, CoverageTally.column(list_type, "required_sub"), moved_required
                        )
                        _bump(above, CoverageTally.column(list_type, "done_sub"), moved_done)
    fields = [CoverageTally.column(t, m) for t in ORDER for m in CoverageTally.MEASURES]
    CoverageTally.objects.bulk_update(rows, fields, batch_size=500)
    transaction.on_commit(coverage.invalidate)


def _bump(row: CoverageTally, field: str, by: int) -> None:
    setattr(row, field, getattr(row, field) + by)


def _own_counts(
    orgs: dict[int, Org], wanted: dict[int, set[Key]]
) -> dict[int, dict[Key, dict[str, tuple[int, int]]]]:
    """(required, done) per type of each org's own level per year and date: a few orgs only."""
    ids = list(orgs)
    years = {year for keys in wanted.values() for year, _ in keys}
    done_lists = DutyList.objects.filter(org_id__in=ids, year__in=years, in_force=True).exclude(
        list_type=ListType.SUPERVISORY
    )
    # A collective list has no person: the stubs type the nullable key as a plain int.
    done_holders: set[tuple[int, str, int, int | None]] = set(
        done_lists.values_list("year", "list_type", "org_id", "person_id")
    )
    bodies = list(DisciplineBody.objects.filter(org_id__in=ids).values_list("pk", "org_id"))
    done_bodies = set(
        DutyList.objects.filter(
            discipline_body_id__in=[pk for pk, _ in bodies],
            year__in=years,
            list_type=ListType.SUPERVISORY,
            in_force=True,
        ).values_list("year", "discipline_body_id")
    )
    kinds = {kind: t for t, ks in PERSON_KINDS.items() for kind in ks}
    posts: dict[int, list[tuple[int, str, date, date | None]]] = defaultdict(list)
    for org_id, person_id, kind, start, end in Position.objects.filter(
        org_id__in=ids, kind__in=list(kinds)
    ).values_list("org_id", "person_id", "kind", "start_date", "end_date"):
        posts[org_id].append((person_id, kind, start, end))
    bodies_at: dict[int, list[int]] = defaultdict(list)
    for pk, org_id in bodies:
        bodies_at[org_id].append(pk)
    counts: dict[int, dict[Key, dict[str, tuple[int, int]]]] = {}
    for pk, keys in wanted.items():
        org = orgs[pk]
        unit_done = {year: (year, ListType.COLLECTIVE, pk, None) in done_holders for year in years}
        counts[pk] = {}
        for year, basis in keys:
            on = basis.on
            kinds_required = unit_kinds(basis.covers_units_without_committee)
            unit = int(org.kind in kinds_required and org.is_active)
            tally: dict[str, list[int]] = {t: [0, 0] for t in ORDER}
            tally[ListType.COLLECTIVE] = [unit, unit * unit_done[year]]
            for person_id, kind, start, end in posts[pk]:
                if start <= on and (end is None or end >= on):
                    t = kinds[kind]
                    tally[t][0] += 1
                    tally[t][1] += (year, t, pk, person_id) in done_holders
            for body_id in bodies_at[pk]:
                tally[ListType.SUPERVISORY][0] += 1
                tally[ListType.SUPERVISORY][1] += (year, body_id) in done_bodies
            counts[pk][(year, basis)] = {t: (r, d) for t, (r, d) in tally.items()}
    return counts
