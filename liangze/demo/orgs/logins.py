"""The demo accounts: one per role, bound to the personas of the first county."""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from liangze.accounts.models import AdminRole, User
from liangze.demo.orgs.rows import Builder

DEMO_PASSWORD = "Liangze@2026"  # noqa: S105 — printed by demo_logins on purpose


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str  # an AdminRole, or "" for a business user
    persona: str  # the Personas field the account is bound to, or ""
    label: str
    can: str


DEMO_LOGINS = (
    DemoLogin("sysadmin", AdminRole.SYSTEM, "", "系统管理员", "维护组织、人员、职务和系统设置"),
    DemoLogin("secadmin", AdminRole.SECURITY, "", "安全管理员", "开设账号、分配角色、解除锁定"),
    DemoLogin(
        "auditadmin", AdminRole.AUDIT, "", "审计管理员", "查阅、核验审计日志；看不到业务数据"
    ),
    DemoLogin("county_sec", "", "county_secretary", "第一责任人", "看全县组织和人员；主体责任"),
    DemoLogin("town_sec", "", "town_secretary", "第一责任人", "看本镇及所属支部；主体责任"),
    DemoLogin("town_member", "", "town_member", "班子成员", "看本镇及所属支部；一岗双责"),
    DemoLogin("jw_sec", "", "discipline_secretary", "纪委书记", "监督全县；也是县委班子成员"),
    DemoLogin("jw_staff", "", "discipline_staff", "纪检监察干部", "监督全县各单位"),
    DemoLogin("pz_leader", "", "dispatched_leader", "派驻组组长", "监督所驻的几个县直部门"),
    DemoLogin("clerk", "", "clerk", "联络员", "只看本单位和本人记录"),
)


def create_demo_users(builder: Builder) -> tuple[list[User], list[str]]:
    """The demo accounts not yet there, and the usernames that already were (left alone).

    Codes come from the builder's Random too, so the whole demo repeats with its seed.
    """
    personas = builder.personas
    assert personas is not None, "generate the data before its logins"
    existing = set(
        User.objects.filter(username__in=[d.username for d in DEMO_LOGINS]).values_list(
            "username", flat=True
        )
    )
    # Argon2 is slow on purpose: hash once, share the hash.
    password = make_password(DEMO_PASSWORD)
    users = [
        User(
            code=builder.code(),
            username=demo.username,
            admin_role=demo.role,
            person_id=getattr(personas, demo.persona).id if demo.persona else None,
            password=password,
            must_change_password=False,
        )
        for demo in DEMO_LOGINS
        if demo.username not in existing
    ]
    return User.objects.bulk_create(users), sorted(existing)
