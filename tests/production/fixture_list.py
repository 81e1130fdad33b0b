"""Run by `manage.py shell -c` in the multi-host test: one accepted list to publish.

The town secretary's 第一责任人 list, filled, discussed, signed on paper, submitted and
accepted, so publishing it on one host moves the town's coverage by one. Built with the
services as the operator (actor None): the demo seeder of every county's lists takes
two minutes, this a second. Prints the list's code and the secretary's person id.
"""

import json

from django.utils import timezone

from liangze.accounts.models import User
from liangze.duties.catalogues import services as catalogues
from liangze.duties.lists import services as lists
from liangze.duties.models import ListType, Review
from liangze.orgs.models import Org, OrgLevel

today = timezone.localdate()
person = User.objects.select_related("person__org").get(username="town_sec").person
assert person is not None
county = Org.objects.filter(level=OrgLevel.COUNTY).order_by("path").first()
assert county is not None
catalogue, _ = catalogues.catalogue_load(path=catalogues.SEED_CATALOGUES / "tongzhou-2017.json")
catalogues.catalogue_issue(
    actor=None, catalogue=catalogue, issuer=county, submit_deadline=today, year=today.year
)
duty_list = lists.duty_list_create(
    actor=None,
    org=person.org,
    year=today.year,
    list_type=ListType.PRINCIPAL,
    catalogue=catalogue,
    person=person,
)
rows = [
    {
        "entry": item.entry.ref if item.entry else "",
        "name": item.name,
        "task": "按目录要求逐项落实",
        "responsible": person.person_no,
        **{quarter: "按季度推进并报告" for quarter in ("q1", "q2", "q3", "q4")},
    }
    for item in duty_list.items.select_related("entry")
]
lists.duty_items_save(actor=None, duty_list=duty_list, rows=rows)
lists.duty_list_discuss(
    actor=None, duty_list=duty_list, on=today, meeting="党委会", attendees="全体班子成员"
)
lists.duty_list_sign(actor=None, duty_list=duty_list, paper_signer=person)
lists.duty_list_submit(actor=None, duty_list=duty_list, score=False)
lists.duty_list_review(actor=None, duty_list=duty_list, verdict=Review.Verdict.ACCEPTED)
print(json.dumps({"list": str(duty_list.code), "person": person.pk}))
