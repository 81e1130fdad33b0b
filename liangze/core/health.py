"""What /healthz and /readyz check: the parts without which Liangze cannot work.

Each check answers "ok" or "down" and nothing more: the reason goes to the log,
never to an unauthenticated caller.
"""

import logging
import uuid
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections
from huey.contrib.djhuey import HUEY

logger = logging.getLogger(__name__)

PROBE_DIR = "healthz"


def database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def queue() -> None:
    """The queue's storage answers: a Redis round trip, or a read of the SQLite queue."""
    HUEY.pending_count()


def file_store() -> None:
    """Evidence can be written: a probe file saved and deleted (the same on S3 or a share)."""
    name = default_storage.save(f"{PROBE_DIR}/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)


CHECKS: dict[str, Callable[[], None]] = {
    "database": database,
    "queue": queue,
    "storage": file_store,
}


def run(names: tuple[str, ...] = tuple(CHECKS)) -> dict[str, str]:
    """Each named part: "ok", or "down" after logging why."""
    report = {}
    for name in names:
        try:
            CHECKS[name]()
        except Exception:
            logger.exception("健康检查失败：%s", name)
            report[name] = "down"
        else:
            report[name] = "ok"
    return report
