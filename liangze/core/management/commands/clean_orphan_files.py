from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liangze.core import files, jobs
from liangze.core.tasks import JOB, summary


class Command(BaseCommand):
    help = (
        "删除没有任何记录引用的已存文件（上传时事务回滚、初始化被中断留下的），"
        "只删早于宽限期的文件，以免删掉正在上传的文件。每周定时运行。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        grace = int(files.ORPHAN_GRACE.total_seconds() // 3600)
        parser.add_argument(
            "--hours", type=int, default=grace, help=f"宽限期（小时），默认 {grace}"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["hours"] < 1:
            raise CommandError("--hours 至少为 1：更短的宽限期可能删掉正在上传的文件。")
        grace = timedelta(hours=options["hours"])
        try:
            counts = jobs.run_now(JOB, lambda: files.orphan_files_clean(grace=grace), summary)
        except jobs.JobBusy as busy:
            raise CommandError(str(busy)) from None
        self.stdout.write(
            f"已删除孤立文件 {counts.removed} 个；宽限期内暂留 {counts.recent} 个；"
            f"仍被引用 {counts.kept} 个。"
        )
        for name in counts.names:
            self.stdout.write(f"  {name}")
