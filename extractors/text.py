"""Plain text and Markdown: blank lines separate paragraphs, page markers break pages.

Pages break at `<!-- sida N -->` (the page then carries the printed number N) and at
form feeds. Markdown tables become table paragraphs, `#` lines headings, and Markdown
backslash escapes ("1\\. Att", "\\- I Kungsbacka") are undone.
"""

from __future__ import annotations

import re
from functools import reduce

from extractors.furniture import continues_across, furniture_lines
from extractors.lines import Line, full_width, join_two, normalize_space, wrapped_paragraphs
from pipeline.document import Document, Paragraph, Section
from pipeline.errors import AttsatsError, record

PAGE_MARKER_RE = re.compile(r"<!--\s*sida\s+(\d+)\s*-->", re.IGNORECASE)
MD_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
MD_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
TABLE_RULE_RE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def decode(data: bytes, doc: Document) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise AttsatsError("E103", suffix=doc.source.path.rsplit(".", 1)[-1], detail="binärdata")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise AttsatsError("E108") from exc
    record(doc, "W104", encoding="Windows-1252")
    return text


def pages_of(text: str) -> list[tuple[int, str]]:
    """Split into (page number, text); a text without page breaks is page 1."""
    pages: list[tuple[int, str]] = []
    number, start = 1, 0
    for m in PAGE_MARKER_RE.finditer(text):
        pages.append((number, text[start : m.start()]))
        number, start = int(m.group(1)), m.end()
    pages.append((number, text[start:]))
    result: list[tuple[int, str]] = []
    for first, chunk in pages:
        for offset, part in enumerate(chunk.split("\f")):
            result.append((first + offset, part))
    # Drop the empty stretch before a first marker.
    return [(n, t) for i, (n, t) in enumerate(result) if t.strip() or i > 0]


def table_rows(lines: list[str]) -> list[list[str]]:
    rows = []
    for line in lines:
        if TABLE_RULE_RE.match(line.strip()):
            continue
        cells = line.strip().strip("|").split("|")
        rows.append([cell_text(c) for c in cells])
    return rows


def cell_text(cell: str) -> str:
    """A cell's lines ("<br>" in Markdown) joined like wrapped lines of a paragraph."""
    parts = [text for p in BR_RE.split(cell) if (text := normalize_space(unescape(p)))]
    return reduce(join_two, parts) if parts else ""


def unescape(text: str) -> str:
    return MD_ESCAPE_RE.sub(r"\1", text)


def extract(data: bytes, doc: Document) -> None:
    pages = pages_of(decode(data, doc).replace("\r\n", "\n").replace("\r", "\n"))
    paragraphs: list[Paragraph] = []
    pending: list[Line] = []

    def flush() -> None:
        paragraphs.extend(wrapped_paragraphs(pending))
        pending.clear()

    page_lines = [chunk.split("\n") for _, chunk in pages]
    # Table rows are never running headers, even when a table's header row repeats.
    nonempty = [
        [i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("|")]
        for lines in page_lines
    ]
    furniture = {
        (p, nonempty[p][k])
        for p, k in furniture_lines(
            [[page_lines[p][i] for i in idx] for p, idx in enumerate(nonempty)]
        )
    }
    wrap = full_width(
        [Line(text=page_lines[p][i], page=None) for p, idx in enumerate(nonempty) for i in idx]
    )
    for p, (page, _) in enumerate(pages):
        lines = page_lines[p]
        gap = True
        first_on_page = True
        i = 0
        while i < len(lines):
            stripped = lines[i].strip()
            if not stripped or (p, i) in furniture:
                if stripped:
                    doc.furniture.append(
                        Paragraph(
                            text=normalize_space(stripped), page=page, index=len(doc.furniture)
                        )
                    )
                gap = True
                i += 1
                continue
            if stripped.startswith("|"):
                first_on_page = False
                flush()
                table = []
                while i < len(lines) and lines[i].strip().startswith("|"):
                    table.append(lines[i])
                    i += 1
                rows = table_rows(table)
                paragraphs.append(
                    Paragraph(
                        text="\n".join(" | ".join(r) for r in rows),
                        page=page,
                        index=0,
                        kind="table",
                        rows=rows,
                    )
                )
                gap = True
                continue
            heading = MD_HEADING_RE.match(stripped)
            if heading:
                first_on_page = False
                flush()
                paragraphs.append(
                    Paragraph(
                        text=normalize_space(unescape(heading.group(2))),
                        page=page,
                        index=0,
                        kind="heading",
                        level=len(heading.group(1)),
                    )
                )
                gap = True
                i += 1
                continue
            text = unescape(stripped)
            if first_on_page and p > 0 and pending:
                # A paragraph that a page break (and the furniture around it) cut in two.
                last = pending[-1].text
                gap = not continues_across(last, len(last), text, wrap)
            pending.append(Line(text=text, page=page, gap_before=gap))
            gap = False
            first_on_page = False
            i += 1
    flush()

    for index, paragraph in enumerate(paragraphs):
        paragraph.index = index
    doc.source.pages = pages[-1][0] - pages[0][0] + 1 if pages else None
    doc.sections = [Section(heading=None, level=0, paragraphs=paragraphs)]
