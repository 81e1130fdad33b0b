"""What the scale benchmarks share: each run in its own process, plans, the report.

bench/coverage.py, bench/indicators.py and bench/dashboard.py each build a city
(SQLite) and a province (PostgreSQL) with bench/measure.py, measure the database
in a process of their own (Django's settings are per process), and print one
Markdown table; the JSON and the query plans go to bench/out/.
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import measure
import run

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def child(command: list[str]) -> dict[str, Any]:
    """Run one of our scripts; the last line it prints is its JSON result."""
    # Our own scripts with fixed arguments; stderr streams the progress through.
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)  # noqa: S603
    return json.loads(done.stdout.strip().splitlines()[-1])


@contextmanager
def scratch_var_dir(prefix: str) -> Iterator[None]:
    """A var/ of its own for this process, removed afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    # Keeps the huey file and the cache the settings create out of the project's var/.
    os.environ["LIANGZE_VAR_DIR"] = str(workdir)
    # Production settings refuse to start without a key; a measurement signs nothing kept.
    os.environ.setdefault("LIANGZE_SECRET_KEY", secrets.token_urlsafe(50))
    try:
        yield
    finally:
        shutil.rmtree(workdir)


def explain(sql: str, params: Any = None) -> str:
    """The plan: executed with buffers on PostgreSQL, the query plan on SQLite."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def each_run(
    args: argparse.Namespace, pg_database: str, measure_one: Callable[[dict[str, Any]], Any]
) -> list[tuple[str, Any]]:
    """Build run.RUNS' databases (or the --only one) with measure.py and measure each.

    `measure_one` gets measure.py's result (url, workdir, counts); the database is
    dropped afterwards unless --keep.
    """
    results = []
    for key, (db, scale, title) in run.RUNS.items():
        if args.only and key != args.only:
            continue
        command = [sys.executable, str(HERE / "measure.py"), "--db", db, "--scale", scale]
        command += ["--repeat", "1", "--keep", "--pg-admin", args.pg_admin]
        command += ["--pg-database", pg_database]
        if scale == "province" and args.fraction != 1.0:
            command += ["--fraction", str(args.fraction)]
            title += f"（{args.fraction:.0%}）"
        orgs = child(command)
        try:
            result = measure_one(orgs)
        finally:
            if args.keep:
                measure.log(f"kept {orgs['url']}")
            else:
                if db == "postgres":
                    measure.drop_postgres(args.pg_admin, pg_database)
                shutil.rmtree(orgs["workdir"])
                measure.log(f"dropped {orgs['url']}")
        results.append((title, result))
    return results


def report(
    name: str,
    results: list[tuple[str, dict[str, Any]]],
    rows: list[tuple[str, Any]],
    *,
    print_plans: bool = False,
) -> None:
    """Print the table (and with `print_plans` the plans); write them to bench/out/."""
    OUT.mkdir(exist_ok=True)
    # Merged with earlier runs, so measuring one kept database keeps the other's results.
    saved_path = OUT / f"{name}.json"
    saved = json.loads(saved_path.read_text()) if saved_path.exists() else {}
    saved |= {title: {k: v for k, v in r.items() if k != "explain"} for title, r in results}
    saved_path.write_text(json.dumps(saved, ensure_ascii=False, indent=1))
    markdown = run.table(results, rows)
    load = os.getloadavg()
    markdown += f"\n\nLoad average at the end: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"
    print(markdown)
    for title, result in results:
        for plan_name, plan in result["explain"].items():
            (OUT / f"explain-{name}-{result['label']}-{plan_name}.txt").write_text(plan + "\n")
            if print_plans:
                print(f"\n### {title}: EXPLAIN {plan_name}\n```\n{plan}\n```")


def report_one(name: str, result: dict[str, Any], rows: list[tuple[str, Any]], **kw: Any) -> None:
    """The report of one database measured by --database-url."""
    report(name, [(f"{result['label']} · {result['database']}", result)], rows, **kw)
