"""To-dos: 签收三书 for the recipients until they sign; drafts waiting for those who issue."""

from liangze.accounts.models import User
from liangze.core import todos
from liangze.notices import services
from liangze.notices.models import Notice
from tests.fixtures.county import County


def kinds(user: User) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in todos.for_user(user) if "三书" in t.kind]


def test_the_recipient_has_it_to_sign_until_signing(county: County, issued_duty: Notice) -> None:
    assert kinds(county.township_member) == [
        ("签收三书", "城关镇党委 城委告〔2026〕1号《2026年度党风廉政建设责任分工告知书》")
    ]
    services.notice_acknowledge(actor=county.township_member, notice=issued_duty)
    assert kinds(county.township_member) == []


def test_a_units_principal_and_clerk_have_its_notice_to_sign(
    county: County, issued_order: Notice
) -> None:
    for user in (county.township_secretary, county.clerk):
        found = [t for t in todos.for_user(user) if t.kind == "签收三书"]
        assert len(found) == 1
        assert found[0].url == issued_order.get_absolute_url()
        assert str(found[0].due) == "2026-12-07"
    assert kinds(county.township_member) == []
    assert kinds(county.other_township_secretary) == []


def test_drafts_wait_for_those_who_issue_them(
    county: County, order: Notice, duty_draft: Notice
) -> None:
    assert kinds(county.discipline_officer) == [("待发三书草稿", "任务落实督办书：城关镇党委")]
    assert ("待发三书草稿", "责任分工告知书：李明华同志") in kinds(county.township_secretary)
    assert ("待发三书草稿", "责任分工告知书：李明华同志") in kinds(county.clerk)
    assert kinds(county.dispatched_officer) == []
    # The draft is not yet the recipient's business.
    assert "签收三书" not in {kind for kind, _text in kinds(county.township_secretary)}
    services.notice_issue(actor=county.discipline_officer, notice=order)
    assert kinds(county.discipline_officer) == []
