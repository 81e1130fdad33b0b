"""A notice as a Word file in the official-document layout of GB/T 9704-2012 (党政机关公文格式).

A4 portrait, 版心 156 × 225 mm; the red 发文机关标志 (red header) with the 文号
under it and the red rule; the title in 小标宋 二号; 主送 flush left; the body in
仿宋 三号 at a fixed 28.95 pt leading (22 lines a page), headings in 黑体 (一、)
and 楷体 (（一）); the issuer and the date at the right; the 版记 (抄送, 印发)
between rules; the page number as “— 1 —”.

The liangze.documents renderers draw tables; this one draws prose, with their
font helpers so Chinese text takes the East Asian font.
"""

import re
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shared import Length, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from liangze.documents.docx import add_font_fallback, set_font
from liangze.documents.layout import TEXT_FONT, TITLE_FALLBACK_FONT, TITLE_FONT
from liangze.notices.drafting import day_text

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体"
PAGE_NUMBER_FONT = "宋体"
RED = RGBColor(0xE6, 0x00, 0x12)  # 公文红

BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
HEADER_SIZE = Pt(36)  # 发文机关标志: the standard leaves the size to the issuer
NOTE_SIZE = Pt(14)  # 四号, for the 版记
LEADING = Pt(28.95)  # 22 lines in the 225 mm 版心
CHAR = BODY_SIZE  # one character of body text, for indents

FIRST_LEVEL = re.compile(r"^[一二三四五六七八九十]+、")
SECOND_LEVEL = re.compile(r"^（[一二三四五六七八九十]+）")


@dataclass(frozen=True)
class Sheet:
    """Everything printed on a notice, frozen at issue."""

    issuer_name: str
    number: str  # the 文号; a draft shows where it will go
    title: str
    recipient_name: str
    body: str
    issued_on: date | None
    cc_text: str = ""
    draft: bool = False


def docx_bytes(sheet: Sheet) -> bytes:
    document = _new_document()
    _red_header(document, sheet)
    _title(document, sheet.title)
    _line(document, f"{sheet.recipient_name}：", indent=False)
    for text in sheet.body.splitlines():
        if text.strip():
            _body_paragraph(document, text.strip())
    _signature(document, sheet)
    _colophon(document, sheet)
    _page_number(document)
    if sheet.draft:
        _draft_mark(document)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _new_document() -> DocumentObject:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    normal = document.styles["Normal"]
    normal.font.name = TEXT_FONT
    normal.font.size = BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), TEXT_FONT)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LEADING
    add_font_fallback(document, TITLE_FONT, TITLE_FALLBACK_FONT)
    return document


def _paragraph(document: DocumentObject, align: WD_ALIGN_PARAGRAPH | None = None) -> Paragraph:
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _red_header(document: DocumentObject, sheet: Sheet) -> None:
    """发文机关标志 in red, the 文号 under it, then the red rule across the 版心."""
    header = _paragraph(document, WD_ALIGN_PARAGRAPH.CENTER)
    header.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    header.paragraph_format.space_after = Pt(24)
    run = set_font(header.add_run(sheet.issuer_name), TITLE_FONT, HEADER_SIZE)
    run.font.color.rgb = RED
    number = _paragraph(document, WD_ALIGN_PARAGRAPH.CENTER)
    number.paragraph_format.space_after = Pt(6)
    set_font(number.add_run(sheet.number), TEXT_FONT, BODY_SIZE)
    _rule(number, color="E60012", size=12)
    _paragraph(document)  # the blank line between the rule and the title


def _rule(paragraph: Paragraph, *, color: str = "000000", size: int = 4, top: bool = False) -> None:
    """A line along the paragraph's bottom (or top) edge, the width of the 版心."""
    borders = paragraph._p.get_or_add_pPr().find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        # pPr children have a fixed order; w:pBdr must precede spacing and alignment.
        paragraph._p.get_or_add_pPr().insert_element_before(
            borders, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr"
        )
    borders.append(
        OxmlElement(
            "w:top" if top else "w:bottom",
            {
                qn("w:val"): "single",
                qn("w:sz"): str(size),
                qn("w:space"): "1",
                qn("w:color"): color,
            },
        )
    )


