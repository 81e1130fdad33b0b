"""全覆盖 at scale: the coverage roll-up (LIST-6) over a list for every leader; see bench/README.md.

    .venv/bin/python bench/coverage.py                    # the city on SQLite, then the province
    .venv/bin/python bench/coverage.py --only city        # the SQLite run alone, about a minute
    .venv/bin/python bench/coverage.py --fraction 0.25    # a quarter of the province
    .venv/bin/python bench/coverage.py --database-url postgres://postgres@127.0.0.1:5432/NAME

Orgs, people, positions and discipline bodies come from bench/measure.py, run
with --keep; with --database-url, from a database already loaded that way (its
lists are loaded once and reused, nothing is dropped). On it this issues the
通州 catalogue for 2026 (deadline 2月14日), writes one list for every holder that
liangze.duties.coverage.queries counts as required, with one item per catalogue entry
of the list's type, and times the roll-up the coverage page runs.

Each database is measured in a process of its own (Django's settings are per
process), which prints one JSON object with --json; this prints the Markdown
table and writes the JSON and the query plans to bench/out/.
"""

import argparse
import json
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from pathlib import Path
from random import Random
from time import perf_counter
from typing import Any

import harness
import measure
import run

# Not measure.py's liangze_bench: a `make bench` started meanwhile would drop that one.
PG_DATABASE = "liangze_coverage"
YEAR = 2026
DEADLINE = date(YEAR, 2, 14)
LIST_BATCH = 10_000  # lists per transaction; their items (up to 140,000) stream through COPY
CHUNK = 10_000  # rows per fetch when reading the holders
PAGE = measure.PAGE

# ≈ 70 % done (accepted or published); the rest still in the workflow.
STATUSES = ("published", "accepted", "submitted", "returned", "draft")
STATUS_CUM_WEIGHTS = (40, 70, 82, 88, 100)
SIGNED = {"published", "accepted", "submitted", "returned"}
DEPARTMENTS = ("党政办", "组织办", "纪委", "宣传办", "")

LIST_COLUMNS = (
    "id",
    "code",
    "org_id",
    "year",
    "list_type",
    "person_id",
    "discipline_body_id",
    "holder_key",
    "catalogue_id",
    "version",
    "previous_id",
    "is_current",
    "in_force",
    "status",
    "filled_on",
    "discussed_on",
    "discussion_meeting",
    "discussion_attendees",
    "digest",
    "signed_at",
    "sealed",
    "submitted_at",
    "deadline",
    "published_at",
    "publish_range",
    "similarity",
    "template_similarity",
    "twin_id",
    "created_at",
    "updated_at",
)
ITEM_COLUMNS = (
    "id",
    "duty_list_id",
    "entry_id",
    "seq",
    "name",
    "task",
    "responsible_id",
    "department",
    "q1",
    "q2",
    "q3",
    "q4",
)
# One database, in this process ----------------------------------------------


def _check_columns(model: Any, columns: tuple[str, ...]) -> None:
    """A column added to the model must show up here, not as a NOT NULL error halfway."""
    actual = {f.attname for f in model._meta.concrete_fields}
    if actual != set(columns):
        raise SystemExit(f"{model.__name__} columns changed: {sorted(actual ^ set(columns))}")


def _holders(root: Any, on: date) -> Iterator[tuple[str, int, int | None, int | None]]:
    """(list type, org, person, discipline body) of every list coverage() counts as required.

    Read through coverage.py's own querysets, so the two cannot drift apart.
    """
    from liangze.duties.coverage import queries as coverage
    from liangze.duties.models import ListType

    units = coverage.required_units(root).order_by("id").values_list("id", flat=True)
    for org_id in units.iterator(CHUNK):
        yield ListType.COLLECTIVE, org_id, None, None
    for list_type in coverage.PERSON_KINDS:
        # One list per person and unit, however many current posts of the kinds they hold there.
        people = (
            coverage.required_positions(root, list_type, on)
            .order_by("org_id", "person_id")
            .values_list("org_id", "person_id")
            .distinct()
        )
        for org_id, person_id in people.iterator(CHUNK):
            yield list_type, org_id, person_id, None
    bodies = coverage.required_bodies(root).order_by("id").values_list("org_id", "id")
    for org_id, body_id in bodies.iterator(CHUNK):
        yield ListType.SUPERVISORY, org_id, None, body_id


def _holder_key(person_id: int | None, body_id: int | None) -> str:
    # DutyList.compute_holder_key's rule, without building a model per row; checked after the load.
    if person_id is not None:
        return f"p{person_id}"
    return f"d{body_id}" if body_id is not None else ""


