"""A province installation on this machine: hosts as processes, one PostgreSQL, one Redis.

Each host is a gunicorn app server and/or a huey worker (`manage.py run_huey`) with a
LIANGZE_VAR_DIR of its own, sharing what a province shares: the database (a fresh
PostgreSQL database, dropped afterwards), a Redis database (flushed before and after),
the secret key and the evidence directory. Used by tests/production/test_multihost.py
and bench/burst.py.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
REDIS_URL = os.environ.get("LIANGZE_TEST_REDIS", "redis://127.0.0.1:6379")
READY_SECONDS = 60


def postgres_admin_url(database_url: str) -> str:
    """The same server, its `postgres` database: where databases are created and dropped."""
    parts = urlsplit(database_url)
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))


def redis_answers(url: str = REDIS_URL) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Host:
    name: str
    env: dict[str, str]
    url: str = ""


@dataclass
class Cluster:
    database_url: str
    redis_url: str
    workdir: Path
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    processes: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)

    @property
    def media_root(self) -> Path:
        return self.workdir / "shared-media"

    def host(self, name: str) -> Host:
        var_dir = self.workdir / name
        var_dir.mkdir(exist_ok=True)
        # The caller's LIANGZE_* (a developer's DEBUG, the test database) must not leak in.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LIANGZE_", "PYTEST_"))}
        env |= {
            "LIANGZE_VAR_DIR": str(var_dir),
            "LIANGZE_DATABASE_URL": self.database_url,
            "LIANGZE_REDIS_URL": self.redis_url,
            "LIANGZE_SECRET_KEY": self.secret_key,
            "LIANGZE_MEDIA_ROOT": str(self.media_root),
            "LIANGZE_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SETTINGS_MODULE": "liangze.settings",
        }
        return Host(name, env)

    def manage(self, host: Host, *args: str, timeout: float = 300) -> str:
        """Run a management command on `host`; its stdout, or an error carrying its output."""
        done = subprocess.run(  # noqa: S603 — our own manage.py with fixed arguments
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=host.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {args[0]} on {host.name}: {done.stdout}{done.stderr}")
        return done.stdout

    def log(self, host: Host, role: str) -> Path:
        return self.workdir / f"{host.name}-{role}.log"

    def _start(self, host: Host, role: str, command: list[str]) -> None:
        with self.log(host, role).open("wb") as log:
            # A session of its own: the finalizer kills gunicorn's and huey's children too.
            process = subprocess.Popen(  # noqa: S603 — our own servers with fixed arguments
                command,
                cwd=ROOT,
                env=host.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append((f"{host.name}-{role}", process))

    def start_web(self, host: Host, workers: int = 2) -> None:
        # An app server serves what it collected (hashed, compressed) into its own var/.
        self.manage(host, "collectstatic", "--noinput", "-v0")
        host.url = f"http://127.0.0.1:{free_port()}"
        bind = host.url.removeprefix("http://")
        command = [GUNICORN, "liangze.wsgi:application", "-b", bind, "-w", str(workers)]
        self._start(host, "web", [*command, "--timeout", "120"])

    def start_worker(self, host: Host) -> None:
        self._start(host, "worker", [PYTHON, "manage.py", "run_huey"])

    def wait_ready(self, *hosts: Host) -> None:
        """Until every app server answers its login page; fail with the log of one that died."""
        deadline = time.monotonic() + READY_SECONDS
        for host in hosts:
            while True:
                self.check_alive()
                try:
                    with urllib.request.urlopen(f"{host.url}/accounts/login/", timeout=5) as r:  # noqa: S310
                        if r.status == 200:
                            break
                except OSError:  # refused, reset or timed out: not up yet
                    pass
                if time.monotonic() > deadline:
                    log = self.log(host, "web").read_text()
                    raise RuntimeError(f"{host.name} not ready:\n{log}")
                time.sleep(0.3)

    def check_alive(self) -> None:
        for name, process in self.processes:
            if process.poll() is not None:
                log = (self.workdir / f"{name}.log").read_text(errors="replace")
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{log[-3000:]}")

    def stop(self) -> None:
        for _, process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for _, process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()


@contextmanager
def cluster(database_url: str, redis_db: int, prefix: str) -> Iterator[Cluster]:
    """A fresh database `<prefix><random>` on `database_url`'s server and Redis db `redis_db`,
    both emptied afterwards with the hosts' processes and directories."""
    admin = postgres_admin_url(database_url)
    name = f"{prefix}{secrets.token_hex(4)}"
    parts = urlsplit(database_url)
    url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
    shared_redis = f"{REDIS_URL}/{redis_db}"
    store = redis.Redis.from_url(shared_redis)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    store.flushdb()
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    hosts = Cluster(url, shared_redis, workdir)
    try:
        yield hosts
    finally:
        hosts.stop()
        store.flushdb()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(workdir, ignore_errors=True)
