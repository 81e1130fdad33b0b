"""Scheduled jobs that run once per schedule slot, whatever the number of workers.

Every worker of every host fires the same crontab; the first to insert the slot's
`JobRun` row runs the job, the others lose on the unique constraint and skip. The
claim is a plain INSERT in a savepoint, so it behaves the same on SQLite and
PostgreSQL and needs no Redis. A run that crashed (its row still `running` but its
process gone, or older than `STALE_AFTER`) or failed may be claimed again by the next
worker, so a killed job is completed by the next one instead of skipped for good.
"""

import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from liangze.core.models import JobRun

log = logging.getLogger(__name__)

T = TypeVar("T")
Summary = Callable[[T], dict[str, Any]]

# Longer than the slowest job at province scale (the weekly snapshot takes minutes):
# a run older than this that is still "running" lost its process on another host.
STALE_AFTER = timedelta(hours=3)
HOST = socket.gethostname()[:255]


class JobBusy(Exception):
    """Another run of the job is in progress; the message says which, in Chinese."""

    def __init__(self, run: JobRun | None) -> None:
        if run is None:
            message = _("该任务正在运行，请等它结束后再试。")
        else:
            message = _(
                "该任务正在运行（主机 %(host)s，进程 %(pid)s，开始于 %(started)s），"
                "请等它结束后再试。"
            ) % {
                "host": run.host,
                "pid": run.pid,
                "started": f"{timezone.localtime(run.started_at):%Y-%m-%d %H:%M:%S}",
            }
        super().__init__(message)
        self.run = run


# What the 后台任务 page calls each job and the figures of its summary, in Chinese.
_NAMES: dict[str, StrOrPromise] = {}
_FIGURES: dict[str, StrOrPromise] = {}


def named(job: str, name: StrOrPromise, **figures: StrOrPromise) -> str:
    """Gives `job` its name and its summary's keys their labels; returns `job`."""
    _NAMES[job] = name
    _FIGURES.update(figures)
    return job


def job_name(job: str) -> str:
    return str(_NAMES.get(job, job))


def summary_text(counts: dict[str, Any]) -> str:
    """A run's summary as a sentence: "新生成提醒：督办 2；已解除：5"."""

    def value(item: Any) -> str:
        if not item and isinstance(item, dict | list | tuple):
            return _("无")
        if isinstance(item, dict):
            return "，".join(f"{str(_FIGURES.get(k, k))} {value(v)}" for k, v in item.items())
        if isinstance(item, list | tuple):
            return "、".join(value(v) for v in item)
        return str(item)

    return "；".join(f"{str(_FIGURES.get(k, k))}：{value(v)}" for k, v in counts.items())


def daily_slot(day: date) -> str:
    return day.isoformat()


def weekly_slot(day: date) -> str:
    """The Monday of `day`'s week: a weekly job fired twice in one week runs once."""
    return (day - timedelta(days=day.weekday())).isoformat()


def is_done(job: str, slot: str) -> bool:
    return JobRun.objects.filter(job=job, slot=slot, state=JobRun.State.DONE).exists()


def run_once(
    job: str, slot: str, fn: Callable[[], T], summary: Summary[T] | None = None
) -> T | None:
    """Run `fn` for the schedule slot unless another worker has (or is): None when skipped."""
    run = _claim(job, slot)
    if run is None:
        log.info("job %s slot %s: claimed elsewhere, skipped", job, slot)
        return None
    return _execute(run, fn, summary)


def run_now(job: str, fn: Callable[[], T], summary: Summary[T] | None = None) -> T:
    """Run `fn` at once (a command started by hand), refusing while another run of the job
    is in progress: raises JobBusy."""
    run = _claim(job, f"manual:{uuid.uuid4().hex}")
    if run is None:
        raise JobBusy(JobRun.objects.filter(job=job, state=JobRun.State.RUNNING).first())
    return _execute(run, fn, summary)


def _execute(run: JobRun, fn: Callable[[], T], summary: Summary[T] | None) -> T:
    try:
        result = fn()
    except BaseException as error:
        _finish(run, JobRun.State.FAILED, error=f"{type(error).__name__}: {error}"[:2000])
        raise
    _finish(run, JobRun.State.DONE, counts=summary(result) if summary else {})
    return result


def _finish(run: JobRun, state: str, **fields: Any) -> None:
    JobRun.objects.filter(pk=run.pk).update(state=state, finished_at=timezone.now(), **fields)


def _claim(job: str, slot: str) -> JobRun | None:
    _release_crashed(job)
    fields: dict[str, Any] = {
        "state": JobRun.State.RUNNING,
        "started_at": timezone.now(),
        "finished_at": None,
        "host": HOST,
        "pid": os.getpid(),
        "counts": {},
        "error": "",
    }
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=job, slot=slot, **fields)
    except IntegrityError:
        pass  # the slot is taken (done, running or failed), or the job runs for another slot
    try:
        with transaction.atomic():
            retried = JobRun.objects.filter(job=job, slot=slot, state=JobRun.State.FAILED)
            if retried.update(**fields) == 1:
                return JobRun.objects.get(job=job, slot=slot)
    except IntegrityError:
        pass  # another slot of the job is running: the failed one waits for the next fire
    return None


def _release_crashed(job: str) -> None:
    """Mark failed the job's runs whose process is gone, so the slot may be claimed again."""
    now = timezone.now()
    for run in JobRun.objects.filter(job=job, state=JobRun.State.RUNNING):
        stale = run.started_at < now - STALE_AFTER
        dead = run.host == HOST and run.pid != os.getpid() and not _alive(run.pid)
        if stale or dead:
            JobRun.objects.filter(pk=run.pk, state=JobRun.State.RUNNING).update(
                state=JobRun.State.FAILED, finished_at=now, error=_("运行中断（进程已不在）")
            )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive, not ours to judge
    return True
