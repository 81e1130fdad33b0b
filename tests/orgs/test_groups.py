"""Leading groups (ORG-5): dated seats, one 组长 at a time, history kept, offices act."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from liangze import access
from liangze.core.models import AuditEvent
from liangze.orgs import services
from liangze.orgs.models import GroupMembership, GroupRole, LeadingGroup
from tests.fixtures.county import START, County, person_of
from tests.fixtures.groups import Groups

pytestmark = pytest.mark.django_db

LATER = date(2025, 3, 1)


def messages_of(error: ValidationError, field: str) -> str:
    return "".join(error.message_dict[field])


def test_it_audits_a_new_group_and_each_seat(county: County, groups: Groups) -> None:
    events = AuditEvent.objects.filter(verb=AuditEvent.Verb.CREATE)
    assert events.filter(object_label=groups.warning.name).exists()
    assert events.filter(object_type__icontains="membership").count() == 2


def test_it_refuses_a_second_leader_at_the_same_time(county: County, groups: Groups) -> None:
    with pytest.raises(ValidationError) as refused:
        services.group_membership_add(
            actor=county.system_admin,
            group=groups.warning,
            person=person_of(county.township_secretary),
            role=GroupRole.LEADER,
            start_date=LATER,
        )
    assert "同一时间只能有一名组长：赵纪平" in messages_of(refused.value, "role")
    assert groups.warning.memberships.count() == 2


def test_it_seats_a_new_leader_once_the_first_has_left(county: County, groups: Groups) -> None:
    leader = groups.warning.memberships.get(role=GroupRole.LEADER)
    services.group_membership_end(actor=county.system_admin, membership=leader, end_date=LATER)
    successor = services.group_membership_add(
        actor=county.system_admin,
        group=groups.warning,
        person=person_of(county.township_secretary),
        role=GroupRole.LEADER,
        start_date=date(2025, 3, 2),
    )
    leader.refresh_from_db()
    assert (leader.end_date, successor.end_date) == (LATER, None)
    assert groups.warning.memberships.count() == 3  # the old seat stays, as history


def test_it_refuses_a_seat_before_the_group_existed(county: County, groups: Groups) -> None:
    with pytest.raises(ValidationError) as refused:
        services.group_membership_add(
            actor=None,
            group=groups.responsibility,
            person=person_of(county.clerk),
            role=GroupRole.MEMBER,
            start_date=date(2016, 12, 31),
        )
    message = messages_of(refused.value, "start_date")
    assert "起始日期不能早于领导小组成立日期（2017-02-01）" in message


def test_it_refuses_the_same_person_twice_at_once(county: County, groups: Groups) -> None:
    with pytest.raises(ValidationError) as refused:
        services.group_membership_add(
            actor=None,
            group=groups.warning,
            person=person_of(county.dispatched_officer),
            role=GroupRole.DEPUTY,
            start_date=LATER,
        )
    assert "“钱监督”在此期间已是本领导小组成员" in messages_of(refused.value, "person")


def test_it_refuses_a_post_that_is_not_the_persons_own(county: County, groups: Groups) -> None:
    post = person_of(county.township_secretary).positions.get()
    with pytest.raises(ValidationError) as refused:
        services.group_membership_add(
            actor=None,
            group=groups.responsibility,
            person=person_of(county.clerk),
            position=post,
            role=GroupRole.MEMBER,
            start_date=LATER,
        )
    assert "任职依据须是该人员本人的职务" in messages_of(refused.value, "position")


def test_it_refuses_to_end_a_seat_twice(county: County, groups: Groups) -> None:
    seat = groups.warning.memberships.get(role=GroupRole.MEMBER)
    services.group_membership_end(actor=None, membership=seat, end_date=LATER)
    with pytest.raises(ValidationError) as refused:
        services.group_membership_end(actor=None, membership=seat, end_date=date(2025, 4, 1))
    assert "已于 2025-03-01 离任" in messages_of(refused.value, "end_date")


def test_dissolving_a_group_ends_the_seats_still_open(county: County, groups: Groups) -> None:
    services.leading_group_update(actor=county.system_admin, group=groups.warning, dissolved=LATER)
    ends = set(groups.warning.memberships.values_list("end_date", flat=True))
    assert ends == {LATER}
    event = AuditEvent.objects.filter(verb=AuditEvent.Verb.UPDATE).latest("seq")
    assert len(event.data["ended"]) == 2


def test_it_refuses_an_establishment_after_a_seat_began(county: County, groups: Groups) -> None:
    with pytest.raises(ValidationError) as refused:
        services.leading_group_update(actor=None, group=groups.warning, established=LATER)
    assert "成立日期不能晚于此" in messages_of(refused.value, "established")
    groups.warning.refresh_from_db()
    assert groups.warning.established == START


def test_only_the_system_admin_and_the_orgs_principal_keep_a_group(county: County) -> None:
    def create(actor: object) -> LeadingGroup:
        return services.leading_group_create(
            actor=actor,  # type: ignore[arg-type]
            org=county.chengguan,
            name="城关镇“两书上会”警示教育活动领导小组",
            kind=LeadingGroup.Kind.WARNING_EDUCATION,
            established=START,
            office_org=county.chengguan,
        )

    with pytest.raises(PermissionDenied):
        create(county.township_member)
    group = create(county.township_secretary)
    assert group.org == county.chengguan
    with pytest.raises(PermissionDenied):
        services.group_membership_add(
            actor=county.discipline_officer,
            group=group,
            person=person_of(county.clerk),
            role=GroupRole.MEMBER,
            start_date=START,
        )


# Acting for the group -----------------------------------------------------------


def test_the_offices_staff_act_for_its_group(county: County, groups: Groups) -> None:
    assert access.acts_for_group(groups.office_clerk, groups.warning)
    assert access.acts_for_group(groups.bureau_clerk, groups.responsibility)
    assert not access.acts_for_group(groups.office_clerk, groups.responsibility)


def test_members_outside_the_office_do_not_act_for_it(county: County, groups: Groups) -> None:
    # 赵纪平 leads the group and works for the 纪委, but not in the 宣教室.
    assert not access.acts_for_group(county.discipline_officer, groups.warning)
    assert not access.acts_for_group(county.system_admin, groups.warning)
    with pytest.raises(PermissionDenied):
        access.require_acts_for_group(county.township_secretary, groups.warning)


def test_a_member_also_directs_the_office_and_then_acts_for_the_group(
    county: County, groups: Groups
) -> None:
    # 000 §五.1: “分管宣教工作的常委兼任办公室主任” — one seat on the group, one in its office.
    services.group_membership_add(
        actor=None,
        group=groups.warning,
        person=person_of(county.dispatched_officer),
        role=GroupRole.OFFICE_DIRECTOR,
        start_date=LATER,
    )
    assert access.acts_for_group(county.dispatched_officer, groups.warning)


def test_nobody_acts_for_a_dissolved_group(county: County, groups: Groups) -> None:
    services.leading_group_update(actor=None, group=groups.warning, dissolved=LATER)
    assert not access.acts_for_group(groups.office_clerk, groups.warning)
    assert GroupMembership.objects.filter(group=groups.warning, end_date=None).count() == 0
