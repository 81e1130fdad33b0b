"""Province mode (issue 10, item 3): two hosts, one PostgreSQL, one Redis, one evidence store.

Host A and host B each run a gunicorn app server (2 workers) and a huey worker with a
var/ of their own; what a write on one changes, the other shows at once. Runs on the
PostgreSQL pass of `make test` (LIANGZE_DATABASE_URL) with Redis on 127.0.0.1:6379,
in a database of its own, not pytest's.
"""

import json
import os
import re
import secrets
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import psycopg
import pytest
import redis
from django.conf import settings

from liangze.demo.orgs.logins import DEMO_PASSWORD
from tests.production.browser import Browser
from tests.production.cluster import (
    PYTHON,
    REDIS_URL,
    ROOT,
    Cluster,
    Host,
    cluster,
    redis_answers,
)

REDIS_DB = 9
TOWN = "town_sec"
TOTAL_CELL = re.compile(r'<tfoot[^>]*>.*<td class="text-nowrap">(\d+)/(\d+)</td>', re.S)
EVIDENCE_LINK = re.compile(r'href="(/files/[0-9a-f-]{36}/)"')
JOBS = ("recount_coverage", "escalate_daily")
# The hosts, host A, host B, and the fixture's list code and secretary's person id.
Province = tuple[Cluster, Host, Host, dict[str, str]]
ENQUEUE = (
    "from liangze.duties.tasks import recount_coverage\n"
    "from liangze.supervision.tasks import escalate_daily\n"
    "recount_coverage()\n"
    "escalate_daily()\n"
)


def _require_engines() -> None:
    """Skip, saying which engine is missing: this test never passes by doing nothing."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip(
            "multi-host test needs PostgreSQL: set LIANGZE_DATABASE_URL=postgres://… "
            "(the PostgreSQL pass of make test does)"
        )
    if not redis_answers():
        pytest.skip(f"multi-host test needs Redis answering at {REDIS_URL} (redis-server)")


@pytest.fixture(scope="module")
def province() -> Iterator[Province]:
    _require_engines()
    with cluster(os.environ["LIANGZE_DATABASE_URL"], REDIS_DB, "liangze_multihost_") as hosts:
        a, b = hosts.host("a"), hosts.host("b")
        hosts.manage(a, "migrate", "--noinput")
        hosts.manage(a, "seed_demo", "--scale", "county", "--seed", "2026", "--once")
        script = (ROOT / "tests" / "production" / "fixture_list.py").read_text()
        data = json.loads(hosts.manage(a, "shell", "-c", script).strip().splitlines()[-1])
        for host in (a, b):
            hosts.start_web(host)
            hosts.start_worker(host)
        hosts.wait_ready(a, b)
        yield hosts, a, b, data


def _logged_in(page_text: str) -> bool:
    return "/accounts/logout/" in page_text


def _coverage_total(browser: Browser) -> tuple[int, int]:
    page = browser.get("/duties/coverage/")
    found = TOTAL_CELL.search(page.text)
    assert page.status == 200 and found, f"coverage page: {page.status} {page.url}"
    return int(found.group(1)), int(found.group(2))


def _sql(hosts: Cluster, query: str, *params: str) -> int:
    with psycopg.connect(hosts.database_url) as connection:
        row = connection.execute(query, params).fetchone()
    assert row is not None
    return int(row[0])


def test_it_serves_one_province_from_two_hosts(province: Province) -> None:
    hosts, a, b, data = province
    today = datetime.now(ZoneInfo(settings.TIME_ZONE)).date()

    # 1. A session begun on A is a session on B (one secret key, sessions in the database),
    # and using it on B does not end it on A.
    on_a = Browser(a.url)
    assert _logged_in(on_a.login(TOWN, DEMO_PASSWORD).text), hosts.log(a, "web").read_text()
    on_b = Browser(b.url, cookies=on_a.cookies)
    assert _logged_in(on_b.get("/").text), "the session from host A is not valid on host B"
    assert _logged_in(on_a.get("/").text), "using the session on host B logged it out on A"

    # 2. Publishing the list on A moves B's coverage figure at once, in every B worker
    # (the roll-up is cached in Redis, not per process). Several reads reach both workers.
    before = {_coverage_total(on_b) for _ in range(6)}
    assert len(before) == 1, before
    (done, required), *_ = before
    duty_list = f"/duties/{data['list']}/"
    published = on_a.post(f"{duty_list}publish/", {"publish_range": "unit"}, form_page=duty_list)
    assert published.status == 200, published.text[-2000:]
    after = {_coverage_total(on_b) for _ in range(6)} | {_coverage_total(on_a)}
    assert after == {(done + 1, required)}, f"before {before}, after {after}"

    # 3. Evidence uploaded on A downloads from B, byte for byte (one shared store).
    photo = b"\xff\xd8\xff\xe0" + secrets.token_bytes(2048) + b"\xff\xd9"
    fields = {
        "kind": "meeting",
        "held_on": today.isoformat(),
        "host": str(data["person"]),
        "subject": "多主机测试：专题会议",
    }
    recorded = on_a.post("/ledger/activities/new/", fields, {"uploads": ("会议.jpg", photo)})
    assert re.search(r"/ledger/activities/[0-9a-f-]{36}/$", recorded.url), recorded.text[-2000:]
    detail = on_b.get(recorded.url.removeprefix(a.url))
    link = EVIDENCE_LINK.search(detail.text)
    assert detail.status == 200 and link, f"no evidence link on host B's {detail.url}"
    assert on_b.get(link.group(1)).body == photo

    # 4. Both workers are told to run the nightly recount and the escalation at the same
    # slot (as both hosts' schedulers would be); each job runs once, without errors.
    enqueue = [
        subprocess.Popen(  # noqa: S603 — our own manage.py
            [PYTHON, "manage.py", "shell", "-c", ENQUEUE],
            cwd=ROOT,
            env=host.env,
            stdout=subprocess.DEVNULL,
        )
        for host in (a, b)
    ]
    assert [p.wait(timeout=60) for p in enqueue] == [0, 0]
    _wait_for_jobs(hosts, today.isoformat())
    for job in JOBS:
        runs = _sql(hosts, "SELECT count(*) FROM core_jobrun WHERE job = %s", job)
        assert runs == 1, f"{job} ran {runs} times for one slot"
    label = f"督促提醒（{today.isoformat()}）"
    events = _sql(hosts, "SELECT count(*) FROM core_auditevent WHERE object_label = %s", label)
    assert events == 1, f"{events} escalation audit events for one run"
    for host in (a, b):
        log = hosts.log(host, "worker").read_text(errors="replace")
        assert "Traceback" not in log and "ERROR" not in log, log[-3000:]


def _wait_for_jobs(hosts: Cluster, slot: str, seconds: float = 90) -> None:
    """Until the queue is empty and each job's run of the slot has finished."""
    queue = redis.Redis.from_url(hosts.redis_url)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        hosts.check_alive()
        pending = sum(queue.llen(key) for key in queue.keys("huey.redis.*"))
        try:
            finished = _sql(
                hosts,
                "SELECT count(DISTINCT job) FROM core_jobrun"
                " WHERE slot = %s AND state <> 'running'",
                slot,
            )
        except psycopg.errors.UndefinedTable as missing:
            raise AssertionError(
                "no core_jobrun table: scheduled jobs have no once-per-slot claim"
            ) from missing
        if not pending and finished == len(JOBS):
            time.sleep(2)  # the losing claims come right after the winners'; let them land
            return
        time.sleep(0.5)
    raise AssertionError(f"jobs of slot {slot} not finished in {seconds} s")
