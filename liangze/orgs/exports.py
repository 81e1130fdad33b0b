from collections.abc import Iterator

from django.db.models import QuerySet

from liangze.orgs.models import Person

PEOPLE_HEADERS = ("人员编号", "姓名", "性别", "党员", "职级", "所在单位", "科室")


def people_rows(people: QuerySet[Person]) -> Iterator[tuple[str, ...]]:
    """The filtered people list's spreadsheet rows, read in chunks."""
    return (
        (
            p.person_no,
            p.name,
            p.get_gender_display(),
            "是" if p.is_party_member else "否",
            p.get_rank_display(),
            p.org.name,
            p.department,
        )
        for p in people.iterator(chunk_size=2000)
    )
