"""节假日安排: the system administrator lists, enters and imports years of holidays."""

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from liangze.accounts.models import User
from liangze.core import workdays
from liangze.core.models import AuditEvent, HolidayYear
from tests.fixtures.clients import Login
from tests.fixtures.county import County
from tests.fixtures.holidays import ROWS_2027, enter_2027

pytestmark = pytest.mark.django_db
LIST = reverse("portal:holidays")
FORM = reverse("portal:holiday_year")


def fields(**changes: Any) -> dict[str, Any]:
    return {
        "year": 2027,
        "notice_title": "国务院办公厅关于2027年部分节假日安排的通知",
        "notice_number": "国办发明电〔2026〕9号",
        "rows": ROWS_2027,
    } | changes


def xlsx(*rows: tuple[Any, ...]) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("2027年节假日.xlsx", buffer.getvalue())


def test_it_lists_the_shipped_and_the_entered_years(login: Login, county: County) -> None:
    enter_2027(county.system_admin)
    response = login(county.system_admin).get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"2004年至{workdays.LAST_SHIPPED_YEAR}年：已内置" in page
    assert [row.year for row in response.context["entered"]] == [2027]
    assert "国办发明电〔2026〕9号" in page
    assert f"{FORM}?year=2028" in page  # the next year to enter


def test_it_enters_a_year_from_the_form(login: Login, county: County) -> None:
    response = login(county.system_admin).post(FORM, fields())
    assert response.status_code == 302
    row = HolidayYear.objects.get(year=2027)
    assert (row.entered_by, len(row.holidays), len(row.workdays)) == (county.system_admin, 3, 2)
    assert not workdays.is_workday(date(2027, 1, 1))
    event = AuditEvent.objects.get(object_type="core.holidayyear")
    assert (event.verb, event.actor_name) == ("create", "sysadmin")


def test_it_offers_an_entered_year_for_correction(login: Login, county: County) -> None:
    enter_2027(county.system_admin)
    response = login(county.system_admin).get(FORM, {"year": 2027})
    assert response.context["form"].initial["rows"].startswith("放假,元旦,2027-01-01,2027-01-03")
    assert response.context["form"].initial["notice_number"] == "国办发明电〔2026〕9号"


def test_it_imports_an_excel_sheet(login: Login, county: County) -> None:
    upload = xlsx(
        ("类型", "名称", "开始日期", "结束日期"),
        ("放假", "元旦", date(2027, 1, 1), date(2027, 1, 3)),
        ("上班", "春节", "2027-02-14", None),
    )
    response = login(county.system_admin).post(FORM, fields(rows="", file=upload))
    assert response.status_code == 302
    row = HolidayYear.objects.get(year=2027)
    assert row.workdays == [{"name": "春节", "day": "2027-02-14"}]
    event = AuditEvent.objects.get(object_type="core.holidayyear")
    assert (event.verb, event.data["file"]) == ("import", "2027年节假日.xlsx")


def test_it_names_the_row_of_a_bad_csv_line_and_saves_nothing(login: Login, county: County) -> None:
    csv = "类型,名称,开始日期,结束日期\n放假,元旦,2027-01-01,2027-01-03\n上班,春节,2027-02-15\n"
    upload = SimpleUploadedFile("2027.csv", csv.encode("gb18030"))
    response = login(county.system_admin).post(FORM, fields(rows="", file=upload))
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "第3行：2027-02-15是星期一，调休上班日只能是星期六或星期日"
    ]
    assert not HolidayYear.objects.exists()


def test_it_refuses_a_year_the_library_ships(login: Login, county: County) -> None:
    response = login(county.system_admin).post(FORM, fields(year=2026))
    assert response.status_code == 200
    assert response.context["form"].errors["year"] == [
        "2026年的节假日安排已随日历库提供，无需录入。"
    ]
    assert not HolidayYear.objects.exists()


def test_it_asks_for_the_arrangement(login: Login, county: County) -> None:
    response = login(county.system_admin).post(FORM, fields(rows=" "))
    assert response.context["form"].errors["rows"] == ["请填写放假与调休安排，或选择要导入的文件。"]


@pytest.mark.parametrize("who", ["security_admin", "audit_admin", "township_secretary", "clerk"])
def test_it_refuses_everyone_but_the_system_administrator(
    login: Login, county: County, who: str
) -> None:
    user: User = getattr(county, who)
    client = login(user)
    assert client.get(LIST).status_code == 403
    assert client.get(FORM).status_code == 403
    assert client.post(FORM, fields()).status_code == 403
    assert not HolidayYear.objects.exists()


def test_it_refuses_post_to_the_list(login: Login, county: County) -> None:
    assert login(county.system_admin).post(LIST).status_code == 405


def test_it_is_in_the_system_administrators_menu(login: Login, county: County) -> None:
    assert LIST in login(county.system_admin).get(reverse("portal:home")).content.decode()
    assert LIST not in login(county.clerk).get(reverse("portal:home")).content.decode()
