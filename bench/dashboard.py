"""监督看板 at scale: the dashboard at a county and at the province root, and the weekly snapshot.

    .venv/bin/python bench/dashboard.py --database-url postgres://postgres@127.0.0.1:5432/NAME
    .venv/bin/python bench/dashboard.py --only city             # a city on SQLite, a few minutes
    .venv/bin/python bench/dashboard.py --only province --fraction 0.02 --keep

With --database-url it measures a database already loaded (orgs and people by
bench/measure.py, lists by bench/coverage.py, ledger entries and activities by
whatever loaded them): it migrates the dashboard app (its one table) and, if
missing, the supervision app's (empty) tables the rectification counts read, takes the
weekly snapshot of the whole tree — timed, with the peak memory of the process —
and then times the dashboard's reads, cold (the first call in this process, no
cached roll-up) and as the median of --repeat calls:
- a county, live (the default there) and from the snapshot;
- a city and the province root, from the snapshot (their default);
- the root's ledger cells counted live (SQL only), to show why the root reads snapshots.
Nothing else is written; the snapshot rows of the week are replaced on a re-run.

Without --database-url it builds the database first (bench/measure.py --keep, then
bench/coverage.py for the lists) and, with --synthesize (default there), adds a
light ledger — progress entries for some cells, monthly talks by each principal —
only if the database has none, so the figures are not all zero.

Each database is measured in a process of its own (Django's settings are per
process); the JSON and the PostgreSQL plans go to bench/out/.
"""

import argparse
import json
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path
from random import Random
from time import perf_counter
from typing import Any

import harness
import measure
import run

HERE = Path(__file__).resolve().parent
# Not measure.py's liangze_bench nor coverage.py's: a run of those meanwhile would drop it.
PG_DATABASE = "liangze_dashboard"


# Synthetic ledger (only for databases built here) ----------------------------------------


def synthesize_ledger(on: date, seed: int) -> dict[str, int]:
    """Entries for about 60 % of the due cells and monthly talks by each principal.

    Written only into a database without any: never on top of a real load.
    """
    from django.db import transaction
    from django.utils import timezone

    from liangze.core.periods import quarters
    from liangze.duties.models import DutyItem
    from liangze.ledger.entries.clock import entry_deadline
    from liangze.ledger.entries.rollups import current_lists
    from liangze.ledger.models import Activity, ActivityKind, ProgressEntry
    from liangze.orgs.models import Position, PositionKind

    if ProgressEntry.objects.exists() or Activity.objects.exists():
        measure.log("[ledger] entries or activities present: nothing synthesized")
        return {}
    rng = Random(seed)
    tz = timezone.get_current_timezone()
    due = [q for q in quarters(on.year) if q.start <= on]
    items = DutyItem.objects.filter(duty_list__in=current_lists(on.year)).values_list(
        "pk", flat=True
    )
    entries = 0
    batch: list[ProgressEntry] = []
    for item_id in items.iterator(10_000):
        for quarter in due:
            if rng.random() > 0.6:
                continue
            day = min(on, quarter.end - timedelta(days=rng.randint(0, 20)))
            verified = rng.random() < 0.5 and on > entry_deadline(quarter)
            batch.append(
                ProgressEntry(
                    item_id=item_id,
                    period=str(quarter),
                    text="按计划完成",
                    done_on=day,
                    status="verified" if verified else "submitted",
                    reviewed_at=datetime.combine(day, time(16), tz) if verified else None,
                )
            )
        if len(batch) >= 10_000:
            with transaction.atomic():
                ProgressEntry.objects.bulk_create(batch)
            entries += len(batch)
            batch = []
    ProgressEntry.objects.bulk_create(batch)
    entries += len(batch)
    # auto_now_add stamped today: make each entry as old as its work.
    ProgressEntry.objects.update(entered_at=datetime.combine(on, time(9), tz) - timedelta(days=1))
    talks = 0
    heads = Position.objects.filter(
        kind__in=(PositionKind.PRINCIPAL, PositionKind.BRANCH_SECRETARY), end_date=None
    ).values_list("org_id", "person_id")
    months = [m for m in range(1, on.month + 1)]
    batch_a: list[Activity] = []
    for org_id, person_id in heads.iterator(10_000):
        for month in months:
            if rng.random() < 0.7:
                batch_a.append(
                    Activity(
                        org_id=org_id,
                        kind=ActivityKind.TALK,
                        held_on=date(on.year, month, rng.randint(1, 28)),
                        host_id=person_id,
                        subject="谈心谈话",
                    )
                )
        if len(batch_a) >= 10_000:
            Activity.objects.bulk_create(batch_a)
            talks += len(batch_a)
            batch_a = []
    Activity.objects.bulk_create(batch_a)
    talks += len(batch_a)
    Activity.objects.update(created_at=datetime.combine(date(on.year, 1, 1), time(9), tz))
    measure.log(f"[ledger] synthesized {entries:,} entries and {talks:,} talks")
    return {"entries": entries, "talks": talks}


