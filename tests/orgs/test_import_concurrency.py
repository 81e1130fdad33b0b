"""A long org import on SQLite while twenty clerks log in and record activities: no one fails.

The server is gunicorn and the import is manage.py, each in its own process, on one
database file: SQLite's single writer as production has it, not the test's in-memory
database.
"""

import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, OpenerDirector, build_opener

import pytest
from django.db import connection
from django.utils import timezone
from openpyxl import Workbook

from liangze.ledger.models import Activity
from liangze.orgs.models import ImportRun, Org
from tests.fixtures.county import PASSWORD, County, person_of
from tests.production.cluster import free_port

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="measures SQLite's single writer; servers queue"
    ),
]

WRITERS = 20
BRANCHES = 200  # under each of 100 new county offices: 20,100 new orgs
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def big_workbook(path: Path) -> int:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("组织")
    sheet.append(["组织编号", "名称", "类型", "层级", "上级组织编号", "排序"])
    rows = 0
    for office in range(100):
        sheet.append([f"B{office}", f"县直机关{office}党委", "党委", "部门", "C", office])
        for branch in range(BRANCHES):
            no = f"B{office}-{branch}"
            sheet.append([no, f"第{office}-{branch}党支部", "党支部", "支部", f"B{office}", branch])
        rows += 1 + BRANCHES
    book.save(path)
    return rows


class NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None  # the 302 itself is the answer under test


def status_of(
    opener: OpenerDirector, url: str, data: dict[str, Any] | None = None
) -> tuple[int, str]:
    body = urlencode(data, doseq=True).encode() if data is not None else None
    try:
        with opener.open(url, body, timeout=60) as response:
            return response.status, response.read().decode()
    except HTTPError as error:
        return error.code, error.read().decode()


def csrf(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


@pytest.fixture
def server(county: County, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """gunicorn on a copy of the test database in a file, and the environment to reach it."""
    target = sqlite3.connect(tmp_path / "liangze.sqlite3")
    connection.ensure_connection()
    connection.connection.backup(target)
    target.close()
    env = {
        **os.environ,
        "LIANGZE_VAR_DIR": str(tmp_path),
        "LIANGZE_SECRET_KEY": "concurrency-test-key-" + "x" * 40,
        "LIANGZE_DEBUG": "",
    }
    env.pop("LIANGZE_DATABASE_URL", None)
    # Production serves what collectstatic hashed and compressed into var/.
    subprocess.run(  # noqa: S603 — our own command, fixed arguments
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 — our own server, fixed arguments
        [str(BIN / "gunicorn"), "liangze.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "2", "--threads", "10", "--timeout", "120"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if status_of(build_opener(), f"{base}/accounts/login/")[0] == 200:
                    break
            except URLError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
        yield base, env
    finally:
        process.terminate()
        process.wait(timeout=30)


def clerk(base: str, county: County, number: int) -> str:
    """Logs in and records an activity, as a clerk would; the subject saved."""
    opener = build_opener(HTTPCookieProcessor(CookieJar()), NoRedirect)
    _, page = status_of(opener, f"{base}/accounts/login/")
    credentials = {"username": county.township_secretary.username, "password": PASSWORD}
    status, page = status_of(
        opener, f"{base}/accounts/login/", {**credentials, "csrfmiddlewaretoken": csrf(page)}
    )
    assert status == 302, (status, page[:300])
    _, page = status_of(opener, f"{base}/ledger/activities/new/")
    subject = f"并发谈话{number}"
    form = {
        "csrfmiddlewaretoken": csrf(page),
        "kind": "talk",
        "held_on": timezone.localdate().isoformat(),
        "host": person_of(county.township_secretary).pk,
        "participants": [person_of(county.township_member).pk],
        "subject": subject,
    }
    status, page = status_of(opener, f"{base}/ledger/activities/new/", form)
    assert status == 302, (status, page[:300])
    return subject


def rows_written(database: Path) -> int:
    """How far the import's batches have come, as another process sees it."""
    with sqlite3.connect(database) as db:
        found = db.execute(f"SELECT rows_done FROM {ImportRun._meta.db_table}").fetchone()  # noqa: S608
        return found[0] if found else -1


def test_it_loses_no_login_or_activity_while_a_big_file_imports(
    county: County, server: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    base, env = server
    database = tmp_path / "liangze.sqlite3"
    rows = big_workbook(tmp_path / "big.xlsx")
    saved: list[str] = []
    errors: list[BaseException] = []

    def run(number: int) -> None:
        try:
            saved.append(clerk(base, county, number))
        except BaseException as error:  # noqa: BLE001 — reported by the assertion below
            errors.append(error)

    # Half while the file is read and checked, half while its batches are written.
    threads = [threading.Thread(target=run, args=(n,)) for n in range(WRITERS)]
    command = [sys.executable, "manage.py", "import_orgs", str(tmp_path / "big.xlsx")]
    with subprocess.Popen(  # noqa: S603 — our own command, fixed arguments
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as job:
        for thread in threads[: WRITERS // 2]:
            thread.start()
        while rows_written(database) <= 0 and job.poll() is None:
            time.sleep(0.05)
        assert job.poll() is None, "the import ended before the writers could meet its batches"
        for thread in threads[WRITERS // 2 :]:
            thread.start()
        output, _ = job.communicate(timeout=240)
        for thread in threads:
            thread.join(timeout=120)

    assert job.returncode == 0, output
    assert errors == []
    with sqlite3.connect(database) as db:
        activities = f"SELECT subject FROM {Activity._meta.db_table} WHERE subject LIKE '并发%'"  # noqa: S608
        orgs = f"SELECT COUNT(*) FROM {Org._meta.db_table} WHERE org_no LIKE 'B%'"  # noqa: S608
        runs = f"SELECT state, rows_done FROM {ImportRun._meta.db_table}"  # noqa: S608
        assert sorted(s for (s,) in db.execute(activities)) == sorted(saved)
        assert db.execute(orgs).fetchone() == (rows,)
        assert db.execute(runs).fetchall() == [("done", rows)]
    assert len(saved) == WRITERS
