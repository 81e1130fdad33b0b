"""Bulk import of organizations, discipline bodies, people and positions (ORG-4).

The layout is documented in docs/import.md. Reading and checking collect every
problem in the file before anything is written; see service.import_workbook.
"""

from liangze.orgs.importing.layout import SHEETS, template_workbook
from liangze.orgs.importing.reading import MAX_BYTES, ImportFailed, Problem
from liangze.orgs.importing.service import Counts, ImportReport, import_workbook

__all__ = [
    "MAX_BYTES",
    "SHEETS",
    "Counts",
    "ImportFailed",
    "ImportReport",
    "Problem",
    "import_workbook",
    "template_workbook",
]
