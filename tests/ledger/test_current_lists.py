"""The lists in force — one definition for the ledger index, the grid, the roll-ups and
the escalation job — and the form it is read in."""

import re
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from liangze.duties import services as duty_services
from liangze.duties.models import DutyItem, DutyList
from liangze.ledger.entries import queries as entry_queries
from liangze.ledger.entries import rollups
from liangze.ledger.entries.queries import current_lists
from liangze.ledger.entries.services import entry_add
from liangze.supervision.reminders.queries import cell_facts
from tests.fixtures.county import County
from tests.fixtures.ledger import put_in_force


@pytest.fixture
def second_version(published: DutyList) -> DutyList:
    """Version 2 of 城关镇's published list, being drafted (one item more)."""
    DutyList.objects.filter(pk=published.pk).update(is_current=False)
    draft = DutyList.objects.create(
        org=published.org,
        year=published.year,
        list_type=published.list_type,
        catalogue=published.catalogue,
        version=2,
        previous=published,
    )
    count = published.items.count() + 1
    DutyItem.objects.bulk_create(
        DutyItem(duty_list=draft, seq=n, name=f"事项{n}") for n in range(1, count + 1)
    )
    return draft


def test_the_old_version_runs_until_the_new_one_is_published(
    county: County, published: DutyList, second_version: DutyList
) -> None:
    clerk = county.township_secretary
    items = published.items.count()
    assert list(current_lists(2026)) == [published]
    assert [d.pk for d in entry_queries.published_lists_for(clerk, 2026)] == [published.pk]
    assert entry_queries.get_ledger_list_for_user(clerk, published.code) == published
    assert len(cell_facts(2026, date(2026, 5, 1))) == items * 4
    put_in_force(second_version)
    assert list(current_lists(2026)) == [second_version]
    assert [d.pk for d in entry_queries.published_lists_for(clerk, 2026)] == [second_version.pk]
    with pytest.raises(Http404):
        entry_queries.get_ledger_list_for_user(clerk, published.code)
    assert len(cell_facts(2026, date(2026, 5, 1))) == (items + 1) * 4
    cells = rollups.cells_by_branch(county.county, 2026, timezone.localdate())
    assert cells[county.chengguan.path].total_cells == (items + 1) * 4


def _sql(queryset: QuerySet[Any]) -> str:
    return str(queryset.query)


def test_no_reader_joins_a_list_to_its_successor(county: County, published: DutyList) -> None:
    """A LEFT JOIN to the next version makes SQLite scan every list once per list (6 s for
    a city's cells); "in force" is a column of the list itself."""
    clerk = county.township_secretary
    readers = {
        "current_lists": current_lists(2026),
        "ledger index": entry_queries.published_lists_for(clerk, 2026),
        "items of the current lists": DutyItem.objects.filter(duty_list__in=current_lists(2026)),
    }
    for name, queryset in readers.items():
        sql = _sql(queryset)
        assert '"in_force"' in sql, name
        # A second, aliased copy of the list table (T2, U1, ...) is the self-join.
        assert not re.search(r'JOIN "duties_dutylist" [A-Z]\d', sql), name


def test_the_version_in_force_takes_entries_while_its_revision_is_drafted(
    county: County, published: DutyList
) -> None:
    """A revision takes weeks; the unit goes on recording its work on the list it follows."""
    revision = duty_services.duty_list_revise(actor=county.township_secretary, duty_list=published)
    item = published.items.get(seq=1)
    entry = entry_add(
        actor=county.township_secretary,
        item=item,
        period="2026-Q1",
        text="召开专题会议部署全年工作。",
        done_on=date(2026, 3, 10),
        late_reason="补录",
    )
    assert entry.item.duty_list == published
    with pytest.raises(ValidationError):
        entry_add(
            actor=county.township_secretary,
            item=revision.items.get(seq=1),
            period="2026-Q1",
            text="草稿上的填报",
            done_on=date(2026, 3, 10),
            late_reason="补录",
        )
