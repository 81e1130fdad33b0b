"""量化指标 at scale: every figure of every unit and leader for a year; see bench/README.md.

    .venv/bin/python bench/indicators.py                     # the city on SQLite, then the province
    .venv/bin/python bench/indicators.py --only city         # the SQLite run alone, a few minutes
    .venv/bin/python bench/indicators.py --fraction 0.02     # 2 % of the province
    .venv/bin/python bench/indicators.py --database-url postgres://postgres@127.0.0.1:5432/NAME

Orgs, people and positions come from bench/measure.py, run with --keep; with
--database-url, from a database already loaded that way. On it this loads the
quantified rules and a year of activities for the leaders — about 2 talks a
month each with a person of the population they are measured against, the
receptions, lectures and reports, each unit's quarterly hearing meeting (most
with a photo) and half-yearly inspection: over 10 million activities for the
Jiangsu-sized province — through COPY in batches of units, once (a database that
has the year's activities is reused). Then it computes every figure of the year
with liangze.ledger.indicators.batch.stream, units in chunks, in a fresh process,
and reports the wall time, the queries and the peak memory (RSS) of that process.

Each phase runs in a process of its own (Django's settings are per process, and
the peak memory of the computation must not include the load's); with --json a
phase prints one JSON object, without it this prints the Markdown table and
writes the JSON and the query plans of one chunk to bench/out/.
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

# Not measure.py's liangze_bench nor coverage.py's liangze_coverage: each run drops its own.
PG_DATABASE = "liangze_indicators"
YEAR = 2026
LOAD_CHUNK = 2_000  # units per transaction when loading
TALKS_PER_MONTH = (1, 2, 2, 3)  # talks a leader holds in a month: 2 on average, >10 M a province
QUARTERS = ((1, 3), (4, 6), (7, 9), (10, 12))
# The principal's yearly report as the rule wants it (ReportKind, ReportRecipient values;
# Django is set up only after the arguments are read).
FIRST_RESPONSIBLE = "first_responsible"
FIRST_RESPONSIBLE_TO = ["higher_committee", "higher_commission"]


def _days(first: date, last: date) -> list[date]:
    """The weekdays from first to last: enough of a calendar for generated dates."""
    return [
        first + timedelta(days=n)
        for n in range((last - first).days + 1)
        if (first + timedelta(days=n)).weekday() < 5
    ]


class Year:
    """Generates one chunk's rows at a time; ids in order, codes and dates from one Random."""

    def __init__(self, rng: Random, first_activity: int, first_evidence: int) -> None:
        self.rng = rng
        self.next_activity = first_activity
        self.next_evidence = first_evidence
        self.months = [_days(date(YEAR, m, 1), _month_end(m)) for m in range(1, 13)]
        self.counts: Counter[str] = Counter()

    def _code(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _moment(self, day: date) -> datetime:
        return datetime(day.year, day.month, day.day, 1, tzinfo=UTC) + timedelta(
            minutes=self.rng.randrange(600)
        )

    def _day(self, first_month: int, last_month: int) -> date:
        return self.rng.choice(self.rng.choice(self.months[first_month - 1 : last_month]))

    def rows(
        self,
        facts: Any,
        org_ids: list[int],
        rules: dict[str, Any],
        members: dict[int, list[int]],
    ) -> dict[str, list[Any]]:
        """Activities, participants, evidence and links of the chunk's units and leaders.

        A leader talks with the people they are measured against; one measured against
        nobody (a branch secretary without a team or units below) with the unit's members.
        """
        from liangze.ledger.indicators.batch import population

        out: dict[str, list[Any]] = {"activities": [], "people": [], "evidence": [], "links": []}
        rng = self.rng

        def activity(
            org: int, kind: str, day: date, host: int, subject: str, *who: int, report: str = ""
        ) -> int:
            """One activity; a report of the first responsible goes to both recipients."""
            pk = self.next_activity
            self.next_activity += 1
            lag = timedelta(days=rng.choice((0, 0, 1, 2)))
            out["activities"].append(
                (
                    pk,
                    self._code(),
                    org,
                    kind,
                    day,
                    host,
                    subject,
                    "",
                    report,
                    json.dumps(FIRST_RESPONSIBLE_TO if report == FIRST_RESPONSIBLE else []),
                    "",
                    None,
                    self._moment(day + lag),
                )
            )
            out["people"] += [(pk, p) for p in dict.fromkeys(who) if p != host]
            self.counts[kind] += 1
            return pk

        for org in org_ids:
            team = facts.teams.get(org)
            if team is None:
                continue
            everyone = sorted(team.ids)
            for person in everyone:
                is_principal = person in team.principals
                talks = rules["tz2017-principal-talks" if is_principal else "tz2017-member-talks"]
                people = sorted(population(talks, org, person, facts)) or [
                    p for p in members.get(org, everyone) if p != person
                ]
                for month in range(1, 13):
                    count = rng.choice(TALKS_PER_MONTH)
                    for _ in range(count if people else 0):
                        activity(
                            org,
                            "talk",
                            self._day(month, month),
                            person,
                            "谈心谈话",
                            rng.choice(people),
                        )
                for first, last in QUARTERS:
                    if rng.random() < 0.9:
                        activity(org, "reception", self._day(first, last), person, "接访")
                if rng.random() < 0.85:
                    activity(org, "lecture", self._day(1, 12), person, "专题党课", *everyone[:5])
                if is_principal:
                    activity(
                        org,
                        "written_report",
                        self._day(1, 1),
                        person,
                        f"{YEAR - 1}年度履责报告",
                        report=FIRST_RESPONSIBLE,
                    )
                else:
                    for last in (6, 12):
                        activity(
                            org,
                            "written_report",
                            self._day(last - 1, last),
                            person,
                            "履行“一岗双责”情况报告",
                        )
            host = team.principals[0] if team.principals else everyone[0]
            for _first, last in QUARTERS:
                day = self._day(last, last)
                meeting = activity(
                    org, "meeting", day, host, "专题听取“一岗双责”汇报", *everyone[:4]
                )
                if rng.random() < 0.85:
                    pk = self.next_evidence
                    self.next_evidence += 1
                    digest = f"{rng.getrandbits(256):064x}"
                    out["evidence"].append(
                        (
                            pk,
                            self._code(),
                            org,
                            f"evidence/{digest[:2]}/{digest}.png",
                            "会议照片.png",
                            "image/png",
                            2048,
                            digest,
                            None,
                            self._moment(day + timedelta(days=rng.randint(0, 9))),
                            False,
                        )
                    )
                    out["links"].append((meeting, pk))
            for first, last in ((1, 6), (7, 12)):
                if rng.random() < 0.9:
                    activity(org, "inspection", self._day(first, last), host, "专项督查")
        return out


def _month_end(month: int) -> date:
    return (date(YEAR, month, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _chunks(ids: Iterator[int], size: int) -> Iterator[list[int]]:
    while chunk := list(islice(ids, size)):
        yield chunk


# The load phase ---------------------------------------------------------------------------


def load(seed: int) -> dict[str, Any]:
    """Rules, then a year of activities unit chunk by unit chunk, each chunk one transaction."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from liangze.core import bulk
    from liangze.core.models import Evidence
    from liangze.demo import ledger as demo
    from liangze.ledger.indicators import batch as indicator_batch
    from liangze.ledger.indicators.queries import active_rules
    from liangze.ledger.indicators.services import SEED_RULES, rules_load
    from liangze.ledger.models import Activity
    from liangze.orgs.models import Org, Person

    call_command("migrate", verbosity=0)  # a database kept before the ledger's last migration
    for path in sorted(SEED_RULES.glob("*.json")):
        rules_load(path=path)
    rules = {rule.key: rule for rule in active_rules(YEAR)}
    on = date(YEAR, 12, 31)
    if Activity.objects.filter(held_on__year=YEAR).exists():
        measure.log("[indicators] the year's activities are there already; measuring only")
        return {}
    year = Year(Random(seed), demo.next_id(Activity), demo.next_id(Evidence))
    ids = Org.objects.filter(is_active=True).order_by("path").values_list("pk", flat=True)
    started = last_report = perf_counter()
    cpu_started = measure.cpu_seconds()
    written = 0
    for chunk in _chunks(iter(list(ids)), LOAD_CHUNK):
        facts = indicator_batch.facts(
            chunk, list(rules.values()), lambda r: [], today=on
        ).roster_on(on)
        members: dict[int, list[int]] = {}
        for org_id, person_id in Person.objects.filter(org_id__in=chunk).values_list(
            "org_id", "pk"
        ):
            members.setdefault(org_id, []).append(person_id)
        rows = year.rows(facts, chunk, rules, members)
        with transaction.atomic():
            bulk.write_rows(Activity, demo.ACTIVITY_COLUMNS, rows["activities"])
            people = Activity.participants.through
            bulk.write_rows(people, ("activity_id", "person_id"), rows["people"])
            bulk.write_rows(Evidence, demo.EVIDENCE_COLUMNS, rows["evidence"])
            links = Activity.evidence.through
            bulk.write_rows(links, ("activity_id", "evidence_id"), rows["links"])
        written += sum(len(r) for r in rows.values())
        if perf_counter() - last_report >= 30:
            last_report = perf_counter()
            measure.log(
                f"[indicators] {last_report - started:6.0f}s  activities "
                f"{sum(year.counts.values()):,}  rows/s {written / (last_report - started):,.0f}"
            )
    bulk.reset_sequences([Activity, Evidence])
    seconds = perf_counter() - started
    started = perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if connection.vendor == "postgresql" else "ANALYZE")
    return {
        "activities": sum(year.counts.values()),
        "kinds": dict(year.counts),
        "rows": written,
        "load_seconds": seconds,
        "load_cpu_seconds": measure.cpu_seconds() - cpu_started,
        "rows_per_second": written / seconds,
        "vacuum_seconds": perf_counter() - started,
        "load_peak_rss_mb": measure.peak_rss_mb(),
    }


# The compute phase ------------------------------------------------------------------------


def compute(chunk: int) -> dict[str, Any]:
    """Every figure of the year, streamed; only the tally of statuses is kept."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from liangze.ledger.indicators import batch as indicator_batch
    from liangze.ledger.indicators.queries import active_rules
    from liangze.ledger.models import Activity
    from liangze.orgs.models import Org

    rules = active_rules(YEAR)
    slots = indicator_batch.year_slots(YEAR)
    on = date(YEAR, 12, 31)
    rss_before = measure.peak_rss_mb()
    queries = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries[0] += 1
        return execute(sql, params, many, context)

    ids = Org.objects.filter(is_active=True).order_by("path").values_list("pk", flat=True)
    statuses: Counter[str] = Counter()
    figures = 0
    started = perf_counter()
    cpu_started = measure.cpu_seconds()
    with connection.execute_wrapper(count):
        for figure in indicator_batch.stream(
            ids.iterator(chunk_size=chunk), rules, slots, today=on, chunk=chunk
        ):
            statuses[f"{figure.rule.key}:{figure.indicator.status}"] += 1
            figures += 1
    seconds = perf_counter() - started
    cpu = measure.cpu_seconds() - cpu_started
    peak = measure.peak_rss_mb()
    # One chunk from the middle of the tree, its SQL as run and each plan under it.
    middle = list(ids[ids.count() // 2 :][:chunk])
    with CaptureQueriesContext(connection) as captured:
        indicator_batch.compute(middle, rules, slots, today=on)
    plans = {
        f"chunk-{n}": f"{query['sql']}\n\n{harness.explain(query['sql'])}"
        for n, query in enumerate(captured.captured_queries, start=1)
    }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_database_size(current_database()), pg_total_relation_size(%s)"
                " + pg_total_relation_size(%s)",
                [Activity._meta.db_table, Activity.participants.through._meta.db_table],
            )
            size, activity_bytes = cursor.fetchone()
        else:
            size, activity_bytes = Path(connection.settings_dict["NAME"]).stat().st_size, None
    return {
        "database": connection.vendor,
        "label": Org.objects.get(depth=1).level,
        "orgs": Org.objects.filter(is_active=True).count(),
        "activities": Activity.objects.filter(held_on__year=YEAR).count(),
        "participants": Activity.participants.through.objects.count(),
        "figures": figures,
        "statuses": dict(statuses),
        "chunk": chunk,
        "compute_seconds": seconds,
        "compute_cpu_seconds": cpu,
        "queries": queries[0],
        "rss_before_mb": rss_before,
        "peak_rss_mb": peak,
        "database_bytes": size,
        "activity_bytes": activity_bytes,
        "explain": plans,
    }


# The table ------------------------------------------------------------------------------


def _status_share(result: dict[str, Any], status: str) -> str:
    total = sum(result["statuses"].values()) or 1
    n = sum(v for k, v in result["statuses"].items() if k.endswith(f":{status}"))
    return f"{n:,} ({n / total:.0%})"


def _loaded(name: str, fmt: str, unit: str) -> Any:
    return lambda r: f"{r['loaded'][name]:{fmt}} {unit}" if r["loaded"] else "(loaded before)"


def _mb(name: str) -> Any:
    return lambda r: f"{r[name] / 2**20:,.0f} MB" if r[name] else "—"


def _statuses(result: dict[str, Any]) -> str:
    return " / ".join(_status_share(result, s) for s in ("met", "unmet", "pending", "late"))


ROWS: list[tuple[str, Any]] = [
    ("组织 orgs", lambda r: f"{r['orgs']:,}"),
    ("工作活动 activities (the year)", lambda r: f"{r['activities']:,}"),
    ("参加人 participant links", lambda r: f"{r['participants']:,}"),
    ("activity load, total", _loaded("load_seconds", ",.1f", "s")),
    ("… CPU time of the loader process", _loaded("load_cpu_seconds", ",.1f", "s")),
    ("load rate (all rows written)", _loaded("rows_per_second", ",.0f", "rows/s")),
    ("peak memory of the loader (RSS)", _loaded("load_peak_rss_mb", ",.0f", "MB")),
    ("database size", _mb("database_bytes")),
    ("… of which activities and participants", _mb("activity_bytes")),
    ("figures computed (rule × subject × period)", lambda r: f"{r['figures']:,}"),
    ("… met / unmet / pending / late", _statuses),
    ("**all indicators of the year: wall time**", lambda r: f"**{r['compute_seconds']:,.1f} s**"),
    ("… CPU time of the computing process", lambda r: f"{r['compute_cpu_seconds']:,.1f} s"),
    ("… queries (units per chunk)", lambda r: f"{r['queries']:,} ({r['chunk']})"),
    ("**peak memory of the computing process (RSS)**", lambda r: f"**{r['peak_rss_mb']:,.0f} MB**"),
    ("… of which before computing (Django, rules)", lambda r: f"{r['rss_before_mb']:,.0f} MB"),
]


# The runs -------------------------------------------------------------------------------


def measure_database(url: str, args: argparse.Namespace) -> dict[str, Any]:
    """The two phases on one loaded database, each in a process of its own."""
    base = [sys.executable, __file__, "--database-url", url, "--seed", str(args.seed)]
    loaded = harness.child([*base, "--phase", "load"])
    result = harness.child([*base, "--phase", "compute", "--chunk", str(args.chunk)])
    return {**result, "loaded": loaded}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=sorted(run.RUNS), help="one run instead of both")
    parser.add_argument("--fraction", type=float, default=1.0, help="share of the province")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--chunk", type=int, default=500, help="units per chunk when computing")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--pg-admin", default=measure.PG_ADMIN, help="where to create from")
    parser.add_argument("--database-url", help="measure this loaded database instead")
    parser.add_argument("--phase", choices=("load", "compute"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:
        with harness.scratch_var_dir("liangze-indicators-"):
            measure.setup_django(args.database_url)
            done = load(args.seed) if args.phase == "load" else compute(args.chunk)
        print(json.dumps(done, ensure_ascii=False, default=str))
        return

    if args.database_url:
        result = measure_database(args.database_url, args)
        harness.report_one("indicators", result, ROWS)
        return

    results = harness.each_run(args, PG_DATABASE, lambda orgs: measure_database(orgs["url"], args))
    harness.report("indicators", results, ROWS)


if __name__ == "__main__":
    main()
