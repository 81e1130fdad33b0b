"""Scale benchmark: a city on SQLite and a province on PostgreSQL; see bench/README.md.

    .venv/bin/python bench/run.py                    # both runs, about 20 minutes
    .venv/bin/python bench/run.py --only city        # the SQLite run alone, under a minute
    .venv/bin/python bench/run.py --fraction 0.25    # a quarter of the province
    .venv/bin/python bench/run.py --only burst       # the deadline-day burst alone

Each run is bench/measure.py in its own process (settings are per process);
this prints their results as one Markdown table and writes them, with the
PostgreSQL query plans, to bench/out/. Then bench/burst.py (200 clerks submitting
activities with evidence at once, production mode on PostgreSQL and Redis) prints its own.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"

RUNS = {
    "city": ("sqlite", "city", "市 · SQLite"),
    "province": ("postgres", "province", "省 · PostgreSQL"),
}

# (label, how to read it from a result)
ROWS: list[tuple[str, Any]] = [
    ("组织 orgs", lambda r: f"{r['counts']['orgs']:,}"),
    ("人员 people", lambda r: f"{r['counts']['people']:,}"),
    ("职务 positions", lambda r: f"{r['counts']['positions']:,}"),
    ("纪检机构 discipline bodies", lambda r: f"{r['counts']['bodies']:,}"),
    ("rows written (incl. M2M links)", lambda r: f"{r['counts']['rows']:,}"),
    ("load, total", lambda r: f"{r['load_seconds']:,.1f} s"),
    ("… of which generating rows", lambda r: f"{r['generate_seconds']:,.1f} s"),
    ("load rate", lambda r: f"{r['rows_per_second']:,.0f} rows/s"),
    ("ANALYZE after load", lambda r: f"{r['analyze_seconds']:,.1f} s"),
    ("peak memory of the loader (RSS)", lambda r: f"{r['peak_rss_mb']:,.0f} MB"),
    ("database size", lambda r: f"{r['database_bytes'] / 2**20:,.0f} MB"),
    ("subtree count at the root", lambda r: _ms(r, "subtree_root")),
    ("subtree count at one county", lambda r: _ms(r, "subtree_county")),
    ("county secretary: scope (2 queries)", lambda r: _ms(r, "scope")),
    ("visible orgs: count", lambda r: _ms(r, "visible_count")),
    ("visible orgs: first page of 50", lambda r: _ms(r, "visible_page")),
    ("people list: first page of 50", lambda r: _ms(r, "people_page")),
    ("people list: paginator count", lambda r: _ms(r, "people_count")),
    ("whole tree (system admin): people page", lambda r: _ms(r, "everyone_page")),
    ("whole tree (system admin): people count", lambda r: _ms(r, "everyone_count")),
    ("one county: orgs / people", lambda r: _county(r)),
]


def _ms(result: dict[str, Any], name: str) -> str:
    return f"{result['timings'][name] * 1000:,.1f} ms"


def _county(result: dict[str, Any]) -> str:
    return f"{result['counts']['county_orgs']:,} / {result['counts']['county_people']:,}"


def table(results: list[tuple[str, dict[str, Any]]], rows: list[tuple[str, Any]] = ROWS) -> str:
    header = "| | " + " | ".join(title for title, _ in results) + " |"
    lines = [header, "|---" * (len(results) + 1) + "|"]
    for label, read in rows:
        lines.append(f"| {label} | " + " | ".join(read(r) for _, r in results) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=sorted([*RUNS, "burst"]), help="one run instead of all")
    parser.add_argument("--fraction", type=float, default=1.0, help="share of the province")
    parser.add_argument("--repeat", type=int, default=5, help="timings are the median of this")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = parser.parse_args()

    results = []
    for key, (db, scale, title) in RUNS.items():
        if args.only and key != args.only:
            continue
        command = [sys.executable, str(HERE / "measure.py"), "--db", db, "--scale", scale]
        command += ["--repeat", str(args.repeat)]
        if scale == "province" and args.fraction != 1.0:
            command += ["--fraction", str(args.fraction)]
            title += f"（{args.fraction:.0%}）"
        if args.keep:
            command.append("--keep")
        # Our own script with fixed arguments; stderr streams the progress through.
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)  # noqa: S603
        results.append((title, json.loads(done.stdout.strip().splitlines()[-1])))

    if results:
        scale_report(results)
    if args.only in (None, "burst"):
        # Our own script; its last line is the JSON result, the table comes before it.
        done = subprocess.run(  # noqa: S603
            [sys.executable, str(HERE / "burst.py")], stdout=subprocess.PIPE, text=True, check=True
        )
        print("\n## 申报截止日高峰 / deadline-day burst (bench/burst.py)\n")
        print(done.stdout.strip().rsplit("\n", 1)[0])


def scale_report(results: list[tuple[str, dict[str, Any]]]) -> None:
    OUT.mkdir(exist_ok=True)
    (OUT / "scale.json").write_text(json.dumps(dict(results), ensure_ascii=False, indent=1))
    markdown = table(results)
    load = os.getloadavg()
    markdown += f"\n\nLoad average at the end: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"
    print(markdown)
    for title, result in results:
        for name, plan in result["explain"].items():
            (OUT / f"explain-{result['scale']}-{name}.txt").write_text(plan + "\n")
            print(f"\n### {title}: EXPLAIN {name}\n```\n{plan}\n```")


if __name__ == "__main__":
    main()