# One database, in this process ----------------------------------------------------------


def measure_database(
    url: str, on: date, repeat: int, synthesize: bool, seed: int
) -> dict[str, Any]:
    measure.setup_django(url)
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from liangze.dashboard import queries
    from liangze.dashboard.models import WarningSnapshot
    from liangze.dashboard.services import warning_snapshot_take
    from liangze.duties.models import DutyItem
    from liangze.ledger.entries import rollups
    from liangze.ledger.models import Activity, ProgressEntry
    from liangze.orgs.models import Org, OrgLevel

    vendor = connection.vendor
    # The dashboard's table, and supervision's (empty) ones its rectification counts read
    # when the database was loaded before that app existed; nothing else is migrated.
    call_command("migrate", "dashboard", verbosity=0)
    call_command("migrate", "supervision", verbosity=0)
    synthesized = synthesize_ledger(on, seed) if synthesize else {}
    root = Org.objects.get(depth=1)
    county = measure.middle_org(OrgLevel.COUNTY)
    city = measure.middle_org(OrgLevel.CITY) if root.level == OrgLevel.PROVINCE else root
    year = on.year
    sizes = {
        "orgs": Org.objects.count(),
        "items": DutyItem.objects.count(),
        "entries": ProgressEntry.objects.count(),
        "activities": Activity.objects.count(),
        "county_orgs": Org.objects.filter(county.subtree_q()).count(),
    }
    measure.log(f"[dashboard/{vendor}] {sizes}")

    # The weekly job first, so its peak memory is its own and not the queries'.
    rss_before = measure.peak_rss_mb()
    cpu_started = measure.cpu_seconds()
    started = perf_counter()
    counts = warning_snapshot_take(actor=None, on=on)
    snapshot_seconds = perf_counter() - started
    snapshot = {
        "seconds": snapshot_seconds,
        "cpu_seconds": measure.cpu_seconds() - cpu_started,
        "units": counts.units,
        "people": counts.people,
        "batches": counts.batches,
        "colours": dict(counts.colours),
        "rss_before_mb": rss_before,
        "peak_rss_mb": measure.peak_rss_mb(),
    }
    measure.log(f"[dashboard/{vendor}] snapshot: {snapshot}")
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) dashboard_warningsnapshot" if vendor == "postgresql" else "ANALYZE"
        )

    def board(org: Org, source: str | None) -> Any:
        cache.clear()  # the live roll-up is cached a few minutes: each call computes
        return queries.dashboard(None, org, year=year, on=on, source=source)  # type: ignore[arg-type]

    measured = {
        "county_live": lambda: board(county, "live"),
        "county_snapshot": lambda: board(county, "snapshot"),
        "city_snapshot": lambda: board(city, None),
        "root_snapshot": lambda: board(root, None),
        "root_cells_live": lambda: rollups.cells_by_branch(root, year, on),
    }
    cold: dict[str, float] = {}
    timings: dict[str, float] = {}
    query_counts: dict[str, int] = {}
    for name, fn in measured.items():
        started = perf_counter()
        with CaptureQueriesContext(connection) as captured:
            fn()
        cold[name] = perf_counter() - started
        query_counts[name] = len(captured.captured_queries)
        timings[name], _result = measure.median_seconds(fn, repeat)
        measure.log(
            f"[dashboard/{vendor}] {name:16} cold {cold[name] * 1000:9.1f} ms"
            f"  median {timings[name] * 1000:9.1f} ms  {query_counts[name]} queries"
        )

    # The plans of the grouped cell queries, at the county and at the root.
    explain: dict[str, str] = {}
    for label, org in (("county", county), ("root", root)):
        with CaptureQueriesContext(connection) as captured:
            rollups.cells_by_branch(org, year, on)
        for n, q in enumerate(captured.captured_queries, start=1):
            explain[f"cells-{label}-{n}"] = f"{q['sql']}\n\n{harness.explain(q['sql'])}"

    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(
                "SELECT pg_database_size(current_database()), pg_total_relation_size(%s)",
                [WarningSnapshot._meta.db_table],
            )
            size, table_bytes = cursor.fetchone()
        else:
            size, table_bytes = Path(connection.settings_dict["NAME"]).stat().st_size, None
    return {
        "database": vendor,
        "label": root.level,
        "on": on.isoformat(),
        "root": root.name,
        "city": city.name,
        "county": county.name,
        "sizes": sizes,
        "synthesized": synthesized,
        "snapshot": snapshot,
        "snapshot_rows": WarningSnapshot.objects.filter(week=counts.week).count(),
        "database_bytes": size,
        "snapshot_table_bytes": table_bytes,
        "cold": cold,
        "timings": timings,
        "queries": query_counts,
        "explain": explain,
    }


