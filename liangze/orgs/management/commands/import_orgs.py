from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from liangze.orgs import importing


class Command(BaseCommand):
    help = "导入组织、纪检机构、人员和职务（.xlsx，格式见 docs/import.md）：全部通过检查才写入。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="按模板填写的 .xlsx 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = importing.import_workbook(actor=None, file=options["file"])
        except importing.ImportFailed as failed:
            lines = [str(failed), *map(str, failed.problems)]
            raise CommandError("\n".join(lines)) from None
        self.stdout.write(_("%(name)s 导入完成：") % {"name": report.file_name})
        for counts in report.sheets:
            self.stdout.write(f"  {counts}")
