"""The deadline-day burst: clerks submitting ledger activities with evidence, all at once.

    .venv/bin/python bench/burst.py                  # 200 clerks, gunicorn -w 5, about 2 minutes
    .venv/bin/python bench/burst.py --clerks 50 --web-workers 3

Production mode on PostgreSQL and Redis (tests/production/cluster.py): a fresh database
`liangze_burst_<random>` (dropped afterwards), Redis db 10 (flushed), DEBUG off, gunicorn
and a huey worker (`run_huey`). The county demo (`seed_demo`) plus one clerk account per
unit (bench/burst_clerks.py). Each clerk, in a thread of its own, logs in and opens the
activity form; then, released together, every clerk POSTs one activity (专题会议) with a
JPEG of its own. Timed: each POST until its answer (the redirect to the new activity, not
followed). Afterwards the database and the evidence directory are read: every activity
stored exactly once with its one evidence file, byte for byte, and no other file.
"""

import argparse
import hashlib
import json
import os
import secrets
import statistics
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.production.browser import Browser, Page  # noqa: E402 — after the path above
from tests.production.cluster import Cluster, cluster  # noqa: E402

OUT = HERE / "out"
REDIS_DB = 10
ACTIVITY = "/ledger/activities/new/"
PASSWORD = "Liangze@2026"  # noqa: S105 — the demo password of seed_demo's accounts


