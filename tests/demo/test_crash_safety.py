"""Seeders killed at any point are completed by a rerun with --once, never skipped half-done."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from liangze.accounts.models import User
from liangze.core import jobs
from liangze.core.models import JobRun
from liangze.demo.orgs import loader
from liangze.demo.orgs.generator import generate
from liangze.demo.orgs.logins import DEMO_LOGINS
from liangze.demo.orgs.rows import Builder
from liangze.orgs.models import DisciplineBody, Org, Person, Position

ROOT = Path(__file__).resolve().parents[2]
SEED = 2026
# The county demo as the generator makes it: orgs, bodies, people, positions.
COUNTY = (392, 216, 3051, 1131)
TABLES = ("orgs_org", "orgs_disciplinebody", "orgs_person", "orgs_position")
DASHBOARD_DATE = "2026-06-30"
DASHBOARD_WEEKS = 27  # 29 December 2025 … 29 June 2026


def _stored() -> tuple[int, int, int, int]:
    return (
        Org.objects.count(),
        DisciplineBody.objects.count(),
        Person.objects.count(),
        Position.objects.count(),
    )


@pytest.mark.django_db
def test_a_rerun_completes_a_seed_killed_after_its_orgs() -> None:
    # What a kill after the first batches left: rows, no demo users, a "running" mark
    # of a process that is gone.
    builder = Builder(SEED)
    with transaction.atomic():
        for batch in generate(builder, "county"):
            loader._write(batch)
    gone = subprocess.Popen(["true"])  # noqa: S607
    gone.wait()
    JobRun.objects.create(
        job="seed_demo",
        slot="demo",
        state=JobRun.State.RUNNING,
        started_at=timezone.now(),
        host=jobs.HOST,
        pid=gone.pid,
    )
    out = StringIO()
    call_command("seed_demo", scale="county", seed=SEED, once=True, stdout=out)
    assert "上次生成被中断，已续完" in out.getvalue()
    assert _stored() == COUNTY
    assert User.objects.count() == len(DEMO_LOGINS)
    out = StringIO()
    call_command("seed_demo", scale="county", seed=SEED, once=True, stdout=out)
    assert "演示数据已存在" in out.getvalue()


# Killed for real ---------------------------------------------------------------------------


def _env(var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIANGZE_")}
    return env | {
        "LIANGZE_VAR_DIR": str(var),
        "LIANGZE_MEDIA_ROOT": str(var / "media"),
        "LIANGZE_SECRET_KEY": "crash-test",
    }


def _manage(var: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 — our own manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=_env(var),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _finish(var: Path, *args: str) -> str:
    process = _manage(var, *args)
    out, _ = process.communicate(timeout=600)
    assert process.returncode == 0, out
    return out


def _query(var: Path, sql: str) -> int:
    with sqlite3.connect(var / "liangze.sqlite3", timeout=20) as db:
        return int(db.execute(sql).fetchone()[0])


def _kill_when(var: Path, ready: Callable[[], bool], *args: str) -> int | None:
    """Start the command, SIGKILL it once `ready()` (polled); its exit code."""
    process = _manage(var, *args)
    deadline = time.monotonic() + 300
    while process.poll() is None and time.monotonic() < deadline:
        try:
            if ready():
                process.send_signal(signal.SIGKILL)
                break
        except sqlite3.OperationalError:
            pass  # the table is not there yet, or the writer holds the lock: ask again
        time.sleep(0.02)
    process.communicate(timeout=60)
    return process.returncode


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_seeders_killed_midway_are_completed_by_the_rerun(tmp_path: Path) -> None:
    var = tmp_path / "var"
    var.mkdir()
    _finish(var, "migrate", "-v0")

    killed = _kill_when(
        var,
        lambda: _query(var, "SELECT count(*) FROM orgs_org") > 0,
        "seed_demo",
        "--scale",
        "county",
        "--seed",
        str(SEED),
        "--once",
    )
    assert killed in (-signal.SIGKILL, 0)
    out = _finish(var, "seed_demo", "--scale", "county", "--seed", str(SEED), "--once")
    assert "已生成县级规模演示数据" in out
    counts = tuple(_query(var, f"SELECT count(*) FROM {table}") for table in TABLES)  # noqa: S608
    assert counts == COUNTY
    assert _query(var, "SELECT count(*) FROM accounts_user") == len(DEMO_LOGINS)
    assert "演示数据已存在" in _finish(var, "seed_demo", "--scale", "county", "--once")

    snapshot = ("seed_demo_dashboard", "--once", "--date", DASHBOARD_DATE)
    killed = _kill_when(
        var,
        lambda: _query(var, "SELECT count(DISTINCT week) FROM dashboard_warningsnapshot") > 2,
        *snapshot,
    )
    assert killed == -signal.SIGKILL
    weeks = "SELECT count(DISTINCT week) FROM dashboard_warningsnapshot"
    assert _query(var, weeks) < DASHBOARD_WEEKS
    _finish(var, *snapshot)
    assert _query(var, weeks) == DASHBOARD_WEEKS
    units = COUNTY[0] * DASHBOARD_WEEKS
    assert _query(var, "SELECT count(*) FROM dashboard_warningsnapshot") == units
    assert "跳过" in _finish(var, *snapshot)
