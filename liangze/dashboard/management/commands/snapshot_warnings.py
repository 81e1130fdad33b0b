from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from liangze.core import jobs
from liangze.dashboard.services import (
    SnapshotCounts,
    warning_snapshot_backfill,
    warning_snapshot_take,
)
from liangze.dashboard.tasks import JOB, summary
from liangze.dashboard.warning import ScaleError
from liangze.orgs.models import DisciplineBody


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{name} 日期格式不正确：{value}（应为 YYYY-MM-DD）") from None


class Command(BaseCommand):
    help = (
        "生成每周预警快照（四色预警）：每个单位和责任人一行，同一周重复执行会替换该周的快照。"
        "可用 --backfill-from 补生成此前各周。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help="按哪一天计算（YYYY-MM-DD），默认今天；快照记在该日所在的周"
        )
        parser.add_argument(
            "--backfill-from", help="从这一天所在的周起，逐周补生成到 --date（YYYY-MM-DD）"
        )
        parser.add_argument("--body", help="只生成该纪检机构（编号）监督范围内的单位，默认全部")

    def handle(self, *args: Any, **options: Any) -> None:
        on = _day(options["date"], "--date") or timezone.localdate()
        start = _day(options["backfill_from"], "--backfill-from")
        if start is not None and start > on:
            raise CommandError("--backfill-from 不能晚于 --date。")
        body = None
        if options["body"]:
            body = DisciplineBody.objects.filter(body_no=options["body"]).first()
            if body is None:
                raise CommandError(f"没有编号为 {options['body']} 的纪检机构。")

        def take() -> list[SnapshotCounts]:
            if start is None:
                return [warning_snapshot_take(actor=None, on=on, body=body)]
            return warning_snapshot_backfill(actor=None, start=start, end=on, body=body)

        try:
            taken = jobs.run_now(JOB, take, lambda weeks: {"weeks": [summary(c) for c in weeks]})
        except (ScaleError, jobs.JobBusy) as error:
            raise CommandError(str(error)) from None
        for counts in taken:
            self._report(counts)

    def _report(self, counts: SnapshotCounts) -> None:
        colours = "，".join(f"{k} {v}" for k, v in sorted(counts.colours.items()))
        self.stdout.write(
            f"{counts.week:%Y-%m-%d} 周：单位 {counts.units}（{colours}），"
            f"人员 {counts.people}，用时 {counts.seconds:.1f} 秒"
        )
