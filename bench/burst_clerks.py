"""Run by `manage.py shell -c` for bench/burst.py: the clerks of the burst, as JSON.

One account per unit, bound to a person of that unit (so policy.may_record lets them
record for it, and they name themselves as the host), the demo password hashed once.
burst.py sets BURST_CLERKS, the number of clerks.
"""

import json
import os

from django.contrib.auth.hashers import make_password

from liangze.accounts.models import User
from liangze.demo.orgs.logins import DEMO_PASSWORD
from liangze.orgs.models import Person


def clerks(count: int) -> list[dict[str, object]]:
    taken = User.objects.filter(person__isnull=False).values_list("person_id", flat=True)
    people = Person.objects.exclude(pk__in=taken).order_by("org__path", "pk")
    chosen: dict[int, Person] = {}
    for person in people.iterator():
        chosen.setdefault(person.org_id, person)
        if len(chosen) == count:
            break
    assert len(chosen) == count, f"only {len(chosen)} units with people"
    password = make_password(DEMO_PASSWORD)
    users = User.objects.bulk_create(
        User(username=f"burst{n:03d}", person=person, password=password, must_change_password=False)
        for n, person in enumerate(chosen.values(), start=1)
    )
    return [{"username": u.username, "host": u.person_id} for u in users]


print(json.dumps(clerks(int(os.environ["BURST_CLERKS"]))))
