"""A small county built through the real services: the personas every test uses.

示范县委
├── 城关镇党委 ── 城关镇第一党支部
├── 河口镇党委
└── 县教育局党组
县纪委 supervises the whole county; 城关镇纪委 supervises 城关镇; the
派驻第一纪检监察组 (attached to the county) supervises only 县教育局.
"""

from dataclasses import dataclass
from datetime import date
from functools import cache

from django.contrib.auth.hashers import make_password

from liangze.accounts.models import AdminRole, User
from liangze.orgs import services
from liangze.orgs.models import (
    DisciplineBody,
    Gender,
    Org,
    OrgKind,
    OrgLevel,
    Person,
    PositionKind,
    Rank,
)

PASSWORD = "Liangze#2026pw"
START = date(2024, 1, 1)


@dataclass
class County:
    county: Org
    chengguan: Org
    hekou: Org
    education: Org
    branch: Org
    county_commission: DisciplineBody
    chengguan_commission: DisciplineBody
    dispatched: DisciplineBody
    township_secretary: User
    township_member: User
    other_township_secretary: User
    discipline_officer: User
    dispatched_officer: User
    clerk: User
    system_admin: User
    security_admin: User
    audit_admin: User


@cache
def _password_hash() -> str:
    """Argon2 is slow on purpose; hash the shared test password once per run."""
    return make_password(PASSWORD)


def _user(username: str, person: Person | None = None, role: str = AdminRole.NONE) -> User:
    return User.objects.create(
        username=username,
        person=person,
        admin_role=role,
        must_change_password=False,
        password=_password_hash(),
    )


def _person(org: Org, no: str, name: str, rank: str = Rank.SECTION) -> Person:
    return services.person_create(
        actor=None, org=org, person_no=no, name=name, gender=Gender.MALE, rank=rank
    )


def build() -> County:
    org = services.org_create
    county = org(
        actor=None,
        parent=None,
        org_no="C",
        name="示范县委",
        kind=OrgKind.PARTY_COMMITTEE,
        level=OrgLevel.COUNTY,
    )
    chengguan = org(
        actor=None,
        parent=county,
        org_no="C-T1",
        name="城关镇党委",
        kind=OrgKind.PARTY_COMMITTEE,
        level=OrgLevel.TOWNSHIP,
    )
    hekou = org(
        actor=None,
        parent=county,
        org_no="C-T2",
        name="河口镇党委",
        kind=OrgKind.PARTY_COMMITTEE,
        level=OrgLevel.TOWNSHIP,
    )
    education = org(
        actor=None,
        parent=county,
        org_no="C-D1",
        name="县教育局党组",
        kind=OrgKind.PARTY_GROUP,
        level=OrgLevel.DEPARTMENT,
    )
    branch = org(
        actor=None,
        parent=chengguan,
        org_no="C-T1-B1",
        name="城关镇第一党支部",
        kind=OrgKind.BRANCH,
        level=OrgLevel.BRANCH,
    )
    body = services.discipline_body_create
    county_commission = body(
        actor=None,
        org=county,
        body_no="D-C",
        name="示范县纪委",
        kind=DisciplineBody.Kind.COMMISSION,
        supervises=[county],
    )
    chengguan_commission = body(
        actor=None,
        org=chengguan,
        body_no="D-T1",
        name="城关镇纪委",
        kind=DisciplineBody.Kind.COMMISSION,
        supervises=[chengguan],
    )
    dispatched = body(
        actor=None,
        org=county,
        body_no="D-P1",
        name="派驻第一纪检监察组",
        kind=DisciplineBody.Kind.DISPATCHED,
        supervises=[education],
    )

    def post(person: Person, at: Org, kind: str, title: str, **extra: object) -> None:
        services.position_create(
            actor=None, person=person, org=at, kind=kind, title=title, start_date=START, **extra
        )  # type: ignore[arg-type]

    secretary = _person(chengguan, "P001", "张建国")
    post(secretary, chengguan, PositionKind.PRINCIPAL, "党委书记")
    member = _person(chengguan, "P002", "李明华")
    post(
        member,
        chengguan,
        PositionKind.MEMBER,
        "党委副书记",
        portfolio="党建、宣传",
        liaison_orgs=[branch],
    )
    other = _person(hekou, "P003", "王志强")
    post(other, hekou, PositionKind.PRINCIPAL, "党委书记")
    officer = _person(county, "P004", "赵纪平")
    post(
        officer,
        county,
        PositionKind.DISCIPLINE_STAFF,
        "纪检监察室主任",
        discipline_body=county_commission,
    )
    dispatched_person = _person(county, "P005", "钱监督")
    post(
        dispatched_person,
        county,
        PositionKind.DISCIPLINE_SECRETARY,
        "组长",
        discipline_body=dispatched,
    )
    clerk = _person(chengguan, "P006", "孙小文", rank=Rank.CLERK)
    return County(
        county=county,
        chengguan=chengguan,
        hekou=hekou,
        education=education,
        branch=branch,
        county_commission=county_commission,
        chengguan_commission=chengguan_commission,
        dispatched=dispatched,
        township_secretary=_user("zhangjg", secretary),
        township_member=_user("liminghua", member),
        other_township_secretary=_user("wangzq", other),
        discipline_officer=_user("zhaojp", officer),
        dispatched_officer=_user("qianjd", dispatched_person),
        clerk=_user("sunxw", clerk),
        system_admin=_user("sysadmin", role=AdminRole.SYSTEM),
        security_admin=_user("secadmin", role=AdminRole.SECURITY),
        audit_admin=_user("auditadmin", role=AdminRole.AUDIT),
    )
