"""Typeset a Document as PDF (reportlab), plus the bad-input samples: a scan without a
text layer and a password-protected file."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import PageBreak, SimpleDocTemplate, Table, TableStyle
from reportlab.platypus import Paragraph as Para

from pipeline.document import Document
from pipeline.outputs.typeset import blocks, running_header

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"


@cache
def styles() -> dict[str, ParagraphStyle]:
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, spaceAfter=10)
    return {
        "body": body,
        "heading": ParagraphStyle(
            "heading", parent=body, fontName=BOLD, fontSize=13, leading=17, spaceBefore=6
        ),
        "item": ParagraphStyle(
            "item", parent=body, leftIndent=18, bulletIndent=0, spaceAfter=9, bulletFontName=FONT
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=12, spaceAfter=0),
    }


def markup(text: str) -> str:
    return escape(text)


def column_widths(rows: list[list[str]], width: int) -> list[float]:
    """Each column is at least as wide as its longest word (a word is never split); the
    rest of the line goes by the length of the column's longest cell."""
    styles()
    available = A4[0] - 50 * mm
    cells = [[r[c] if c < len(r) else "" for r in rows] for c in range(width)]
    floors = [
        max([20.0, *(stringWidth(w, FONT, 9) + 14 for text in column for w in text.split())])
        for column in cells
    ]
    longest = [max([1, *(len(text) for text in column)]) for column in cells]
    spare = max(available - sum(floors), 0)
    return [floor + spare * n / sum(longest) for floor, n in zip(floors, longest, strict=True)]


def flowables(doc: Document) -> list:
    s = styles()
    story: list = []
    page = None
    for kind, p in blocks(doc):
        if page is not None and p.page is not None and p.page != page:
            story.append(PageBreak())
        page = p.page if p.page is not None else page
        if kind == "heading":
            story.append(Para(markup(p.text), s["heading"]))
        elif p.kind == "table":
            rows = p.rows or [[p.text]]
            width = max(len(r) for r in rows)
            cells = [
                [Para(markup(r[c]) if c < len(r) else "", s["cell"]) for c in range(width)]
                for r in rows
            ]
            table = Table(cells, colWidths=column_widths(rows, width), repeatRows=1)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
            story.append(table)
        elif p.kind == "list_item" and p.marker:
            story.append(Para(markup(p.text), s["item"], bulletText=p.marker))
        else:
            story.append(Para(markup(p.text), s["body"]))
    return story


def write_pdf(doc: Document, target: Path, encrypt: str | None = None) -> None:
    header = running_header(doc)

    def decorate(pdf: canvas.Canvas, template: SimpleDocTemplate) -> None:
        pdf.saveState()
        pdf.setFont(FONT, 8)
        for i, text in enumerate(header):
            pdf.drawString(25 * mm, A4[1] - 12 * mm - i * 10, text)
        pdf.drawRightString(A4[0] - 25 * mm, 10 * mm, str(template.page))
        pdf.restoreState()

    template = SimpleDocTemplate(
        str(target),
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=20 * mm,
        invariant=1,
        title=doc.title or "",
        author="attsats",
        encrypt=encrypt,
    )
    template.build(flowables(doc), onFirstPage=decorate, onLaterPages=decorate)


def write_encrypted_pdf(doc: Document, target: Path, user_password: str) -> None:
    write_pdf(doc, target, encrypt=user_password)


def write_image_only_pdf(doc: Document, target: Path) -> None:
    """Pages as pictures of text, like a scan: no text layer at all."""
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSans.ttf"), 22)
    lines: list[str] = []
    for _, p in blocks(doc):
        words, line = p.text.split(), ""
        for word in words:
            if len(line) + len(word) > 70:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines += [line, ""]
    pdf = canvas.Canvas(str(target), pagesize=A4, invariant=1)
    per_page = 60
    for start in range(0, len(lines), per_page):
        image = Image.new("L", (1240, 1754), 255)
        draw = ImageDraw.Draw(image)
        for i, line in enumerate(lines[start : start + per_page]):
            draw.text((100, 100 + i * 26), line, font=font, fill=0)
        pdf.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
        pdf.showPage()
    pdf.save()
