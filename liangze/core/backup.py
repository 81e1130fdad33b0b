"""One archive holds everything a site needs back: the database, the evidence files, the key.

The database is dumped by its own engine (SQLite's online backup, `pg_dump`), so a
backup is safe while the application runs; the files are read through the storage
API, so a shared filesystem and object storage are backed up alike. The manifest
carries the SM3 of every part: a restore refuses an archive that changed.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections
from django.utils import timezone

from liangze.core import audit

MANIFEST = "manifest.json"
KEY_PART = "secret_key"
FILES = "files/"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
FORMAT = 1


class BackupError(Exception):
    """A refusal with the reason to show the operator."""


@dataclass(frozen=True)
class Part:
    name: str
    sm3: str
    size: int


class _Hashing(io.RawIOBase):
    """Reads through to `source` and keeps the SM3 and size of what passed."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.hasher = hashlib.new("sm3")
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.hasher.update(chunk)
        self.size += len(chunk)
        return chunk


def _vendor(using: str = "default") -> str:
    vendor = connections[using].vendor
    if vendor not in DUMPS:
        raise BackupError(f"不支持备份 {vendor} 数据库，只支持 SQLite 和 PostgreSQL。")
    return vendor


def _pg_env(using: str) -> tuple[list[str], dict[str, str]]:
    """libpq arguments and environment for the configured PostgreSQL database."""
    conf = connections[using].settings_dict
    args = ["--dbname", conf["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if conf.get(key):
            args += [flag, str(conf[key])]
    env = dict(os.environ)
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = conf["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)  # noqa: S603
    except FileNotFoundError as error:
        raise BackupError(
            f"找不到 {command[0]}：请安装与数据库服务器同版本的 PostgreSQL 客户端。"
        ) from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} 失败：{error.stderr.strip()}") from error


def dump_database(target: Path, using: str = "default") -> None:
    if _vendor(using) == "sqlite":
        connection = connections[using]
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            # The online backup API copies a consistent snapshot while others write.
            connection.connection.backup(copy)
        copy.close()
        return
    args, env = _pg_env(using)
    _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], env)


def load_database(source: Path, using: str = "default") -> None:
    """Replace the whole database with the dump, all or nothing."""
    connection = connections[using]
    if _vendor(using) == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(source) as copy:
            copy.backup(connection.connection)
        copy.close()
        return
    # Tables that came after the backup (a later version's) go too, in the same
    # transaction as the restore: `migrate` must find the schema the dump describes.
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    connection.close()
    args, env = _pg_env(using)
    script = source.with_suffix(".sql")
    _run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--file", str(script), str(source)],
        env,
    )
    drop = [
        "--command",
        f"DROP TABLE IF EXISTS {', '.join(map(connection.ops.quote_name, tables))} CASCADE",
    ]
    _run(
        [
            "psql",
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set",
            "ON_ERROR_STOP=1",
            *args,
        ]
        + (drop if tables else [])
        + ["--file", str(script)],
        env,
    )


def storage_names(folder: str = "") -> Iterator[str]:
    """Every file in the default storage, walked through the storage API (disk or S3)."""
    try:
        folders, names = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(names):
        yield f"{folder}{name}"
    for sub in sorted(folders):
        yield from storage_names(f"{folder}{sub}/")


def _version() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"],  # noqa: S607
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return ""
    return done.stdout.strip()


def _counts(using: str) -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        count = model._base_manager.using(using).count()
        if count:
            counts[model._meta.label_lower] = count
    return counts


def _add(tar: tarfile.TarFile, name: str, source: IO[bytes], size: int) -> Part:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(timezone.now().timestamp()), 0o600
    reader = _Hashing(source)
    tar.addfile(info, reader)
    return Part(name, reader.hasher.hexdigest(), reader.size)


def create(output: Path, using: str = "default") -> dict[str, Any]:
    """Write the archive to `output` (atomically) and return its manifest."""
    engine = _vendor(using)
    seq, digest = audit.head(using)
    partial = output.with_name(output.name + ".partial")
    output.parent.mkdir(parents=True, exist_ok=True)
    parts: list[Part] = []
    with (
        tempfile.TemporaryDirectory(prefix=".liangze-backup-", dir=output.parent) as work_dir,
        os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as raw,
        tarfile.open(fileobj=raw, mode="w:gz") as tar,
    ):
        dump = Path(work_dir) / DUMPS[engine]
        dump_database(dump, using)
        with dump.open("rb") as source:
            parts.append(_add(tar, DUMPS[engine], source, dump.stat().st_size))
        key = settings.SECRET_KEY.encode()
        parts.append(_add(tar, KEY_PART, io.BytesIO(key), len(key)))
        for name in storage_names():
            with default_storage.open(name, "rb") as source:
                parts.append(_add(tar, FILES + name, source, default_storage.size(name)))
        manifest = {
            "format": FORMAT,
            "created_at": timezone.localtime().isoformat(),
            "engine": engine,
            "version": _version(),
            "audit_head": {"seq": seq, "digest": digest},
            "counts": _counts(using),
            "parts": [part.__dict__ for part in parts],
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
        _add(tar, MANIFEST, io.BytesIO(text), len(text))
    os.replace(partial, output)
    return manifest


@dataclass
class Opened:
    """An archive unpacked into a working folder and checked against its manifest."""

    folder: Path
    manifest: dict[str, Any]

    @property
    def engine(self) -> str:
        return str(self.manifest["engine"])

    @property
    def files(self) -> list[str]:
        return [
            p["name"][len(FILES) :] for p in self.manifest["parts"] if p["name"].startswith(FILES)
        ]

    def path(self, name: str) -> Path:
        return self.folder / name

    def secret_key(self) -> str:
        return self.path(KEY_PART).read_text()


def _safe(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == str(path)


def unpack(archive: Path, folder: Path) -> Opened:
    """Unpack and check every part's SM3; BackupError names the first part that fails."""
    seen: dict[str, Part] = {}
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                if not member.isfile() or not _safe(member.name):
                    raise BackupError(f"备份文件中有不应出现的条目“{member.name}”，拒绝恢复。")
                source = tar.extractfile(member)
                assert source is not None  # a regular file
                target = folder / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                reader = _Hashing(source)
                with target.open("wb") as sink:
                    shutil.copyfileobj(reader, sink)
                seen[member.name] = Part(member.name, reader.hasher.hexdigest(), reader.size)
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"无法读取备份文件 {archive}：{error}") from error
    if MANIFEST not in seen:
        raise BackupError("备份文件中没有 manifest.json，不是本系统生成的备份。")
    manifest = json.loads((folder / MANIFEST).read_text())
    listed = {p["name"]: Part(**p) for p in manifest["parts"]}
    for name, part in listed.items():
        if name not in seen:
            raise BackupError(f"备份文件缺少“{name}”，拒绝恢复。")
        if seen[name] != part:
            raise BackupError(f"“{name}”的 SM3 与清单不符（备份文件已被改动或损坏），拒绝恢复。")
    extra = sorted(set(seen) - set(listed) - {MANIFEST})
    if extra:
        raise BackupError(f"备份文件中有清单未列出的“{extra[0]}”，拒绝恢复。")
    return Opened(folder, manifest)


def restore_files(opened: Opened) -> int:
    """Put every backed-up file back under its own name; files added since stay (orphans)."""
    for name in opened.files:
        if default_storage.exists(name):
            default_storage.delete(name)
        with opened.path(FILES + name).open("rb") as source:
            saved = default_storage.save(name, File(source))
        if saved != name:
            raise BackupError(f"文件“{name}”未能按原名恢复（存储改名为“{saved}”）。")
    return len(opened.files)