class ListWriter:
    """Makes the rows of each batch of holders; ids are handed out in order, codes seeded."""

    def __init__(self, catalogue: Any, rng: Random, first_list: int, first_item: int) -> None:
        from liangze.demo import duties as demo

        self.catalogue_id = catalogue.pk
        self.entries: dict[str, list[tuple[int, int, str]]] = {}
        for entry in catalogue.entries.order_by("list_type", "seq"):
            self.entries.setdefault(entry.list_type, []).append((entry.pk, entry.seq, entry.name))
        self.rng = rng
        self.next_list, self.next_item = first_list, first_item
        # Short texts from the demo's phrase banks: the roll-up never reads them, so they
        # only need to give the item table a plausible width.
        self.tasks = [f"{o}{a}" for o in demo.OPENERS for a in demo.ACTIONS]
        self.measures = [[f + t for t in demo.TARGETS] for f in demo.QUARTER_FOCUS]
        self.types: Counter[str] = Counter()
        self.items = 0

    def _moment(self, day: date) -> datetime:
        return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
            minutes=self.rng.randrange(60, 600)
        )

    def list_row(self, holder: tuple[str, int, int | None, int | None]) -> tuple[Any, ...]:
        list_type, org_id, person_id, body_id = holder
        rng = self.rng
        status = rng.choices(STATUSES, cum_weights=STATUS_CUM_WEIGHTS)[0]
        signed = status in SIGNED
        filled = date(YEAR, 1, rng.randint(5, 20))
        discussed = filled + timedelta(days=rng.randint(1, 5)) if signed else None
        signed_at = self._moment(discussed + timedelta(days=1)) if discussed else None
        submitted_at = signed_at + timedelta(days=rng.randint(0, 3)) if signed_at else None
        published_at = (
            submitted_at + timedelta(days=rng.randint(3, 10))
            if submitted_at and status == "published"
            else None
        )
        created_at = self._moment(filled)
        list_id = self.next_list
        self.next_list += 1
        self.types[list_type] += 1
        return (
            list_id,
            uuid.UUID(int=rng.getrandbits(128), version=4),
            org_id,
            YEAR,
            list_type,
            person_id,
            body_id,
            _holder_key(person_id, body_id),
            self.catalogue_id,
            1,
            None,
            True,
            status == "published",
            status,
            filled,
            discussed,
            "党委（党组）会议" if signed else "",
            "全体班子成员" if signed else "",
            # A stand-in of the SM3 digest's width: nothing here verifies signatures.
            f"{rng.getrandbits(256):064x}" if signed else "",
            signed_at,
            signed and list_type == "collective",
            submitted_at,
            DEADLINE,
            published_at,
            "subtree" if published_at else "",
            None,
            None,
            None,
            created_at,
            published_at or submitted_at or created_at,
        )

    def item_rows(self, lists: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        choice = self.rng.choice
        tasks, measures = self.tasks, self.measures
        for row in lists:
            list_id, list_type, person_id = row[0], row[4], row[5]
            # A personal list's items are the holder's own; the others' responsible person
            # is left empty rather than probing 5.6 million people per item.
            for entry_id, seq, name in self.entries[list_type]:
                yield (
                    self.next_item,
                    list_id,
                    entry_id,
                    seq,
                    name,
                    choice(tasks),
                    person_id,
                    choice(DEPARTMENTS),
                    choice(measures[0]),
                    choice(measures[1]),
                    choice(measures[2]),
                    choice(measures[3]),
                )
                self.next_item += 1
                self.items += 1


def load_lists(root: Any, catalogue: Any, seed: int) -> dict[str, Any]:
    """Write the lists and items of every required holder, one transaction per batch."""
    from django.db import transaction
    from django.db.models import Max

    from liangze.core.bulk import reset_sequences, write_rows
    from liangze.duties.coverage import queries as coverage
    from liangze.duties.models import DutyItem, DutyList

    _check_columns(DutyList, LIST_COLUMNS)
    _check_columns(DutyItem, ITEM_COLUMNS)
    rng = Random(seed)
    last_list = DutyList.objects.aggregate(m=Max("id"))["m"] or 0
    last_item = DutyItem.objects.aggregate(m=Max("id"))["m"] or 0
    writer = ListWriter(catalogue, rng, last_list + 1, last_item + 1)
    on = coverage.reference_date(root, YEAR)
    holders = _holders(root, on)
    started = last_report = perf_counter()
    cpu_started = measure.cpu_seconds()
    while batch := list(islice(holders, LIST_BATCH)):
        lists = [writer.list_row(h) for h in batch]
        with transaction.atomic():
            write_rows(DutyList, LIST_COLUMNS, lists)
            write_rows(DutyItem, ITEM_COLUMNS, writer.item_rows(lists))
        if perf_counter() - last_report >= 30:
            last_report = perf_counter()
            written = writer.next_list - 1 - last_list
            rate = (written + writer.items) / (last_report - started)
            measure.log(
                f"[lists] {last_report - started:6.0f}s  lists {written:,}"
                f"  items {writer.items:,}  rows/s {rate:,.0f}"
            )
    reset_sequences([DutyList, DutyItem])
    seconds = perf_counter() - started
    total = sum(writer.types.values())
    for list_type in writer.types:
        first = DutyList.objects.filter(catalogue=catalogue, list_type=list_type).first()
        if first is None or first.holder_key != first.compute_holder_key():
            raise SystemExit(f"holder_key of a {list_type} list disagrees with the model")
    return {
        "on": on.isoformat(),
        "lists": total,
        "items": writer.items,
        "types": dict(writer.types),
        "load_seconds": seconds,
        "load_cpu_seconds": measure.cpu_seconds() - cpu_started,
        "rows_per_second": (total + writer.items) / seconds,
    }


def measure_database(url: str, repeat: int, seed: int) -> dict[str, Any]:
    measure.setup_django(url)
    from django.core.cache import cache
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from liangze.demo import duties as demo
    from liangze.duties import services
    from liangze.duties.coverage import queries as coverage
    from liangze.duties.coverage import tallies
    from liangze.duties.models import CoverageTally, DutyItem, DutyList, ListType, Review
    from liangze.orgs.models import Org, OrgLevel

    vendor = connection.vendor
    root = Org.objects.get(depth=1)
    # The seeded catalogue, adopted by the root for the year: what an operator would issue.
    # Issuing it counts the tallies of the whole tree (no lists yet on a first run).
    started = perf_counter()
    catalogue = demo.issued_catalogue(root, YEAR)
    issue_seconds = perf_counter() - started
    if catalogue.submit_deadline != DEADLINE:
        raise SystemExit(f"the {YEAR} catalogue's deadline is {catalogue.submit_deadline}")
    loaded: dict[str, Any] = {}
    if DutyList.objects.filter(catalogue=catalogue).exists():
        measure.log(f"[lists/{vendor}] lists already loaded; measuring only")
    else:
        measure.log(f"[lists/{vendor}] writing lists for every required holder")
        loaded = load_lists(root, catalogue, seed)
        measure.log(f"[lists/{vendor}] {loaded['lists']:,} lists in {loaded['load_seconds']:.0f}s")
    # Freshly copied tables have no visibility map until autovacuum's insert threshold
    # comes round; vacuum now so the timings don't depend on when it does.
    started = perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if vendor == "postgresql" else "ANALYZE")
    vacuum_seconds = perf_counter() - started
    # The lists were written behind the services' backs: count the tallies again, whole,
    # as `manage.py rebuild_coverage --year 2026` does.
    started = perf_counter()
    tally_rows = tallies.rebuild(YEAR)
    rebuild_seconds = perf_counter() - started
    measure.log(f"[lists/{vendor}] tallies rebuilt: {tally_rows:,} rows in {rebuild_seconds:.1f}s")
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) duties_coveragetally" if vendor == "postgresql" else "ANALYZE"
        )

    city = measure.middle_org(OrgLevel.CITY)
    county = measure.middle_org(OrgLevel.COUNTY)
    principal = ListType.PRINCIPAL

    def computed(org: Org) -> Any:
        # coverage() caches its result (in this process's memory): clear it so each call computes.
        cache.clear()
        report = coverage.coverage(org, YEAR)
        if report.computed_at is None:
            raise SystemExit(f"no tallies for {org.name}: the roll-up was computed live")
        return report

    # A submitted principal list of a branch: accepting it moves the tallies of its whole path.
    submitted = (
        DutyList.objects.filter(catalogue=catalogue, list_type=principal, status="submitted")
        .select_related("org")
        .order_by("-org__depth", "id")
        .first()
    )

    def accept() -> int:
        # The service as the reviewer runs it, rolled back so every round accepts the same list.
        with transaction.atomic():
            services.duty_list_review(
                actor=None, duty_list=submitted, verdict=Review.Verdict.ACCEPTED
            )
            done = CoverageTally.objects.get(org=root, year=YEAR).principal_done_sub
            transaction.set_rollback(True)
        submitted.refresh_from_db()
        return done

    def missing_page(number: int, *, seek: bool = True) -> list[tuple[str, str]]:
        # As the page reads it: through the roll-up's count and, deep in, the tallies' seek.
        start = (number - 1) * PAGE
        if seek:
            rows = coverage.missing_counted(coverage.coverage(root, YEAR), principal)
            return [(p.org.name, p.person.name) for p in rows[start : start + PAGE]]
        plain = coverage.missing(root, YEAR, principal)[start : start + PAGE]
        return [(p.org.name, p.person.name) for p in plain]

    measured = {
        "coverage_root": lambda: computed(root),
        # Straight after the computed ones: the last of them left the root in the cache.
        "coverage_root_cached": lambda: coverage.coverage(root, YEAR),
        "coverage_city": lambda: computed(city),
        "coverage_county": lambda: computed(county),
        "missing_page": lambda: missing_page(1),
        "missing_page_deep": lambda: missing_page(1000),
        "missing_page_deep_offset": lambda: missing_page(1000, seek=False),
        "missing_count": lambda: coverage.missing(root, YEAR, principal).count(),
        "accept": accept,
        "items_count": DutyItem.objects.count,
    }
    timings: dict[str, float] = {}
    results: dict[str, Any] = {}
    for name, fn in measured.items():
        timings[name], results[name] = measure.median_seconds(fn, repeat)
        measure.log(f"[lists/{vendor}] {name:16} {timings[name] * 1000:9.1f} ms")

    if results["missing_page_deep"] != results["missing_page_deep_offset"]:
        raise SystemExit("page 1,000 of the missing differs between the seek and OFFSET")
    # The tallies must say what the live roll-up says, at every level measured.
    for role, org in (("root", root), ("city", city), ("county", county)):
        started = perf_counter()
        live = coverage._coverage(org, YEAR)
        timings[f"live_{role}"] = perf_counter() - started
        stored = computed(org)
        if (live.own, live.rows, live.total) != (stored.own, stored.rows, stored.total):
            raise SystemExit(f"tallies and the live roll-up disagree at {org.name}")
        measure.log(f"[lists/{vendor}] live {role:10} {timings[f'live_{role}']:9.3f} s")

    # The SQL as run, each plan under its query: the tallies read at the root, the missing
    # list's pages and count, and one zone of the rebuild (run again, rolled back).
    statements: dict[str, str] = {}
    names = ("coverage_root", "missing_page", "missing_page_deep", "missing_page_deep_offset")
    for name in (*names, "missing_count"):
        with CaptureQueriesContext(connection) as captured:
            measured[name]()
        statements[name] = captured.captured_queries[-1]["sql"]
    explain = {name: f"{sql}\n\n{harness.explain(sql)}" for name, sql in statements.items()}
    with transaction.atomic():
        zone = tallies.zones(YEAR)[0]
        CoverageTally.objects.filter(year=YEAR, as_of=zone.on).delete()
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        deepest = Org.objects.order_by("-depth").values_list("depth", flat=True).first() or 1
        sql, params = tallies._insert_sql(
            list(zone.roots), deepest, YEAR, zone.on, datetime.now(UTC)
        )
        explain["rebuild"] = f"{sql}\n-- {params!r}\n\n{harness.explain(sql, params)}"
        transaction.set_rollback(True)

    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(
                "SELECT pg_database_size(current_database()),"
                " pg_total_relation_size(%s) + pg_total_relation_size(%s)",
                [DutyList._meta.db_table, DutyItem._meta.db_table],
            )
            size, list_bytes = cursor.fetchone()
        else:
            size, list_bytes = Path(connection.settings_dict["NAME"]).stat().st_size, None

    report = results["coverage_root"]
    return {
        "database": vendor,
        "label": root.level,  # city or province: names the plan files
        "root": root.name,
        "city": city.name,
        "county": county.name,
        "lists": DutyList.objects.filter(catalogue=catalogue).count(),
        "items": results["items_count"],
        "loaded": loaded,
        "vacuum_seconds": vacuum_seconds,
        "peak_rss_mb": measure.peak_rss_mb(),
        "database_bytes": size,
        "list_bytes": list_bytes,
        "root_required": report.total.total.required,
        "root_done": report.total.total.done,
        "missing_principal": results["missing_count"],
        "issue_seconds": issue_seconds,
        "rebuild_seconds": rebuild_seconds,
        "tally_rows": tally_rows,
        "timings": timings,
        "explain": explain,
    }


