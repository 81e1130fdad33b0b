import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from liangze.core import audit, backup


def _sm3_of(path: Path) -> str:
    hasher = hashlib.new("sm3")
    with path.open("rb") as archive:
        for chunk in iter(lambda: archive.read(1 << 20), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


class Command(BaseCommand):
    help = "备份：数据库、全部佐证材料文件和密钥写入一个归档文件，附各部分的 SM3 清单。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="归档文件路径（.tar.gz）或目录；默认 var/backups/liangze-<日期时间>.tar.gz",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = f"liangze-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
        output: Path = options["output"] or Path(settings.VAR_DIR) / "backups"
        if output.is_dir() or not options["output"]:
            output = output / name
        try:
            manifest = backup.create(output)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        archive_sm3 = _sm3_of(output)
        head = manifest["audit_head"]
        files = sum(1 for p in manifest["parts"] if p["name"].startswith(backup.FILES))
        audit.record(
            actor=None,
            verb=audit.Verb.BACKUP,
            label=output.name,
            data={"archive": output.name, "sm3": archive_sm3, "audit_head": head, "files": files},
        )
        self.stdout.write(f"备份完成：{output}")
        self.stdout.write(
            f"  数据库：{backup.ENGINE_NAMES[manifest['engine']]}，审计链头 #{head['seq']}"
        )
        self.stdout.write(f"  佐证材料文件：{files} 个")
        self.stdout.write(f"  归档 SM3：{archive_sm3}")
        self.stdout.write("  归档内含密钥（SECRET_KEY），请按涉密介质保管，并复制一份到异地。")
