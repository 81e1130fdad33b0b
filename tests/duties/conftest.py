from datetime import date

import pytest

from liangze.duties import services
from liangze.duties.models import Catalogue, DutyList, ListType


@pytest.fixture
def catalogue(county) -> Catalogue:  # type: ignore[no-untyped-def]
    """The 通州 2017 catalogue, issued by the county to its subtree."""
    loaded, _ = services.catalogue_load(path=services.SEED_CATALOGUES / "tongzhou-2017.json")
    return services.catalogue_issue(
        actor=county.discipline_officer,
        catalogue=loaded,
        issuer=county.county,
        submit_deadline=date(2099, 2, 14),
        year=2026,
    )


def full_rows(duty_list: DutyList, person_no: str = "P001") -> list[dict[str, str]]:
    """Rows that make the list complete: every catalogue entry, a person, four measures."""
    return [
        {
            "entry": item.entry.ref if item.entry else "",
            "name": item.name,
            "task": f"{item.name}的具体分解任务",
            "responsible": person_no,
            "department": "党政办",
            **{q: f"{item.name}第{n}季度措施" for n, q in enumerate(("q1", "q2", "q3", "q4"), 1)},
        }
        for item in duty_list.items.select_related("entry")
    ]


@pytest.fixture
def draft(county, catalogue) -> DutyList:  # type: ignore[no-untyped-def]
    return services.duty_list_create(
        actor=county.township_secretary,
        org=county.chengguan,
        year=2026,
        list_type=ListType.COLLECTIVE,
        catalogue=catalogue,
    )


@pytest.fixture
def member_draft(county, catalogue) -> DutyList:  # type: ignore[no-untyped-def]
    """李明华's own member list (班子成员), just started."""
    return services.duty_list_create(
        actor=county.township_member,
        org=county.chengguan,
        year=2026,
        list_type=ListType.MEMBER,
        catalogue=catalogue,
        person=county.township_member.person,
    )


@pytest.fixture
def supervisory_list(county, catalogue) -> DutyList:  # type: ignore[no-untyped-def]
    """The county commission's supervisory list, just started."""
    return services.duty_list_create(
        actor=county.discipline_officer,
        org=county.county,
        year=2026,
        list_type=ListType.SUPERVISORY,
        catalogue=catalogue,
        discipline_body=county.county_commission,
    )


@pytest.fixture
def signed(county, draft) -> DutyList:  # type: ignore[no-untyped-def]
    services.duty_items_save(
        actor=county.township_secretary, duty_list=draft, rows=full_rows(draft)
    )
    services.duty_list_discuss(
        actor=county.township_secretary,
        duty_list=draft,
        on=date(2026, 1, 10),
        meeting="党委会",
        attendees="张建国、李明华",
    )
    services.duty_list_sign(actor=county.township_secretary, duty_list=draft)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def submitted(county, signed) -> DutyList:  # type: ignore[no-untyped-def]
    return services.duty_list_submit(actor=county.township_secretary, duty_list=signed)
