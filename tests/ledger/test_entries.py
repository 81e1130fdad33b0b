"""Progress entries: recorded by the unit, 补录 after the deadline, 对账销号 from above."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from liangze.core import repeats
from liangze.core.models import AuditEvent
from liangze.core.sm3 import sm3_hex
from liangze.duties.models import DutyItem, DutyList
from liangze.ledger.entries import services as entries
from liangze.ledger.models import ProgressEntry
from tests.fixtures.clients import Login
from tests.fixtures.clock import On
from tests.fixtures.county import County
from tests.fixtures.evidence import PNG, photo

pytestmark = pytest.mark.django_db

SUMMER = date(2026, 8, 1)  # inside Q3, its deadline (13 October) far off
LATE = date(2026, 11, 23)  # Q3 locked on 13 October


def first_item(duty_list: DutyList) -> DutyItem:
    return duty_list.items.select_related("duty_list__org").get(seq=1)


def add(county: County, duty_list: DutyList, **changes: Any) -> ProgressEntry:
    """The clerk enters Q3 progress on item 1; `changes` override any argument."""
    arguments: dict[str, Any] = {
        "actor": county.clerk,
        "item": first_item(duty_list),
        "period": "2026-Q3",
        "text": "7月15日召开党委会专题听取党风廉政建设情况汇报",
        "done_on": date(2026, 7, 15),
    }
    return entries.entry_add(**(arguments | changes))


def audit_of(entry: ProgressEntry) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_code=str(entry.code)).order_by("seq"))


# Adding ---------------------------------------------------------------------------------


def test_it_adds_an_entry_with_a_photo_sealed_by_sm3(
    county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    entry = add(county, published, uploads=[photo()])
    (evidence,) = entry.evidence.all()
    assert evidence.sm3 == sm3_hex(PNG) and evidence.org == county.chengguan
    assert (entry.period, entry.status, entry.is_late) == ("2026-Q3", "submitted", False)
    assert entry.entered_by == county.clerk
    (event,) = audit_of(entry)
    assert event.verb == "create" and event.data["evidence"] == [sm3_hex(PNG)]


def test_it_lets_the_units_leader_record_too(county: County, published: DutyList, on: On) -> None:
    on(SUMMER)
    assert add(county, published, actor=county.township_secretary).pk


def test_it_takes_a_monthly_entry(county: County, published: DutyList, on: On) -> None:
    on(SUMMER)
    assert add(county, published, period="2026-M07").period == "2026-M07"


def test_it_refuses_a_list_that_is_not_published(
    county: County, submitted: DutyList, on: On
) -> None:
    on(SUMMER)
    with pytest.raises(ValidationError, match="已公示"):
        add(county, submitted)


@pytest.mark.parametrize("period", ["2025-Q3", "2026-H2", "2026", "第三季度"])
def test_it_refuses_a_period_that_is_not_a_quarter_or_month_of_the_lists_year(
    county: County, published: DutyList, on: On, period: str
) -> None:
    on(SUMMER)
    with pytest.raises(ValidationError) as caught:
        add(county, published, period=period)
    assert "period" in caught.value.message_dict


def test_it_refuses_a_date_outside_the_period_or_in_the_future(
    county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    with pytest.raises(ValidationError, match="第一天"):
        add(county, published, done_on=date(2026, 6, 30))
    with pytest.raises(ValidationError, match="不能晚于今天"):
        add(county, published, done_on=date(2026, 8, 2))


def test_it_refuses_a_late_entry_without_a_reason(
    county: County, published: DutyList, on: On
) -> None:
    on(LATE)
    with pytest.raises(ValidationError) as caught:
        add(county, published)
    assert "2026-10-13" in caught.value.message_dict["late_reason"][0]
    assert not ProgressEntry.objects.exists()


def test_it_stores_a_late_entry_with_its_reason_marked_late(
    county: County, published: DutyList, on: On
) -> None:
    on(LATE)
    entry = add(county, published, late_reason="会议记录归档延误")
    assert entry.is_late and entry.late_reason == "会议记录归档延误"


def test_it_still_takes_an_entry_on_the_deadline_day(
    county: County, published: DutyList, on: On
) -> None:
    on(date(2026, 10, 13))
    assert not add(county, published, late_reason="不需要").is_late


def test_it_lets_neither_another_unit_nor_the_higher_level_record(
    county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    for outsider in (county.other_township_secretary, county.discipline_officer):
        with pytest.raises(PermissionDenied):
            add(county, published, actor=outsider)


def test_it_refuses_a_file_that_is_not_evidence_and_keeps_nothing(
    county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    with pytest.raises(ValidationError, match="类型不支持"):
        add(county, published, uploads=[photo("病毒.exe", b"MZ")])
    assert not ProgressEntry.objects.exists()


# 对账销号 -------------------------------------------------------------------------------


def test_it_lets_the_county_discipline_officer_verify(
    county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    entry = add(county, published)
    entries.entry_verify(actor=county.discipline_officer, entry=entry)
    entry.refresh_from_db()
    assert entry.status == "verified" and entry.reviewed_by == county.discipline_officer
    assert [e.verb for e in audit_of(entry)] == ["create", "update"]


def test_it_does_not_let_the_unit_verify_itself(
    county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    entry = add(county, published)
    for insider in (county.clerk, county.township_secretary):
        with pytest.raises(PermissionDenied):
            entries.entry_verify(actor=insider, entry=entry)
    assert ProgressEntry.objects.get().status == "submitted"


def test_it_never_changes_a_verified_entry(county: County, published: DutyList, on: On) -> None:
    on(SUMMER)
    entry = add(county, published)
    entries.entry_verify(actor=county.discipline_officer, entry=entry)
    # Verifying again is the same act repeated: a note, and nothing changes.
    with pytest.raises(repeats.AlreadyDone, match="这条进度已销号"):
        entries.entry_verify(actor=county.discipline_officer, entry=entry)
    with pytest.raises(ValidationError, match="不能再更改"):
        entries.entry_reject(actor=county.discipline_officer, entry=entry, reason="再看看")
    assert ProgressEntry.objects.get().status == "verified"


def test_it_closes_the_period_once_verified(county: County, published: DutyList, on: On) -> None:
    on(SUMMER)
    entries.entry_verify(actor=county.discipline_officer, entry=add(county, published))
    with pytest.raises(ValidationError, match="已销号"):
        add(county, published)


def test_it_needs_a_reason_to_reject(county: County, published: DutyList, on: On) -> None:
    on(SUMMER)
    entry = add(county, published)
    with pytest.raises(ValidationError) as caught:
        entries.entry_reject(actor=county.discipline_officer, entry=entry, reason="  ")
    assert "reason" in caught.value.message_dict
    entries.entry_reject(actor=county.discipline_officer, entry=entry, reason="缺少会议记录")
    entry.refresh_from_db()
    assert (entry.status, entry.review_reason) == ("rejected", "缺少会议记录")
    assert audit_of(entry)[-1].data == {"status": "rejected", "reason": "缺少会议记录"}


def test_it_lets_the_unit_enter_again_after_a_rejection(
    county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    rejected = add(county, published)
    entries.entry_reject(actor=county.discipline_officer, entry=rejected, reason="缺少照片")
    again = add(county, published, uploads=[photo()])
    assert again.pk != rejected.pk and again.status == "submitted"


def test_it_puts_a_submitted_entry_on_the_supervisors_to_do_list(
    login: Login, county: County, published: DutyList
) -> None:
    from datetime import date

    from liangze.ledger.entries import services as entries

    item = published.items.order_by("seq").first()
    assert item is not None
    entries.entry_add(
        actor=county.clerk,
        item=item,
        period="2026-Q1",
        text="召开专题会议",
        done_on=date(2026, 1, 20),
        late_reason="年初系统尚未上线，补录",
    )
    todos = login(county.discipline_officer).get("/").context["todos"]
    assert [t.kind for t in todos] == ["核实台账"]
    assert login(county.township_secretary).get("/").context["todos"] == []
