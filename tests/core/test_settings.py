import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from huey.contrib.djhuey import HUEY

ROOT = Path(__file__).resolve().parents[2]
SHANGHAI = ZoneInfo("Asia/Shanghai")
SETUP = (
    "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
)


def start(tmp_path: Path, code: str = SETUP, **env: str) -> subprocess.CompletedProcess[str]:
    """`code` in a fresh process (not under pytest), with only these LIANGZE_ variables."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("LIANGZE_")}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "liangze.settings"}
        | {"LIANGZE_VAR_DIR": str(tmp_path)}
        | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    done = start(tmp_path, code="import liangze.wsgi")  # what gunicorn loads
    assert done.returncode != 0
    assert "必须设置 LIANGZE_SECRET_KEY" in done.stderr
    assert "needs LIANGZE_SECRET_KEY" in done.stderr
    assert not (tmp_path / "secret_key").exists()


def test_production_commands_that_sign_nothing_run_without_a_key(tmp_path: Path) -> None:
    done = start(tmp_path, code="import django; django.setup(); print('ready')")
    assert done.stdout.strip() == "ready"


def test_production_takes_the_key_from_the_environment_or_a_file(tmp_path: Path) -> None:
    assert start(tmp_path, LIANGZE_SECRET_KEY="k" * 50).stdout.strip() == "k" * 50
    key_file = tmp_path / "key"
    key_file.write_text("f" * 50 + "\n")
    done = start(tmp_path, LIANGZE_SECRET_KEY_FILE=str(key_file))
    assert done.stdout.strip() == "f" * 50
    missing = start(tmp_path, LIANGZE_SECRET_KEY_FILE=str(tmp_path / "none"))
    assert "无法读取密钥文件" in missing.stderr


def test_development_keeps_a_key_of_its_own_in_var(tmp_path: Path) -> None:
    first = start(tmp_path, LIANGZE_DEBUG="1").stdout
    assert first == start(tmp_path, LIANGZE_DEBUG="1").stdout
    assert (tmp_path / "secret_key").read_text().strip() == first.strip()


def test_processes_of_one_machine_share_the_cache_without_redis(tmp_path: Path) -> None:
    """What one process (a worker's recount) caches, another (the web) reads."""
    setup = "import django; django.setup(); from django.core.cache import cache; "
    start(tmp_path, code=setup + "cache.set('seen', 42)", LIANGZE_SECRET_KEY="k" * 50)
    done = start(tmp_path, code=setup + "print(cache.get('seen'))", LIANGZE_SECRET_KEY="k" * 50)
    assert done.stdout.strip() == "42"
    assert (tmp_path / "cache").is_dir()


@pytest.mark.parametrize(
    ("task", "beijing"),
    [
        ("recount_coverage", datetime(2026, 12, 3, 2, 30, tzinfo=SHANGHAI)),
        ("escalate_daily", datetime(2026, 12, 3, 7, 30, tzinfo=SHANGHAI)),
        ("snapshot_weekly", datetime(2026, 11, 30, 5, 30, tzinfo=SHANGHAI)),  # a Monday
        ("clean_orphan_files", datetime(2026, 11, 29, 4, 0, tzinfo=SHANGHAI)),  # a Sunday
    ],
)
def test_scheduled_jobs_fire_at_their_beijing_time(task: str, beijing: datetime) -> None:
    import liangze.core.tasks
    import liangze.dashboard.tasks
    import liangze.duties.tasks
    import liangze.supervision.tasks  # noqa: F401  # register the periodic tasks

    def due(moment: datetime) -> set[str]:
        # What the consumer does each minute, with its clock's reading (naive local time).
        return {t.name for t in HUEY.read_periodic(moment.replace(tzinfo=None))}

    assert task in due(beijing)
    # Eight hours later is when a UTC schedule would have fired it.
    assert task not in due(beijing + timedelta(hours=8))


def test_the_queue_reads_the_beijing_clock() -> None:
    assert HUEY.utc is False
    beijing_now = datetime.now(SHANGHAI).replace(tzinfo=None)
    assert abs(HUEY._get_timestamp() - beijing_now) < timedelta(seconds=5)


def test_tests_serve_static_sources_and_share_no_cache() -> None:
    assert str(settings.STORAGES["staticfiles"]["BACKEND"]).endswith(".StaticFilesStorage")
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
