"""三员分立: each administrator does only their own work (NF-3)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from liangze.accounts import services
from liangze.accounts.models import AdminRole, User
from liangze.core.models import AuditEvent
from tests.fixtures.clients import Login
from tests.fixtures.county import County

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["system_admin", "audit_admin", "township_secretary"])
def test_it_keeps_account_management_to_the_security_admin(
    login: Login, county: County, who: str
) -> None:
    assert login(getattr(county, who)).get(reverse("accounts:users")).status_code == 403


@pytest.mark.parametrize("who", ["system_admin", "security_admin", "discipline_officer"])
def test_it_keeps_the_audit_log_to_the_audit_admin(login: Login, county: County, who: str) -> None:
    assert login(getattr(county, who)).get(reverse("portal:audit")).status_code == 403


@pytest.mark.parametrize("who", ["security_admin", "audit_admin"])
def test_it_keeps_other_admins_out_of_org_data_changes(county: County, who: str) -> None:
    from liangze.orgs import services as org_services

    with pytest.raises(Exception) as refused:
        org_services.org_create(
            actor=getattr(county, who),
            parent=county.county,
            org_no="X",
            name="新单位",
            kind="branch",
            level="branch",
        )
    assert refused.type.__name__ == "PermissionDenied"


def test_it_hides_business_data_from_the_audit_admin(login: Login, county: County) -> None:
    client = login(county.audit_admin)
    assert client.get(county.chengguan.get_absolute_url()).status_code == 404


def test_it_refuses_an_admin_bound_to_a_person(county: County) -> None:
    user = User(username="x", admin_role=AdminRole.AUDIT, person=county.clerk.person)
    with pytest.raises(ValidationError):
        user.full_clean()


def test_it_lets_the_security_admin_create_an_account(login: Login, county: County) -> None:
    from liangze.orgs.models import Person

    person = Person.objects.create(
        org=county.hekou, person_no="P100", name="周新", gender="F", rank="unit"
    )
    client = login(county.security_admin)
    response = client.post(
        reverse("accounts:users"), {"username": "zhouxin", "admin_role": "", "person_no": "P100"}
    )
    assert response.status_code == 200
    user = User.objects.get(username="zhouxin")
    assert user.person == person and user.must_change_password
    assert "初始密码" in response.content.decode()
    assert AuditEvent.objects.filter(verb="create", object_label__contains="zhouxin").exists()


def test_it_explains_a_bad_account_form(login: Login, county: County) -> None:
    client = login(county.security_admin)
    response = client.post(
        reverse("accounts:users"), {"username": "zhangjg", "admin_role": "", "person_no": "P999"}
    )
    content = response.content.decode()
    assert "该用户名已被使用" in content
    assert "没有编号为 P999 的人员" in content


def test_it_resets_a_password_to_a_new_initial_one(login: Login, county: County) -> None:
    client = login(county.security_admin)
    url = reverse("accounts:user_action", args=[county.clerk.code, "reset"])
    assert client.post(url).status_code == 302
    county.clerk.refresh_from_db()
    assert county.clerk.must_change_password


def test_it_refuses_an_unknown_user_action(login: Login, county: County) -> None:
    client = login(county.security_admin)
    assert client.post(f"/accounts/users/{county.clerk.code}/delete/").status_code == 404


def test_it_does_not_let_the_security_admin_disable_themselves(county: County) -> None:
    with pytest.raises(ValidationError):
        services.user_set_active(
            actor=county.security_admin, user=county.security_admin, active=False
        )


def test_it_disables_an_account(login: Login, county: County) -> None:
    client = login(county.security_admin)
    client.post(reverse("accounts:user_action", args=[county.clerk.code, "disable"]))
    county.clerk.refresh_from_db()
    assert not county.clerk.is_active
