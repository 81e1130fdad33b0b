from io import BytesIO

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.text.run import Run

from liangze.documents import docx
from liangze.documents.layout import Form


def _open(form: Form) -> DocumentObject:
    return Document(BytesIO(docx.form_bytes(form)))


def _east_asian_font(run: Run) -> str | None:
    fonts = run._r.rPr.rFonts if run._r.rPr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def test_it_is_a4_landscape(form: Form) -> None:
    section = _open(form).sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)


def test_it_writes_title_heading_signatures_and_note(form: Form) -> None:
    paragraphs = [p.text for p in _open(form).paragraphs]
    assert paragraphs == [
        "领导班子主要负责人责任清单",
        "\t填报日期：2026年1月5日",
        "主要负责人(签字)：张建国\t班子成员(签字)：",
        "签字背书 SM3：ab12，第 1 版",
    ]


def test_it_sets_east_asian_fonts(form: Form) -> None:
    document = _open(form)
    title_run = document.paragraphs[0].runs[0]
    assert _east_asian_font(title_run) == "方正小标宋简体"
    assert title_run.font.size is not None and title_run.font.size.pt == 22
    cell_style = document.tables[0].cell(5, 2).paragraphs[0].style
    assert cell_style is not None and cell_style.name == "表格文字"
    assert cell_style.element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    header_style = document.tables[0].cell(1, 0).paragraphs[0].style
    assert header_style is not None and header_style.font.bold
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋"


def test_it_falls_back_to_heiti_where_the_title_font_is_missing(form: Form) -> None:
    document = _open(form)
    font_table = next(
        rel.target_part for rel in document.part.rels.values() if "fontTable" in rel.reltype
    )
    assert (
        b'<w:font w:name="\xe6\x96\xb9\xe6\xad\xa3\xe5\xb0\x8f\xe6\xa0\x87\xe5\xae\x8b\xe7\xae\x80'
        b'\xe4\xbd\x93"><w:altName w:val="\xe9\xbb\x91\xe4\xbd\x93"/>' in font_table.blob
    )


def test_it_merges_the_table_like_the_form(form: Form) -> None:
    table = _open(form).tables[0]
    assert len(table.rows) == 6 and len(table.columns) == 7
    assert [c.text for c in table.rows[0].cells] == [
        "单位",
        "城关镇党委",
        "城关镇党委",
        "姓名",
        "张建国",
        "职务",
        "党委书记",
    ]
    assert [c.text for c in table.rows[1].cells][:4] == ["责任名称", "序号", "项目任务"] + [
        "工作措施和目标要求"
    ]
    assert [c.text for c in table.rows[2].cells][3:] == ["一季度", "二季度", "三季度", "四季度"]
    assert table.cell(3, 0)._tc is table.cell(4, 0)._tc  # 组织领导 over two rows
    assert table.cell(4, 2).text == "专题会议"


def test_it_repeats_the_head_rows_and_draws_borders(form: Form) -> None:
    table = _open(form).tables[0]
    repeated = [
        row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
        for row in table.rows
    ]
    assert repeated == [True, True, True, False, False, False]
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders.find(qn("w:insideH")).get(qn("w:val")) == "single"
