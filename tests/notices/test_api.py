"""/api/v1/notices: the register, one notice, signing for it — with the pages' access rules."""

from liangze.notices.models import Notice, NoticeFile
from tests.fixtures.clients import Api
from tests.fixtures.county import County

BASE = "/api/v1/notices"


def test_it_lists_the_visible_notices_with_filters(
    api: Api, county: County, issued_order: Notice, duty_draft: Notice
) -> None:
    client = api(county.township_secretary)
    body = client.get(f"{BASE}/").json()
    assert body["count"] == 2
    numbers = {n["number"] for n in body["items"]}
    assert numbers == {"示纪督〔2026〕1号", ""}
    received = client.get(f"{BASE}/", {"box": "received"}).json()["items"]
    assert [n["recipient_name"] for n in received] == ["城关镇党委"]
    assert received[0]["kind_label"] == "任务落实督办书"
    assert received[0]["recipient_org_code"] == str(county.chengguan.code)
    drafts = client.get(f"{BASE}/", {"status": "draft", "kind": "duty"}).json()["items"]
    assert [n["recipient_name"] for n in drafts] == ["李明华同志"]
    assert client.get(f"{BASE}/", {"box": "nonsense"}).status_code == 422


def test_it_shows_one_notice_with_its_body_and_digest(
    api: Api, county: County, issued_order: Notice
) -> None:
    body = api(county.clerk).get(f"{BASE}/{issued_order.code}").json()
    assert body["number"] == "示纪督〔2026〕1号"
    assert "警示教育未开展" in body["body"]
    assert body["file_sm3"] == NoticeFile.objects.get(notice=issued_order).sm3


def test_it_hides_a_notice_from_outsiders(
    api: Api, county: County, issued_order: Notice, order: Notice
) -> None:
    client = api(county.other_township_secretary)
    assert client.get(f"{BASE}/{issued_order.code}").status_code == 404
    assert client.post(f"{BASE}/{issued_order.code}/acknowledge").status_code == 404
    assert client.get(f"{BASE}/").json()["count"] == 0


def test_the_recipient_signs_through_the_api(
    api: Api, county: County, issued_order: Notice
) -> None:
    response = api(county.township_secretary).post(f"{BASE}/{issued_order.code}/acknowledge")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == Notice.Status.ACKNOWLEDGED
    assert body["acknowledged_name"] == "张建国"


def test_a_viewer_who_is_not_the_recipient_may_not_sign(
    api: Api, county: County, issued_order: Notice
) -> None:
    response = api(county.discipline_officer).post(f"{BASE}/{issued_order.code}/acknowledge")
    assert response.status_code == 403
    assert response.json()["detail"] == "没有执行此操作的权限。"


def test_a_draft_cannot_be_signed_through_the_api(
    api: Api, county: County, duty_draft: Notice
) -> None:
    response = api(county.township_secretary).post(f"{BASE}/{duty_draft.code}/acknowledge")
    assert response.status_code == 403  # the issuer sees the draft; it is not addressed to him


def test_wrong_methods_are_refused(api: Api, county: County, issued_order: Notice) -> None:
    client = api(county.township_secretary)
    assert client.get(f"{BASE}/{issued_order.code}/acknowledge").status_code == 405
    assert client.delete(f"{BASE}/{issued_order.code}").status_code == 405
