from collections import Counter
from random import Random
from time import perf_counter
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from liangze.demo import supervision as demo
from liangze.orgs.models import Org, OrgLevel
from liangze.supervision.models import Inspection


class Command(BaseCommand):
    help = (
        "为演示数据中的每个县生成必查单位标记、专项督查（含随机抽取记录、问题和整改）、"
        "逐项过堂和月度随机抽查（在 seed_demo_lists 之后运行）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="随机种子")
        parser.add_argument("--year", type=int, default=timezone.localdate().year)
        parser.add_argument("--once", action="store_true", help="已有检查时什么也不做")

    def handle(self, *args: Any, seed: int, year: int, once: bool, **options: Any) -> None:
        if once and Inspection.objects.filter(year=year).exists():
            self.stdout.write(f"{year} 年度的演示督查检查已存在，跳过。")
            return
        counties = list(Org.objects.filter(level=OrgLevel.COUNTY).order_by("path"))
        if not counties:
            self.stdout.write("没有县级组织，请先运行 seed_demo 和 seed_demo_lists。")
            return
        started = perf_counter()
        rng = Random(seed)  # noqa: S311 — demo data, not secrets
        with transaction.atomic():
            made = sum(
                (demo.seed_inspections(root=county, year=year, rng=rng) for county in counties),
                start=Counter(),
            )
        self.stdout.write(
            f"已生成 {year} 年度演示督查检查 {made['inspections']} 项、必查单位标记 "
            f"{made['flags']} 个，用时 {perf_counter() - started:.1f} 秒。"
        )
