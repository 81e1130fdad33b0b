from collections import Counter
from random import Random
from time import perf_counter
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from liangze.demo import duties as demo
from liangze.duties.models import DutyList
from liangze.orgs.models import Org, OrgLevel


class Command(BaseCommand):
    help = (
        "为演示数据中的每个县生成本年度的责任清单：一月起草，二月报送审核，二三月公示，"
        "日期相对今天（在 seed_demo 之后运行）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="随机种子")
        parser.add_argument("--once", action="store_true", help="已有清单时什么也不做")

    def handle(self, *args: Any, seed: int, once: bool, **options: Any) -> None:
        today = timezone.localdate()
        year = today.year
        if once and DutyList.objects.filter(year=year).exists():
            self.stdout.write(f"{year} 年度的演示清单已存在，跳过。")
            return
        counties = list(Org.objects.filter(level=OrgLevel.COUNTY).order_by("path"))
        if not counties:
            self.stdout.write("没有县级组织，请先运行 seed_demo。")
            return
        started = perf_counter()
        rng = Random(seed)  # noqa: S311 — demo data, not secrets
        made: Counter[str] = Counter()
        late = 0
        with transaction.atomic():
            for county in counties:
                told = demo.seed_lists(root=county, year=year, rng=rng, today=today)
                made += told.counts
                late += len(told.late)
        states = "，".join(f"{state} {n}" for state, n in sorted(made.items()))
        self.stdout.write(
            f"已生成 {year} 年度演示清单 {sum(made.values())} 份（{states}；"
            f"其中逾期 {late} 份），用时 {perf_counter() - started:.1f} 秒。"
        )
