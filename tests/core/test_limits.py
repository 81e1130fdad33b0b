"""Request, upload and spreadsheet-import limits: refused early, with a reason in Chinese."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook
from pytest_django import Settings

from liangze.core import holidays
from liangze.core.limits import MB
from tests.fixtures.clients import Api
from tests.fixtures.county import County

pytestmark = pytest.mark.django_db


def test_a_body_over_the_cap_is_refused_before_it_is_read(client: Client) -> None:
    response = client.post("/accounts/login/", {"username": "x"}, CONTENT_LENGTH=str(61 * MB))
    assert response.status_code == 413
    assert "请求内容超过 60 MB 的上限。" in response.content.decode()


def test_the_cap_is_configurable_and_answers_json_on_the_api(
    api: Api, county: County, settings: Settings
) -> None:
    settings.LIANGZE_MAX_REQUEST_MB = 1
    client = api(county.township_secretary)
    response = client.post(
        "/api/v1/notices/x/acknowledge",
        b"",
        content_type="application/json",
        CONTENT_LENGTH=str(2 * MB),
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "请求内容超过 1 MB 的上限。"}


def test_too_many_files_in_one_request_is_named(client: Client) -> None:
    files = [SimpleUploadedFile(f"{n}.pdf", b"%PDF-1") for n in range(11)]
    response = client.post("/accounts/login/", {"username": "x", "files": files})
    assert response.status_code == 413
    assert "一次最多上传 10 个文件，请分次上传。" in response.content.decode()


def _xlsx(rows: int) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "节假日"
    for n in range(rows):
        sheet.append(["放假", f"第{n}天", "2027-01-01", "2027-01-01"])
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("节假日.xlsx", buffer.getvalue())


def test_a_holiday_file_over_the_row_limit_is_refused() -> None:
    assert len(holidays.rows_from_file(_xlsx(holidays.MAX_ROWS))) == holidays.MAX_ROWS
    with pytest.raises(ValidationError) as refused:
        holidays.rows_from_file(_xlsx(holidays.MAX_ROWS + 1))
    assert refused.value.messages == [
        "工作表「节假日」超过 200 行的导入上限，请删除多余的行或拆分后分批导入。"
    ]
    text = "放假,元旦,2027-01-01,2027-01-01\n" * 201
    with pytest.raises(ValidationError):
        holidays.rows_from_file(SimpleUploadedFile("h.csv", text.encode()))
    with pytest.raises(ValidationError) as big:
        holidays.rows_from_file(SimpleUploadedFile("h.csv", b" " * (holidays.MAX_BYTES + 1)))
    assert big.value.messages == ["文件超过 512 KB，不能导入。"]
