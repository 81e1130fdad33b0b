"""后台任务: the system administrator sees each job's last run and the history."""

import pytest
from django.urls import reverse
from django.utils import timezone

from liangze.core import jobs
from liangze.core.models import JobRun
from tests.fixtures.clients import Login
from tests.fixtures.county import County

pytestmark = pytest.mark.django_db
PAGE = reverse("portal:jobs")


def test_it_shows_each_jobs_last_run(login: Login, county: County) -> None:
    jobs.run_once("escalate_daily", "2026-07-20", lambda: 1, lambda n: {"created": n})
    jobs.run_once("escalate_daily", "2026-07-21", lambda: 2, lambda n: {"created": n})
    JobRun.objects.create(
        job="snapshot_weekly",
        slot="2026-07-20",
        state=JobRun.State.FAILED,
        started_at=timezone.now(),
        error="运行中断（进程已不在）",
    )
    response = login(county.system_admin).get(PAGE)
    assert response.status_code == 200
    latest = response.context["latest"]
    assert [(r.job, r.slot) for r in latest] == [
        ("escalate_daily", "2026-07-21"),
        ("snapshot_weekly", "2026-07-20"),
    ]
    page = response.content.decode()
    assert "运行中断（进程已不在）" in page
    # Named in Chinese, with the summary as a sentence rather than a dict.
    assert "督促升级" in page and "每周预警快照" in page
    assert "新生成提醒：2" in page and "{" not in page.split("全部执行记录")[1]
    assert len(response.context["page_obj"].object_list) == 3


def test_it_says_when_no_job_has_run(login: Login, county: County) -> None:
    page = login(county.system_admin).get(PAGE).content.decode()
    assert "还没有执行过任何后台任务" in page


def test_it_is_for_the_system_admin_only(login: Login, county: County) -> None:
    assert login(county.discipline_officer).get(PAGE).status_code == 403


def test_it_answers_405_to_a_post(login: Login, county: County) -> None:
    assert login(county.system_admin).post(PAGE).status_code == 405


def test_the_system_admin_finds_it_in_the_menu(login: Login, county: County) -> None:
    admin_nav = login(county.system_admin).get("/").context["nav_items"]
    assert PAGE in [item["url"] for item in admin_nav]
    auditor_nav = login(county.audit_admin).get("/").context["nav_items"]
    assert PAGE not in [item["url"] for item in auditor_nav]


def test_a_summary_reads_as_a_sentence() -> None:
    counts = {"cells": 12, "created": {"reminder": 2}, "resolved": 0, "names": []}
    sentence = "检查台账格：12；新生成提醒：提醒本人 2；已解除：0；文件：无"
    assert jobs.summary_text(counts) == sentence
    assert jobs.summary_text({"mystery": 1}) == "mystery：1"
