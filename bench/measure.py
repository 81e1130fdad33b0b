"""One benchmark run: a fresh database, the demo generator at one scale, timed queries.

    .venv/bin/python bench/measure.py --db postgres --scale province [--fraction 0.25] [--keep]
    .venv/bin/python bench/measure.py --db sqlite --scale city

With --keep the result also says where the database is (`url`, and `workdir`
holding the SQLite file); bench/coverage.py builds on a database kept this way.

Prints progress on stderr and one JSON object on stdout; bench/run.py runs this
once per database (Django's settings are fixed per process) and makes the table.
"""

import argparse
import json
import os
import resource
import secrets
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from time import perf_counter
from typing import Any

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_DATABASE = "liangze_bench"
PAGE = 50


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def median_seconds(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The median wall time of `repeat` calls, and the last call's result."""
    samples, result = [], None
    for _ in range(repeat):
        started = perf_counter()
        result = fn()
        samples.append(perf_counter() - started)
    return statistics.median(samples), result


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def cpu_seconds() -> float:
    """CPU time of this process so far: what a load spends in Python rather than the database."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def middle_org(level: str) -> Any:
    """The org of `level` in the middle of the tree in path order.

    Not the first: the demo's own county comes first in path order, where a
    plan that walks the tree from the start finds its rows at once.
    """
    from liangze.orgs.models import Org

    orgs = Org.objects.filter(level=level).order_by("path")
    return orgs[orgs.count() // 2]


# Databases ------------------------------------------------------------------


def create_postgres(admin_url: str, name: str = PG_DATABASE) -> str:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return admin_url.rsplit("/", 1)[0] + "/" + name


def drop_postgres(admin_url: str, name: str = PG_DATABASE) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def setup_django(url: str) -> None:
    """Point Django's settings at `url` and set it up: once per process."""
    os.environ["LIANGZE_DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "liangze.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# The run --------------------------------------------------------------------


def timed_batches(batches: Iterable[Any], clock: dict[str, float]) -> Iterator[Any]:
    """Pass the batches through, adding the time spent generating them to clock["generate"]."""
    iterator = iter(batches)
    while True:
        started = perf_counter()
        try:
            batch = next(iterator)
        except StopIteration:
            return
        clock["generate"] += perf_counter() - started
        yield batch


def run(args: argparse.Namespace, url: str) -> dict[str, Any]:
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection

    from liangze import access
    from liangze.accounts.models import User
    from liangze.demo.orgs import loader, logins
    from liangze.demo.orgs.generator import generate
    from liangze.demo.orgs.rows import Builder
    from liangze.orgs import queries
    from liangze.orgs.models import Org, OrgLevel, Position, PositionKind

    vendor = connection.vendor
    log(f"[{args.scale}/{vendor}] migrating {url}")
    call_command("migrate", verbosity=0)

    builder = Builder(args.seed)
    clock = {"generate": 0.0}
    started = perf_counter()
    last_report = [started]

    def progress(counts: loader.Counts) -> None:
        now = perf_counter()
        if now - last_report[0] >= 30:
            last_report[0] = now
            log(
                f"[{args.scale}/{vendor}] {now - started:6.0f}s  orgs {counts.orgs:,}  "
                f"people {counts.people:,}  rows/s {counts.rows / (now - started):,.0f}"
            )

    batches = timed_batches(generate(builder, args.scale, fraction=args.fraction), clock)
    counts = loader.load(builder, batches, on_batch=progress)
    load_seconds = perf_counter() - started
    logins.create_demo_users(builder)
    analyze_seconds = 0.0
    if vendor == "postgresql":
        # A bulk load leaves the planner without statistics until autovacuum comes round.
        started = perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        analyze_seconds = perf_counter() - started
    log(f"[{args.scale}/{vendor}] loaded {counts.rows:,} rows in {load_seconds:.0f}s")

    root = Org.objects.get(depth=1)
    county = middle_org(OrgLevel.COUNTY)
    principal = Position.objects.get(org=county, kind=PositionKind.PRINCIPAL, end_date=None)
    bench_user = User(username="bench_county_sec", person_id=principal.person_id)
    bench_user.set_unusable_password()
    bench_user.save()
    repeat = args.repeat

    def fresh(username: str) -> User:
        # A new object per request, as in the app, so the scope is computed each time.
        return User.objects.select_related("person").get(username=username)

    secretary = fresh(bench_user.username)
    admin = fresh("sysadmin")
    visible = access.orgs_visible_to(secretary)
    people = queries.people_search(secretary)
    everyone = queries.people_search(admin)

    measured = {
        "subtree_root": lambda: Org.objects.filter(path__startswith=root.path).count(),
        "subtree_county": lambda: Org.objects.filter(path__startswith=county.path).count(),
        "scope": lambda: access.scope_for(fresh(bench_user.username)),
        "visible_count": visible.count,
        "visible_page": lambda: list(visible.order_by("path")[:PAGE]),
        "people_page": lambda: [p.org.name for p in people[:PAGE]],
        "people_count": people.count,
        "everyone_page": lambda: [p.org.name for p in everyone[:PAGE]],
        "everyone_count": everyone.count,
    }
    timings: dict[str, float] = {}
    results: dict[str, Any] = {}
    for name, fn in measured.items():
        timings[name], results[name] = median_seconds(fn, repeat)
        log(f"[{args.scale}/{vendor}] {name:16} {timings[name] * 1000:9.1f} ms")

    explain: dict[str, str] = {}
    if vendor == "postgresql":
        options = {"analyze": True, "buffers": True}
        explain = {
            "subtree_root": Org.objects.filter(path__startswith=root.path).explain(**options),
            "subtree_county": Org.objects.filter(path__startswith=county.path).explain(**options),
            "visible_page": visible.order_by("path")[:PAGE].explain(**options),
            "people_page": people[:PAGE].explain(**options),
            # The rows the paginator's COUNT(*) has to read.
            "people_count": people.order_by().explain(**options),
        }
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
    else:
        size = Path(connection.settings_dict["NAME"]).stat().st_size

    return {
        "scale": args.scale,
        "fraction": args.fraction,
        "database": vendor,
        "counts": {
            "orgs": counts.orgs,
            "bodies": counts.bodies,
            "people": counts.people,
            "positions": counts.positions,
            "links": counts.links,
            "rows": counts.rows,
            "county": county.name,
            "county_orgs": results["subtree_county"],
            "county_people": results["people_count"],
        },
        "load_seconds": load_seconds,
        "generate_seconds": clock["generate"],
        "analyze_seconds": analyze_seconds,
        "rows_per_second": counts.rows / load_seconds,
        "peak_rss_mb": peak_rss_mb(),
        "database_bytes": size,
        "timings": timings,
        "explain": explain,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=("postgres", "sqlite"), required=True)
    parser.add_argument("--scale", choices=("county", "city", "province"), required=True)
    parser.add_argument("--fraction", type=float, default=1.0, help="share of the province")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pg-admin", default=PG_ADMIN, help="URL of a database to create from")
    parser.add_argument("--pg-database", default=PG_DATABASE, help="name of the database to create")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="liangze-bench-"))
    # Keeps the huey file and the cache the settings create out of the project's var/.
    os.environ["LIANGZE_VAR_DIR"] = str(workdir)
    # Production settings refuse to start without a key; a measurement signs nothing kept.
    os.environ.setdefault("LIANGZE_SECRET_KEY", secrets.token_urlsafe(50))
    if args.db == "postgres":
        url = create_postgres(args.pg_admin, args.pg_database)
    else:
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    try:
        result = run(args, url)
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            log(f"kept {url}")
        else:
            if args.db == "postgres":
                drop_postgres(args.pg_admin, args.pg_database)
            shutil.rmtree(workdir)
    if args.keep:
        result.update(url=url, workdir=str(workdir))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
