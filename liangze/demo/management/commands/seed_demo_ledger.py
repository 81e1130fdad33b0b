from datetime import date
from random import Random
from time import perf_counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from liangze.demo.ledger import seed_ledger
from liangze.ledger.models import Activity, Rule
from liangze.orgs.models import Org


class Command(BaseCommand):
    help = (
        "为演示县生成本年度截至今天的工作活动、台账进度（含佐证材料）和督促提醒"
        "（在 seed_demo、load_rules、seed_demo_lists 之后运行）。同一种子、同一天生成相同的数据。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="随机种子")
        parser.add_argument("--today", help="按哪一天为“今天”生成（YYYY-MM-DD），默认今天")
        parser.add_argument("--once", action="store_true", help="已有工作活动时什么也不做")

    def handle(self, *args: Any, seed: int, today: str | None, once: bool, **options: Any) -> None:
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"日期格式不正确：{today}（应为 YYYY-MM-DD）") from None
        if Activity.objects.exists():
            if once:
                self.stdout.write("演示台账数据已存在，跳过。")
                return
            raise CommandError("数据库中已有工作活动，不能再生成演示台账数据：请换一个空数据库。")
        if not Org.objects.exists() or not Rule.objects.exists():
            self.stdout.write("没有组织或量化规则，请先运行 seed_demo 和 load_rules。")
            return
        started = perf_counter()
        with transaction.atomic():
            counts = seed_ledger(today=day, rng=Random(seed))  # noqa: S311 — demo data
        activities = sum(n for k, n in counts.items() if k.startswith("activity:"))
        entries = sum(n for k, n in counts.items() if k.startswith("entry:"))
        reminders = sum(
            n for k, n in counts.items() if k.startswith("reminder:") and k != "reminder:read"
        )
        self.stdout.write(
            f"已生成截至 {day:%Y-%m-%d} 的演示台账（种子 {seed}）：工作活动 {activities:,}，"
            f"台账进度 {entries:,}，佐证材料 {counts['evidence']:,}，督促提醒 {reminders:,}"
            f"（其中已阅 {counts['reminder:read']:,}），用时 {perf_counter() - started:.1f} 秒。"
        )
