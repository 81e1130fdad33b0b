"""The import as one service: check everything, then write everything, or nothing."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from liangze import access
from liangze.accounts.models import User
from liangze.core import audit
from liangze.orgs import changes
from liangze.orgs.importing.checking import Existing, Plan, Table, check
from liangze.orgs.importing.layout import BODIES, ORGS, PEOPLE, POSITIONS
from liangze.orgs.importing.reading import ImportFailed, Source, read_rows, source_name
from liangze.orgs.importing.writing import write
from liangze.orgs.models import Org


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


@transaction.atomic
def import_workbook(*, actor: User | None, file: Source) -> ImportReport:
    """Imports the workbook whole or not at all; raises ImportFailed listing every problem.

    `actor=None` is the operator on the server (manage.py import_orgs).
    """
    if actor is not None:
        access.require_role(actor, access.SYSTEM)
    rows = read_rows(file)
    existing = Existing.load(rows.by_sheet)
    plan, problems = check(rows, existing)
    if problems:
        raise ImportFailed(problems)
    write(plan, existing)
    changes.orgs_changed(
        Org.objects.filter(org_no__in=touched_org_nos(plan)).values_list("pk", flat=True)
    )
    report = ImportReport(
        source_name(file),
        (
            *_counts(ORGS.name, plan.orgs),
            *_counts(BODIES.name, plan.bodies),
            *_counts(PEOPLE.name, plan.people),
            *_counts(POSITIONS.name, plan.positions),
        ),
    )
    audit.record(
        actor=actor,
        actor_name="" if actor else "命令行",
        verb=audit.Verb.IMPORT,
        label=_("组织人员导入：%(name)s") % {"name": report.file_name},
        data={
            "file": report.file_name,
            "sheets": {
                c.sheet: {"created": c.created, "updated": c.updated, "unchanged": c.unchanged}
                for c in report.sheets
            },
        },
    )
    return report


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
