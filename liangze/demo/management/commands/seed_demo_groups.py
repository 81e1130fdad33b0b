from time import perf_counter
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from liangze.demo.groups import seed_groups
from liangze.orgs.models import LeadingGroup, Org, OrgLevel


class Command(BaseCommand):
    help = (
        "为演示数据中的每个县成立纪委“两书上会”警示教育活动领导小组和教育局落实党风廉政建设"
        "责任制领导小组，按现任职务安排组长、副组长、成员和办公室主任（在 seed_demo 之后运行）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="已有领导小组时什么也不做")

    def handle(self, *args: Any, once: bool, **options: Any) -> None:
        if once and LeadingGroup.objects.exists():
            self.stdout.write("演示领导小组已存在，跳过。")
            return
        counties = list(Org.objects.filter(level=OrgLevel.COUNTY).order_by("path"))
        if not counties:
            self.stdout.write("没有县级组织，请先运行 seed_demo。")
            return
        started = perf_counter()
        with transaction.atomic():
            made = sum(seed_groups(county) for county in counties)
        self.stdout.write(f"已成立演示领导小组 {made} 个，用时 {perf_counter() - started:.1f} 秒。")
