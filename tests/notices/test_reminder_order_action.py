"""The 督办书 step's page offers what it speaks of: making the 督办书, or opening the one made."""

from datetime import date

from django.urls import reverse

from liangze.duties.models import DutyList
from liangze.notices.models import Notice
from liangze.supervision.models import Reminder
from tests.fixtures.clients import Login
from tests.fixtures.county import County
from tests.fixtures.notices import order_reminder


def page(reminder: Reminder) -> str:
    return reverse("supervision:reminder", args=[reminder.code])


def test_the_addressed_body_is_offered_the_order_and_posting_it_makes_the_draft(
    county: County, collective: DutyList, today: date, login: Login
) -> None:
    reminder = order_reminder(county, collective)
    client = login(county.discipline_officer)
    response = client.get(page(reminder))
    generate = reverse("notices:from_reminder", args=[reminder.code])
    assert response.context["action"].post
    assert response.context["action"].url == generate
    assert f'action="{generate}"' in response.content.decode()
    made = client.post(generate)
    notice = Notice.objects.get()
    assert made.status_code == 302 and made["Location"] == notice.get_absolute_url()
    assert list(notice.reminders.all()) == [reminder]
    # Made: the page now opens that 督办书 rather than offering another.
    action = client.get(page(reminder)).context["action"]
    assert (action.url, action.post) == (notice.get_absolute_url(), False)
    assert client.post(generate)["Location"] == notice.get_absolute_url()
    assert Notice.objects.count() == 1


def test_one_outside_the_body_sees_the_reminder_but_no_order_to_make(
    county: County, collective: DutyList, today: date, login: Login
) -> None:
    reminder = order_reminder(county, collective)
    response = login(county.township_secretary).get(page(reminder))
    assert response.status_code == 200
    assert response.context["action"] is None
    assert reverse("notices:from_reminder", args=[reminder.code]) not in response.content.decode()


def test_a_resolved_reminder_offers_nothing(
    county: County, collective: DutyList, today: date, login: Login
) -> None:
    reminder = order_reminder(county, collective, resolved_on=date(2026, 11, 20))
    response = login(county.discipline_officer).get(page(reminder))
    assert response.context["action"] is None
    assert 'data-testid="next-action"' not in response.content.decode()
