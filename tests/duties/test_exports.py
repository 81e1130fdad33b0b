"""The four lists as Excel and Word files in the layout of 004 附件1–4 (DOC-1)."""

import re
from datetime import date
from io import BytesIO
from typing import Any
from urllib.parse import quote

import pytest
from django.urls import reverse
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from liangze.accounts.models import User
from liangze.core.models import AuditEvent
from liangze.duties import services
from liangze.duties.lists import exports
from liangze.duties.models import DutyList, ListType
from tests.fixtures.county import County
from tests.fixtures.duties import full_rows

OWN = "乡村振兴廉政风险防控"


def rich_rows(duty_list: DutyList, person_no: str = "P001") -> list[dict[str, str]]:
    """Complete rows, with two rows under the first responsibility and one own item at the end."""
    rows = full_rows(duty_list, person_no)
    second = {**rows[0], "task": "第二项分解任务", "department": "纪检办"}
    own = {**rows[0], "entry": "", "name": OWN, "task": "项目资金公开", "department": "农经站"}
    return [rows[0], second, *rows[1:], own]


def _sign(county: County, duty_list: DutyList) -> DutyList:
    services.duty_list_discuss(
        actor=county.township_secretary,
        duty_list=duty_list,
        on=date(2026, 1, 10),
        meeting="党委会",
        attendees="张建国、李明华",
    )
    services.duty_list_sign(actor=county.township_secretary, duty_list=duty_list)
    duty_list.refresh_from_db()
    return duty_list


@pytest.fixture
def rich(county: County, draft: DutyList) -> DutyList:
    services.duty_items_save(
        actor=county.township_secretary, duty_list=draft, rows=rich_rows(draft)
    )
    return _sign(county, draft)


@pytest.fixture
def member_list(county: County, catalogue: Any) -> DutyList:
    duty_list = services.duty_list_create(
        actor=county.township_secretary,
        org=county.chengguan,
        year=2026,
        list_type=ListType.MEMBER,
        catalogue=catalogue,
        person=county.township_member.person,
    )
    services.duty_items_save(
        actor=county.township_secretary, duty_list=duty_list, rows=full_rows(duty_list, "P002")
    )
    return duty_list


def sheet_of(content: bytes) -> Worksheet:
    sheet = load_workbook(BytesIO(content)).active
    assert isinstance(sheet, Worksheet)
    return sheet


def _values(sheet: Worksheet, row: int) -> list[Any]:
    return [cell.value for cell in sheet[row]]


def _filled_on(duty_list: DutyList) -> str:
    day = duty_list.filled_on
    assert day is not None
    return f"填报日期：{day.year}年{day.month}月{day.day}日"


# Excel ------------------------------------------------------------------------


def test_it_writes_the_collective_list_as_attachment_1(rich: DutyList) -> None:
    sheet = sheet_of(exports.xlsx_bytes(rich))
    assert sheet.title == "领导班子主体责任清单"
    assert sheet["A1"].value == "党委(党组)领导班子主体责任清单"
    assert sheet["A2"].value == "单位(盖章)：城关镇党委"
    assert sheet["E2"].value == _filled_on(rich)
    assert _values(sheet, 3) == [
        "责任名称",
        "序号",
        "项目任务",
        "责任人",
        "责任部门",
        "工作措施和目标要求",
        None,
        None,
        None,
    ]
    assert _values(sheet, 4)[5:] == ["一季度", "二季度", "三季度", "四季度"]
    assert _values(sheet, 5) == [
        "组织领导",
        "1",
        "组织领导的具体分解任务",
        "张建国",
        "党政办",
        "组织领导第1季度措施",
        "组织领导第2季度措施",
        "组织领导第3季度措施",
        "组织领导第4季度措施",
    ]
    assert _values(sheet, 6)[1:5] == ["2", "第二项分解任务", "张建国", "纪检办"]


def test_it_merges_the_rows_of_one_responsibility(rich: DutyList) -> None:
    sheet = sheet_of(exports.xlsx_bytes(rich))
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:I1", "A3:A4", "F3:I3", "A5:A6"} <= merged
    assert "A7:A8" not in merged and sheet["A7"].value == "正风肃纪"


def test_it_marks_own_items(rich: DutyList) -> None:
    sheet = sheet_of(exports.xlsx_bytes(rich))
    last = 4 + rich.items.count()
    assert sheet.cell(last, 1).value == f"{OWN}（自选）"
    assert sheet.cell(last, 3).value == "项目资金公开"


