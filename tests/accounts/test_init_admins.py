import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from liangze.accounts.models import AdminRole, User
from liangze.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def init_admins(*args: str) -> str:
    out = StringIO()
    call_command("init_admins", *args, stdout=out)
    return out.getvalue()


def printed_passwords(output: str) -> dict[str, str]:
    return dict(re.findall(r"(\w+)  初始密码：(\S+)", output))


def test_it_creates_the_three_administrators_with_forced_change() -> None:
    output = init_admins()
    admins = {u.username: u for u in User.objects.all()}
    assert {name: u.admin_role for name, u in admins.items()} == {
        "sysadmin": AdminRole.SYSTEM,
        "secadmin": AdminRole.SECURITY,
        "auditadmin": AdminRole.AUDIT,
    }
    assert all(u.must_change_password and u.person is None for u in admins.values())
    assert all(not u.is_superuser for u in admins.values())
    assert set(printed_passwords(output)) == set(admins)


def test_a_second_run_changes_nothing() -> None:
    init_admins()
    before = list(User.objects.order_by("pk").values_list("username", "password"))
    events = AuditEvent.objects.count()
    output = init_admins("--system", "root2")
    assert "没有做任何改动" in output and "初始密码" not in output
    assert list(User.objects.order_by("pk").values_list("username", "password")) == before
    assert AuditEvent.objects.count() == events


def test_the_printed_passwords_log_in_and_must_be_changed(client: Client) -> None:
    passwords = printed_passwords(init_admins())
    for username, password in passwords.items():
        response = client.post(
            reverse("accounts:login"), {"username": username, "password": password}
        )
        assert response.status_code == 302
        assert client.get("/").headers["Location"] == reverse("accounts:password_change")
        client.logout()


def test_it_keeps_the_passwords_out_of_the_audit_trail() -> None:
    passwords = printed_passwords(init_admins())
    events = AuditEvent.objects.filter(verb="create", object_type="accounts.user")
    assert sorted(e.data["admin_role"] for e in events) == ["audit", "security", "system"]
    trail = json.dumps(list(AuditEvent.objects.values()), default=str, ensure_ascii=False)
    assert not any(password in trail for password in passwords.values())


def test_it_takes_names_and_passwords_from_a_file(tmp_path: Path) -> None:
    secrets = tmp_path / "admins.txt"
    secrets.write_text("xt:Xitong#2026a\naq:Anquan#2026b\nsj:Shenji#2026c\n")
    output = init_admins(
        "--system", "xt", "--security", "aq", "--audit", "sj", "--password-file", str(secrets)
    )
    assert "Xitong" not in output
    assert User.objects.get(username="aq").check_password("Anquan#2026b")


def test_it_refuses_a_weak_password_from_the_file_and_creates_nobody(tmp_path: Path) -> None:
    secrets = tmp_path / "admins.txt"
    secrets.write_text("sysadmin:short\nsecadmin:Anquan#2026b\nauditadmin:Shenji#2026c\n")
    with pytest.raises(CommandError, match="至少需要 10 个字符"):
        init_admins("--password-file", str(secrets))
    assert not User.objects.exists()
