"""The PDF backend: wraps, hyphenation, bullets, running headers, tables, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from extractors import read_document
from pipeline.document import Document, Paragraph, Section, Source
from pipeline.outputs.typeset.pdf_writer import (
    FONT,
    styles,
    write_encrypted_pdf,
    write_image_only_pdf,
    write_pdf,
)
from pipeline.stages.run import analyze

SEED_001 = Path(__file__).resolve().parents[1] / "sample_docs" / "001_fb57b98de66bfb1d.txt"


def drawn(
    tmp_path: Path, pages: list[list[str]], name: str = "papper.pdf", scanned: bool = False
) -> Path:
    """A PDF whose pages hold the given lines, 14 pt apart; "" leaves a blank line. With
    `scanned`, a page without lines holds a picture instead, like a scanned page."""
    styles()  # registers the font
    path = tmp_path / name
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for lines in pages:
        pdf.setFont(FONT, 10)
        if scanned and not lines:
            pdf.drawImage(ImageReader(Image.new("L", (40, 20), 128)), 70, 600, 200, 100)
        for i, line in enumerate(lines):
            pdf.drawString(70, 780 - 14 * i, line)
        pdf.showPage()
    pdf.save()
    return path


def test_soft_wraps_are_joined_and_hyphens_repaired(tmp_path: Path) -> None:
    path = drawn(
        tmp_path,
        [
            [
                "Motionens avsikt att förbättra processen för målstyrning är något som förvaltningen ser",
                "positivt på. Förvaltningen har avvaktat med förändringar i styrmodellen inför kommun-",
                "fullmäktiges beslut om ny vision och om barn- och utbildningsnämndens organisation.",
            ]
        ],
    )
    [paragraph] = read_document(path).paragraphs()
    assert paragraph.text == (
        "Motionens avsikt att förbättra processen för målstyrning är något som förvaltningen ser "
        "positivt på. Förvaltningen har avvaktat med förändringar i styrmodellen inför "
        "kommunfullmäktiges beslut om ny vision och om barn- och utbildningsnämndens organisation."
    )


@pytest.mark.parametrize("bullet", ["•", "–", "-"])
def test_bullets_are_list_markers(tmp_path: Path, bullet: str) -> None:
    path = drawn(
        tmp_path,
        [
            [
                "Jag yrkar",
                "",
                f"{bullet} att kommunstyrelsen får i uppdrag att utarbeta en årlig process.",
                "",
                f"{bullet} att sagda process skall inkludera alla nivåer.",
            ]
        ],
    )
    items = [p for p in read_document(path).paragraphs() if p.kind == "list_item"]
    assert [p.text for p in items] == [
        "att kommunstyrelsen får i uppdrag att utarbeta en årlig process.",
        "att sagda process skall inkludera alla nivåer.",
    ]


def test_a_running_header_on_every_page_is_furniture(tmp_path: Path) -> None:
    sentences = ["Förslag till beslut.", "Ärendet i korthet.", "Bedömning i respektive att-sats."]
    path = drawn(tmp_path, [["Dnr KS 20/399", "", sentence] for sentence in sentences])
    doc = read_document(path)
    assert [p.text for p in doc.paragraphs()] == sentences
    assert [(p.page, p.text) for p in doc.furniture] == [(n, "Dnr KS 20/399") for n in (1, 2, 3)]


def paper(*paragraphs: Paragraph) -> Document:
    return Document(
        source=Source(path="x.txt", sha256="", format="txt", size=0),
        sections=[Section(heading=None, level=0, paragraphs=list(paragraphs))],
    )


def test_a_ruled_table_becomes_a_table_paragraph(tmp_path: Path) -> None:
    rows = [
        ["Ledamot", "Ja-röst", "Nej-röst"],
        ["Emanuel Forsell (M)", "X", ""],
        ["Magdalena Sundqvist (S)", "", "X"],
    ]
    doc = paper(
        Paragraph(text="Omröstningsresultat", page=1, index=0),
        Paragraph(text="", page=1, index=1, kind="table", rows=rows),
        Paragraph(text="Beslutet skickas till kommunstyrelsen.", page=1, index=2),
    )
    write_pdf(doc, tmp_path / "p.pdf")
    read = read_document(tmp_path / "p.pdf").paragraphs()
    assert [p.kind for p in read] == ["text", "table", "text"]
    assert read[1].rows == rows


def test_an_encrypted_pdf_fails_with_e105(tmp_path: Path) -> None:
    write_encrypted_pdf(analyze(SEED_001), tmp_path / "k.pdf", "hemligt")
    doc = analyze(tmp_path / "k.pdf")
    assert (doc.status, [e.code for e in doc.errors]) == ("failed", ["E105"])


def test_a_scan_without_text_fails_with_e106_when_no_ocr_is_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("extractors.ocr.available", lambda: False)  # OCR: tests/test_ocr.py
    write_image_only_pdf(analyze(SEED_001), tmp_path / "s.pdf")
    doc = analyze(tmp_path / "s.pdf")
    assert (doc.status, [e.code for e in doc.errors]) == ("failed", ["E106"])


@pytest.mark.parametrize(("scanned", "warnings"), [(True, [("W103", 2)]), (False, [])])
def test_a_page_without_text_leaves_the_paper_partly_read_unless_it_is_blank(
    tmp_path: Path, scanned: bool, warnings: list
) -> None:
    pages = [["Anse motionen besvarad."], [], ["Beslutet skickas till kommunstyrelsen."]]
    doc = analyze(drawn(tmp_path, pages, scanned=scanned))
    assert doc.status == ("partial" if warnings else "ok")
    assert [(w.code, w.page) for w in doc.warnings] == warnings


def test_a_truncated_pdf_fails_with_e104(tmp_path: Path) -> None:
    good = drawn(tmp_path, [["Anse motionen besvarad."]]).read_bytes()
    path = tmp_path / "trasig.pdf"
    path.write_bytes(good[:200])
    doc = analyze(path)
    assert (doc.status, [e.code for e in doc.errors]) == ("failed", ["E104"])