def test_it_signs_off_under_the_table_with_name_time_and_digest(rich: DutyList) -> None:
    sheet = sheet_of(exports.xlsx_bytes(rich))
    signature_row = 4 + rich.items.count() + 2
    line = sheet.cell(signature_row, 1).value
    assert re.fullmatch(r"党委\(组\)主要负责人\(签字\)：张建国　\d{4}年\d+月\d+日 \d\d:\d\d", line)
    assert sheet.cell(signature_row + 1, 1).value == f"签字背书 SM3：{rich.digest}，第 1 版"
    assert len(rich.digest) == 64


def test_it_leaves_the_signature_line_blank_until_signed(draft: DutyList) -> None:
    sheet = sheet_of(exports.xlsx_bytes(draft))
    signature_row = 4 + draft.items.count() + 2
    assert sheet.cell(signature_row, 1).value == "党委(组)主要负责人(签字)："
    assert sheet.cell(signature_row + 1, 1).value == "第 1 版"
    assert sheet.cell(5, 3).value is None  # a fresh draft: names only


def test_it_heads_a_member_list_with_the_person_portfolio_and_liaison(
    member_list: DutyList,
) -> None:
    sheet = sheet_of(exports.xlsx_bytes(member_list))
    assert sheet["A1"].value == "班子成员责任清单"
    assert sheet["A2"].value is None and sheet["D2"].value == _filled_on(member_list)
    assert _values(sheet, 3) == ["单位", "城关镇党委", None, "姓名", "李明华", "职务", "党委副书记"]
    assert _values(sheet, 4)[:2] == ["分管工作", "党建、宣传"]
    assert _values(sheet, 5)[:2] == ["联系单位", "城关镇第一党支部"]
    # 附件3 has no 责任人 or 责任部门 column: the member answers for every row.
    assert _values(sheet, 6) == [
        "责任名称",
        "序号",
        "项目任务\n具体分解内容",
        "工作措施和目标要求",
        None,
        None,
        None,
    ]
    assert sheet["A8"].value == "履行“一岗双责”责任"
    assert sheet["D8"].value == "履行“一岗双责”责任第1季度措施"
    signature_row = 7 + member_list.items.count() + 2
    assert sheet.cell(signature_row, 1).value == "主要负责人(签字)："
    assert sheet.cell(signature_row, 4).value == "班子成员(签字)："
    assert sheet.print_title_rows == "$3:$7"


def test_it_heads_a_supervisory_list_with_the_discipline_body(
    supervisory_list: DutyList,
) -> None:
    sheet = sheet_of(exports.xlsx_bytes(supervisory_list))
    assert sheet["A1"].value == "纪委(纪检委员)监督责任清单"
    assert sheet["A2"].value == "单位(盖章)：示范县委"
    assert _values(sheet, 3)[:2] == ["单位", "示范县纪委"]
    assert _values(sheet, 4)[:5] == [
        "责任名称",
        "序号",
        "项目任务\n具体分解内容",
        "责任人",
        "责任部门",
    ]
    signature_row = 5 + supervisory_list.items.count() + 2
    assert sheet.cell(signature_row, 1).value == "党委(组)主要负责人(签字)："
    assert sheet.cell(signature_row, 5).value == "纪委(纪检组)主要负责人(签字)："


def test_it_prints_each_signer_of_a_supervisory_list_on_their_own_line(
    county: County, commission_list: DutyList, commission_head: User
) -> None:
    """附件4: the 纪委 head's name on the 纪委 line, the Party secretary's on the 党委 line."""
    services.duty_list_sign(actor=commission_head, duty_list=commission_list)
    services.duty_list_sign(actor=county.township_secretary, duty_list=commission_list)
    commission_list.refresh_from_db()
    sheet = sheet_of(exports.xlsx_bytes(commission_list))
    signature_row = 5 + commission_list.items.count() + 2
    party, body = sheet.cell(signature_row, 1).value, sheet.cell(signature_row, 5).value
    assert re.fullmatch(r"党委\(组\)主要负责人\(签字\)：张建国　.+", party)
    assert re.fullmatch(r"纪委\(纪检组\)主要负责人\(签字\)：周正风　.+", body)
    document = Document(BytesIO(exports.docx_bytes(commission_list)))
    line = next(p.text for p in document.paragraphs if p.text.startswith("党委(组)"))
    party_part, body_part = line.split("\t")
    assert "张建国" in party_part and "周正风" not in party_part
    assert body_part.startswith("纪委(纪检组)主要负责人(签字)：周正风")