def log(message: str) -> None:
    print(f"[burst {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Clerk(threading.Thread):
    def __init__(
        self,
        url: str,
        account: dict[str, Any],
        tag: str,
        start: threading.Barrier,
        logins: threading.Semaphore,
    ) -> None:
        super().__init__()
        self.logins = logins
        self.browser = Browser(url, follow=False)
        self.account = account
        self.tag = tag
        self.start_together = start
        # A photo of its own: distinct content, so each upload is stored, not deduplicated.
        self.photo = b"\xff\xd8\xff\xe0" + secrets.token_bytes(30_000) + b"\xff\xd9"
        self.login_seconds = self.post_seconds = 0.0
        self.answer: Page | None = None
        self.error = ""

    @property
    def subject(self) -> str:
        return f"{self.tag} {self.account['username']} 专题会议"

    def run(self) -> None:
        try:
            self._run()
        except Exception as error:  # noqa: BLE001 — a clerk's failure is counted, not raised
            self.error = f"{type(error).__name__}: {error}"
            self.start_together.abort()

    def _run(self) -> None:
        # Clerks log in through the morning, not in one second: a few at a time here, so
        # the Argon2 hashing (slow on purpose) is not what the burst measures.
        with self.logins:
            started = time.perf_counter()
            login = self.browser.login(self.account["username"], PASSWORD)
            self.login_seconds = time.perf_counter() - started
            if login.status != 302:
                raise RuntimeError(f"login answered {login.status}")
            form = self.browser.get(ACTIVITY)
        token = form.csrf()
        today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
        fields = {
            "kind": "meeting",
            "held_on": today.isoformat(),
            "host": str(self.account["host"]),
            "subject": self.subject,
        }
        files = {"uploads": (f"{self.account['username']}.jpg", self.photo)}
        self.start_together.wait()
        started = time.perf_counter()
        self.answer = self.browser.post(ACTIVITY, fields, files, csrf=token)
        self.post_seconds = time.perf_counter() - started


def setup(hosts: Cluster, clerks: int, web_workers: int) -> tuple[str, list[dict[str, Any]]]:
    app = hosts.host("app")
    started = time.perf_counter()
    hosts.manage(app, "migrate", "--noinput")
    hosts.manage(app, "seed_demo", "--scale", "county", "--seed", "2026", "--once")
    app.env["BURST_CLERKS"] = str(clerks)
    script = (HERE / "burst_clerks.py").read_text()
    accounts = json.loads(hosts.manage(app, "shell", "-c", script).strip().splitlines()[-1])
    log(f"database ready in {time.perf_counter() - started:.1f} s: {len(accounts)} clerks")
    hosts.start_web(app, workers=web_workers)
    hosts.start_worker(app)
    hosts.wait_ready(app)
    return app.url, accounts


def verify(hosts: Cluster, clerks: list[Clerk], tag: str) -> dict[str, int]:
    """What landed: activities and evidence rows of this burst, and the files on disk."""
    with psycopg.connect(hosts.database_url) as connection:
        rows = connection.execute(
            "SELECT a.subject, e.file, e.size FROM ledger_activity a"
            " LEFT JOIN ledger_activity_evidence ae ON ae.activity_id = a.id"
            " LEFT JOIN ledger_evidence e ON e.id = ae.evidence_id"
            " WHERE a.subject LIKE %s",
            (f"{tag} %",),
        ).fetchall()
        evidence_rows = connection.execute("SELECT count(*) FROM ledger_evidence").fetchone()
    by_subject: dict[str, list[tuple[str, int]]] = {}
    for subject, file, size in rows:
        by_subject.setdefault(subject, []).append((file, size))
    files = [p for p in hosts.media_root.rglob("*") if p.is_file()]
    exact = 0
    for clerk in clerks:
        stored = by_subject.get(clerk.subject, [])
        if len(stored) == 1 and stored[0][0]:
            content = (hosts.media_root / stored[0][0]).read_bytes()
            exact += hashlib.sha256(content).digest() == hashlib.sha256(clerk.photo).digest()
    return {
        "activity_rows": len(rows),
        "distinct_activities": len(by_subject),
        "stored_exactly_once": sum(len(by_subject.get(c.subject, [])) == 1 for c in clerks),
        "evidence_rows": evidence_rows[0] if evidence_rows else 0,
        "files_on_disk": len(files),
        "files_byte_for_byte": exact,
    }


def burst(args: argparse.Namespace) -> dict[str, Any]:
    tag = f"burst-{secrets.token_hex(3)}"
    with cluster(args.database_url, REDIS_DB, "liangze_burst_") as hosts:
        url, accounts = setup(hosts, args.clerks, args.web_workers)
        start = threading.Barrier(len(accounts))
        at_a_time = threading.Semaphore(args.web_workers)
        clerks = [Clerk(url, account, tag, start, at_a_time) for account in accounts]
        started = time.perf_counter()
        for clerk in clerks:
            clerk.start()
        for clerk in clerks:
            clerk.join()
        wall = time.perf_counter() - started
        hosts.check_alive()
        landed = verify(hosts, clerks, tag)
        server_errors = (hosts.log(hosts.host("app"), "web").read_text()).count("Traceback")
    answered = [c for c in clerks if c.answer is not None]
    ok = [
        c
        for c in answered
        if c.answer and c.answer.status == 302 and "/ledger/activities/" in c.answer.location
    ]
    posts = [c.post_seconds for c in answered]
    logins = [c.login_seconds for c in clerks if c.login_seconds]
    return {
        "clerks": len(clerks),
        "web_workers": args.web_workers,
        "errors": len(clerks) - len(ok),
        "error_samples": sorted({_failure(c) for c in clerks if c not in ok})[:5],
        "server_tracebacks": server_errors,
        "post_p50": percentile(posts, 0.50),
        "post_p95": percentile(posts, 0.95),
        "post_p99": percentile(posts, 0.99),
        "post_max": max(posts, default=float("nan")),
        "post_mean": statistics.fmean(posts) if posts else float("nan"),
        "login_p50": percentile(logins, 0.50),
        "login_p95": percentile(logins, 0.95),
        "wall_seconds": wall,
        "burst_seconds": max(posts, default=float("nan")),
        "landed": landed,
        "load_average": os.getloadavg(),
    }


def _failure(clerk: Clerk) -> str:
    if clerk.answer is None:
        return clerk.error
    return f"HTTP {clerk.answer.status}: {clerk.answer.text[-300:]}"


ROWS: list[tuple[str, Any]] = [
    ("clerks (threads) / gunicorn workers", lambda r: f"{r['clerks']} / {r['web_workers']}"),
    ("**errors** (not a redirect to the new activity)", lambda r: f"**{r['errors']}**"),
    ("server tracebacks in the app log", lambda r: str(r["server_tracebacks"])),
    ("POST p50", lambda r: f"{r['post_p50'] * 1000:,.0f} ms"),
    ("POST p95", lambda r: f"{r['post_p95'] * 1000:,.0f} ms"),
    ("POST p99", lambda r: f"{r['post_p99'] * 1000:,.0f} ms"),
    ("POST max (= the whole burst)", lambda r: f"{r['post_max'] * 1000:,.0f} ms"),
    ("throughput", lambda r: f"{r['clerks'] / r['burst_seconds']:,.1f} activities/s"),
    ("login p50 / p95 (before the burst, Argon2)", lambda r: _pair(r, "login")),
    ("activities stored exactly once", lambda r: _landed(r, "stored_exactly_once")),
    ("activity rows of the burst", lambda r: _landed(r, "activity_rows")),
    ("evidence rows / files on disk", lambda r: _files(r)),
    ("files identical to the upload", lambda r: _landed(r, "files_byte_for_byte")),
]


def _pair(result: dict[str, Any], name: str) -> str:
    return f"{result[f'{name}_p50'] * 1000:,.0f} / {result[f'{name}_p95'] * 1000:,.0f} ms"


def _landed(result: dict[str, Any], name: str) -> str:
    return f"{result['landed'][name]} / {result['clerks']}"


def _files(result: dict[str, Any]) -> str:
    return f"{result['landed']['evidence_rows']} / {result['landed']['files_on_disk']}"


def table(result: dict[str, Any]) -> str:
    lines = ["| | 省 · PostgreSQL + Redis |", "|---|---|"]
    lines += [f"| {label} | {read(result)} |" for label, read in ROWS]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clerks", type=int, default=200, help="concurrent clerks")
    parser.add_argument("--web-workers", type=int, default=5, help="gunicorn -w")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="the PostgreSQL server (the bench creates and drops its own database)",
    )
    args = parser.parse_args()
    result = burst(args)
    OUT.mkdir(exist_ok=True)
    (OUT / "burst.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    load = result["load_average"]
    print(
        table(result)
        + f"\n\nLoad average at the end: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"
    )
    print(json.dumps(result, ensure_ascii=False))
    if result["errors"] or result["landed"]["stored_exactly_once"] != result["clerks"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
