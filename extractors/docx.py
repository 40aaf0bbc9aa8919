"""Word (.docx): paragraphs and tables in document order, with list numbers rendered.

python-docx leaves a list item's number out of `paragraph.text`, so numbering is
rendered here from `numPr` (on the paragraph or its style chain) and numbering.xml.
Tracked deletions are skipped and insertions kept; content controls are read like any
other content; headers and footers go to `furniture`, and so do running headers, footers
and page numbers typed into the body page after page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import BytesIO

import docx
from docx.oxml.ns import qn

from extractors.furniture import continues_across, furniture_lines
from extractors.lines import join_two, normalize_space, split_marker
from pipeline.document import Document, Paragraph, Section
from pipeline.errors import AttsatsError, record

HEADING_STYLE_RE = re.compile(r"^(?:heading|rubrik)\s*(\d)$", re.IGNORECASE)
TITLE_STYLES = {"title", "rubrik"}
W_P, W_TBL, W_SDT = qn("w:p"), qn("w:tbl"), qn("w:sdt")
TEXT_XPATH = (
    ".//w:t[not(ancestor::w:del)] | .//w:tab[not(ancestor::w:tabs)] | .//w:br"
    " | .//w:lastRenderedPageBreak"
)


def roman(n: int) -> str:
    values = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, letters in values:
        while n >= value:
            out, n = out + letters, n - value
    return out


def format_number(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerRoman":
        return roman(n)
    if fmt == "upperRoman":
        return roman(n).upper()
    return str(n)


@dataclass
class Numbering:
    """numbering.xml: list formats and the running counters of each list."""

    levels: dict[str, dict[int, tuple[str, str, int]]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def read(cls, document: docx.document.Document) -> Numbering:
        numbering = cls()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return numbering
        for abstract in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in abstract.findall(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                levels[int(lvl.get(qn("w:ilvl")))] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "%1.",
                    int(start.get(qn("w:val"))) if start is not None else 1,
                )
            numbering.levels[abstract.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
            overrides = {}
            for override in num.findall(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                if start is not None:
                    overrides[int(override.get(qn("w:ilvl")))] = int(start.get(qn("w:val")))
            numbering.nums[num.get(qn("w:numId"))] = (abstract_id, overrides)
        return numbering

    def marker(self, num_id: str, ilvl: int) -> str | None:
        """Advance the list's counter and render its marker, e.g. "2." or "b)" or "•"."""
        if num_id not in self.nums:
            return None
        abstract_id, overrides = self.nums[num_id]
        levels = self.levels.get(abstract_id, {})
        if ilvl not in levels:
            return None
        fmt, text, start = levels[ilvl]
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, overrides.get(ilvl, start) - 1) + 1
        for deeper in [lvl for lvl in counters if lvl > ilvl]:
            del counters[deeper]
        if fmt == "none":
            return None
        if fmt == "bullet":
            # The mark Word shows: a printable one as it is ("-", "–"), a symbol-font glyph
            # (a private-use code point such as U+F0B7) as the bullet it draws.
            mark = text.strip()
            printable = len(mark) == 1 and mark.isprintable() and not 0xE000 <= ord(mark) <= 0xF8FF
            return mark if printable else "•"

        def level_number(m: re.Match[str]) -> str:
            level = int(m.group(1)) - 1
            level_fmt, _, level_start = levels.get(level, ("decimal", "", 1))
            return format_number(counters.get(level, level_start), level_fmt)

        return re.sub(r"%(\d)", level_number, text).strip() or None


@dataclass
class Styles:
    """The style chain: numbering, heading level and outline level by inheritance."""

    elements: dict[str, object]

    @classmethod
    def read(cls, document: docx.document.Document) -> Styles:
        root = document.styles.element
        return cls({s.get(qn("w:styleId")): s for s in root.findall(qn("w:style"))})

    def chain(self, style_id: str | None):
        seen = set()
        while style_id and style_id in self.elements and style_id not in seen:
            seen.add(style_id)
            element = self.elements[style_id]
            yield element
            based = element.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None

    def heading_level(self, style_id: str | None) -> int | None:
        for element in self.chain(style_id):
            name_el = element.find(qn("w:name"))
            name = name_el.get(qn("w:val")) if name_el is not None else ""
            m = HEADING_STYLE_RE.match(name) or HEADING_STYLE_RE.match(
                element.get(qn("w:styleId")) or ""
            )
            if m:
                return int(m.group(1))
            if name.lower() in TITLE_STYLES:
                return 1
            outline = element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
            if outline is not None and int(outline.get(qn("w:val"))) < 9:
                return int(outline.get(qn("w:val"))) + 1
        return None

    def num_pr(self, style_id: str | None):
        for element in self.chain(style_id):
            num_pr = element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if num_pr is not None:
                return num_pr
        return None


