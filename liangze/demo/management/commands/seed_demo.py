from time import perf_counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liangze.accounts.models import User
from liangze.core import jobs
from liangze.demo import jobs as demo_jobs
from liangze.demo.orgs import loader, logins
from liangze.demo.orgs.generator import SCALES, generate
from liangze.demo.orgs.rows import Builder
from liangze.orgs.models import Org
from liangze.orgs.tree import child_path

SCALE_NAMES = {"county": "县", "city": "市", "province": "省"}
# The first root the generator makes; its presence means the demo is (being) loaded.
DEMO_ROOT_NO = "D" + child_path("", 1)
# The seed's JobRun is its completion mark: without it, a rerun completes a killed seed.
JOB, SLOT = demo_jobs.SEED, "demo"


def _complete() -> bool:
    # The demo users are written last, after the org tree is whole, so they also mark a
    # demo seeded before the JobRun mark existed.
    usernames = [demo.username for demo in logins.DEMO_LOGINS]
    return jobs.is_done(JOB, SLOT) or User.objects.filter(username__in=usernames).exists()


class Command(BaseCommand):
    help = "生成演示数据：组织、纪检机构、人员、职务和演示账号。同一种子生成完全相同的数据。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=SCALES, default="county", help="县、市或省规模")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子")
        parser.add_argument(
            "--once",
            action="store_true",
            help="已生成完毕时什么也不做，上次被中断则续完（make run 每次都调用）",
        )

    def handle(self, *args: Any, scale: str, seed: int, once: bool, **options: Any) -> None:
        if _complete() or (
            Org.objects.exists() and not Org.objects.filter(org_no=DEMO_ROOT_NO).exists()
        ):
            root = Org.objects.filter(org_no=DEMO_ROOT_NO).first()
            if not once:
                raise CommandError("数据库中已有组织数据，不能再生成演示数据：请换一个空数据库。")
            if root is not None:
                self.stdout.write(f"演示数据已存在（{root.name}），跳过。")
            else:
                self.stdout.write("数据库中已有组织数据，不生成演示数据。")
            return
        # Not done: an empty database, or a run killed part-way, which this one completes.
        started = perf_counter()
        builder = Builder(seed)

        def seed_all() -> tuple[loader.Counts, list[str], list[str]]:
            counts = loader.load(builder, generate(builder, scale), resume=True)
            created, kept = logins.create_demo_users(builder)
            return counts, [u.username for u in created], kept

        done = jobs.run_once(JOB, SLOT, seed_all, lambda r: {"orgs": r[0].orgs, "users": r[1]})
        if done is None:
            raise CommandError("另一个进程正在生成演示数据，请等它结束。")
        counts, created, kept = done
        if counts.resumed:
            self.stdout.write(f"上次生成被中断，已续完（{counts.resumed} 批已写入，跳过）。")
        self.stdout.write(
            f"已生成{SCALE_NAMES[scale]}级规模演示数据（种子 {seed}）：组织 {counts.orgs:,}，"
            f"纪检机构 {counts.bodies:,}，人员 {counts.people:,}，职务 {counts.positions:,}，"
            f"演示账号 {len(created)}，用时 {perf_counter() - started:.1f} 秒。"
        )
        if kept:
            self.stdout.write(f"这些账号已存在，未改动：{'、'.join(kept)}")
