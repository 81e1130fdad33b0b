"""The demo year as a story: when each unit drafted, submitted and published its lists.

A real county writes its lists in January, discusses them at a 党委（党组）会议,
signs and submits them by the catalogue's deadline (2月14日), a few late; the
higher level returns some for rework and accepts the rest within days; units
publish in February and March. `plan` draws one such timeline per unit from the
seeded `Random`; `at` runs a service as if it were that moment, so list fields,
signatures, reviews and audit events all carry the story's dates and the real
services check every rule on the way.

The story is of the current year and ends where today is: a step planned for
after today has not happened yet (run in January, the demo shows lists being
drafted). Every planned step is in the first quarter, so from April on the
whole story has happened.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from random import Random
from unittest import mock
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from liangze import access
from liangze.accounts.models import User
from liangze.core.workdays import add_workdays, is_workday
from liangze.orgs.models import Person

SHANGHAI = ZoneInfo("Asia/Shanghai")
ACCOUNTS = uuid.UUID("5b0c7f4e-2f6a-4d55-9a36-6c1f7e1d2a90")  # namespace of the story's accounts


@dataclass(frozen=True)
class Timeline:
    """One unit's year of lists. `returned_on` set means reworked and resubmitted by then."""

    drafted_on: date
    discussed_on: date
    signed_on: date
    submitted_on: date
    accepted_on: date
    published_on: date
    late: bool = False  # submitted after the deadline (planted: the 逾期 the demo shows)
    returned_on: date | None = None
    resubmitted_on: date | None = None

    @property
    def reviewed_on(self) -> date:
        """When the version that was finally reviewed went in."""
        return self.resubmitted_on or self.submitted_on


def workday(rng: Random, first: date, last: date) -> date:
    """A random working day in [first, last]; `last` if there is none."""
    days = [first + timedelta(n) for n in range((last - first).days + 1)]
    found = [d for d in days if is_workday(d)]
    return rng.choice(found) if found else last


def plan(rng: Random, deadline: date, *, late: bool = False, returned: bool = False) -> Timeline:
    """A unit's timeline: drafted in January, submitted by `deadline` unless `late`.

    A returned list was submitted early enough to be reworked and submitted
    again before the deadline, as units that are returned usually are.
    """
    year = deadline.year
    first_published = (date(year, 2, 2), date(year, 2, 10))
    drafted = workday(rng, date(year, 1, 4), date(year, 1, 20))
    discussed = workday(rng, drafted + timedelta(days=3), drafted + timedelta(days=14))
    signed = add_workdays(discussed, rng.randint(0, 2))
    if late:
        submitted = workday(rng, deadline + timedelta(days=3), deadline + timedelta(days=24))
    elif returned:
        submitted = workday(rng, signed, min(signed + timedelta(days=4), deadline - timedelta(10)))
    else:
        submitted = workday(rng, signed, max(signed, deadline - timedelta(days=1)))
        submitted = min(submitted, deadline)
    returned_on = resubmitted = None
    if returned and not late:
        returned_on = add_workdays(submitted, rng.randint(1, 3))
        resubmitted = min(add_workdays(returned_on, rng.randint(2, 4)), deadline)
    accepted = add_workdays(resubmitted or submitted, rng.randint(2, 8))
    # Units publish once the year's lists are all back, from February on.
    published = max(add_workdays(accepted, rng.randint(1, 10)), workday(rng, *first_published))
    return Timeline(
        drafted_on=drafted,
        discussed_on=discussed,
        signed_on=signed,
        submitted_on=submitted,
        accepted_on=accepted,
        published_on=max(accepted, min(published, date(year, 3, 31))),
        late=late,
        returned_on=returned_on,
        resubmitted_on=resubmitted,
    )


def moment(rng: Random, day: date) -> datetime:
    """A time in office hours (Beijing) of `day`."""
    return datetime.combine(day, time(rng.randint(8, 17), rng.randrange(60)), tzinfo=SHANGHAI)


@contextmanager
def at(when: datetime) -> Iterator[None]:
    """Run the enclosed services as if it were `when`: their timestamps and audit events.

    The services stamp the present moment; the demo tells a past year through
    them rather than around them, so every rule still holds for its data.
    """
    with mock.patch.object(timezone, "now", lambda: when):
        yield


class Accounts:
    """The people who act in the story, each with an account so the trail names them.

    A county's units enter their own lists; the demo's people mostly have no
    login, so one is opened for each person the story needs, without a usable
    password (the security admin hands out passwords). Scopes are worked out
    as of today, once, before any clock is turned back.
    """

    def __init__(self) -> None:
        users = User.objects.filter(person__isnull=False)
        self.users = {u.person_id: u for u in users}
        self.password = make_password(None)

    def of(self, person: Person) -> User:
        user = self.users.get(person.pk)
        if user is None:
            user = User.objects.create(
                # Named by the person, not drawn from the story's Random: the same
                # story follows whether or not the accounts were there before.
                code=uuid.uuid5(ACCOUNTS, person.person_no),
                username=f"u{person.person_no.lower()}",
                person=person,
                password=self.password,
                must_change_password=True,
            )
            self.users[person.pk] = user
        access.scope_for(user)  # cached on the object: as of today, not the story's day
        return user
