"""The ledger as other apps read it: one public module, so its inner layout can change.

Escalation (supervision.reminders), the dashboard and the 三书 read ledger cells,
indicator figures and per-unit tallies only through these names.
"""

from liangze.ledger.entries.clock import CellStatus, cell_status, entry_deadline
from liangze.ledger.entries.queries import current_lists, current_published_q
from liangze.ledger.entries.rollups import Tally, add_up, by_branch, by_org, by_person, subtree_orgs
from liangze.ledger.indicators.batch import CHUNK as INDICATOR_CHUNK
from liangze.ledger.indicators.batch import PRINCIPAL_KINDS, on_duty
from liangze.ledger.indicators.batch import compute as compute_indicators
from liangze.ledger.indicators.jurisdiction import RuleBook
from liangze.ledger.indicators.jurisdiction import compute as compute_governed_indicators
from liangze.ledger.indicators.measures import Indicator, Record, Status, deadline, evaluate

__all__ = [
    "INDICATOR_CHUNK",
    "PRINCIPAL_KINDS",
    "CellStatus",
    "RuleBook",
    "Indicator",
    "Record",
    "Status",
    "Tally",
    "add_up",
    "by_branch",
    "by_org",
    "by_person",
    "cell_status",
    "compute_governed_indicators",
    "compute_indicators",
    "current_lists",
    "current_published_q",
    "deadline",
    "entry_deadline",
    "evaluate",
    "on_duty",
    "subtree_orgs",
]
