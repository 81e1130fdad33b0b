import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection

from liangze.core import audit, backup, integrity


def _head_or_none() -> tuple[int, str] | None:
    """The head being replaced; a blank database has none."""
    try:
        return audit.head()
    except DatabaseError:
        return None


class Command(BaseCommand):
    help = "恢复备份：核对每一部分的 SM3，恢复数据库和文件，然后校验审计链、签字摘要和佐证材料。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="manage.py backup 生成的归档文件")
        parser.add_argument("--yes", action="store_true", help="不再询问，直接恢复")

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["path"]
        with tempfile.TemporaryDirectory(prefix=".liangze-restore-", dir=settings.VAR_DIR) as work:
            try:
                opened = backup.unpack(archive, Path(work))
            except backup.BackupError as error:
                raise CommandError(str(error)) from error
            self._check_engine(opened.engine)
            manifest = opened.manifest
            self.stdout.write(
                f"备份时间：{manifest['created_at']}，版本：{manifest['version'] or '未知'}"
            )
            self.stdout.write(f"各部分 SM3 核对无误：数据库、密钥和 {len(opened.files)} 个文件。")
            if (
                not options["yes"]
                and input("恢复将覆盖当前数据库和同名文件。输入 yes 继续：") != "yes"
            ):
                raise CommandError("已取消，没有做任何改动。")
            replaced = _head_or_none()
            try:
                backup.load_database(opened.path(backup.DUMPS[opened.engine]))
                restored_files = backup.restore_files(opened)
            except backup.BackupError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"已恢复数据库和 {restored_files} 个文件。")
            self._record(archive, manifest, replaced)
            self._secret_key(opened.secret_key())
        self._verify()

    def _check_engine(self, engine: str) -> None:
        here = connection.vendor
        if engine != here:
            names = backup.ENGINE_NAMES
            raise CommandError(
                f"这是 {names[engine]} 数据库的备份，当前配置的是 {names.get(here, here)}，"
                "不能直接恢复。请先恢复到同类数据库，再用 manage.py migrate_database 迁移。"
            )

    def _record(
        self, archive: Path, manifest: dict[str, Any], replaced: tuple[int, str] | None
    ) -> None:
        """Leave the rewind in the trail: the restored head and the one it replaced."""
        seq, digest = audit.head()
        event = audit.record(
            actor=None,
            verb=audit.Verb.RESTORE,
            label=archive.name,
            data={
                "archive": archive.name,
                "backup_created_at": manifest["created_at"],
                "backup_head": {"seq": seq, "digest": digest},
                "replaced_head": {"seq": replaced[0], "digest": replaced[1]} if replaced else None,
            },
        )
        if replaced and replaced[0] > seq:
            self.stdout.write(
                self.style.WARNING(
                    f"审计链已回退：恢复前记录到序号 {replaced[0]}，备份只到序号 {seq}；"
                    f"回退已记入审计日志（序号 {event.seq}）。"
                )
            )

    def _secret_key(self, key: str) -> None:
        if key == settings.SECRET_KEY:
            self.stdout.write("备份中的密钥与当前密钥一致。")
            return
        path = Path(settings.VAR_DIR) / "secret_key.restored"
        path.write_text(key)
        path.chmod(0o600)
        self.stdout.write(
            self.style.WARNING(
                f"备份中的密钥与当前密钥不同，已写入 {path}（仅本账号可读）。"
                f"要沿用备份时的密钥，请设置 LIANGZE_SECRET_KEY_FILE={path} 后重启应用和任务进程。"
            )
        )

    def _verify(self) -> None:
        results = integrity.verify()
        self.stdout.write("恢复后校验：")
        for line in integrity.report(results):
            self.stdout.write(line)
        if not all(r.ok for r in results):
            raise CommandError("恢复完成，但校验发现问题（见上）。")
        self.stdout.write(self.style.SUCCESS("全部校验通过。"))
