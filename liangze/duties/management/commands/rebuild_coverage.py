from time import perf_counter
from typing import Any
from uuid import UUID

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liangze.core import jobs
from liangze.duties.coverage import tallies
from liangze.duties.tasks import JOB
from liangze.orgs.models import Org


class Command(BaseCommand):
    help = (
        "重新统计清单全覆盖的应编制数和已完成数（按各级目录的报送截止日确定在任人员）。"
        "人员任职在导入和目录下发之外发生变动后运行，或每晚定时运行。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            help="年度，可重复；默认为已下发目录的年度和已有统计的年度",
        )
        parser.add_argument("--org", help="只统计这个组织及其下级（组织编号或编码）")

    def handle(self, *args: Any, **options: Any) -> None:
        org = _org(options["org"]) if options["org"] else None
        years = options["year"] or tallies.years_to_count()
        if not years:
            self.stdout.write("没有已下发的目录，无需统计。")
            return
        where = f"{org.name}及其下级" if org else "全部组织"

        def rebuild() -> list[int]:
            for year in years:
                started = perf_counter()
                tallies.rebuild(year, org)
                seconds = perf_counter() - started
                self.stdout.write(f"{year} 年（{where}）：全覆盖统计已重建，用时 {seconds:.1f} 秒")
            return list(years)

        try:
            jobs.run_now(JOB, rebuild, summary=lambda done: {"years": done, "org": where})
        except jobs.JobBusy as busy:
            raise CommandError(str(busy)) from None


def _org(key: str) -> Org:
    try:
        found = Org.objects.filter(code=UUID(key)).first()
    except ValueError:
        found = Org.objects.filter(org_no=key).first()
    if found is None:
        raise CommandError(f"找不到组织：{key}（请填写组织编号或编码）")
    return found
