from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liangze import access
from liangze.core.models import AuditEvent
from liangze.core.sm3 import sm3_hex
from liangze.duties.models import Catalogue, DutyItem, DutyList, ListType
from liangze.ledger.activities import services as activities
from liangze.ledger.models import (
    Activity,
    ActivityKind,
    ProgressEntry,
    ReportKind,
    ReportRecipient,
)
from liangze.orgs.models import Person, Position
from tests.fixtures.county import County
from tests.fixtures.evidence import PNG, photo

pytestmark = pytest.mark.django_db


def person(no: str) -> Person:
    return Person.objects.get(person_no=no)


def talk(county: County, actor: Any = None, **changes: Any) -> Activity:
    """张建国 talks with 李明华; `changes` override any argument."""
    arguments: dict[str, Any] = {
        "actor": actor or county.township_secretary,
        "org": county.chengguan,
        "kind": ActivityKind.TALK,
        "held_on": timezone.localdate(),
        "host": county.township_secretary.person,
        "participants": [county.township_member.person],
        "subject": "谈心谈话：落实一岗双责",
    }
    return activities.activity_record(**(arguments | changes))


def events(activity: Activity, verb: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_code=str(activity.code), verb=verb))


def list_item(county: County, *, org: Any = None, in_force: bool = True) -> DutyItem:
    catalogue = Catalogue.objects.create(key="k", title="目录", issuer_name="县纪委", year=2026)
    duty_list = DutyList.objects.create(
        org=org or county.chengguan,
        year=timezone.localdate().year,
        list_type=ListType.COLLECTIVE,
        catalogue=catalogue,
        status=DutyList.Status.PUBLISHED if in_force else DutyList.Status.DRAFT,
        in_force=in_force,
    )
    return DutyItem.objects.create(duty_list=duty_list, seq=1, name="履行主体责任")


# Recording ----------------------------------------------------------------------------


def test_it_records_a_talk_with_participants_and_a_photo(county: County) -> None:
    activity = talk(county, uploads=[photo()], minutes="谈了廉政风险。")
    activity.refresh_from_db()
    assert activity.org == county.chengguan and activity.kind == ActivityKind.TALK
    assert list(activity.participants.all()) == [county.township_member.person]
    assert activity.entered_by == county.township_secretary
    [evidence] = activity.evidence.all()
    assert evidence.sm3 == sm3_hex(PNG) and evidence.org == county.chengguan
    [event] = events(activity, AuditEvent.Verb.CREATE)
    assert event.data["participants"] == ["李明华（P002）"]
    assert event.data["evidence"] == [sm3_hex(PNG)]


def test_it_links_items_of_the_units_lists_in_force(county: County) -> None:
    item = list_item(county)
    activity = talk(county, items=[item])
    assert list(activity.items.all()) == [item]


@pytest.mark.parametrize("where", ["other_unit", "not_in_force"])
def test_it_refuses_items_of_other_lists(county: County, where: str) -> None:
    item = (
        list_item(county, org=county.hekou)
        if where == "other_unit"
        else list_item(county, in_force=False)
    )
    with pytest.raises(ValidationError) as refused:
        talk(county, items=[item])
    assert "履行主体责任" in refused.value.message_dict["items"][0]


def test_it_refuses_people_outside_the_unit_by_name(county: County) -> None:
    with pytest.raises(ValidationError) as refused:
        talk(county, participants=[county.township_member.person, person("P003")])
    [message] = refused.value.message_dict["participants"]
    assert "王志强" in message and "李明华" not in message
    assert not Activity.objects.exists()


def test_it_accepts_people_of_the_hosts_liaison_units(county: County) -> None:
    """李明华 liaises with 第一党支部; a county leader's liaison unit may lie anywhere."""
    Position.objects.get(person__person_no="P002").liaison_orgs.add(county.hekou)
    activity = talk(
        county,
        host=county.township_member.person,
        participants=[person("P003")],
        actor=county.township_member,
    )
    assert list(activity.participants.all()) == [person("P003")]


def test_it_refuses_a_host_outside_the_unit(county: County) -> None:
    with pytest.raises(ValidationError) as refused:
        talk(county, host=person("P003"))
    assert "王志强" in refused.value.message_dict["host"][0]


