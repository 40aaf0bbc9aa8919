"""Generate templates/utkast.docx, the docxtpl template of the draft answer.

    .venv/bin/python scripts/make_templates.py

The layout follows seed 001 (Ånge, "Förslag till svar på motion"): header lines, Förslag
till beslut, Ärendet i korthet with the att-satser quoted, Bedömning i respektive
att-sats as a table (one row per att-sats through docxtpl's `{%tr for %}`; a sixth column
with the officials' own Kommentar when the paper is a motionssvar), Konsekvensbeskrivning,
Slutsats and Beslutet ska skickas till. The variables are listed in the README.

A municipality edits a copy in Word and points `attsats analyze --templates DIR` at it.
Each tag is written as one run so Word and docxtpl see it whole. The output is the same
bytes on every run: fixed core properties and fixed time stamps in the zip.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "templates" / "utkast.docx"
FIXED = dt.datetime(2025, 1, 1, 0, 0, 0)
FONT = "Arial"
DRAFT_RED = RGBColor(0xA0, 0x1C, 0x1C)

# (header, cell template) per column of the Bedömning table, and the widths in cm of the
# two variants (the text area is 16.6 cm wide).
CLAUSE_COLUMNS = [
    ("Nr", "{{ c.nr }}"),
    ("Att-sats", "{{ c.text }}"),
    ("Styrmodellens element", "{{ c.elements }}"),
    ("Förslag (utkast)", "{{ c.stance_draft }}"),
    ("Kommentar (utkast) med stöd i styrmodellen", "{{ c.comment }}"),
]
OFFICIAL = ("Förvaltningens kommentar", "{{ c.official_comment }}")
WIDTHS = [1.0, 4.3, 3.2, 2.2, 5.9]
WIDTHS_WITH_OFFICIAL = [1.0, 3.3, 2.5, 2.0, 4.4, 3.4]


def styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    for name, size in (("Heading 1", 14), ("Heading 2", 12), ("Title", 18)):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
        rfonts = style.element.rPr.rFonts
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
        rfonts.set(qn("w:ascii"), FONT)
        rfonts.set(qn("w:hAnsi"), FONT)


def paragraph(container, text: str, style: str | None = None, **run_format):
    """A paragraph with `text` as one run (a docxtpl tag must not be split across runs)."""
    para = container.add_paragraph(style=style)
    run = para.add_run(text)
    for key, value in run_format.items():
        if key == "color":
            run.font.color.rgb = value
        elif key == "size":
            run.font.size = value
        else:
            setattr(run.font, key, value)
    return para


def set_cell(cell, text: str, width: float, bold: bool = False) -> None:
    cell.width = Cm(width)
    para = cell.paragraphs[0]
    run = para.add_run(text)
    run.font.size = Pt(9)
    run.font.bold = bold


def repeat_as_header(row) -> None:
    """Repeat the header row on every page the table runs over."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def clause_table(doc, columns, widths) -> None:
    """Header row, then docxtpl's row loop: `{%tr for %}`, the row, `{%tr endfor %}`."""
    table = doc.add_table(rows=4, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for index, ((header, cell_text), width) in enumerate(zip(columns, widths, strict=True)):
        # The grid column for LibreOffice, the cell widths for Word.
        table.columns[index].width = Cm(width)
        set_cell(table.rows[0].cells[index], header, width, bold=True)
        set_cell(
            table.rows[1].cells[index], "{%tr for c in clauses %}" if index == 0 else "", width
        )
        set_cell(table.rows[2].cells[index], cell_text, width)
        set_cell(table.rows[3].cells[index], "{%tr endfor %}" if index == 0 else "", width)
    repeat_as_header(table.rows[0])


def header_and_footer(doc) -> None:
    section = doc.sections[0]
    head = section.header.paragraphs[0]
    run = head.add_run("{{ municipality }} · {{ organ }} · Dnr {{ dnr }}")
    run.font.size = Pt(8)
    foot = section.footer.paragraphs[0]
    run = foot.add_run("{{ draft_mark }} · styrmodell: {{ profile }} · underlag: {{ source }}")
    run.font.size = Pt(8)
    run.font.color.rgb = DRAFT_RED


def build() -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    styles(doc)
    header_and_footer(doc)

    paragraph(doc, "{{ draft_mark }}", bold=True, color=DRAFT_RED)
    paragraph(doc, "{{ municipality }}", bold=True)
    paragraph(doc, "{{ organ }}")
    paragraph(doc, "Dnr {{ dnr }}")
    paragraph(doc, "Datum {{ date }}")
    paragraph(doc, "Handläggare {{ handlaggare }}")
    paragraph(doc, "{{ heading }}", style="Title")

    doc.add_heading("Förslag till beslut", level=1)
    paragraph(doc, "{{ proposal.decision }}")
    paragraph(doc, "{%p if proposal.details %}")
    paragraph(doc, "{{ proposal.details }}")
    paragraph(doc, "{%p endif %}")
    paragraph(
        doc,
        "{{ draft_mark }}: {{ proposal.rationale }}",
        italic=True,
        color=DRAFT_RED,
        size=Pt(9),
    )

    doc.add_heading("Ärendet i korthet", level=1)
    paragraph(doc, "{%p for line in summary %}")
    paragraph(doc, "{{ line }}")
    paragraph(doc, "{%p endfor %}")
    paragraph(doc, "{%p if no_clauses %}")
    paragraph(doc, "{{ no_clauses }}", bold=True, color=DRAFT_RED)
    paragraph(doc, "{%p else %}")
    paragraph(doc, "{{ clause_intro }}")
    paragraph(doc, "{%p endif %}")
    paragraph(doc, "{%p for c in clauses %}")
    paragraph(doc, "{{ c.text }}", style="List Bullet")
    paragraph(doc, "{%p endfor %}")

    doc.add_heading("Bedömning i respektive att-sats", level=1)
    paragraph(
        doc,
        "{{ draft_mark }}. Bedömt mot styrmodellen {{ profile }}; varje kommentar citerar "
        "det i styrmodellen som den bygger på.",
        italic=True,
        color=DRAFT_RED,
        size=Pt(9),
    )
    paragraph(doc, "{%p if no_clauses %}")
    paragraph(doc, "{{ no_clauses }}", bold=True, color=DRAFT_RED)
    paragraph(doc, "{%p elif has_official_comments %}")
    clause_table(doc, [*CLAUSE_COLUMNS, OFFICIAL], WIDTHS_WITH_OFFICIAL)
    paragraph(doc, "{%p else %}")
    clause_table(doc, CLAUSE_COLUMNS, WIDTHS)
    paragraph(doc, "{%p endif %}")

    doc.add_heading("Konsekvensbeskrivning", level=1)
    for title, key in (
        ("Ekonomiska konsekvenser", "economic"),
        ("Sociala konsekvenser", "social"),
        ("Miljömässiga konsekvenser", "environmental"),
        ("Barnrättsperspektiv", "children"),
    ):
        doc.add_heading(title, level=2)
        paragraph(doc, "{{ consequences." + key + ".text }}")

    doc.add_heading("Slutsats", level=1)
    paragraph(doc, "{{ conclusion }}")

    doc.add_heading("Beslutet ska skickas till", level=1)
    paragraph(doc, "{%p for receiver in send_to %}")
    paragraph(doc, "{{ receiver }}")
    paragraph(doc, "{%p endfor %}")

    props = doc.core_properties
    props.title = "Förslag till svar på motion (mall)"
    props.author = "attsats"
    props.last_modified_by = "attsats"
    props.comments = "Mall för attsats utkast; variablerna står i README."
    props.language = "sv-SE"
    props.subject = ""
    props.identifier = ""
    props.keywords = ""
    props.revision = 1
    props.created = props.modified = props.last_printed = FIXED
    buffer = io.BytesIO()
    doc.save(buffer)
    return deterministic_zip(buffer.getvalue())


def deterministic_zip(data: bytes) -> bytes:
    """The same archive with fixed time stamps, so a rerun gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def main() -> int:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(build())
    print(f"Skrev {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
