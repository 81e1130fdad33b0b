"""Official forms as Word documents: A4 landscape, 公文 typefaces, a bordered table.

python-docx sets only the Latin font through `font.name`; Chinese text takes
the East Asian font (`w:rFonts/@w:eastAsia`), so every run or style here sets
both, or Word shows 宋体/等线 instead of 仿宋.
"""

from io import BytesIO

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.oxml.table import CT_Row
from docx.shared import Length, Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from liangze.documents.layout import (
    TABLE_FONT,
    TEXT_FONT,
    TITLE_FALLBACK_FONT,
    TITLE_FONT,
    Form,
    Kind,
)

PAGE_WIDTH, PAGE_HEIGHT = Mm(297), Mm(210)
MARGIN = Mm(20)
TEXT_WIDTH = Length(PAGE_WIDTH - 2 * MARGIN)


def form_bytes(form: Form) -> bytes:
    document = new_document()
    title(document, form.title)
    two_sided_line(document, form.heading)
    table = form_table(document, form)
    keep_last_row_with_next(table)
    signatures = two_sided_line(document, form.signatures, space_before=Pt(12))
    if form.note:
        signatures.paragraph_format.keep_with_next = True
        note = document.add_paragraph()
        note.paragraph_format.keep_together = True
        set_font(note.add_run(form.note), TEXT_FONT, Pt(8))
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def new_document() -> DocumentObject:
    """An empty A4 landscape document whose default text is 仿宋 小四."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    normal = document.styles["Normal"]
    normal.font.name = TEXT_FONT
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), TEXT_FONT)
    add_font_fallback(document, TITLE_FONT, TITLE_FALLBACK_FONT)
    return document


def paragraph_style(
    document: DocumentObject,
    name: str,
    *,
    font: str,
    size: Length,
    bold: bool = False,
    center: bool = False,
) -> ParagraphStyle:
    """A paragraph style carrying the font — cheaper than formatting each run, and editable."""
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(style, ParagraphStyle)
    style.base_style = document.styles["Normal"]
    style.font.name, style.font.size, style.font.bold = font, size, bold
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    style.paragraph_format.space_before = style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.alignment = (
        WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    )
    return style


def set_font(run: Run, name: str, size: Length, *, bold: bool = False) -> Run:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    return run


def add_font_fallback(document: DocumentObject, font: str, fallback: str) -> None:
    """Tell Word to use `fallback` where `font` is not installed (fontTable w:altName).

    python-docx keeps the font table as an opaque part, so it is replaced by an
    XML part carrying the extra entry.
    """
    part = document.part
    rel = next(r for r in part.rels.values() if r.reltype == RT.FONT_TABLE)
    old = rel.target_part
    fonts = parse_xml(old.blob)
    entry = OxmlElement("w:font", {qn("w:name"): font})
    entry.append(OxmlElement("w:altName", {qn("w:val"): fallback}))
    fonts.append(entry)
    fresh = XmlPart(PackURI(old.partname), old.content_type, fonts, old.package)
    part.drop_rel(rel.rId)
    part.relate_to(fresh, RT.FONT_TABLE)


def title(document: DocumentObject, text: str) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(12)
    set_font(paragraph.add_run(text), TITLE_FONT, Pt(22))
    return paragraph


def two_sided_line(
    document: DocumentObject, parts: tuple[str, str], *, space_before: Length | None = None
) -> Paragraph:
    """One line, the left part at the margin and the right part flush right (a right tab)."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = space_before
    paragraph.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    set_font(paragraph.add_run(f"{parts[0]}\t{parts[1]}"), TEXT_FONT, Pt(12))
    return paragraph


def form_table(document: DocumentObject, form: Form) -> Table:
    columns = form.columns
    table: Table = document.add_table(rows=form.table_rows, cols=len(columns))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    set_borders(table)
    total = sum(column.width for column in columns)
    widths = [Length(TEXT_WIDTH * column.width // total) for column in columns]
    # Word reads each cell's width, LibreOffice the grid's: set both, before merging
    # so that a merged cell's width is the sum of its parts.
    for n, width in enumerate(widths):
        table.columns[n].width = width
    # python-docx's table.cell() and row.cells rebuild the whole grid on every call
    # (minutes for a long list), so the cells are taken once, before any merge.
    grid = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
    for row in grid:
        for cell, width in zip(row, widths, strict=True):
            cell.width = width
    for tr in table._tbl.tr_lst[: form.head_rows]:
        repeat_as_header(tr)
    # A row split over two pages leaves half a responsibility without its name.
    for tr in table._tbl.tr_lst:
        tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    text = paragraph_style(document, "表格文字", font=TABLE_FONT, size=Pt(10.5))
    centered = paragraph_style(document, "表格居中", font=TABLE_FONT, size=Pt(10.5), center=True)
    heading = paragraph_style(
        document, "表格表头", font=TABLE_FONT, size=Pt(10.5), bold=True, center=True
    )
    for spec in form.cells():
        cell = grid[spec.row][spec.col]
        if spec.rows > 1 or spec.cols > 1:
            cell = cell.merge(grid[spec.last_row][spec.last_col])
        cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
        if spec.kind in (Kind.LABEL, Kind.HEADER):
            style = heading
        else:
            style = centered if spec.center else text
        paragraph = cell.paragraphs[0]
        # By id: `paragraph.style = style` scans every style of the document each time.
        paragraph._p.style = style.style_id
        paragraph.add_run(spec.text)
    return table


def keep_last_row_with_next(table: Table) -> None:
    """Keep the table's last row on the page of what follows: no signature starts a page alone.

    Word keeps a table row with the next paragraph when every paragraph in the
    row is marked “keep with next” (and the row itself does not split).
    """
    for p in table._tbl.tr_lst[-1].iter(qn("w:p")):
        Paragraph(p, table).paragraph_format.keep_with_next = True


def set_borders(table: Table) -> None:
    """Single lines round and inside every cell, independent of the table style."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(
            OxmlElement(
                f"w:{edge}",
                {
                    qn("w:val"): "single",
                    qn("w:sz"): "4",
                    qn("w:space"): "0",
                    qn("w:color"): "000000",
                },
            )
        )
    # tblPr children have a fixed order; Word refuses a file that breaks it.
    table._tbl.tblPr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"
    )


def repeat_as_header(tr: CT_Row) -> None:
    """Mark a table row to repeat at the top of each page (w:tblHeader)."""
    tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