def test_it_refuses_a_future_date(county: County) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        talk(county, held_on=tomorrow)
    assert "不能晚于今天" in refused.value.message_dict["held_on"][0]


def test_it_refuses_a_talk_without_participants(county: County) -> None:
    with pytest.raises(ValidationError) as refused:
        talk(county, participants=[])
    assert "至少选择一名谈话对象" in refused.value.message_dict["participants"][0]


def test_it_reports_every_mistake_at_once(county: County) -> None:
    with pytest.raises(ValidationError) as refused:
        talk(county, participants=[], subject="", held_on=date(2999, 1, 1))
    assert {"participants", "subject", "held_on"} <= set(refused.value.message_dict)


def test_it_records_a_meeting_without_participants(county: County) -> None:
    activity = talk(county, kind=ActivityKind.MEETING, participants=[])
    assert activity.participants.count() == 0


def test_it_does_not_count_the_host_among_the_people_talked_to(county: County) -> None:
    activity = talk(
        county,
        participants=[county.township_secretary.person, county.township_member.person],
    )
    assert list(activity.participants.all()) == [county.township_member.person]


BOTH = [ReportRecipient.HIGHER_COMMISSION, ReportRecipient.HIGHER_COMMITTEE]


def test_it_wants_a_kind_and_recipients_for_a_written_report_only(county: County) -> None:
    with pytest.raises(ValidationError) as refused:
        talk(county, kind=ActivityKind.WRITTEN_REPORT, participants=[], recipient="区委")
    assert refused.value.message_dict["report_kind"] == ["书面报告须选择报告类别。"]
    assert "报送对象" in refused.value.message_dict["recipients"][0]
    report = talk(
        county,
        kind=ActivityKind.WRITTEN_REPORT,
        participants=[],
        report_kind=ReportKind.FIRST_RESPONSIBLE,
        recipients=[*BOTH, ReportRecipient.HIGHER_COMMITTEE],
        recipient="区委、区纪委",
    )
    report.refresh_from_db()
    assert report.report_kind == ReportKind.FIRST_RESPONSIBLE
    assert report.recipients == ["higher_committee", "higher_commission"]
    assert report.get_recipients_display() == "上级党委、上级纪委"
    assert report.recipient == "区委、区纪委"
    lecture = talk(
        county,
        kind=ActivityKind.LECTURE,
        participants=[],
        report_kind=ReportKind.PRIMARY,
        recipients=BOTH,
        recipient="区委",
    )
    assert (lecture.report_kind, lecture.recipients, lecture.recipient) == ("", [], "")


def test_it_names_an_unknown_recipient(county: County) -> None:
    with pytest.raises(ValidationError) as refused:
        talk(
            county,
            kind=ActivityKind.WRITTEN_REPORT,
            participants=[],
            report_kind=ReportKind.OTHER,
            recipients=["mayor"],
        )
    assert "报送对象须从以下选择" in refused.value.message_dict["recipients"][0]
    assert not Activity.objects.exists()


def test_it_accepts_people_of_the_hosts_portfolio_units(county: County) -> None:
    """李明华 is in charge of (分管) 河口镇: he may talk with its people."""
    Position.objects.get(person__person_no="P002").portfolio_orgs.add(county.hekou)
    activity = talk(
        county,
        host=county.township_member.person,
        participants=[person("P003")],
    )
    assert list(activity.participants.all()) == [person("P003")]


def test_it_refuses_a_bad_file_on_the_uploads_field(county: County) -> None:
    with pytest.raises(ValidationError) as refused:
        talk(county, uploads=[photo("病毒.exe", b"MZ")])
    assert "类型不支持" in refused.value.message_dict["uploads"][0]
    assert not Activity.objects.exists()


def test_it_refuses_another_township(county: County) -> None:
    with pytest.raises(PermissionDenied) as refused:
        talk(county, actor=county.other_township_secretary)
    assert not Activity.objects.exists()
    access.record_carried_refusal(refused.value)  # as the request's top level does
    assert AuditEvent.objects.filter(
        verb=AuditEvent.Verb.DENIED, actor=county.other_township_secretary
    )


