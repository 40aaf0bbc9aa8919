"""Generate templates/utkast.docx, the docxtpl template of the draft answer.

    .venv/bin/python scripts/make_templates.py

The layout follows seed 001 (Ånge, "Förslag till svar på motion"): header lines, Förslag
till beslut, Ärendet i korthet with the att-satser quoted, Bedömning i respektive
att-sats as one block per att-sats (the clause, the suggested stance, the styrmodell
elements, our comment and, for a motionssvar, the officials' own Kommentar) in full-width
paragraphs, so no word is broken in a narrow column and a three-clause motion fits on two
pages; Konsekvensbeskrivning, Tidigare ärenden (the archive's closest earlier papers),
Slutsats and Beslutet ska skickas till. When no att-sats was
found the draft says so and asks the official to check. The variables are listed in the README.

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
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "templates" / "utkast.docx"
FIXED = dt.datetime(2025, 1, 1, 0, 0, 0)
FONT = "Arial"
DRAFT_RED = RGBColor(0xA0, 0x1C, 0x1C)


def styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(4)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    # Tight spacing, so a three-clause motion fits on two pages.
    for name, size, before, after in (
        ("Heading 1", 14, 12, 3),
        ("Heading 2", 12, 6, 2),
        ("Title", 18, 6, 6),
    ):
        style = doc.styles[name]
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
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


def labelled(container, label: str, text: str):
    """A paragraph that starts with a bold label ("Förslag: ") followed by a tag as one run."""
    para = container.add_paragraph()
    para.add_run(label).font.bold = True
    para.add_run(text)
    return para


def clause_blocks(doc) -> None:
    """One block per att-sats through docxtpl's paragraph loop `{%p for %}`."""
    paragraph(doc, "{%p for c in clauses %}")
    doc.add_heading("Att-sats {{ c.nr }}", level=2)
    quote = paragraph(doc, "”{{ c.text }}”", italic=True)
    quote.paragraph_format.left_indent = Cm(0.6)
    labelled(doc, "Förslag: ", "{{ c.stance_draft }}")
    labelled(doc, "Styrmodellen: ", "{{ c.elements }}")
    paragraph(doc, "{{ c.comment }}")
    paragraph(doc, "{%p if c.official_comment %}")
    labelled(doc, "Förvaltningens kommentar: ", "{{ c.official_comment }}")
    paragraph(doc, "{%p endif %}")
    paragraph(doc, "{%p endfor %}")


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
    paragraph(doc, "{%p if clauses %}")
    paragraph(doc, "{{ clause_intro }}")
    paragraph(doc, "{%p for c in clauses %}")
    paragraph(doc, "{{ c.text }}", style="List Bullet")
    paragraph(doc, "{%p endfor %}")
    paragraph(doc, "{%p endif %}")

    doc.add_heading("Bedömning i respektive att-sats", level=1)
    paragraph(
        doc,
        "{{ draft_mark }}. Bedömt mot styrmodellen {{ profile }}; varje kommentar citerar "
        "det i styrmodellen som den bygger på.",
        italic=True,
        color=DRAFT_RED,
        size=Pt(9),
    )
    paragraph(doc, "{%p if clauses %}")
    clause_blocks(doc)
    paragraph(doc, "{%p elif no_clauses %}")
    paragraph(doc, "{{ no_clauses }}", bold=True, color=DRAFT_RED)
    paragraph(doc, "{%p else %}")
    paragraph(doc, "{{ fill_in }}")
    paragraph(doc, "{%p endif %}")

    doc.add_heading("Konsekvensbeskrivning", level=1)
    for title, key in (
        ("Ekonomiska konsekvenser", "economic"),
        ("Sociala konsekvenser", "social"),
        ("Miljömässiga konsekvenser", "environmental"),
        ("Barnrättsperspektiv", "children"),
    ):
        labelled(doc, f"{title}: ", "{{ consequences." + key + ".text }}")

    doc.add_heading("Tidigare ärenden", level=1)
    paragraph(doc, "{%p for p in precedents %}")
    paragraph(doc, "{{ p.text }}", style="List Bullet")
    paragraph(doc, "{%p endfor %}")
    paragraph(doc, "{%p if precedents_note %}")
    paragraph(doc, "{{ precedents_note }}")
    paragraph(doc, "{%p endif %}")

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
