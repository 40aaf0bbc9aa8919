"""Typeset a Document as Word: Heading styles, real numbered lists, tables, page breaks."""

from __future__ import annotations

import copy
import datetime as dt
import zipfile
from io import BytesIO
from pathlib import Path

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from pipeline.document import Document, Paragraph
from pipeline.outputs.typeset import blocks, running_header

FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def lvl_format(marker: str) -> tuple[str, str]:
    """Word numFmt and lvlText for a printed marker."""
    if marker[:1].isdigit() or marker.startswith("("):
        return "decimal", "%1)" if marker.endswith(")") else "%1."
    if marker[:1].isalpha():
        fmt = "lowerLetter" if marker[:1].islower() else "upperLetter"
        return fmt, "%1)" if marker.endswith(")") else "%1."
    # A bullet keeps the mark it was printed with ("-", "–", "•"), as Word would show it.
    return "bullet", marker or "•"


class ListNumbering:
    """Adds one abstractNum + num per list run to numbering.xml, numbering from 1."""

    def __init__(self, document: docx.document.Document) -> None:
        self.root = document.part.numbering_part.element
        self.next_id = 900

    def new_list(self, marker: str) -> str:
        fmt, text = lvl_format(marker)
        self.next_id += 1
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(self.next_id))
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), "0")
        for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
            el = OxmlElement(tag)
            el.set(qn("w:val"), value)
            lvl.append(el)
        abstract.append(lvl)
        first_num = self.root.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self.root.append(abstract)
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(self.next_id))
        ref = OxmlElement("w:abstractNumId")
        ref.set(qn("w:val"), str(self.next_id))
        num.append(ref)
        self.root.append(num)
        return str(self.next_id)


def number(paragraph, num_id: str, level: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), num_id)
    num_pr.append(ilvl)
    num_pr.append(num)
    ppr.append(num_pr)


def add_table(document: docx.document.Document, p: Paragraph) -> None:
    rows = p.rows or [[p.text]]
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c in range(width):
            table.cell(r, c).text = row[c] if c < len(row) else ""


def deterministic(data: bytes) -> bytes:
    """Rewrite the package with fixed timestamps so unchanged input gives unchanged bytes."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            info = copy.copy(item)
            info.date_time = ZIP_TIME
            dst.writestr(info, src.read(item.filename), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def write_docx(doc: Document, target: Path) -> None:
    document = docx.Document()
    props = document.core_properties
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.author = props.last_modified_by = "attsats"
    props.revision = 1
    props.title = doc.title or ""
    lists = ListNumbering(document)
    for text in running_header(doc):
        document.sections[0].header.add_paragraph(text)
    page = None
    list_id: str | None = None
    for kind, p in blocks(doc):
        if page is not None and p.page is not None and p.page != page:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        page = p.page if p.page is not None else page
        if kind == "heading":
            document.add_heading(p.text, level=min(max(p.level or 1, 1), 9))
            list_id = None
        elif p.kind == "table":
            add_table(document, p)
            list_id = None
        elif p.kind == "list_item" and p.marker:
            if list_id is None:
                list_id = lists.new_list(p.marker)
            paragraph = document.add_paragraph(p.text, style="List Paragraph")
            number(paragraph, list_id, 0)
        else:
            document.add_paragraph(p.text)
            list_id = None
    buffer = BytesIO()
    document.save(buffer)
    target.write_bytes(deterministic(buffer.getvalue()))
