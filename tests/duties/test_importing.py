"""A filled-in list form read back into a draft (DOC-2): all or nothing, errors by Excel row."""

from io import BytesIO
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from liangze.core.models import AuditEvent
from liangze.duties import services
from liangze.duties.lists import exports, importing, queries
from liangze.duties.models import Catalogue, DutyList, ListType
from liangze.orgs import services as org_services
from liangze.orgs.models import Gender
from tests.duties.test_exports import OWN, rich_rows, sheet_of
from tests.fixtures.county import County
from tests.fixtures.duties import full_rows

HEADERS = [
    "责任名称",
    "序号",
    "项目任务",
    "责任人",
    "责任部门",
    "一季度",
    "二季度",
    "三季度",
    "四季度",
]


def upload(content: bytes, name: str = "责任清单.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def snapshot(duty_list: DutyList) -> list[tuple[Any, ...]]:
    """What an import must carry over, row by row."""
    return [
        (
            item.entry_ref,
            item.name,
            item.task,
            item.responsible.person_no if item.responsible else None,
            item.department,
            *item.measures,
        )
        for item in duty_list.items.select_related("entry", "responsible").order_by("seq")
    ]


def workbook(*rows: list[Any]) -> bytes:
    """A hand-made sheet: one header row, no title, no merged cells."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def edited(content: bytes, **cells: Any) -> bytes:
    """The workbook with some cells changed, as a user would in Excel."""
    book = load_workbook(BytesIO(content))
    sheet = book.active
    assert sheet is not None
    for ref, value in cells.items():
        sheet[ref] = value
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def next_year(county: County, catalogue: Catalogue) -> Catalogue:
    """The same catalogue issued again for 2027, so the unit can start a fresh list."""
    copy = services.catalogue_new_version(actor=county.discipline_officer, catalogue=catalogue)
    return services.catalogue_issue(
        actor=county.discipline_officer,
        catalogue=copy,
        issuer=county.county,
        submit_deadline=None,
        year=2027,
    )


def fresh_list(
    county: County, catalogue: Catalogue, list_type: str = ListType.COLLECTIVE
) -> DutyList:
    """A new draft for the same unit: one row per catalogue responsibility, names only."""
    return services.duty_list_create(
        actor=county.township_secretary,
        org=county.chengguan,
        year=catalogue.year,
        list_type=list_type,
        catalogue=catalogue,
        person=county.township_member.person if list_type == ListType.MEMBER else None,
    )


def import_into(county: County, duty_list: DutyList, content: bytes) -> list[Any]:
    return importing.duty_items_import(
        actor=county.township_secretary, duty_list=duty_list, file=upload(content)
    )


def errors_of(county: County, duty_list: DutyList, content: bytes) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        import_into(county, duty_list, content)
    return caught.value.messages


@pytest.fixture
def rich(county: County, draft: DutyList) -> DutyList:
    services.duty_items_save(
        actor=county.township_secretary, duty_list=draft, rows=rich_rows(draft)
    )
    return draft


# Round trips --------------------------------------------------------------------


def test_it_round_trips_a_complete_list(
    county: County, next_year: Catalogue, rich: DutyList
) -> None:
    fresh = fresh_list(county, next_year)
    import_into(county, fresh, exports.xlsx_bytes(rich))
    assert snapshot(fresh) == snapshot(rich)
    assert [item.is_own for item in fresh.items.order_by("seq")][-1]
    assert queries.completeness(fresh) == []


def test_it_round_trips_a_signed_list_past_its_signature_lines(
    county: County, next_year: Catalogue, signed: DutyList
) -> None:
    fresh = fresh_list(county, next_year)
    import_into(county, fresh, exports.xlsx_bytes(signed))
    assert snapshot(fresh) == snapshot(signed)


def test_it_round_trips_a_member_list_whose_member_answers_for_every_row(
    county: County, catalogue: Catalogue, next_year: Catalogue
) -> None:
    source = services.duty_list_create(
        actor=county.township_secretary,
        org=county.chengguan,
        year=2026,
        list_type=ListType.MEMBER,
        catalogue=catalogue,
        person=county.township_member.person,
    )
    rows = [{**row, "department": ""} for row in full_rows(source, "P002")]
    services.duty_items_save(actor=county.township_secretary, duty_list=source, rows=rows)
    fresh = fresh_list(county, next_year, ListType.MEMBER)
    import_into(county, fresh, exports.xlsx_bytes(source))
    assert snapshot(fresh) == snapshot(source)
    assert {row[3] for row in snapshot(fresh)} == {"P002"}
    assert queries.completeness(fresh) == []


# Reading the sheet ------------------------------------------------------------------


def test_it_reads_a_hand_made_sheet_with_names_or_numbers(county: County, draft: DutyList) -> None:
    import_into(
        county,
        draft,
        workbook(
            HEADERS,
            ["组织领导", 1, "研究部署", "P001", "党政办", "一", "二", "三", "四"],
            ["正风肃纪", 2, "作风检查", "李明华", "", "一", "二", "三", "四"],
            ["", 3, "", "", "", "", "", "", ""],  # a numbered blank line of the printed form
        ),
    )
    assert snapshot(draft) == [
        ("TZ-C-01", "组织领导", "研究部署", "P001", "党政办", "一", "二", "三", "四"),
        ("TZ-C-02", "正风肃纪", "作风检查", "P002", "", "一", "二", "三", "四"),
    ]


def test_it_matches_catalogue_names_loosely_and_keeps_unknown_ones_as_own(
    county: County, draft: DutyList
) -> None:
    import_into(
        county,
        draft,
        workbook(
            HEADERS,
            [" 组织 领导 ", 1, "a", "", "", "", "", "", ""],
            ["组织领导(自选)", 2, "b", "", "", "", "", "", ""],
            [OWN, 3, "c", "", "", "", "", "", ""],
        ),
    )
    assert [row[:2] for row in snapshot(draft)] == [
        ("TZ-C-01", "组织领导"),
        (None, "组织领导"),
        (None, OWN),
    ]


def test_it_carries_a_merged_name_down_the_rows_it_covers(
    county: County, next_year: Catalogue, rich: DutyList
) -> None:
    content = exports.xlsx_bytes(rich)
    assert "A5:A6" in {str(r) for r in sheet_of(content).merged_cells.ranges}
    fresh = fresh_list(county, next_year)
    import_into(county, fresh, content)
    first, second = snapshot(fresh)[:2]
    assert first[:3] == ("TZ-C-01", "组织领导", "组织领导的具体分解任务")
    assert second[:3] == ("TZ-C-01", "组织领导", "第二项分解任务")


def test_it_reports_every_bad_row_by_excel_row_and_saves_nothing(
    county: County, rich: DutyList
) -> None:
    org_services.person_create(
        actor=None, org=county.chengguan, person_no="P101", name="王芳", gender=Gender.FEMALE
    )
    org_services.person_create(
        actor=None, org=county.branch, person_no="P102", name="王芳", gender=Gender.FEMALE
    )
    before = snapshot(rich)
    content = edited(exports.xlsx_bytes(rich), D7="查无此人", D9="王芳", C10="改过的任务")
    assert errors_of(county, rich, content) == [
        "第 7 行「责任人」：本单位及下级中没有姓名或编号为「查无此人」的人员。",
        "第 9 行「责任人」：本单位及下级中有 2 人名为「王芳」，请改填人员编号。",
    ]
    assert snapshot(rich) == before


def test_it_does_not_look_for_people_outside_the_units_subtree(
    county: County, draft: DutyList
) -> None:
    content = workbook(HEADERS, ["组织领导", 1, "a", "王志强", "", "", "", "", ""])
    assert errors_of(county, draft, content) == [
        "第 2 行「责任人」：本单位及下级中没有姓名或编号为「王志强」的人员。"
    ]


def test_it_names_rows_with_an_empty_or_overlong_name(county: County, draft: DutyList) -> None:
    content = workbook(
        HEADERS,
        ["", 1, "任务", "", "", "", "", "", ""],
        ["名" * 101, 2, "任务", "", "", "", "", "", ""],
    )
    assert errors_of(county, draft, content) == [
        "第 2 行「责任名称」：不能为空。",
        "第 3 行「责任名称」：不能超过 100 个字符。",
    ]


def test_it_puts_excel_row_numbers_into_the_services_messages() -> None:
    rows = [importing.Row(7, {}), importing.Row(9, {})]
    assert importing._renumber("第 2 行「责任人」：不对。", rows) == "第 9 行「责任人」：不对。"
    assert importing._renumber("清单已签字背书。", rows) == "清单已签字背书。"


# Refusals -------------------------------------------------------------------------


def test_it_refuses_a_signed_list(county: County, signed: DutyList) -> None:
    before = snapshot(signed)
    assert errors_of(county, signed, exports.xlsx_bytes(signed)) == [
        "清单已签字背书，内容不能修改；如需调整请生成新版本。"
    ]
    assert snapshot(signed) == before


def test_it_refuses_a_sheet_of_another_list_type(
    county: County, catalogue: Catalogue, draft: DutyList
) -> None:
    member = fresh_list(county, catalogue, ListType.MEMBER)
    assert errors_of(county, draft, exports.xlsx_bytes(member)) == [
        "这是「班子成员责任清单」，不能导入到「领导班子主体责任清单」。"
    ]


def test_it_names_missing_columns(county: County, draft: DutyList) -> None:
    headers = [h for h in HEADERS if h != "责任部门"]
    content = workbook(headers, ["组织领导", 1, "a", "", "", "", "", ""])
    assert errors_of(county, draft, content) == ["表头缺少「责任部门」列。"]


def test_it_refuses_a_sheet_without_the_header(county: County, draft: DutyList) -> None:
    (message,) = errors_of(county, draft, workbook(["名称", "内容"], ["a", "b"]))
    assert message.startswith("没有找到表头")


def test_it_refuses_a_sheet_without_rows(county: County, draft: DutyList) -> None:
    assert errors_of(county, draft, workbook(HEADERS)) == ["表格中没有清单事项。"]


def test_it_refuses_a_sheet_with_too_many_rows(county: County, draft: DutyList) -> None:
    book = load_workbook(BytesIO(workbook(HEADERS)))
    sheet = book.active
    assert sheet is not None
    sheet.cell(importing.MAX_ROWS + 1, 1, "多余")
    buffer = BytesIO()
    book.save(buffer)
    (message,) = errors_of(county, draft, buffer.getvalue())
    assert message.startswith(f"工作表「{sheet.title}」超过 2000 行的导入上限")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("清单.xls", b"\xd0\xcf\x11\xe0", "请先把文件另存为 .xlsx 格式再导入。"),
        ("清单.pdf", b"%PDF-1.7", "只能导入 Excel 工作簿（.xlsx）。"),
        ("清单.xlsx", b"not a zip archive", "文件不是有效的 Excel 工作簿（.xlsx）。"),
        ("清单.xlsx", b"PK" + b"\0" * (10 * 2**20), "文件超过 10 MB，不能导入。"),
    ],
)
def test_it_refuses_files_that_are_not_small_xlsx(
    county: County, draft: DutyList, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        importing.duty_items_import(
            actor=county.township_secretary, duty_list=draft, file=upload(content, name)
        )
    assert caught.value.messages == [message]


# The view -------------------------------------------------------------------------


def _post(client: Any, duty_list: DutyList, content: bytes | None) -> Any:
    data = {"file": upload(content)} if content is not None else {}
    return client.post(reverse("duties:import_xlsx", args=[duty_list.code]), data)


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_it_imports_through_the_list_page(
    login: Any, county: County, next_year: Catalogue, rich: DutyList
) -> None:
    fresh = fresh_list(county, next_year)
    response = _post(login(county.township_secretary), fresh, exports.xlsx_bytes(rich))
    assert response.status_code == 302
    assert response["Location"] == reverse("duties:list", args=[fresh.code])
    assert _messages(response) == [f"已从“责任清单.xlsx”导入 {rich.items.count()} 项清单事项。"]
    assert snapshot(fresh) == snapshot(rich)
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.IMPORT, object_code=str(fresh.code))
    assert event.data == {"file": "责任清单.xlsx", "rows": rich.items.count()}


def test_it_shows_one_message_per_problem(login: Any, county: County, rich: DutyList) -> None:
    before = snapshot(rich)
    content = edited(exports.xlsx_bytes(rich), D6="查无此人", D8="也没有")
    response = _post(login(county.township_secretary), rich, content)
    assert response.status_code == 302
    assert response["Location"] == reverse("duties:list", args=[rich.code])
    assert _messages(response) == [
        "第 6 行「责任人」：本单位及下级中没有姓名或编号为「查无此人」的人员。",
        "第 8 行「责任人」：本单位及下级中没有姓名或编号为「也没有」的人员。",
    ]
    assert snapshot(rich) == before
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.IMPORT).exists()


def test_it_explains_why_a_signed_list_refuses(
    login: Any, county: County, signed: DutyList
) -> None:
    response = _post(login(county.township_secretary), signed, exports.xlsx_bytes(signed))
    assert _messages(response) == ["清单已签字背书，内容不能修改；如需调整请生成新版本。"]


def test_it_asks_for_a_file(login: Any, county: County, draft: DutyList) -> None:
    response = _post(login(county.township_secretary), draft, None)
    assert response.status_code == 302
    assert _messages(response) == ["请选择要导入的 Excel 文件。"]


def test_it_only_answers_post(login: Any, county: County, draft: DutyList) -> None:
    url = reverse("duties:import_xlsx", args=[draft.code])
    assert login(county.township_secretary).get(url).status_code == 405


def test_it_hides_the_list_from_another_township(
    login: Any, county: County, rich: DutyList
) -> None:
    before = snapshot(rich)
    response = _post(login(county.other_township_secretary), rich, exports.xlsx_bytes(rich))
    assert response.status_code == 404
    assert snapshot(rich) == before


def test_it_refuses_who_may_only_read(login: Any, county: County, rich: DutyList) -> None:
    response = _post(login(county.discipline_officer), rich, exports.xlsx_bytes(rich))
    assert response.status_code == 403
