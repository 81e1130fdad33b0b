"""Duties as other apps read them: one public module, so the sub-packages can change inside.

The ledger reads the lists a user sees, with the relations its pages show; the
reconciliation of the dashboard reads coverage, stored and live.
"""

from liangze.duties.coverage.queries import Coverage, coverage, required_units
from liangze.duties.coverage.queries import _coverage as live_coverage
from liangze.duties.lists.queries import RELATED, duty_lists_visible_to

__all__ = [
    "RELATED",
    "Coverage",
    "coverage",
    "duty_lists_visible_to",
    "live_coverage",
    "required_units",
]
