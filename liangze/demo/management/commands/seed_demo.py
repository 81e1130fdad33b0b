from time import perf_counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liangze.demo.orgs import loader, logins
from liangze.demo.orgs.generator import SCALES, generate
from liangze.demo.orgs.rows import Builder
from liangze.orgs.models import Org
from liangze.orgs.tree import child_path

SCALE_NAMES = {"county": "县", "city": "市", "province": "省"}
# The first root the generator makes; its presence means the demo is loaded.
DEMO_ROOT_NO = "D" + child_path("", 1)


class Command(BaseCommand):
    help = "生成演示数据：组织、纪检机构、人员、职务和演示账号。同一种子生成完全相同的数据。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=SCALES, default="county", help="县、市或省规模")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子")
        parser.add_argument(
            "--once", action="store_true", help="已有数据时什么也不做（make run 每次都调用）"
        )

    def handle(self, *args: Any, scale: str, seed: int, once: bool, **options: Any) -> None:
        if Org.objects.exists():
            root = Org.objects.filter(org_no=DEMO_ROOT_NO).first()
            if not once:
                raise CommandError("数据库中已有组织数据，不能再生成演示数据：请换一个空数据库。")
            if root is not None:
                self.stdout.write(f"演示数据已存在（{root.name}），跳过。")
            else:
                self.stdout.write("数据库中已有组织数据，不生成演示数据。")
            return
        started = perf_counter()
        builder = Builder(seed)
        counts = loader.load(builder, generate(builder, scale))
        created, kept = logins.create_demo_users(builder)
        self.stdout.write(
            f"已生成{SCALE_NAMES[scale]}级规模演示数据（种子 {seed}）：组织 {counts.orgs:,}，"
            f"纪检机构 {counts.bodies:,}，人员 {counts.people:,}，职务 {counts.positions:,}，"
            f"演示账号 {len(created)}，用时 {perf_counter() - started:.1f} 秒。"
        )
        if kept:
            self.stdout.write(f"这些账号已存在，未改动：{'、'.join(kept)}")
