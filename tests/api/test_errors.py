"""Every API answer is JSON, page numbers are bounded, and the schema names the statuses."""

import logging

import pytest

from liangze.orgs import queries
from tests.fixtures.clients import Api, Login
from tests.fixtures.county import County

pytestmark = pytest.mark.django_db

HUGE = "9223372036854775808"  # 2**63: once an OFFSET that overflowed into a 500


def _lists(county: County) -> list[str]:
    return [
        "/api/v1/people/",
        "/api/v1/duty-lists/",
        "/api/v1/notices/",
        "/api/v1/inspections/",
        "/api/v1/orgs/search?q=党",
        f"/api/v1/orgs/{county.county.code}/children",
    ]


def test_a_page_number_out_of_range_is_a_named_400_on_every_list(api: Api, county: County) -> None:
    client = api(county.discipline_officer)
    for url in _lists(county):
        joiner = "&" if "?" in url else "?"
        for page in (HUGE, "0", "-1", "abc", "1e3"):
            response = client.get(f"{url}{joiner}page={page}")
            assert response.status_code == 400, (url, page)
            assert response["Content-Type"] == "application/json; charset=utf-8"
            assert response.json()["detail"] == "page 参数无效：应为 1 至 100000 之间的整数。"
        response = client.get(f"{url}{joiner}page_size={HUGE}")
        assert response.status_code == 400
        assert response.json()["detail"].startswith("page_size 参数无效")
        assert client.get(f"{url}{joiner}page=99999").json()["items"] == []


def test_an_html_list_answers_a_huge_or_garbage_page_with_a_page(
    login: Login, county: County
) -> None:
    client = login(county.discipline_officer)
    for page in (HUGE, "abc", "-5", "9" * 5000):
        response = client.get(f"/orgs/{county.county.code}/children/", {"page": page})
        assert response.status_code == 200, page


def test_errors_are_json_not_pages(
    api: Api, county: County, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    client = api(county.discipline_officer)

    missing = client.get("/api/v1/no-such-thing/")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "接口地址不存在。"}

    bad = client.get("/api/v1/people/?org=not-a-uuid")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "query.org"

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(queries, "people_search", broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        client.raise_request_exception = False
        fault = client.get("/api/v1/people/")
    assert fault.status_code == 500
    assert fault.json() == {"detail": "服务器内部错误，已记录，请联系系统管理员。"}
    assert "secret internal detail" not in fault.content.decode()
    assert "secret internal detail" in caplog.text  # logged, with its traceback


def test_a_refusal_is_json(api: Api, county: County) -> None:
    response = api(county.township_member).get(
        "/api/v1/dashboard/units", {"org": str(county.county.code)}
    )
    assert response.status_code in (403, 404)
    assert response.json()["detail"] in ("没有执行此操作的权限。", "对象不存在或无权查看。")


def test_the_schema_documents_the_error_statuses_of_the_lists(login: Login, county: County) -> None:
    schema = login(county.discipline_officer).get("/api/v1/openapi.json").json()
    for path in ("/api/v1/people/", "/api/v1/duty-lists/", "/api/v1/notices/"):
        responses = schema["paths"][path]["get"]["responses"]
        for status in ("200", "400", "401", "403", "404", "422", "500"):
            assert status in responses, (path, status)
        error = responses["400"]["content"]["application/json"]["schema"]["$ref"]
        assert error == "#/components/schemas/Error"
    page = next(
        p for p in schema["paths"]["/api/v1/people/"]["get"]["parameters"] if p["name"] == "page"
    )
    assert page["schema"]["maximum"] == 100000
