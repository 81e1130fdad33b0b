"""An entry names the activities it reports on (关联活动): offered on the form, kept, shown."""

from datetime import date

import pytest
from django.urls import reverse

from liangze.duties.models import DutyList
from liangze.ledger.models import Activity, ProgressEntry
from liangze.orgs.models import Person
from tests.fixtures.clients import Login
from tests.fixtures.clock import On
from tests.fixtures.county import County
from tests.fixtures.evidence import photo
from tests.fixtures.ledger import add_activity

pytestmark = pytest.mark.django_db
SUMMER = date(2026, 8, 1)


@pytest.fixture
def meeting(county: County, on: On) -> Activity:
    on(date(2026, 7, 10))
    return add_activity(
        county.chengguan,
        "meeting",
        date(2026, 7, 10),
        Person.objects.get(person_no="P001"),
        subject="三季度专题听取“一岗双责”汇报",
    )


def new_url(published: DutyList) -> str:
    return reverse("ledger:entry_new", args=[published.code, 1, "2026-Q3"])


def test_the_form_offers_the_units_activities_of_the_period(
    login: Login, county: County, published: DutyList, meeting: Activity, on: On
) -> None:
    add_activity(county.chengguan, "talk", date(2026, 4, 2), meeting.host, subject="四月谈话")
    add_activity(county.hekou, "meeting", date(2026, 7, 3), Person.objects.get(person_no="P003"))
    on(SUMMER)
    form = login(county.clerk).get(new_url(published)).context["form"]
    assert list(form.fields["activities"].queryset) == [meeting]


def test_the_form_leaves_the_field_out_when_there_is_nothing_to_name(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    form = login(county.clerk).get(new_url(published)).context["form"]
    assert "activities" not in form.fields


def test_it_keeps_the_activities_an_entry_names(
    login: Login, county: County, published: DutyList, meeting: Activity, on: On
) -> None:
    on(SUMMER)
    client = login(county.clerk)
    response = client.post(
        new_url(published),
        {
            "text": "召开专题会议听取汇报",
            "done_on": "2026-07-10",
            "uploads": [photo()],
            "activities": [meeting.pk],
        },
    )
    entry = ProgressEntry.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "ledger:entry", args=[entry.code]
    )
    assert list(entry.activities.all()) == [meeting]
    shown = client.get(response["Location"])
    assert "三季度专题听取“一岗双责”汇报" in shown.content.decode()
    assert shown.context["page"].activities == [meeting]


def test_it_refuses_an_activity_from_outside_the_choices(
    login: Login, county: County, published: DutyList, meeting: Activity, on: On
) -> None:
    other = add_activity(
        county.hekou, "meeting", date(2026, 7, 3), Person.objects.get(person_no="P003")
    )
    on(SUMMER)
    response = login(county.clerk).post(
        new_url(published),
        {"text": "完成", "done_on": "2026-07-10", "activities": [other.pk]},
    )
    assert response.status_code == 200
    assert "activities" in response.context["form"].errors
    assert not ProgressEntry.objects.exists()
