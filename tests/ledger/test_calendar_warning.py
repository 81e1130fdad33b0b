"""A Q4 deadline in a year whose holidays are not entered is shown as an estimate."""

from datetime import date

import pytest
from django.urls import reverse

from liangze.duties.models import DutyList
from tests.fixtures.clients import Login
from tests.fixtures.clock import On
from tests.fixtures.county import County
from tests.fixtures.holidays import enter_2027

pytestmark = pytest.mark.django_db
WARNING = "2027年节假日安排尚未录入，期限按普通周末推算，仅供参考"


def test_it_warns_beside_the_q4_deadline_until_2027_is_entered(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(date(2026, 12, 3))
    client = login(county.clerk)
    grid = reverse("ledger:grid", args=[published.code])
    cell = reverse("ledger:cell", args=[published.code, 1, "2026-Q4"])
    page = client.get(grid).content.decode()
    assert "01-07 截止" in page
    assert f'title="{WARNING}"' in page
    assert WARNING in client.get(cell).content.decode()
    assert (
        WARNING
        not in client.get(
            reverse("ledger:cell", args=[published.code, 1, "2026-Q3"])
        ).content.decode()
    )

    enter_2027(county.system_admin)
    page = client.get(grid).content.decode()
    assert "01-08 截止" in page
    assert 'data-testid="calendar-warning"' not in page
    assert WARNING not in client.get(cell).content.decode()
