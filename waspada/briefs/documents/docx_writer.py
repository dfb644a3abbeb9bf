"""Word documents (python-docx): real Heading 1/2/3 styles and Word tables, so an office can
edit them; the letterhead on top; the classification in the header and footer of every section.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from waspada.briefs.content.model import LetterheadData
from waspada.briefs.documents.outline import (
    Block,
    Heading,
    Image,
    Para,
    Signature,
    Table,
    Title,
    marking,
    marking_colour,
)

FONT = "Arial"
TEXT_WIDTH_CM = 16.0


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def _mark(paragraph: Any, classification: str, *, page_number: bool = False) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(marking(classification))
    run.bold = True
    run.font.size = Pt(11)
    run.font.color.rgb = _rgb(marking_colour(classification))
    if page_number:
        paragraph.add_run("    Halaman ").font.size = Pt(8)
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        inner = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        inner.append(text)
        field.append(inner)
        paragraph._p.append(field)


def _new_document(classification: str) -> Any:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        style = document.styles[name]
        style.font.name = FONT
        style.font.color.rgb = RGBColor(0x1B, 0x1F, 0x24)
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)
        _mark(section.header.paragraphs[0], classification)
        _mark(section.footer.paragraphs[0], classification, page_number=True)
    return document


def _bottom_border(paragraph: Any) -> None:
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "double"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    properties.append(borders)


def _letterhead(document: Any, letterhead: LetterheadData) -> None:
    table = document.add_table(rows=1, cols=2 if letterhead.logo else 1)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    text_cell = table.rows[0].cells[-1]
    if letterhead.logo:
        logo_cell = table.rows[0].cells[0]
        logo_cell.width = Cm(2.6)
        text_cell.width = Cm(TEXT_WIDTH_CM - 2.6)
        run = logo_cell.paragraphs[0].add_run()
        try:
            run.add_picture(io.BytesIO(letterhead.logo), width=Cm(2.2))
        except Exception:  # a broken logo must not stop the brief
            logo_cell.paragraphs[0].add_run("")
    first = True
    for number, line in enumerate(letterhead.lines):
        paragraph = text_cell.paragraphs[0] if first else text_cell.add_paragraph()
        first = False
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(line)
        run.bold = True
        run.font.size = Pt(14 if number == 0 else 13)
    if letterhead.address:
        paragraph = text_cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(letterhead.address).font.size = Pt(9)
    rule = document.add_paragraph()
    _bottom_border(rule)


def _shade(cell: Any, colour: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour.lstrip("#").upper())
    properties.append(shading)


def _repeat_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _table(document: Any, block: Table) -> None:
    table = document.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(block.widths) or 1
    widths = [Cm(TEXT_WIDTH_CM * w / total) for w in block.widths]
    header = table.rows[0]
    _repeat_header(header)
    for cell, text, width in zip(header.cells, block.columns, widths, strict=True):
        cell.width = width
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(9.5)
        _shade(cell, "#E7EBF0")
    last = len(block.rows) - 1
    for row_number, values in enumerate(block.rows):
        cells = table.add_row().cells
        for column, (cell, text, width) in enumerate(zip(cells, values, widths, strict=True)):
            cell.width = width
            run = cell.paragraphs[0].add_run(text)
            run.font.size = Pt(9.5)
            run.bold = block.bold_last_row and row_number == last
            fill = block.fills.get((row_number, column))
            if fill:
                _shade(cell, fill)
    document.add_paragraph()


def _title(document: Any, block: Title) -> None:
    for number, line in enumerate(block.lines):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(line)
        run.bold = number < 2
        run.font.size = Pt(14 if number == 0 else 11.5)


def _para(document: Any, block: Para) -> None:
    paragraph = document.add_paragraph()
    if block.label:
        paragraph.add_run(block.label).bold = True
    run = paragraph.add_run(block.text)
    if block.small:
        run.italic = True
        run.font.size = Pt(8.5)


def _image(document: Any, block: Image) -> None:
    document.add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = caption.add_run(block.caption)
    run.italic = True
    run.font.size = Pt(8.5)


def _signature(document: Any, block: Signature) -> None:
    table = document.add_table(rows=1, cols=2)
    cell = table.rows[0].cells[1]
    lines = [block.place_date, block.title]
    cell.paragraphs[0].add_run(lines[0])
    for line in lines[1:]:
        cell.add_paragraph(line)
    for _n in range(3):
        cell.add_paragraph()
    name = cell.add_paragraph()
    run = name.add_run(block.name or "(.................................)")
    run.bold = True
    run.underline = bool(block.name)
    cell.add_paragraph(
        f"NIP. {block.signer_id}" if block.signer_id else "NIP. ...................."
    )
    for paragraph in cell.paragraphs:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def write_docx(blocks: list[Block], *, letterhead: LetterheadData, classification: str) -> bytes:
    """The Word file of `blocks` under `letterhead`, marked `classification` on every page."""
    document = _new_document(classification)
    _letterhead(document, letterhead)
    for block in blocks:
        if isinstance(block, Title):
            _title(document, block)
        elif isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Para):
            _para(document, block)
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Image):
            _image(document, block)
        elif isinstance(block, Signature):
            _signature(document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