# Word -------------------------------------------------------------------------


def test_it_writes_the_same_form_as_a_landscape_word_document(rich: DutyList) -> None:
    document = Document(BytesIO(exports.docx_bytes(rich)))
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "党委(党组)领导班子主体责任清单"
    assert paragraphs[1] == f"单位(盖章)：城关镇党委\t{_filled_on(rich)}"
    assert paragraphs[2].startswith("党委(组)主要负责人(签字)：张建国　")
    assert paragraphs[3] == f"签字背书 SM3：{rich.digest}，第 1 版"
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells][:6] == [
        "责任名称",
        "序号",
        "项目任务",
        "责任人",
        "责任部门",
        "工作措施和目标要求",
    ]
    assert [c.text for c in table.rows[1].cells][5:] == ["一季度", "二季度", "三季度", "四季度"]
    assert table.cell(2, 2).text == "组织领导的具体分解任务"
    assert table.cell(2, 0)._tc is table.cell(3, 0)._tc
    assert len(table.rows) == 2 + rich.items.count()


def test_it_keeps_the_signatures_and_the_small_print_with_the_tables_last_row(
    rich: DutyList,
) -> None:
    """Word never starts a page with the signature line or the 版记 alone."""
    document = Document(BytesIO(exports.docx_bytes(rich)))
    table = document.tables[0]
    rows = table._tbl.tr_lst
    assert all(tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None for tr in rows)
    last_row = [Paragraph(p, table) for p in rows[-1].iter(qn("w:p"))]
    assert last_row and all(p.paragraph_format.keep_with_next for p in last_row)
    assert not any(
        Paragraph(p, table).paragraph_format.keep_with_next for p in rows[-2].iter(qn("w:p"))
    )
    signatures, note = document.paragraphs[2], document.paragraphs[3]
    assert signatures.text.startswith("党委(组)主要负责人(签字)：")
    assert signatures.paragraph_format.keep_with_next
    assert note.text.startswith("签字背书 SM3：") and note.paragraph_format.keep_together
    # The table sits between the heading line and the signatures in the body's order.
    body = list(document.element.body.iterchildren())
    assert body.index(table._tbl) + 1 == body.index(signatures._p)


def test_it_names_the_file_after_unit_year_type_and_version(
    rich: DutyList, member_list: DutyList
) -> None:
    assert exports.filename(rich, "xlsx") == "城关镇党委-2026年领导班子主体责任清单-第1版.xlsx"
    assert (
        exports.filename(member_list, "docx")
        == "城关镇党委-李明华-2026年班子成员责任清单-第1版.docx"
    )


# Views ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("duties:export_xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            "duties:export_docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_it_downloads_and_audits_the_export(
    login: Any, county: County, rich: DutyList, name: str, content_type: str
) -> None:
    response = login(county.township_secretary).get(reverse(name, args=[rich.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    extension = name.rsplit("_", 1)[1]
    assert quote(exports.filename(rich, extension)) in response["Content-Disposition"]
    assert response.content.startswith(b"PK")
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT, object_code=str(rich.code))
    assert event.data == {"format": extension}


def test_it_lets_the_discipline_commission_export_what_it_supervises(
    login: Any, county: County, rich: DutyList
) -> None:
    response = login(county.discipline_officer).get(reverse("duties:export_xlsx", args=[rich.code]))
    assert response.status_code == 200
    assert sheet_of(response.content)["A1"].value == "党委(党组)领导班子主体责任清单"


@pytest.mark.parametrize("name", ["duties:export_xlsx", "duties:export_docx"])
def test_it_hides_another_townships_list(
    login: Any, county: County, rich: DutyList, name: str
) -> None:
    response = login(county.other_township_secretary).get(reverse(name, args=[rich.code]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT).exists()


def test_it_only_answers_get(login: Any, county: County, rich: DutyList) -> None:
    response = login(county.township_secretary).post(
        reverse("duties:export_xlsx", args=[rich.code])
    )
    assert response.status_code == 405


def test_it_exports_in_a_fixed_number_of_queries(
    login: Any, county: County, rich: DutyList, django_assert_max_num_queries: Any
) -> None:
    client = login(county.township_secretary)
    url = reverse("duties:export_xlsx", args=[rich.code])
    client.get(url)  # warm the session and the scope
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
