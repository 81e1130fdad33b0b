import uuid
from collections.abc import Iterator

from django.db.models import Max
from pytest_django import DjangoAssertNumQueries

from liangze.core.bulk import reset_sequences, update_objects, write_rows
from liangze.orgs.models import Org, Person
from tests.fixtures.county import County

COLUMNS = (
    "id",
    "code",
    "person_no",
    "name",
    "gender",
    "is_party_member",
    "rank",
    "org_id",
    "department",
    "is_active",
)


def _rows(org: Org, first_id: int, n: int) -> Iterator[tuple[object, ...]]:
    # A generator, as the seeders pass them: the writer must not need a list.
    for k in range(n):
        yield (
            first_id + k,
            uuid.UUID(int=first_id + k),
            f"B{first_id + k:08d}",
            f"批量{k}",
            "男" if k % 2 else "女",
            k % 3 == 0,
            "科员",
            org.pk,
            "",
            True,
        )


def test_it_writes_rows_with_their_own_ids_and_converted_values(county: County) -> None:
    org = Org.objects.order_by("pk").first()
    assert org is not None
    first_id = (Person.objects.aggregate(m=Max("pk"))["m"] or 0) + 1000

    write_rows(Person, COLUMNS, _rows(org, first_id, 25))

    written = Person.objects.filter(person_no__startswith="B").order_by("pk")
    assert written.count() == 25
    third = written[3]
    assert third.pk == first_id + 3
    assert third.code == uuid.UUID(int=first_id + 3)
    assert third.is_party_member is True
    assert third.org == org
    assert written[1].is_party_member is False


def test_it_writes_nothing_for_no_rows(county: County) -> None:
    before = Person.objects.count()
    write_rows(Person, COLUMNS, iter(()))
    assert Person.objects.count() == before


def test_it_moves_the_sequence_past_written_ids(county: County) -> None:
    org = Org.objects.order_by("pk").first()
    assert org is not None
    # Right after the last id: where PostgreSQL's sequence would hand out the next one.
    first_id = (Person.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    write_rows(Person, COLUMNS, _rows(org, first_id, 3))

    reset_sequences([Person])
    made = Person.objects.create(person_no="NEW00001", name="新人", gender="男", org=org)

    assert made.pk > first_id + 2


def test_it_updates_the_named_fields_of_saved_objects_in_one_query(
    county: County, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    people = list(Person.objects.order_by("pk")[:3])
    other = county.hekou
    changed = [
        Person(pk=p.pk, name=f"改名{n}", is_party_member=True, org=other, department="不写")
        for n, p in enumerate(people)
    ]

    with django_assert_num_queries(1):
        update_objects(changed, ["name", "is_party_member", "org"])

    stored = list(Person.objects.filter(pk__in=[p.pk for p in people]).order_by("pk"))
    assert [p.name for p in stored] == ["改名0", "改名1", "改名2"]
    assert all(p.is_party_member and p.org == other for p in stored)
    assert [p.department for p in stored] == [p.department for p in people]
