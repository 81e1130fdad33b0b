import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

# How long the worker may take to finish its task after Ctrl-C before it is killed.
WORKER_STOP_SECONDS = 10


class Command(BaseCommand):
    help = (
        "开发演示用：启动后台任务进程（run_huey，提醒升级、覆盖率重算、周快照按时运行），"
        "再启动开发服务器（runserver）；Ctrl-C 同时停止两者。生产环境请用 gunicorn 与 run_huey。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--noreload", action="store_true", help="代码改动后不自动重启")

    def handle(self, *args: Any, addrport: str, noreload: bool, **options: Any) -> None:
        # runserver's reloader runs this command again in a child with RUN_MAIN set:
        # only the first process starts the worker, and stops it when the server ends.
        if os.environ.get("RUN_MAIN") == "true":
            call_command("runserver", addrport, use_reloader=True)
            return
        manage = settings.BASE_DIR / "manage.py"
        worker = subprocess.Popen([sys.executable, str(manage), "run_huey"])  # noqa: S603
        self.stdout.write(f"后台任务进程已启动（进程号 {worker.pid}）。")
        try:
            call_command("runserver", addrport, use_reloader=not noreload)
        except KeyboardInterrupt:
            pass
        finally:
            worker.terminate()
            try:
                worker.wait(WORKER_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
            self.stdout.write("后台任务进程已停止。")
