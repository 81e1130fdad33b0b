"""The home page reminds the system administrator in December to enter next year's holidays."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.fixtures.clients import Login
from tests.fixtures.clock import On, moment
from tests.fixtures.county import County
from tests.fixtures.holidays import enter_2027

pytestmark = pytest.mark.django_db
HOME = reverse("portal:home")
REMINDER = 'data-testid="calendar-due"'


def test_it_reminds_the_system_administrator_in_december(
    login: Login, county: County, on: On
) -> None:
    on(date(2026, 12, 1))
    page = login(county.system_admin).get(HOME).content.decode()
    assert REMINDER in page
    assert "2027年节假日安排尚未录入" in page
    assert f"{reverse('portal:holiday_year')}?year=2027" in page


def test_it_does_not_remind_before_december(login: Login, county: County, on: On) -> None:
    on(date(2026, 11, 30))
    assert REMINDER not in login(county.system_admin).get(HOME).content.decode()


def test_it_stops_reminding_once_next_year_is_entered(login: Login, county: County, on: On) -> None:
    on(date(2026, 12, 20))
    enter_2027(county.system_admin)
    assert REMINDER not in login(county.system_admin).get(HOME).content.decode()


def test_it_reminds_only_the_system_administrator(login: Login, county: County, on: On) -> None:
    on(date(2026, 12, 1))
    for user in (county.township_secretary, county.security_admin):
        assert REMINDER not in login(user).get(HOME).content.decode()


def test_it_goes_by_the_date_in_beijing(
    login: Login, county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 1 December, half past midnight in Beijing: still 30 November in UTC.
    monkeypatch.setattr(timezone, "now", lambda: moment(date(2026, 12, 1), hour=0))
    assert REMINDER in login(county.system_admin).get(HOME).content.decode()