@dataclass
class Reader:
    doc: Document
    styles: Styles
    numbering: Numbering
    page: int = 1
    pending_break: bool = False
    text_since_break: bool = False
    tracked: bool = False
    paragraphs: list[Paragraph] = field(default_factory=list)

    def blocks(self, parent) -> None:
        for child in parent.iterchildren():
            if child.tag == W_P:
                self.paragraph(child)
            elif child.tag == W_TBL:
                self.table(child)
            elif child.tag == W_SDT:
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    self.blocks(content)

    def text_of(self, p) -> str:
        """A paragraph's text; counts the page breaks in it as it goes."""
        parts: list[str] = []
        for node in p.xpath(TEXT_XPATH):
            tag = node.tag
            if tag == qn("w:t"):
                parts.append(node.text or "")
            elif tag == qn("w:tab"):
                parts.append(" ")
            elif tag == qn("w:br"):
                if node.get(qn("w:type")) == "page":
                    self.break_page(before_text=not "".join(parts).strip())
                else:
                    parts.append(" ")
            elif self.text_since_break and not self.pending_break:
                # lastRenderedPageBreak: Word's own pagination, unless a hard break made it
                self.break_page(before_text=not "".join(parts).strip())
        if p.xpath(".//w:ins | .//w:del"):
            self.tracked = True
        return normalize_space("".join(parts))

    def break_page(self, before_text: bool) -> None:
        if before_text:
            self.next_page()
        else:
            self.pending_break = True

    def next_page(self) -> None:
        self.page += 1
        self.pending_break = False
        self.text_since_break = False

    def paragraph(self, p) -> None:
        if self.pending_break:
            self.next_page()
        ppr = p.find(qn("w:pPr"))
        style_el = ppr.find(qn("w:pStyle")) if ppr is not None else None
        style_id = style_el.get(qn("w:val")) if style_el is not None else None
        if ppr is not None and ppr.find(qn("w:pageBreakBefore")) is not None:
            self.next_page()
        text = self.text_of(p)
        if not text:
            return
        level = self.styles.heading_level(style_id)
        if level is not None:
            self.add(Paragraph(text=text, page=self.page, index=0, kind="heading", level=level))
            return
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_pr = num_pr if num_pr is not None else self.styles.num_pr(style_id)
        marker = None
        ilvl = 0
        if num_pr is not None:
            num_id_el, ilvl_el = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
            ilvl = int(ilvl_el.get(qn("w:val"))) if ilvl_el is not None else 0
            if num_id_el is not None:
                marker = self.numbering.marker(num_id_el.get(qn("w:val")), ilvl)
        if marker is None:
            marker, text = split_marker(text)
        kind = "list_item" if marker else "text"
        self.add(
            Paragraph(
                text=text,
                page=self.page,
                index=0,
                kind=kind,
                marker=marker,
                level=ilvl if marker else None,
            )
        )

    def table(self, tbl) -> None:
        rows = []
        for tr in tbl.findall(qn("w:tr")):
            cells = []
            for tc in tr.findall(qn("w:tc")):
                texts = [self.text_of(p) for p in tc.iter(W_P)]
                cells.append(" ".join(t for t in texts if t))
            rows.append(cells)
        rows = [r for r in rows if any(r)]
        if rows:
            text = "\n".join(" | ".join(r) for r in rows)
            self.add(Paragraph(text=text, page=self.page, index=0, kind="table", rows=rows))

    def add(self, paragraph: Paragraph) -> None:
        paragraph.index = len(self.paragraphs)
        self.paragraphs.append(paragraph)
        self.text_since_break = True


def furniture(document: docx.document.Document) -> list[Paragraph]:
    texts: list[str] = []
    for section in document.sections:
        for part in (
            section.header,
            section.first_page_header,
            section.even_page_header,
            section.footer,
            section.first_page_footer,
            section.even_page_footer,
        ):
            if part.is_linked_to_previous:
                continue
            for p in part.paragraphs:
                text = normalize_space(p.text)
                if text and text not in texts:
                    texts.append(text)
    return [Paragraph(text=t, page=None, index=i) for i, t in enumerate(texts)]


def body_furniture(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], list[Paragraph]]:
    """Running headers, footers and page numbers typed into the body (a paper converted to
    Word page by page), found as in a PDF; and a paragraph that a page break cut in two
    joined again. Returns (body, furniture)."""
    pages = sorted({p.page for p in paragraphs if p.page is not None})
    if len(pages) < 2:
        return paragraphs, []
    candidates = [
        [p for p in paragraphs if p.page == page and p.kind in ("text", "heading")]
        for page in pages
    ]
    found = furniture_lines([[p.text for p in page] for page in candidates])
    taken = {id(candidates[page][i]) for page, i in found}
    furniture = [p for p in paragraphs if id(p) in taken]
    body: list[Paragraph] = []
    for p in paragraphs:
        if id(p) in taken:
            continue
        last = body[-1] if body else None
        if (
            last is not None
            and last.page != p.page
            and last.kind == p.kind == "text"
            and continues_across(last.text, None, p.text, None)
        ):
            last.text = join_two(last.text, p.text)
            continue
        body.append(p)
    for index, p in enumerate(body):
        p.index = index
    for index, p in enumerate(furniture):
        p.index = index
    return body, furniture


def extract(data: bytes, doc: Document) -> None:
    try:
        document = docx.Document(BytesIO(data))
    except Exception as exc:
        raise AttsatsError("E104", fmt="DOCX", detail=f"{type(exc).__name__}: {exc}"[:200]) from exc
    reader = Reader(doc=doc, styles=Styles.read(document), numbering=Numbering.read(document))
    reader.blocks(document.element.body)
    if reader.tracked:
        record(doc, "W102")
    body, typed = body_furniture(reader.paragraphs)
    doc.furniture = furniture(document) + typed
    for index, p in enumerate(doc.furniture):
        p.index = index
    doc.source.pages = reader.page
    doc.sections = [Section(heading=None, level=0, paragraphs=body)]
