"""The current published lists — one definition for the ledger index, the grid, the
roll-ups and the escalation job — and the form it is read in."""

import re
from datetime import date
from typing import Any

import pytest
from django.db.models import QuerySet
from django.http import Http404

from liangze.duties.models import DutyItem, DutyList
from liangze.ledger.entries import queries as entry_queries
from liangze.ledger.entries import rollups
from liangze.ledger.entries.queries import current_lists
from liangze.supervision.reminders.queries import cell_facts
from tests.fixtures.county import County


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
    DutyList.objects.filter(pk=second_version.pk).update(status=DutyList.Status.PUBLISHED)
    assert list(current_lists(2026)) == [second_version]
    assert [d.pk for d in entry_queries.published_lists_for(clerk, 2026)] == [second_version.pk]
    with pytest.raises(Http404):
        entry_queries.get_ledger_list_for_user(clerk, published.code)
    assert len(cell_facts(2026, date(2026, 5, 1))) == (items + 1) * 4
    cells = rollups.cells_by_branch(county.county, 2026, date(2026, 5, 1))
    assert cells[county.chengguan.path].total_cells == (items + 1) * 4


def _sql(queryset: QuerySet[Any]) -> str:
    return str(queryset.query)


def test_no_reader_joins_a_list_to_its_successor(county: County, published: DutyList) -> None:
    """A LEFT JOIN to the next version makes SQLite scan every list once per list (6 s for
    a city's cells); "not superseded" is read as NOT EXISTS, an index probe per list."""
    clerk = county.township_secretary
    readers = {
        "current_lists": current_lists(2026),
        "ledger index": entry_queries.published_lists_for(clerk, 2026),
        "items of the current lists": DutyItem.objects.filter(duty_list__in=current_lists(2026)),
    }
    for name, queryset in readers.items():
        sql = _sql(queryset)
        assert "NOT EXISTS" in sql, name
        # A second, aliased copy of the list table (T2, U1, ...) is the self-join.
        assert not re.search(r'JOIN "duties_dutylist" [A-Z]\d', sql), name
