"""`make run` serves pages and runs the worker beside them; Ctrl-C stops both."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 90


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def group_commands(pgid: int) -> list[str]:
    """The command lines of the live processes in this process group."""
    commands = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            state, group = fields[0], int(fields[2])
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue
        if group == pgid and state != "Z":
            commands.append(cmdline)
    return commands


def wait_until_serving(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped while starting"
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310  # our own server
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"nothing answered at {url} within {STARTUP_SECONDS} s")


def test_serve_runs_one_worker_beside_the_server_and_ctrl_c_stops_both(tmp_path: Path) -> None:
    port = free_port()
    base = {k: v for k, v in os.environ.items() if not k.startswith("LIANGZE_")}
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=base | {"LIANGZE_DEBUG": "1", "LIANGZE_VAR_DIR": str(tmp_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, as in a terminal
    )
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/readyz", server)
        commands = group_commands(server.pid)
        # The reloader runs the command twice; the worker is started once.
        assert len([c for c in commands if "run_huey" in c]) == 1
        assert len([c for c in commands if " serve " in c]) == 2
        os.killpg(server.pid, signal.SIGINT)  # what Ctrl-C sends
        server.wait(timeout=30)
        deadline = time.monotonic() + 15
        while group_commands(server.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert group_commands(server.pid) == []
    finally:
        if server.poll() is None or group_commands(server.pid):
            os.killpg(server.pid, signal.SIGKILL)
