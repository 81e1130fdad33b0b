from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from liangze.dashboard.models import WarningSnapshot
from liangze.dashboard.services import monday, warning_snapshot_backfill
from liangze.orgs.models import Org, OrgLevel


class Command(BaseCommand):
    help = (
        "为演示县补生成本年度每周的预警快照（在演示清单和台账数据之后运行），"
        "使监督看板的趋势图有一年的数据。没有台账演示数据时也可运行。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="补到哪一天（YYYY-MM-DD），默认今天")
        parser.add_argument("--once", action="store_true", help="本年度已有快照时什么也不做")

    def handle(self, *args: Any, once: bool, **options: Any) -> None:
        on = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        start = date(on.year, 1, 1)
        if once and WarningSnapshot.objects.filter(week__gte=monday(start)).exists():
            self.stdout.write(f"{on.year} 年度的预警快照已存在，跳过。")
            return
        if not Org.objects.filter(level=OrgLevel.COUNTY).exists():
            self.stdout.write("没有县级组织，请先运行 seed_demo。")
            return
        taken = warning_snapshot_backfill(actor=None, start=start, end=on)
        units = sum(c.units for c in taken)
        people = sum(c.people for c in taken)
        seconds = sum(c.seconds for c in taken)
        self.stdout.write(
            f"已生成 {on.year} 年度 {len(taken)} 周的预警快照：单位 {units} 行、人员 {people} 行，"
            f"用时 {seconds:.1f} 秒。"
        )
