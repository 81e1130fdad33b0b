"""A member's list after the secretary signs: who still signs, their to-do, a paper signature."""

from datetime import date

import pytest
from django.urls import reverse

from liangze.core.models import Evidence
from liangze.duties import services
from liangze.duties.models import DutyList, Signature
from tests.fixtures.clients import Login
from tests.fixtures.county import County
from tests.fixtures.duties import full_rows
from tests.fixtures.evidence import photo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def signed_by_the_secretary(county: County, member_draft: DutyList) -> DutyList:
    """李明华's member list, discussed and signed by 张建国 but not yet by 李明华."""
    duty_list = member_draft
    services.duty_items_save(
        actor=county.township_member, duty_list=duty_list, rows=full_rows(duty_list, "P002")
    )
    services.duty_list_discuss(
        actor=county.township_member,
        duty_list=duty_list,
        on=date(2026, 1, 10),
        meeting="党委会",
        attendees="全体",
    )
    services.duty_list_sign(actor=county.township_secretary, duty_list=duty_list)
    return duty_list


def url(name: str, duty_list: DutyList) -> str:
    return reverse(f"duties:{name}", args=[duty_list.code])


def test_it_shows_the_members_line_pending_and_no_editing(
    login: Login, county: County, signed_by_the_secretary: DutyList
) -> None:
    duty_list = signed_by_the_secretary
    for user in (county.township_secretary, county.township_member):
        content = login(user).get(url("list", duty_list)).content.decode()
        assert "编辑清单" not in content and 'data-testid="discuss-form"' not in content
        assert 'data-testid="revise-button"' in content  # a change means a new version
        principal_line = content.split('data-testid="sign-line-principal"')[1].split("</li>")[0]
        assert "已签" in principal_line and "张建国" in principal_line
        member_line = content.split('data-testid="sign-line-member"')[1].split("</li>")[0]
        assert "待签" in member_line and "李明华" in member_line
    member_page = login(county.township_member).get(url("list", duty_list)).content.decode()
    assert 'data-testid="sign-button"' in member_page


def test_it_gives_the_member_the_to_do_and_the_secretary_none(
    login: Login, county: County, signed_by_the_secretary: DutyList
) -> None:
    duty_list = signed_by_the_secretary
    member_todos = [
        (t.kind, t.text) for t in login(county.township_member).get("/").context["todos"]
    ]
    assert ("待签字", str(duty_list)) in member_todos
    secretary_todos = login(county.township_secretary).get("/").context["todos"]
    assert str(duty_list) not in [t.text for t in secretary_todos]
    services.duty_list_sign(actor=county.township_member, duty_list=duty_list)
    member_todos = [
        (t.kind, t.text) for t in login(county.township_member).get("/").context["todos"]
    ]
    assert ("待签字", str(duty_list)) not in member_todos


def test_it_completes_the_list_with_a_scanned_paper_signature(
    login: Login, county: County, signed_by_the_secretary: DutyList
) -> None:
    duty_list = signed_by_the_secretary
    client = login(county.township_secretary)
    assert 'data-testid="paper-sign-form"' in client.get(url("list", duty_list)).content.decode()
    response = client.post(
        url("paper_sign", duty_list), {"role": Signature.Role.MEMBER, "scan": photo("签字页.png")}
    )
    assert response.status_code == 302
    duty_list.refresh_from_db()
    assert duty_list.status == DutyList.Status.SIGNED
    signature = duty_list.signatures.get(role=Signature.Role.MEMBER)
    assert signature.signer_name == "李明华" and signature.signer is None
    assert signature.scan is not None and signature.scan.original_name == "签字页.png"
    # The unit sees the scan as evidence beside the line it proves.
    content = login(county.township_member).get(url("list", duty_list)).content.decode()
    link = reverse("portal:evidence", args=[signature.scan.code])
    assert link in content
    download = login(county.township_member).get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")  # type: ignore[attr-defined]


def test_it_asks_for_the_scan(
    login: Login, county: County, signed_by_the_secretary: DutyList
) -> None:
    duty_list = signed_by_the_secretary
    response = login(county.township_secretary).post(
        url("paper_sign", duty_list), {"role": Signature.Role.MEMBER}
    )
    assert response.status_code == 200
    assert "签字页扫描件" in response.content.decode()
    assert not duty_list.signatures.filter(role=Signature.Role.MEMBER).exists()


@pytest.mark.parametrize(
    "intruder", ["township_member", "discipline_officer", "clerk", "system_admin"]
)
def test_it_refuses_a_paper_signature_from_anyone_else(
    login: Login, county: County, signed_by_the_secretary: DutyList, intruder: str
) -> None:
    duty_list = signed_by_the_secretary
    client = login(getattr(county, intruder))
    page = client.get(url("list", duty_list))
    assert 'data-testid="paper-sign-form"' not in page.content.decode()
    response = client.post(
        url("paper_sign", duty_list), {"role": Signature.Role.MEMBER, "scan": photo("签字页.png")}
    )
    assert response.status_code in (403, 404)
    assert not duty_list.signatures.filter(role=Signature.Role.MEMBER).exists()
    assert not Evidence.objects.exists()


def test_it_tells_the_secretary_who_signs_next(
    login: Login, county: County, signed_by_the_secretary: DutyList
) -> None:
    duty_list = signed_by_the_secretary
    duty_list.signatures.all().delete()
    response = login(county.township_secretary).post(url("sign", duty_list), follow=True)
    [message] = [str(m) for m in response.context["messages"]]
    assert message.endswith("还需班子成员本人（李明华）签字。")
