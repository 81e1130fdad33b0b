"""Many rows fast, for query-count tests: bounds must hold whatever the size."""

from liangze.orgs.models import Org, OrgKind, OrgLevel, Person, Position, PositionKind
from liangze.orgs.tree import child_path
from tests.county import START


def add_branches(parent: Org, count: int) -> list[Org]:
    start = parent.child_count + 1
    orgs = Org.objects.bulk_create(
        Org(
            parent=parent,
            org_no=f"{parent.org_no}-X{i}",
            name=f"{parent.name}第{i}党支部",
            kind=OrgKind.BRANCH,
            level=OrgLevel.BRANCH,
            path=child_path(parent.path, i),
            depth=parent.depth + 1,
        )
        for i in range(start, start + count)
    )
    parent.child_count += count
    parent.save(update_fields=["child_count"])
    return orgs


def add_people(org: Org, count: int, *, leaders: bool = False) -> list[Person]:
    people = Person.objects.bulk_create(
        Person(org=org, person_no=f"{org.org_no}-N{i}", name=f"人员{i}", gender="M")
        for i in range(count)
    )
    if leaders:
        Position.objects.bulk_create(
            Position(person=p, org=org, kind=PositionKind.MEMBER, title="委员", start_date=START)
            for p in people
        )
    return people
