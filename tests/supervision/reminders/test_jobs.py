"""The daily escalation as a job: once a day whatever the workers, counts as stored."""

from datetime import date
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from liangze.core.models import AuditEvent, JobRun
from liangze.duties.models import DutyList
from liangze.supervision.models import Reminder
from liangze.supervision.reminders.services import run_escalation
from liangze.supervision.tasks import JOB, escalate_daily
from tests.fixtures.county import County
from tests.fixtures.threads import NEEDS_PG, in_threads, on_postgresql


def escalation_events() -> list[dict[str, Any]]:
    return list(
        AuditEvent.objects.filter(object_label__startswith="督促提醒（").values_list(
            "data", flat=True
        )
    )


def created(events: list[dict[str, Any]]) -> int:
    return sum(sum(e["created"].values()) for e in events)


@pytest.mark.django_db
def test_the_daily_task_runs_once_a_day(county: County, published: DutyList) -> None:
    first = escalate_daily.call_local()
    assert escalate_daily.call_local() is None
    run = JobRun.objects.get(job=JOB)
    assert (run.state, run.slot) == (JobRun.State.DONE, timezone.localdate().isoformat())
    assert sum(run.counts["created"].values()) == first.total == Reminder.objects.count() > 0
    assert created(escalation_events()) == Reminder.objects.count()


@pytest.mark.django_db
def test_a_second_run_claims_nothing_created(county: County, published: DutyList) -> None:
    call_command("run_escalation", "--date", "2026-04-20")
    call_command("run_escalation", "--date", "2026-04-20")
    first, second = sorted(escalation_events(), key=lambda e: -sum(e["created"].values()))
    assert sum(first["created"].values()) == Reminder.objects.count() > 0
    assert sum(second["created"].values()) == 0
    assert JobRun.objects.filter(job=JOB, state=JobRun.State.DONE).count() == 2


@pytest.mark.django_db
def test_the_command_refuses_while_the_job_runs(county: County, published: DutyList) -> None:
    JobRun.objects.create(
        job=JOB,
        slot="2026-04-20",
        state=JobRun.State.RUNNING,
        started_at=timezone.now(),
        host="worker-2",
        pid=4242,
    )
    with pytest.raises(CommandError, match="该任务正在运行（主机 worker-2，进程 4242"):
        call_command("run_escalation", "--date", "2026-04-20")
    assert not Reminder.objects.exists()


@pytest.mark.skipif(not on_postgresql(), reason=NEEDS_PG)
@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_escalate_once(county: County, published: DutyList) -> None:
    results, errors = in_threads(3, escalate_daily.call_local)
    assert errors == []
    assert sorted(r is None for r in results) == [False, True, True]
    assert JobRun.objects.get(job=JOB).state == JobRun.State.DONE
    assert len(escalation_events()) == 1
    assert created(escalation_events()) == Reminder.objects.count() > 0


@pytest.mark.skipif(not on_postgresql(), reason=NEEDS_PG)
@pytest.mark.django_db(transaction=True)
def test_concurrent_escalations_count_only_what_they_inserted(
    county: County, published: DutyList
) -> None:
    # Past the job's lock (two services called directly): the rows' unique key and the
    # counts read back by code still keep the audit true.
    results, errors = in_threads(3, lambda: run_escalation(on=date(2026, 4, 20)))
    assert errors == []
    assert created(escalation_events()) == Reminder.objects.count() > 0
