"""PDF: printed lines back into paragraphs, running headers and footers set apart.

pypdfium2 opens the file (fast, and it tells an encrypted file or a page without a
text layer); pdfplumber gives the lines with their positions and fonts. Line joining,
hyphenation and list markers are shared with the text backend (`extractors.lines`),
header and footer detection with every paged format (`extractors.furniture`).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from io import BytesIO

import pdfplumber
import pypdfium2 as pdfium

from extractors.furniture import furniture_lines
from extractors.lines import Line, join_two, normalize_space, wrapped_paragraphs
from pipeline.document import Document, Paragraph, Section
from pipeline.errors import AttsatsError, record

PARAGRAPH_GAP = 1.4  # a gap this many times the page's usual line spacing ends a paragraph
HEADING_SIZE = 1.3  # a line this much larger than the body text can be a heading


@dataclass
class PrintedLine:
    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    bold: bool


@dataclass
class Table:
    bbox: tuple[float, float, float, float]
    rows: list[list[str]]

    @property
    def top(self) -> float:
        return self.bbox[1]


def text_pages(data: bytes) -> list[bool]:
    """Which pages have a text layer; raises the coded error for unreadable files."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise AttsatsError("E105") from exc
        raise AttsatsError("E104", fmt="PDF", detail=str(exc)[:200]) from exc
    try:
        return [bool(page.get_textpage().get_text_range().strip()) for page in pdf]
    finally:
        pdf.close()


def printed_lines(page, exclude: list[tuple[float, float, float, float]]) -> list[PrintedLine]:
    lines = []
    for line in page.extract_text_lines(return_chars=True, strip=True):
        middle_x = (line["x0"] + line["x1"]) / 2
        middle_y = (line["top"] + line["bottom"]) / 2
        if any(
            x0 <= middle_x <= x1 and top <= middle_y <= bottom for x0, top, x1, bottom in exclude
        ):
            continue
        chars = [c for c in line["chars"] if c["text"].strip()]
        if not chars:
            continue
        lines.append(
            PrintedLine(
                text=line["text"],
                top=line["top"],
                bottom=line["bottom"],
                x0=line["x0"],
                x1=line["x1"],
                size=statistics.median(c["size"] for c in chars),
                bold=all("bold" in c["fontname"].lower() for c in chars),
            )
        )
    return lines


def cell_text(cell: str | None) -> str:
    parts = [normalize_space(p) for p in (cell or "").split("\n") if p.strip()]
    text = parts[0] if parts else ""
    for part in parts[1:]:
        text = join_two(text, part)
    return text


def tables(page) -> list[Table]:
    """Ruled tables; only looked for on pages that have ruling lines."""
    if not (page.lines or page.rects):
        return []
    found = []
    for table in page.find_tables():
        rows = [[cell_text(c) for c in row] for row in table.extract()]
        rows = [r for r in rows if any(r)]
        if rows:
            found.append(Table(bbox=table.bbox, rows=rows))
    return found


def line_spacing(pages: list[list[PrintedLine]], body_size: float) -> float:
    """The spacing of lines inside a paragraph: the tightest usual one in the paper (lines
    of one paragraph sit closer than paragraphs; on a page of one-line paragraphs the
    median would be the paragraph spacing, so the whole paper is measured)."""
    spacings = [
        b.top - a.top
        for lines in pages
        for a, b in zip(lines, lines[1:], strict=False)
        if b.top - a.top >= 0.9 * body_size
    ]
    return min(spacings) if spacings else 0.0


def extract(data: bytes, doc: Document) -> None:
    has_text = text_pages(data)
    if not any(has_text):
        raise AttsatsError("E106")
    for number, ok in enumerate(has_text, start=1):
        if not ok:
            record(doc, "W103", page=number)
    with pdfplumber.open(BytesIO(data)) as pdf:
        pages = []
        for page in pdf.pages:
            found = tables(page)
            pages.append((printed_lines(page, [t.bbox for t in found]), found))
    doc.source.pages = len(pages)
    furniture = furniture_lines([[line.text for line in lines] for lines, _ in pages])
    body_sizes = [line.size for lines, _ in pages for line in lines]
    body_size = statistics.median(body_sizes) if body_sizes else 0.0
    widths = sorted(line.x1 - line.x0 for lines, _ in pages for line in lines)
    wrap_width = widths[int(0.9 * (len(widths) - 1))] if widths else None

    leading = line_spacing([lines for lines, _ in pages], body_size)
    paragraphs: list[Paragraph] = []
    for page_index, (lines, page_tables) in enumerate(pages):
        page_number = page_index + 1
        body = []
        for i, line in enumerate(lines):
            if (page_index, i) in furniture:
                doc.furniture.append(
                    Paragraph(
                        text=normalize_space(line.text), page=page_number, index=len(doc.furniture)
                    )
                )
            else:
                body.append(line)
        items: list[tuple[float, Paragraph | list[Line]]] = []
        run: list[Line] = []
        run_top = 0.0
        previous: PrintedLine | None = None
        for line in body:
            heading = (line.bold or line.size > body_size * HEADING_SIZE) and len(line.text) < 120
            gap = previous is None or line.top - previous.top > PARAGRAPH_GAP * leading
            between_table = any(previous and previous.top < t.top < line.top for t in page_tables)
            continues_heading = (
                heading
                and previous is not None
                and items
                and not run
                and isinstance(items[-1][1], Paragraph)
                and items[-1][1].kind == "heading"
                and line.top - previous.top <= 1.5 * line.size
            )
            if continues_heading:
                items[-1][1].text = f"{items[-1][1].text} {normalize_space(line.text)}"
            elif heading:
                if run:
                    items.append((run_top, run))
                    run = []
                items.append(
                    (
                        line.top,
                        Paragraph(
                            text=normalize_space(line.text),
                            page=page_number,
                            index=0,
                            kind="heading",
                            level=1,
                        ),
                    )
                )
            else:
                if between_table and run:
                    items.append((run_top, run))
                    run = []
                if not run:
                    run_top = line.top
                run.append(
                    Line(
                        text=line.text,
                        page=page_number,
                        gap_before=gap or between_table or (previous is not None and previous.bold),
                        width=line.x1 - line.x0,
                    )
                )
            previous = line
        if run:
            items.append((run_top, run))
        for table in page_tables:
            text = "\n".join(" | ".join(r) for r in table.rows)
            items.append(
                (
                    table.top,
                    Paragraph(text=text, page=page_number, index=0, kind="table", rows=table.rows),
                )
            )
        for _, item in sorted(items, key=lambda pair: pair[0]):
            if isinstance(item, Paragraph):
                paragraphs.append(item)
                continue
            paragraphs.extend(wrapped_paragraphs(item, wrap_width))
    for index, paragraph in enumerate(paragraphs):
        paragraph.index = index
    doc.sections = [Section(heading=None, level=0, paragraphs=paragraphs)]
