"""The import as one service: check everything, then write everything, or nothing."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liangze import access
from liangze.accounts.models import User
from liangze.core import audit
from liangze.orgs import changes
from liangze.orgs.importing.checking import Existing, Plan, Table, check
from liangze.orgs.importing.layout import BODIES, ORGS, PEOPLE, POSITIONS
from liangze.orgs.importing.reading import (
    ImportFailed,
    Problem,
    Source,
    digest,
    read_rows,
    source_name,
)
from liangze.orgs.importing.writing import recount_children, write
from liangze.orgs.models import ImportRun, Org


@dataclass(frozen=True)
class Counts:
    sheet: str
    created: int
    updated: int
    unchanged: int

    def __str__(self) -> str:
        return _("%(sheet)s：新增 %(created)d 条，修改 %(updated)d 条，未变 %(unchanged)d 条") % {
            "sheet": self.sheet,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


@dataclass(frozen=True)
class ImportReport:
    file_name: str
    sheets: tuple[Counts, ...]

    @property
    def created(self) -> int:
        return sum(c.created for c in self.sheets)

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.sheets)


def _counts(sheet: str, table: Table[Any] | None) -> list[Counts]:
    if table is None:
        return []
    return [Counts(sheet, len(table.created), len(table.updated), table.unchanged)]


# A run not written to for this long is taken as dead, and the same file may finish it.
STALE_AFTER = timedelta(minutes=2)


def import_workbook(*, actor: User | None, file: Source) -> ImportReport:
    """Imports the workbook whole; raises ImportFailed listing every problem, writing nothing.

    The file is read and checked with no write lock held (SQLite lets one writer
    at a time), then written in short batches so others' saves go on meanwhile.
    `actor=None` is the operator on the server (manage.py import_orgs).
    """
    if actor is not None:
        access.require_role(actor, access.SYSTEM)
    rows = read_rows(file)
    existing = Existing.load(rows.by_sheet)
    plan, problems = check(rows, existing)
    if problems:
        raise ImportFailed(problems)
    run = _start(plan, source_name(file), digest(file))
    try:
        write(plan, existing, partial(_batch, run))
    except IntegrityError:
        # Someone saved one of the same rows since the check: what is written stays, and
        # the same file, checked again, writes the rest.
        run.state = ImportRun.State.INTERRUPTED
        run.save(update_fields=["state", "updated_at"])
        raise _unfinished(run) from None
    return _finish(actor, run)


def _unfinished(run: ImportRun) -> ImportFailed:
    reason = _(
        "文件「%(name)s」的导入尚未完成（已写入 %(done)d / %(total)d 行），"
        "可能是导入时有人修改了相同的数据或导入被中断。"
        "请重新导入同一文件以完成它，完成前不能导入其他文件。"
    ) % {"name": run.file_name, "done": run.rows_done, "total": run.rows_total}
    return ImportFailed([Problem("", 0, "", reason)])


@transaction.atomic
def _start(plan: Plan, name: str, sm3: str) -> ImportRun:
    """A new run, or the unfinished run of the same file; refuses while another is unfinished."""
    unfinished = ImportRun.objects.select_for_update().exclude(state=ImportRun.State.DONE)
    for run in unfinished:
        if run.sm3 != sm3:
            raise _unfinished(run)
        alive = run.updated_at > timezone.now() - STALE_AFTER
        if run.state == ImportRun.State.APPLYING and alive:
            raise ImportFailed([Problem("", 0, "", _("这个文件正在导入中，请稍后查看结果。"))])
        run.state = ImportRun.State.APPLYING  # taken over: this call finishes it
        run.save(update_fields=["state", "updated_at"])
        return run
    return ImportRun.objects.create(
        file_name=name,
        sm3=sm3,
        rows_total=sum(len(t.created) + len(t.updated) for t in _tables(plan)),
        counts={c.sheet: [c.created, c.updated, c.unchanged] for c in _sheet_counts(plan)},
        touched_org_nos=sorted(touched_org_nos(plan)),
        parent_org_nos=sorted({r.parent_no for r in plan.orgs.created if r.parent_no})
        if plan.orgs is not None
        else [],
    )


@contextmanager
def _batch(run: ImportRun, rows: int) -> Iterator[None]:
    with transaction.atomic():
        yield
        run.rows_done = min(run.rows_total, run.rows_done + rows)
        run.save(update_fields=["rows_done", "updated_at"])


@transaction.atomic
def _finish(actor: User | None, run: ImportRun) -> ImportReport:
    recount_children(run.parent_org_nos)
    changes.orgs_changed(
        Org.objects.filter(org_no__in=run.touched_org_nos).values_list("pk", flat=True)
    )
    report = ImportReport(
        run.file_name, tuple(Counts(sheet, *numbers) for sheet, numbers in run.counts.items())
    )
    audit.record(
        actor=actor,
        actor_name="" if actor else "命令行",
        verb=audit.Verb.IMPORT,
        label=_("组织人员导入：%(name)s") % {"name": report.file_name},
        data={
            "file": report.file_name,
            "sm3": run.sm3,
            "sheets": {
                c.sheet: {"created": c.created, "updated": c.updated, "unchanged": c.unchanged}
                for c in report.sheets
            },
        },
    )
    run.state = ImportRun.State.DONE
    run.rows_done = run.rows_total
    run.save(update_fields=["state", "rows_done", "updated_at"])
    return report


def _tables(plan: Plan) -> list[Table[Any]]:
    return [t for t in (plan.orgs, plan.bodies, plan.people, plan.positions) if t is not None]


def _sheet_counts(plan: Plan) -> list[Counts]:
    return [
        *_counts(ORGS.name, plan.orgs),
        *_counts(BODIES.name, plan.bodies),
        *_counts(PEOPLE.name, plan.people),
        *_counts(POSITIONS.name, plan.positions),
    ]


def touched_org_nos(plan: Plan) -> set[str]:
    """The orgs whose units, posts or bodies the import created or changed."""
    nos: set[str] = set()
    if plan.orgs is not None:
        nos |= {r.org_no for r in plan.orgs.created}
        nos |= {after.org_no for _, _, after in plan.orgs.updated}
    if plan.bodies is not None:
        nos |= {r.org_no for r in plan.bodies.created}
        nos |= {r.org_no for _, before, after in plan.bodies.updated for r in (before, after)}
    if plan.positions is not None:
        nos |= {r.org_no for r in plan.positions.created}
        nos |= {after.org_no for _, _, after in plan.positions.updated}
    return nos
