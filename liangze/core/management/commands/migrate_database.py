from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from liangze.core import integrity, transfer

SOURCE, TARGET = "migrate_source", "migrate_target"


class Command(BaseCommand):
    help = (
        "把全部数据迁到另一个数据库（如 SQLite → PostgreSQL），保留主键和微秒级时间；"
        "迁移前后都校验审计链、签字摘要和佐证材料。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to", required=True, help="目标数据库 URL，如 postgres://用户@主机:5432/库名"
        )
        parser.add_argument("--from", dest="source", help="源数据库 URL，默认为当前配置的数据库")
        parser.add_argument("--force", action="store_true", help="目标库已有数据时清空后再迁移")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        source = "default"
        if options["source"]:
            transfer.connect(SOURCE, options["source"])
            source = SOURCE
        transfer.connect(TARGET, options["to"])
        try:
            self._migrate(source, options["force"], options["batch_size"])
        finally:
            transfer.disconnect(TARGET)
            if source == SOURCE:
                transfer.disconnect(SOURCE)

    def _migrate(self, source: str, force: bool, batch_size: int) -> None:
        if transfer.same_database(source, TARGET):
            raise CommandError("目标数据库就是源数据库，不能迁移到自身。")
        self._verify("源数据库", source)
        call_command("migrate", database=TARGET, interactive=False, verbosity=0)
        filled = transfer.tables_with_rows(TARGET)
        if filled and not force:
            raise CommandError(
                f"目标数据库已有数据（{'、'.join(filled[:5])}{' 等' if len(filled) > 5 else ''}），"
                "拒绝覆盖。确认要清空目标库再迁移，请加 --force。"
            )
        call_command(
            "flush", database=TARGET, interactive=False, inhibit_post_migrate=True, verbosity=0
        )
        counts = transfer.copy_rows(source, TARGET, batch_size)
        self.stdout.write(f"已复制 {len(counts)} 张表、{sum(counts.values())} 行。")
        self._verify("目标数据库", TARGET)
        self.stdout.write(self.style.SUCCESS("迁移完成：源库与目标库校验均通过。"))

    def _verify(self, label: str, using: str) -> None:
        results = integrity.verify(using)
        self.stdout.write(f"{label}校验：")
        for line in integrity.report(results):
            self.stdout.write(line)
        if not all(r.ok for r in results):
            raise CommandError(f"{label}校验未通过（见上），迁移中止。")