# The table ----------------------------------------------------------------------------------


def _ms(name: str) -> Any:
    return lambda r: (
        f"{r['cold'][name] * 1000:,.0f} / {r['timings'][name] * 1000:,.0f} ms"
        f" ({r['queries'][name]} q)"
    )


ROWS: list[tuple[str, Any]] = [
    ("组织 orgs", lambda r: f"{r['sizes']['orgs']:,}"),
    ("清单事项 list items", lambda r: f"{r['sizes']['items']:,}"),
    ("台账进度 progress entries", lambda r: f"{r['sizes']['entries']:,}"),
    ("工作活动 activities", lambda r: f"{r['sizes']['activities']:,}"),
    ("orgs in the county measured", lambda r: f"{r['sizes']['county_orgs']:,}"),
    ("weekly snapshot: wall time", lambda r: f"{r['snapshot']['seconds']:,.1f} s"),
    ("… CPU time of this process", lambda r: f"{r['snapshot']['cpu_seconds']:,.1f} s"),
    (
        "… rows written (units / people)",
        lambda r: f"{r['snapshot']['units']:,} / {r['snapshot']['people']:,}",
    ),
    ("… batches", lambda r: f"{r['snapshot']['batches']:,}"),
    (
        "… peak memory (RSS) before → after",
        lambda r: f"{r['snapshot']['rss_before_mb']:,.0f} → {r['snapshot']['peak_rss_mb']:,.0f} MB",
    ),
    (
        "… snapshot table size",
        lambda r: (
            f"{r['snapshot_table_bytes'] / 2**20:,.0f} MB" if r["snapshot_table_bytes"] else "—"
        ),
    ),
    ("county dashboard, live: cold / median", _ms("county_live")),
    ("county dashboard, from the snapshot", _ms("county_snapshot")),
    ("city dashboard, from the snapshot", _ms("city_snapshot")),
    ("root dashboard, from the snapshot", _ms("root_snapshot")),
    ("root ledger cells counted live (SQL only)", _ms("root_cells_live")),
    ("database size", lambda r: f"{r['database_bytes'] / 2**20:,.0f} MB"),
]


# The runs -----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="measure this loaded database")
    parser.add_argument("--only", choices=sorted(run.RUNS), help="build and measure one run")
    parser.add_argument("--fraction", type=float, default=1.0, help="share of the province")
    parser.add_argument("--date", help="the day to measure as of (YYYY-MM-DD), default today")
    parser.add_argument("--repeat", type=int, default=3, help="timings are the median of this")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--synthesize",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="add a light ledger where there is none (default: only for databases built here)",
    )
    parser.add_argument("--keep", action="store_true", help="keep a database built here")
    parser.add_argument("--pg-admin", default=measure.PG_ADMIN, help="where to create from")
    parser.add_argument("--pg-database", default=PG_DATABASE, help="name of a database built here")
    parser.add_argument("--json", action="store_true", help="with --database-url: print JSON")
    args = parser.parse_args()
    on = date.fromisoformat(args.date) if args.date else date.today()  # noqa: DTZ011

    if args.database_url:
        with harness.scratch_var_dir("liangze-dashboard-"):
            result = measure_database(
                args.database_url, on, args.repeat, bool(args.synthesize), args.seed
            )
        if args.json:
            print(json.dumps(result, ensure_ascii=False, default=str))
        else:
            harness.report_one("dashboard", result, ROWS)
        return

    def measure_one(orgs: dict[str, Any]) -> dict[str, Any]:
        # The lists, as bench/coverage.py writes them (and measures the coverage roll-up).
        harness.child([sys.executable, str(HERE / "coverage.py"), "--database-url", orgs["url"]]
                      + ["--json", "--repeat", "1"])  # fmt: skip
        synthesize = [] if args.synthesize is False else ["--synthesize"]
        return harness.child(
            [sys.executable, __file__, "--database-url", orgs["url"], "--json"]
            + ["--repeat", str(args.repeat), "--seed", str(args.seed), "--date", on.isoformat()]
            + synthesize
        )

    harness.report("dashboard", harness.each_run(args, args.pg_database, measure_one), ROWS)


if __name__ == "__main__":
    main()
