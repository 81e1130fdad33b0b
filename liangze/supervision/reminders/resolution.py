"""When a reminder's cause has gone away (已消除): pure rules over how things stand now.

A reminder is raised for a cause — a ledger cell due or overdue, a unit with many
overdue cells, a figure failing or about to — and stays as history. Once the cause no
longer holds it leaves the to-dos: the cell was filled (late or not), the unit caught
up below the 约谈 threshold, the figure was met (补报 included) or does not apply, the
item or the person is no longer measured. The same thresholds that raised a step decide
that it no longer would be.
"""

from collections.abc import Iterable

from liangze.core.periods import Period
from liangze.ledger.queries import CellStatus, Indicator, Status
from liangze.supervision.reminders.ladder import Ladder, Step, longest_run

# A cell with an entry on record answers every step about it, however late.
_FILLED = frozenset({CellStatus.DONE, CellStatus.VERIFIED})
# A figure that is no longer failing: met, met late (补报), or nothing asked.
_SETTLED = frozenset({Status.MET, Status.LATE, Status.NOT_APPLICABLE})


def cell_resolved(status: str | None) -> bool:
    """An item's reminder: its cell is filled, or the item left the list in force (None)."""
    return status is None or status in _FILLED


def unit_resolved(overdue_cells: int, ladder: Ladder) -> bool:
    """A unit-wide 约谈: fewer overdue cells now than call for one."""
    return overdue_cells < ladder.unit_overdue_cells


def figure_resolved(step: str, indicator: Indicator | None) -> bool:
    """One period's figure: settled, or the subject no longer measured (None). A 'due soon'
    reminder also goes once the figure has what it needs, before its period ends."""
    if indicator is None or indicator.status in _SETTLED:
        return True
    return step == Step.REMINDER and indicator.actual >= indicator.required


def pattern_resolved(step: str, still_unmet: Iterable[Period], ladder: Ladder) -> bool:
    """A 约谈 or 督办书 for repeated failures: the periods still unmet no longer reach the
    threshold that raised it (made up late, the 补报 counts)."""
    periods = list(still_unmet)
    if step == Step.SUPERVISION_ORDER_DRAFT:
        return longest_run(periods) < ladder.indicator_persistent_unmet
    return len(periods) < ladder.indicator_repeated_unmet
