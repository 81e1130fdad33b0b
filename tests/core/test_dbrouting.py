"""The router with two real SQLite databases, in a process of its own (pytest's has one)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import django; django.setup()
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from liangze.core.dbrouting import reporting

for alias in ("default", "replica"):
    with connections[alias].schema_editor() as editor:
        editor.create_model(ContentType)
ContentType.objects.using("replica").create(app_label="t", model="on_replica")
ContentType.objects.create(app_label="t", model="on_primary")

def models():
    return ",".join(sorted(ContentType.objects.values_list("model", flat=True)))

print(models())
with reporting():
    print(models())
    ContentType.objects.create(app_label="t", model="written_in_report")
print(models())
"""


def test_reads_go_to_the_replica_only_inside_reporting_and_writes_never(tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith("LIANGZE_")}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=base
        | {
            "DJANGO_SETTINGS_MODULE": "liangze.settings",
            "LIANGZE_SECRET_KEY": "k" * 50,
            "LIANGZE_VAR_DIR": str(tmp_path),
            "LIANGZE_DATABASE_URL": f"sqlite:///{tmp_path / 'primary.sqlite3'}",
            "LIANGZE_DATABASE_REPLICA_URL": f"sqlite:///{tmp_path / 'replica.sqlite3'}",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == [
        "on_primary",  # a page reads what was just written
        "on_replica",  # a report reads the replica
        "on_primary,written_in_report",  # and what it writes (its audit event) goes to the primary
    ]
