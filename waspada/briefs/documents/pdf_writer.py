"""PDF documents (reportlab platypus): the same blocks as the Word file, A4, with the
classification at the top and bottom of every page and the page number.

The text font is DejaVu Sans from matplotlib's own data folder (embedded, subset), so any name or
place (accents, quotation marks, non-Latin letters) prints without depending on system fonts.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus import Image as PdfImage
from reportlab.platypus import Table as PdfTable
from reportlab.platypus.flowables import HRFlowable

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

FONT, BOLD, ITALIC = "WaspadaSans", "WaspadaSans-Bold", "WaspadaSans-Oblique"
TEXT_WIDTH = A4[0] - 5 * cm
_fonts_lock = threading.Lock()
_fonts_ready = False


def _register_fonts() -> None:
    global _fonts_ready
    with _fonts_lock:
        if _fonts_ready:
            return
        folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(folder / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFont(TTFont(ITALIC, str(folder / "DejaVuSans-Oblique.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD)
        _fonts_ready = True


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, spaceAfter=4)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontName=ITALIC, fontSize=8, leading=10),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5, spaceAfter=0),
        "cell_bold": ParagraphStyle(
            "cell_bold", parent=base, fontName=BOLD, fontSize=8.5, leading=10.5, spaceAfter=0
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=BOLD, fontSize=13, leading=17, alignment=TA_CENTER
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=10.5, leading=14, alignment=TA_CENTER
        ),
        "kop": ParagraphStyle(
            "kop",
            parent=base,
            fontName=BOLD,
            fontSize=13,
            leading=16,
            alignment=TA_CENTER,
            spaceAfter=0,
        ),
        "kop_small": ParagraphStyle(
            "kop_small", parent=base, fontSize=8.5, leading=11, alignment=TA_CENTER
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=BOLD,
            fontSize=12.5,
            leading=16,
            spaceBefore=10,
            spaceAfter=6,
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4
        ),
        "h3": ParagraphStyle(
            "h3", parent=base, fontName=BOLD, fontSize=10, leading=13, spaceBefore=6, spaceAfter=3
        ),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
    }


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br/>")


def _letterhead(letterhead: LetterheadData, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    lines: list[Flowable] = [Paragraph(_text(line), styles["kop"]) for line in letterhead.lines]
    if letterhead.address:
        lines.append(Paragraph(_text(letterhead.address), styles["kop_small"]))
    head: Flowable
    logo = _logo(letterhead.logo)
    if logo is not None:
        head = PdfTable([[logo, lines]], colWidths=[2.6 * cm, TEXT_WIDTH - 2.6 * cm])
        head.setStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    else:
        head = PdfTable([[lines]], colWidths=[TEXT_WIDTH])
    return [head, HRFlowable(width="100%", thickness=2, color=colors.black, spaceAfter=8)]


def _logo(data: bytes | None) -> Flowable | None:
    if not data:
        return None
    try:
        reader = ImageReader(io.BytesIO(data))
        width, height = reader.getSize()
    except Exception:  # a broken logo must not stop the brief
        return None
    size = 2.2 * cm
    scale = min(size / width, size / height)
    return PdfImage(io.BytesIO(data), width=width * scale, height=height * scale)


def _table(block: Table, styles: dict[str, ParagraphStyle]) -> Flowable:
    total = sum(block.widths) or 1
    widths = [TEXT_WIDTH * w / total for w in block.widths]
    data: list[list[Any]] = [[Paragraph(_text(c), styles["cell_bold"]) for c in block.columns]]
    last = len(block.rows) - 1
    for number, row in enumerate(block.rows):
        style = styles["cell_bold"] if block.bold_last_row and number == last else styles["cell"]
        data.append([Paragraph(_text(value), style) for value in row])
    table = PdfTable(data, colWidths=widths, repeatRows=1)
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#555555")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E7EBF0")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for (row_number, column), colour in block.fills.items():
        cell = (column, row_number + 1)
        commands.append(("BACKGROUND", cell, cell, colors.HexColor(colour)))
    table.setStyle(commands)
    return table


def _image(block: Image, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    reader = ImageReader(io.BytesIO(block.png))
    width, height = reader.getSize()
    shown = min(block.width_cm * cm, TEXT_WIDTH)
    picture = PdfImage(io.BytesIO(block.png), width=shown, height=shown * height / width)
    return [picture, Paragraph(_text(block.caption), styles["small"]), Spacer(1, 6)]


def _signature(block: Signature, styles: dict[str, ParagraphStyle]) -> Flowable:
    name = (
        f"<u><b>{_text(block.name)}</b></u>"
        if block.name
        else "(.................................)"
    )
    signer_id = f"NIP. {_text(block.signer_id)}" if block.signer_id else "NIP. ...................."
    column = [
        Paragraph(_text(block.place_date), styles["center"]),
        Paragraph(_text(block.title), styles["center"]),
        Spacer(1, 1.6 * cm),
        Paragraph(name, styles["center"]),
        Paragraph(signer_id, styles["center"]),
    ]
    table = PdfTable([["", column]], colWidths=[TEXT_WIDTH * 0.45, TEXT_WIDTH * 0.55])
    return KeepTogether([Spacer(1, 12), table])


def _flowables(blocks: list[Block], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    story: list[Flowable] = []
    for block in blocks:
        if isinstance(block, Title):
            for number, line in enumerate(block.lines):
                story.append(Paragraph(_text(line), styles["title" if number < 2 else "subtitle"]))
            story.append(Spacer(1, 8))
        elif isinstance(block, Heading):
            story.append(Paragraph(_text(block.text), styles[f"h{min(block.level, 3)}"]))
        elif isinstance(block, Para):
            text = _text(block.text)
            if block.label:
                text = f"<b>{_text(block.label)}</b>{text}"
            story.append(Paragraph(text, styles["small" if block.small else "body"]))
        elif isinstance(block, Table):
            story += [_table(block, styles), Spacer(1, 8)]
        elif isinstance(block, Image):
            story += _image(block, styles)
        elif isinstance(block, Signature):
            story.append(_signature(block, styles))
    return story


def write_pdf(
    blocks: list[Block], *, letterhead: LetterheadData, classification: str, title: str
) -> bytes:
    """The PDF of `blocks` under `letterhead`, `classification` on top and bottom of every page."""
    _register_fonts()
    styles = _styles()
    word = marking(classification)
    colour = colors.HexColor(marking_colour(classification))

    def page(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFillColor(colour)
        canvas.setFont(BOLD, 11)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 1.2 * cm, word)
        canvas.drawCentredString(A4[0] / 2, 1.0 * cm, word)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.setFont(FONT, 8)
        canvas.drawRightString(A4[0] - 2.5 * cm, 1.0 * cm, f"Halaman {document.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=title,
        author="Waspada",
        subject=word,
    )
    story = _letterhead(letterhead, styles) + _flowables(blocks, styles)
    document.build(story, onFirstPage=page, onLaterPages=page)
    return buffer.getvalue()
