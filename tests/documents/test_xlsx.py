from io import BytesIO

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from liangze.documents import xlsx
from liangze.documents.layout import Form


def _sheet(form: Form) -> Worksheet:
    sheet = load_workbook(BytesIO(xlsx.form_bytes(form, sheet_title="主要负责人责任清单"))).active
    assert isinstance(sheet, Worksheet)
    return sheet


def test_it_lays_the_form_out_like_the_paper_one(form: Form) -> None:
    sheet = _sheet(form)
    assert sheet.title == "主要负责人责任清单"
    assert sheet["A1"].value == "领导班子主要负责人责任清单"
    assert sheet["A2"].value is None and sheet["D2"].value == "填报日期：2026年1月5日"
    assert sheet["D2"].alignment.horizontal == "right"
    assert [sheet.cell(3, c).value for c in (1, 2, 4, 5, 6, 7)] == [
        "单位",
        "城关镇党委",
        "姓名",
        "张建国",
        "职务",
        "党委书记",
    ]
    assert [c.value for c in sheet[4]] == ["责任名称", "序号", "项目任务", "工作措施和目标要求"] + [
        None
    ] * 3
    assert [c.value for c in sheet[5]][3:] == ["一季度", "二季度", "三季度", "四季度"]
    assert sheet["C7"].value == "专题会议"
    assert sheet["A10"].value == "主要负责人(签字)：张建国"
    assert sheet["D10"].value == "班子成员(签字)："
    assert sheet["A11"].value == "签字背书 SM3：ab12，第 1 版"


def test_it_merges_headers_and_names(form: Form) -> None:
    merged = {str(r) for r in _sheet(form).merged_cells.ranges}
    assert {"A1:G1", "B3:C3", "A4:A5", "B4:B5", "D4:G4", "A6:A7"} <= merged
    assert "A8:A8" not in merged


def test_it_borders_every_cell_of_the_table_and_only_the_table(form: Form) -> None:
    sheet = _sheet(form)
    assert sheet["C3"].border.right.style == "thin"  # inside a merged value cell
    assert sheet["A7"].border.bottom.style == "thin"  # under a merged name
    assert sheet["G8"].border.left.style == "thin"
    assert sheet["A2"].border.left.style is None
    assert sheet["A10"].border.left.style is None


def test_it_uses_official_fonts(form: Form) -> None:
    sheet = _sheet(form)
    assert sheet["A1"].font.name == "黑体"
    assert sheet["D2"].font.name == "仿宋"
    assert sheet["A4"].font.name == "宋体" and sheet["A4"].font.bold
    assert sheet["C6"].font.name == "宋体" and not sheet["C6"].font.bold


def test_it_prints_landscape_one_page_wide_with_repeated_head(form: Form) -> None:
    sheet = _sheet(form)
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$3:$5"


def test_it_makes_rows_tall_enough_for_wrapped_text(form: Form) -> None:
    sheet = _sheet(form)
    assert sheet.row_dimensions[8].height > 3 * sheet.row_dimensions[6].height
    assert sheet.column_dimensions["C"].width == 30


def test_it_counts_wide_characters_twice_when_wrapping() -> None:
    assert xlsx.text_lines("作风检查" * 5, 11) == 4
    assert xlsx.text_lines("abcdefghij", 11) == 1
    assert xlsx.text_lines("一\n二", 11) == 2
