from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from liangze.core import jobs
from liangze.supervision.models import Reminder
from liangze.supervision.reminders.services import run_escalation
from liangze.supervision.tasks import JOB, summary


class Command(BaseCommand):
    help = (
        "按督促升级阶梯，由台账和量化指标生成提醒、约谈建议和督办书草稿；"
        "同一天重复执行不会重复生成。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按哪一天计算（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError(f"日期格式不正确：{options['date']}（应为 YYYY-MM-DD）") from None
        try:
            counts = jobs.run_now(JOB, lambda: run_escalation(on=on), summary)
        except jobs.JobBusy as busy:
            raise CommandError(str(busy)) from None
        self.stdout.write(
            f"{on:%Y-%m-%d}：检查台账 {counts.cells} 格、量化指标 {counts.figures} 项"
        )
        for step in Reminder.Step:
            self.stdout.write(f"  {step.label}：新生成 {counts.created[step.value]} 条")