def _title(document: DocumentObject, text: str) -> None:
    paragraph = _paragraph(document, WD_ALIGN_PARAGRAPH.CENTER)
    paragraph.paragraph_format.line_spacing = Pt(36)
    set_font(paragraph.add_run(text), TITLE_FONT, TITLE_SIZE)
    _paragraph(document)


def _line(
    document: DocumentObject, text: str, *, indent: bool = True, font: str = TEXT_FONT
) -> Paragraph:
    paragraph = _paragraph(document, WD_ALIGN_PARAGRAPH.JUSTIFY)
    if indent:
        paragraph.paragraph_format.first_line_indent = Length(2 * CHAR)
    set_font(paragraph.add_run(text), font, BODY_SIZE)
    return paragraph


def paragraph_level(text: str) -> int:
    """1 for a 一、 heading, 2 for a （一） heading, 0 for body text (also for the page preview)."""
    if FIRST_LEVEL.match(text):
        return 1
    if SECOND_LEVEL.match(text):
        return 2
    return 0


def _body_paragraph(document: DocumentObject, text: str) -> None:
    font = {1: HEADING_FONT, 2: SUBHEADING_FONT}.get(paragraph_level(text), TEXT_FONT)
    _line(document, text, font=font)


def _signature(document: DocumentObject, sheet: Sheet) -> None:
    """署名 centred over the date, the date four characters in from the right (GB/T 9704 §7.3.5)."""
    on = day_text(sheet.issued_on) if sheet.issued_on else "    年  月  日"
    _paragraph(document)
    _paragraph(document)
    shift = max(0.0, (len(on) - len(sheet.issuer_name)) / 2)
    for text, chars in ((sheet.issuer_name, 4 + shift), (on, 4.0)):
        paragraph = _paragraph(document, WD_ALIGN_PARAGRAPH.RIGHT)
        paragraph.paragraph_format.right_indent = Length(int(chars * CHAR))
        set_font(paragraph.add_run(text), TEXT_FONT, BODY_SIZE)


def _colophon(document: DocumentObject, sheet: Sheet) -> None:
    """版记: 抄送 and 印发 between rules, in 四号 (after the text, as the last block)."""
    _paragraph(document)
    lines = []
    if sheet.cc_text:
        lines.append(f"抄送：{sheet.cc_text.rstrip('。')}。")
    on = day_text(sheet.issued_on) if sheet.issued_on else "    年  月  日"
    lines.append(f"{sheet.issuer_name}\t{on}印发")
    for n, text in enumerate(lines):
        paragraph = _paragraph(document)
        paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Pt(14)
        paragraph.paragraph_format.tab_stops.add_tab_stop(
            Mm(156) - Pt(28), alignment=WD_TAB_ALIGNMENT.RIGHT
        )
        if n == 0:
            _rule(paragraph, size=8, top=True)
        _rule(paragraph, size=8 if n == len(lines) - 1 else 4)
        set_font(paragraph.add_run(text), TEXT_FONT, NOTE_SIZE)


def _page_number(document: DocumentObject) -> None:
    """“— 1 —” at the foot of every page, a PAGE field between the dashes."""
    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(footer.add_run("— "), PAGE_NUMBER_FONT, NOTE_SIZE)
    run = set_font(footer.add_run(), PAGE_NUMBER_FONT, NOTE_SIZE)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            run._r.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))
        else:
            instruction = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
            instruction.text = text
            run._r.append(instruction)
    set_font(footer.add_run(" —"), PAGE_NUMBER_FONT, NOTE_SIZE)


def _draft_mark(document: DocumentObject) -> None:
    header = document.sections[0].header.paragraphs[0]
    run = set_font(header.add_run("草稿（未发出，不作为正式文件）"), HEADING_FONT, Pt(12))
    run.font.color.rgb = RED


def filename(number: str, title: str, recipient: str) -> str:
    head = number or "草稿"
    return f"{head}-{title}-{recipient}.docx".replace("/", "-")
