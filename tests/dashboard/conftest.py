from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from liangze.duties.models import Catalogue, DutyItem, DutyList, ListType
from liangze.ledger.models import ProgressEntry
from liangze.orgs.models import Org, Person
from tests.duties.conftest import catalogue, draft, signed, submitted  # noqa: F401
from tests.ledger.conftest import media, on, published  # noqa: F401

SHANGHAI = ZoneInfo("Asia/Shanghai")


def moment(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=SHANGHAI)


def make_list(
    org: Org,
    issued: Catalogue,
    responsible: list[Person | None],
    *,
    year: int = 2026,
    status: str = DutyList.Status.PUBLISHED,
    version: int = 1,
) -> DutyList:
    """A unit's collective list with one item per entry of `responsible`, already published.

    Written straight to the tables: the roll-ups only read what the workflow leaves behind.
    """
    duty_list = DutyList.objects.create(
        org=org,
        year=year,
        list_type=ListType.COLLECTIVE,
        catalogue=issued,
        status=status,
        version=version,
    )
    DutyItem.objects.bulk_create(
        DutyItem(duty_list=duty_list, seq=n, name=f"事项{n}", responsible=person)
        for n, person in enumerate(responsible, start=1)
    )
    return duty_list


def add_entry(
    item: DutyItem,
    period: str,
    *,
    entered: date,
    status: str = ProgressEntry.Status.SUBMITTED,
    reviewed: date | None = None,
) -> ProgressEntry:
    entry = ProgressEntry.objects.create(
        item=item, period=period, text="已完成", done_on=entered, status=status
    )
    # entered_at is stamped on creation; the roll-ups read it "as of" a day.
    ProgressEntry.objects.filter(pk=entry.pk).update(
        entered_at=moment(entered), reviewed_at=moment(reviewed) if reviewed else None
    )
    return entry
