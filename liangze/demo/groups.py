"""The two leading groups of each demo county (ORG-5), seated from the posts already there.

- the 纪委's “两书上会”警示教育活动领导小组 (000 §五.1): 纪委书记任组长，副书记任
  副组长，常委任成员; its office in the 宣教室, directed by the first 副书记 (the demo's
  纪检监察干部 login), who so plans inspections in the group's name;
- the 教育局's 落实党风廉政建设责任制领导小组 (004): 党组书记、局长任组长, the 党组成员
  on it; its office in the bureau's 监察室, directed by the last of them.

Everything goes through the real services as the operator (actor None).
"""

from datetime import date

from django.db.models import QuerySet

from liangze.orgs import services
from liangze.orgs.models import (
    OFFICE_ROLES,
    DisciplineBody,
    GroupRole,
    LeadingGroup,
    Org,
    Position,
    PositionKind,
)

WARNING_FROM = date(2019, 4, 15)
RESPONSIBILITY_FROM = date(2019, 2, 14)
WARNING_PURPOSE = (
    "负责全区“两书上会”警示教育活动的组织领导；领导小组办公室采取重点检查和随机抽查方式，"
    "检查活动开展情况，发案单位、违纪案件高发频发单位、巡视巡察问题线索集中单位为必查对象。"
)
RESPONSIBILITY_PURPOSE = (
    "围绕“清单明责、常态问责、督促尽责”三个环节，组织各学校、单位编制和落实《责任清单》；"
    "领导小组办公室每月组织人员抽查，适时通报。"
)


def _posts(org: Org, **lookup: object) -> QuerySet[Position]:
    return (
        Position.objects.filter(org=org, end_date__isnull=True, **lookup)
        .select_related("person")
        .order_by("person_id")
    )


def _seat(group: LeadingGroup, post: Position, role: str) -> None:
    """A seat held by virtue of `post`, and for as long as the post."""
    services.group_membership_add(
        actor=None,
        group=group,
        person=post.person,
        position=post,
        role=role,
        start_date=max(group.established, post.start_date),
        end_date=post.end_date,
    )


def _members(group: LeadingGroup, org: Org, **lookup: object) -> None:
    """成员 by their posts, past ones too (the group's history), each person once."""
    on_group = group.memberships.exclude(role__in=OFFICE_ROLES)
    seated = set(on_group.values_list("person_id", flat=True))
    posts = (
        Position.objects.filter(org=org, **lookup)
        .exclude(end_date__lt=group.established)
        .exclude(person_id__in=seated)
        .select_related("person")
        .order_by("person_id", "-start_date")
    )
    for post in posts:
        if post.person_id not in seated:
            seated.add(post.person_id)
            _seat(group, post, GroupRole.MEMBER)


def _warning_group(root: Org, commission: DisciplineBody) -> LeadingGroup:
    group = services.leading_group_create(
        actor=None,
        org=root,
        body=commission,
        name=f"{commission.name.removesuffix('监委')}“两书上会”警示教育活动领导小组",
        kind=LeadingGroup.Kind.WARNING_EDUCATION,
        established=WARNING_FROM,
        office_org=root,
        office_section="宣教室",
        purpose=WARNING_PURPOSE,
    )
    staff = _posts(root, discipline_body=commission)
    for post in staff.filter(kind=PositionKind.DISCIPLINE_SECRETARY)[:1]:
        _seat(group, post, GroupRole.LEADER)
    deputies = list(staff.filter(title__startswith="纪委副书记"))
    for post in deputies:
        _seat(group, post, GroupRole.DEPUTY)
    _members(group, root, discipline_body=commission, title__startswith="纪委常委")
    if deputies:
        _seat(group, deputies[0], GroupRole.OFFICE_DIRECTOR)
    return group


def _responsibility_group(bureau: Org) -> LeadingGroup:
    group = services.leading_group_create(
        actor=None,
        org=bureau,
        name=f"{bureau.name.removesuffix('党组')}落实党风廉政建设责任制领导小组",
        kind=LeadingGroup.Kind.RESPONSIBILITY,
        established=RESPONSIBILITY_FROM,
        office_org=bureau,
        office_section="监察室",
        purpose=RESPONSIBILITY_PURPOSE,
    )
    for post in _posts(bureau, kind=PositionKind.PRINCIPAL)[:1]:
        _seat(group, post, GroupRole.LEADER)
    members = list(_posts(bureau, kind=PositionKind.MEMBER))
    if members:
        _seat(group, members[0], GroupRole.DEPUTY)
        _seat(group, members[-1], GroupRole.OFFICE_DIRECTOR)
    _members(group, bureau, kind=PositionKind.MEMBER)
    return group


def seed_groups(root: Org) -> int:
    """The county's groups; how many were made."""
    made = 0
    commission = (
        DisciplineBody.objects.filter(org=root, kind=DisciplineBody.Kind.COMMISSION)
        .order_by("pk")
        .first()
    )
    if commission is not None:
        _warning_group(root, commission)
        made += 1
    bureau = root.children.filter(name__endswith="教育局党组").first()
    if bureau is not None:
        _responsibility_group(bureau)
        made += 1
    return made
