from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Max
from django.utils import timezone

from liangze.core import jobs
from liangze.dashboard.models import WarningSnapshot
from liangze.dashboard.services import SnapshotCounts, monday, warning_snapshot_backfill
from liangze.demo import jobs as demo_jobs
from liangze.orgs.models import Org, OrgLevel

# The year's JobRun marks the backfill complete; a killed one is resumed by the next --once.
JOB = demo_jobs.DASHBOARD


class Command(BaseCommand):
    help = (
        "为演示县补生成本年度每周的预警快照（在演示清单和台账数据之后运行），"
        "使监督看板的趋势图有一年的数据。没有台账演示数据时也可运行。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="补到哪一天（YYYY-MM-DD），默认今天")
        parser.add_argument(
            "--once", action="store_true", help="本年度快照已生成完毕时什么也不做；上次被中断则续完"
        )

    def handle(self, *args: Any, once: bool, **options: Any) -> None:
        on = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        start = date(on.year, 1, 1)
        slot = str(on.year)
        if once and jobs.is_done(JOB, slot):
            self.stdout.write(f"{on.year} 年度的预警快照已存在，跳过。")
            return
        if not Org.objects.filter(level=OrgLevel.COUNTY).exists():
            self.stdout.write("没有县级组织，请先运行 seed_demo。")
            return
        if once:
            # Weeks are taken in order: those before the latest one present are complete,
            # and the latest, perhaps cut short by a kill, is taken again.
            latest = WarningSnapshot.objects.filter(week__gte=monday(start)).aggregate(
                m=Max("week")
            )["m"]
            start = max(start, latest or start)

        def backfill() -> list[SnapshotCounts]:
            return warning_snapshot_backfill(actor=None, start=start, end=on)

        def summary(taken: list[SnapshotCounts]) -> dict[str, Any]:
            return {"weeks": len(taken), "from": start.isoformat(), "to": on.isoformat()}

        try:
            taken = (
                jobs.run_once(JOB, slot, backfill, summary)
                if once
                else jobs.run_now(JOB, backfill, summary)
            )
        except jobs.JobBusy as busy:
            raise CommandError(str(busy)) from None
        if taken is None:
            raise CommandError("另一个进程正在生成演示预警快照，请等它结束。")
        units = sum(c.units for c in taken)
        people = sum(c.people for c in taken)
        seconds = sum(c.seconds for c in taken)
        self.stdout.write(
            f"已生成 {on.year} 年度 {len(taken)} 周的预警快照：单位 {units} 行、人员 {people} 行，"
            f"用时 {seconds:.1f} 秒。"
        )
