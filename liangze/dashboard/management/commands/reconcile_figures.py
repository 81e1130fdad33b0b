from time import perf_counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from liangze.dashboard.reconcile import reconcile
from liangze.orgs.models import Org


class Command(BaseCommand):
    help = (
        "数字准核对：从原始记录逐单位、逐期间重新计算量化指标、台账和清单覆盖，"
        "与页面的统计逐项比对；有不一致时列出并以非零状态退出。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", help="核对该组织（编号）及其下级，默认最上级组织")
        parser.add_argument("--year", type=int, help="年度，默认今年")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"] or timezone.localdate().year
        roots = Org.objects.filter(org_no=options["org"]) if options["org"] else None
        root = (roots or Org.objects.filter(parent__isnull=True)).order_by("path").first()
        if root is None:
            raise CommandError(f"找不到组织：{options['org'] or '（无组织）'}")
        started = perf_counter()
        found = reconcile(root, year)
        took = perf_counter() - started
        for mismatch in found:
            self.stdout.write(str(mismatch))
        summary = f"{root.name} {year}年：不一致 {len(found)} 项（用时 {took:.1f} 秒）"
        if found:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
