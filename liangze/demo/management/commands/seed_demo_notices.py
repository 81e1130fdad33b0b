from collections import Counter
from time import perf_counter
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from liangze.demo import notices as demo
from liangze.orgs.models import Org, OrgLevel


class Command(BaseCommand):
    help = "为演示县生成本年度各种状态的三书（在 seed_demo_lists 之后运行；有无台账演示数据均可）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=timezone.localdate().year)
        parser.add_argument("--once", action="store_true", help="已有三书时什么也不做")

    def handle(self, *args: Any, year: int, once: bool, **options: Any) -> None:
        if once and demo.already_seeded(year):
            self.stdout.write(f"{year} 年度的演示三书已存在，跳过。")
            return
        county = Org.objects.filter(level=OrgLevel.COUNTY).order_by("path").first()
        if county is None:
            self.stdout.write("没有县级组织，请先运行 seed_demo 和 seed_demo_lists。")
            return
        started = perf_counter()
        with transaction.atomic():
            made: Counter[str] = demo.seed_notices(root=county, year=year, on=timezone.localdate())
        if not made:
            self.stdout.write(
                f"{county.name} {year} 年度还没有审核通过的清单或逾期台账，未生成三书。"
            )
            return
        summary = "，".join(f"{what} {n}" for what, n in made.items())
        took = perf_counter() - started
        self.stdout.write(
            f"已为{county.name}生成 {year} 年度演示三书：{summary}，用时 {took:.1f} 秒。"
        )