# The table ------------------------------------------------------------------


def _ms(name: str) -> Any:
    return lambda r: f"{r['timings'][name] * 1000:,.1f} ms"


def _loaded(name: str, fmt: str, unit: str) -> Any:
    return lambda r: f"{r['loaded'][name]:{fmt}} {unit}" if r["loaded"] else "(loaded before)"


def _page(result: dict[str, Any]) -> str:
    # The page counts the missing from the roll-up's figures, not with a COUNT query.
    t = result["timings"]
    return f"{(t['coverage_root'] + t['missing_page']) * 1000:,.1f} ms"


def _seconds(name: str) -> Any:
    return lambda r: f"{r[name]:,.1f} s" if name in r else "—"


ROWS: list[tuple[str, Any]] = [
    ("组织 orgs", lambda r: f"{r['orgs']['orgs']:,}" if "orgs" in r else "—"),
    ("人员 people", lambda r: f"{r['orgs']['people']:,}" if "orgs" in r else "—"),
    (
        "清单 lists: collective / principal / member / supervisory",
        # In the order they were written: ListType's.
        lambda r: (
            " / ".join(f"{n:,}" for n in r["loaded"]["types"].values())
            if r["loaded"]
            else f"{r['lists']:,}"
        ),
    ),
    ("清单事项 list items", lambda r: f"{r['items']:,}"),
    ("accepted or published", lambda r: f"{r['root_done'] / r['root_required']:.1%}"),
    ("list load, total", _loaded("load_seconds", ",.1f", "s")),
    ("… CPU time of the loader process", _loaded("load_cpu_seconds", ",.1f", "s")),
    ("list load rate", _loaded("rows_per_second", ",.0f", "rows/s")),
    ("VACUUM ANALYZE (SQLite: ANALYZE) after load", lambda r: f"{r['vacuum_seconds']:,.1f} s"),
    ("peak memory: list load and queries (RSS)", lambda r: f"{r['peak_rss_mb']:,.0f} MB"),
    ("database size", lambda r: f"{r['database_bytes'] / 2**20:,.0f} MB"),
    (
        "… of which lists and items",
        lambda r: f"{r['list_bytes'] / 2**20:,.0f} MB" if r["list_bytes"] else "—",
    ),
    ("catalogue issued at the root (tallies counted, no lists yet)", _seconds("issue_seconds")),
    ("tallies: full rebuild after the load", _seconds("rebuild_seconds")),
    (
        "… rows written (PostgreSQL counts them)",
        lambda r: f"{r['tally_rows']:,}" if r.get("tally_rows") else "—",
    ),
    ("coverage roll-up at the root, from tallies", _ms("coverage_root")),
    ("… the same, cached", _ms("coverage_root_cached")),
    ("coverage roll-up at one city, from tallies", _ms("coverage_city")),
    ("coverage roll-up at one county, from tallies", _ms("coverage_county")),
    ("coverage roll-up at the root, live (once, to compare)", _ms("live_root")),
    ("missing principal lists: first page of 50", _ms("missing_page")),
    ("missing principal lists: page 1,000, found through the tallies", _ms("missing_page_deep")),
    ("… the same page by OFFSET", _ms("missing_page_deep_offset")),
    ("missing principal lists: COUNT (the page no longer runs it)", _ms("missing_count")),
    ("coverage page at the root, not cached (roll-up + page)", _page),
    ("accept one list (review service, tallies moved)", _ms("accept")),
    ("DutyItem count", _ms("items_count")),
]


# The runs -------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=sorted(run.RUNS), help="one run instead of both")
    parser.add_argument("--fraction", type=float, default=1.0, help="share of the province")
    parser.add_argument("--repeat", type=int, default=5, help="timings are the median of this")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--pg-admin", default=measure.PG_ADMIN, help="where to create from")
    parser.add_argument("--database-url", help="measure this loaded database instead")
    parser.add_argument("--json", action="store_true", help="with --database-url: print JSON")
    args = parser.parse_args()

    if args.database_url:
        with harness.scratch_var_dir("liangze-coverage-"):
            result = measure_database(args.database_url, args.repeat, args.seed)
        if args.json:
            print(json.dumps(result, ensure_ascii=False))
        else:
            harness.report_one("coverage", result, ROWS, print_plans=True)
        return

    def measure_one(orgs: dict[str, Any]) -> dict[str, Any]:
        result = harness.child(
            [sys.executable, __file__, "--database-url", orgs["url"], "--json"]
            + ["--repeat", str(args.repeat), "--seed", str(args.seed)]
        )
        return {**result, "orgs": orgs["counts"]}

    harness.report(
        "coverage", harness.each_run(args, PG_DATABASE, measure_one), ROWS, print_plans=True
    )


if __name__ == "__main__":
    main()
