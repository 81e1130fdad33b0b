from typing import Any

from django.core.management.base import BaseCommand, CommandError

from liangze.core import audit
from liangze.core.models import AuditEvent


class Command(BaseCommand):
    help = "校验审计日志的 SM3 链：报告第一处断裂。"

    def handle(self, *args: Any, **options: Any) -> None:
        broken = audit.find_break()
        if broken:
            raise CommandError(f"审计链在序号 {broken.seq} 处断裂：{broken.reason}")
        self.stdout.write(f"审计链完整：共 {AuditEvent.objects.count()} 条事件。")
