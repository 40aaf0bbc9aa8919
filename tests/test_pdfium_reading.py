"""The PDF reader's pdfium front end reads what pdfplumber read: the same words, in the
same places, and the same ruled tables, without interpreting the content in Python."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extractors import read_document
from extractors.pdf import read_tables, upright
from extractors.pdfium_chars import PageReader, words
from extractors.pdfium_tables import find_tables, page_edges
from pipeline.outputs.typeset.pdf_writer import FONT, styles

LINES = [
    "Kommunfullmäktige beslutar att anse motionen besvarad.",
    "Förvaltningen föreslår att finansieringen prövas i budgeten för 2026–2028.",
    "§ 112   Dnr KS 2024/00850   Svar på motion om effektivare flöden",
]


def page_of(tmp_path: Path, font: str, size: float, name: str = "p.pdf") -> Path:
    styles()  # registers the project's embedded font
    path = tmp_path / name
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for i, line in enumerate(LINES):
        pdf.setFont(font, size)
        pdf.drawString(70, 760 - 2 * size * i, line)
    pdf.setFont(font, size * 1.3)
    pdf.drawString(300, 500, "Beslut")  # a heading set apart, another size
    pdf.saveState()  # a reference printed along the margin: not upright
    pdf.translate(30, 300)
    pdf.rotate(90)
    pdf.setFont(font, 7)
    pdf.drawString(0, 0, "Signerat elektroniskt 2025-03-04")
    pdf.restoreState()
    pdf.showPage()
    pdf.save()
    return path


def plumber_words(path: Path) -> list[dict]:
    with pdfplumber.open(path) as pdf:
        page = upright(pdf.pages[0])
        return page.extract_words(extra_attrs=["size", "fontname"], return_chars=True)


@pytest.mark.parametrize(
    ("font", "size"), [(FONT, 10), (FONT, 8), ("Helvetica", 11), ("Helvetica-Bold", 9)]
)
def test_words_are_pdfplumbers_words(tmp_path: Path, font: str, size: float) -> None:
    path = page_of(tmp_path, font, size)
    expected = plumber_words(path)
    pdf = pdfium.PdfDocument(path)
    try:
        found = words(PageReader().chars(pdf[0])[0])
    finally:
        pdf.close()
    assert [w["text"] for w in found] == [w["text"] for w in expected]
    for ours, theirs in zip(found, expected, strict=True):
        assert ours["size"] == pytest.approx(theirs["size"], abs=0.01)
        assert ours["top"] == pytest.approx(theirs["top"], abs=0.01)
        assert ours["bottom"] == pytest.approx(theirs["bottom"], abs=0.01)
        # pdfium keeps glyph widths in whole thousandths of an em: a line drifts by a
        # fraction of a point at most
        assert ours["x0"] == pytest.approx(theirs["x0"], abs=0.5)
        assert ours["x1"] == pytest.approx(theirs["x1"], abs=0.5)
        assert ours["lead"] == pytest.approx(
            theirs["chars"][0]["x1"] - theirs["chars"][0]["x0"], abs=0.05
        )
        assert ("bold" in ours["fontname"].lower()) == ("bold" in theirs["fontname"].lower())


GRID = [["Ledamot", "Ja", "Nej"], ["Emanuel Forsell (M)", "X", ""], ["Maria Losman (MP)", "", "X"]]


def ruled(tmp_path: Path, how: str) -> Path:
    """A three-by-three table ruled with lines, with a box per cell, or inside a form
    XObject (a letterhead template)."""
    styles()
    path = tmp_path / f"{how}.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    xs, ys = [70, 250, 330, 410], [700, 680, 660, 640]

    def draw(target) -> None:
        target.setFont(FONT, 10)
        for r, row in enumerate(GRID):
            for c, cell in enumerate(row):
                target.drawString(xs[c] + 4, ys[r] - 14, cell)
        if how == "boxes":
            for r in range(3):
                for c in range(3):
                    target.rect(xs[c], ys[r + 1], xs[c + 1] - xs[c], ys[r] - ys[r + 1])
        else:
            for y in ys:
                target.line(xs[0], y, xs[-1], y)
            for x in xs:
                target.line(x, ys[0], x, ys[-1])

    if how == "form":
        pdf.beginForm("tabell")
        draw(pdf)
        pdf.endForm()
        pdf.doForm("tabell")
    else:
        draw(pdf)
    pdf.drawString(70, 600, "Beslutet skickas till kommunstyrelsen.")
    pdf.showPage()
    pdf.save()
    return path


@pytest.mark.parametrize("how", ["lines", "boxes"])
def test_ruled_tables_from_pdfium_paths_are_pdfplumbers(tmp_path: Path, how: str) -> None:
    path = ruled(tmp_path, how)
    with pdfplumber.open(path) as plumbed:
        expected = read_tables(upright(plumbed.pages[0]).find_tables())
    pdf = pdfium.PdfDocument(path)
    try:
        page = pdf[0]
        edges = page_edges(page)
        assert edges is not None and edges[0]
        bbox = (0.0, 0.0, page.get_width(), page.get_height())
        found = read_tables(find_tables(edges[1], PageReader().chars(page)[0], bbox))
    finally:
        pdf.close()
    assert [t.rows for t in found] == [t.rows for t in expected] == [GRID]
    assert found[0].bbox == pytest.approx(expected[0].bbox, abs=0.01)


@pytest.mark.parametrize("how", ["lines", "boxes", "form"])
def test_a_ruled_table_reads_as_a_table_paragraph(tmp_path: Path, how: str) -> None:
    """A table drawn inside a form XObject is left to pdfplumber; it reads the same."""
    read = read_document(ruled(tmp_path, how)).paragraphs()
    assert [p.kind for p in read] == ["table", "text"]
    assert read[0].rows == GRID


def test_text_on_a_rotated_page_is_read(tmp_path: Path) -> None:
    """A page turned by /Rotate (a landscape attachment) keeps its text: pdfminer turned
    its characters with the page, so none of them counted as upright."""
    path = tmp_path / "liggande.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setPageRotation(90)
    pdf.setFont("Helvetica", 10)
    pdf.drawString(70, 700, LINES[0])
    pdf.showPage()
    pdf.save()
    assert [p.text for p in read_document(path).paragraphs()] == [LINES[0]]
