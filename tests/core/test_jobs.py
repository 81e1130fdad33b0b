"""Scheduled jobs run once per slot; a crashed or failed run is taken again; commands wait."""

import subprocess
from datetime import date, timedelta

import pytest
from django.utils import timezone

from liangze.core import jobs
from liangze.core.models import JobRun

pytestmark = pytest.mark.django_db


def test_it_runs_a_slot_once() -> None:
    runs: list[int] = []

    def work() -> int:
        runs.append(1)
        return 7

    first = jobs.run_once("nightly", "2026-07-20", work, lambda n: {"n": n})
    second = jobs.run_once("nightly", "2026-07-20", work)
    assert (first, second, runs) == (7, None, [1])
    run = JobRun.objects.get()
    assert (run.state, run.counts, run.host) == (JobRun.State.DONE, {"n": 7}, jobs.HOST)
    assert run.finished_at is not None


def test_the_next_slot_runs_again() -> None:
    jobs.run_once("nightly", "2026-07-20", lambda: 1)
    assert jobs.run_once("nightly", "2026-07-21", lambda: 2) == 2
    assert JobRun.objects.filter(state=JobRun.State.DONE).count() == 2


def test_a_failed_run_is_taken_again_by_the_next_fire() -> None:
    def boom() -> int:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        jobs.run_once("nightly", "2026-07-20", boom)
    failed = JobRun.objects.get()
    assert failed.state == JobRun.State.FAILED
    assert "disk full" in failed.error
    assert jobs.run_once("nightly", "2026-07-20", lambda: 3) == 3
    assert JobRun.objects.get().state == JobRun.State.DONE


def _gone_pid() -> int:
    process = subprocess.Popen(["true"])  # noqa: S607 — a process that has surely ended
    process.wait()
    return process.pid


def _running(**fields: object) -> JobRun:
    defaults: dict[str, object] = {
        "job": "nightly",
        "slot": "2026-07-20",
        "state": JobRun.State.RUNNING,
        "started_at": timezone.now(),
        "host": jobs.HOST,
        "pid": 1,  # init: alive on every machine
    }
    return JobRun.objects.create(**(defaults | fields))


def test_a_run_killed_on_this_host_is_taken_again() -> None:
    _running(pid=_gone_pid())
    assert jobs.run_once("nightly", "2026-07-20", lambda: 4) == 4
    assert JobRun.objects.get().state == JobRun.State.DONE


def test_a_live_run_on_another_host_is_left_alone() -> None:
    _running(host="worker-2")
    assert jobs.run_once("nightly", "2026-07-20", lambda: 5) is None
    assert JobRun.objects.get().state == JobRun.State.RUNNING


def test_a_run_silent_for_hours_on_another_host_is_taken_again() -> None:
    _running(host="worker-2", started_at=timezone.now() - jobs.STALE_AFTER - timedelta(minutes=1))
    assert jobs.run_once("nightly", "2026-07-20", lambda: 6) == 6


def test_a_manual_run_waits_for_the_scheduled_one() -> None:
    _running(host="worker-2")
    with pytest.raises(jobs.JobBusy, match="该任务正在运行（主机 worker-2"):
        jobs.run_now("nightly", lambda: 7)
    assert JobRun.objects.count() == 1


def test_manual_runs_ignore_the_slot() -> None:
    jobs.run_once("nightly", jobs.daily_slot(timezone.localdate()), lambda: 1)
    assert jobs.run_now("nightly", lambda: 8) == 8
    assert jobs.run_now("nightly", lambda: 9) == 9
    assert JobRun.objects.filter(slot__startswith="manual:").count() == 2


def test_a_scheduled_run_skips_while_a_manual_one_runs() -> None:
    _running(slot="manual:x", host="worker-2")
    assert jobs.run_once("nightly", "2026-07-20", lambda: 10) is None
    assert not JobRun.objects.filter(slot="2026-07-20").exists()


def test_a_weekly_slot_is_its_monday() -> None:
    assert (
        jobs.weekly_slot(date(2026, 7, 26)) == jobs.weekly_slot(date(2026, 7, 20)) == "2026-07-20"
    )