def test_it_lets_the_units_clerk_record(county: County) -> None:
    activity = talk(county, actor=county.clerk)
    assert activity.entered_by == county.clerk and activity.org == county.chengguan


def test_it_refuses_discipline_staff_recording_for_the_unit(county: County) -> None:
    """Supervisors verify the ledger; they do not fill it in for the unit."""
    with pytest.raises(PermissionDenied):
        talk(county, actor=county.discipline_officer)


# Changing ------------------------------------------------------------------------------


def update(activity: Activity, actor: Any, **changes: Any) -> Activity:
    arguments: dict[str, Any] = {
        "kind": activity.kind,
        "held_on": activity.held_on,
        "host": activity.host,
        "participants": list(activity.participants.all()),
        "subject": activity.subject,
    }
    return activities.activity_update(actor=actor, activity=activity, **(arguments | changes))


def test_it_lets_the_one_who_entered_it_correct_it(county: County) -> None:
    activity = talk(county, actor=county.clerk, uploads=[photo()])
    [evidence] = activity.evidence.all()
    update(
        activity,
        county.clerk,
        subject="谈心谈话（更正）",
        uploads=[photo("记录.pdf", b"%PDF-1.4")],
        dropped_evidence=[evidence],
    )
    activity.refresh_from_db()
    assert activity.subject == "谈心谈话（更正）"
    assert [e.original_name for e in activity.evidence.all()] == ["记录.pdf"]
    [event] = events(activity, AuditEvent.Verb.UPDATE)
    assert event.data["subject"] == ["谈心谈话：落实一岗双责", "谈心谈话（更正）"]


def test_it_lets_a_leader_of_the_unit_correct_a_clerks_entry(county: County) -> None:
    activity = talk(county, actor=county.clerk)
    update(activity, county.township_member, subject="更正")
    assert Activity.objects.get().subject == "更正"


def test_it_refuses_changes_by_someone_else(county: County) -> None:
    activity = talk(county, actor=county.township_secretary)
    with pytest.raises(PermissionDenied) as refused:
        update(activity, county.clerk, subject="改")
    access.record_carried_refusal(refused.value)  # as the request's top level does
    assert events(activity, AuditEvent.Verb.DENIED)


def test_it_applies_the_same_checks_on_update(county: County) -> None:
    activity = talk(county)
    with pytest.raises(ValidationError) as refused:
        update(activity, county.township_secretary, participants=[person("P003")])
    assert "王志强" in refused.value.message_dict["participants"][0]


def test_it_refuses_changes_after_thirty_days(county: County) -> None:
    activity = talk(county)
    Activity.objects.filter(pk=activity.pk).update(created_at=timezone.now() - timedelta(days=31))
    activity.refresh_from_db()
    with pytest.raises(ValidationError, match="超过 30 天"):
        update(activity, county.township_secretary, subject="改")
    with pytest.raises(ValidationError, match="超过 30 天"):
        activities.activity_delete(actor=county.township_secretary, activity=activity)


# Deleting ------------------------------------------------------------------------------


def test_it_deletes_a_mistaken_entry_and_keeps_the_row_in_the_trail(county: County) -> None:
    activity = talk(county, minutes="记录全文")
    code = activity.code
    activities.activity_delete(actor=county.township_secretary, activity=activity)
    assert not Activity.objects.exists()
    [event] = AuditEvent.objects.filter(object_code=str(code), verb=AuditEvent.Verb.DELETE)
    assert event.data["minutes"] == "记录全文" and event.data["host"] == "张建国（P001）"


def test_it_refuses_to_delete_an_activity_an_entry_relies_on(county: County) -> None:
    activity = talk(county)
    entry = ProgressEntry.objects.create(
        item=list_item(county), period="2026-Q1", text="已开展", done_on=timezone.localdate()
    )
    entry.activities.add(activity)
    with pytest.raises(ValidationError, match="台账进度引用"):
        activities.activity_delete(actor=county.township_secretary, activity=activity)
    assert Activity.objects.filter(pk=activity.pk).exists()
