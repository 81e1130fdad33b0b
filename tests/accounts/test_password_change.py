import pytest
from django.urls import reverse

from liangze.accounts.models import User
from tests.fixtures.clients import Login
from tests.fixtures.county import PASSWORD, County

pytestmark = pytest.mark.django_db
CHANGE = reverse("accounts:password_change")


@pytest.fixture
def newcomer(county: County) -> User:
    county.clerk.must_change_password = True
    county.clerk.save()
    return county.clerk


def test_it_forces_an_initial_password_to_be_changed(
    login: Login, newcomer: User, county: County
) -> None:
    client = login(newcomer)
    response = client.get(county.chengguan.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == CHANGE


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1#", "至少需要 10 个字符"),
        ("abcdefghijkl", "至少三类"),
        ("abcdefgh12345", "至少三类"),
    ],
)
def test_it_refuses_weak_passwords_with_chinese_reasons(
    login: Login, newcomer: User, password: str, message: str
) -> None:
    client = login(newcomer)
    response = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password": password, "confirm": password}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.must_change_password


def test_it_refuses_a_wrong_current_password(login: Login, newcomer: User) -> None:
    client = login(newcomer)
    new = "Brand#New2026pw"
    response = client.post(CHANGE, {"old_password": "nope", "new_password": new, "confirm": new})
    assert "当前密码不正确" in response.content.decode()


def test_it_accepts_a_strong_password_and_lets_the_user_in(
    login: Login, newcomer: User, county: County
) -> None:
    client = login(newcomer)
    new = "Brand#New2026pw"
    response = client.post(CHANGE, {"old_password": PASSWORD, "new_password": new, "confirm": new})
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert not newcomer.must_change_password
    assert newcomer.check_password(new)
    assert client.get(county.chengguan.get_absolute_url()).status_code == 200
