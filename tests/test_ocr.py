"""Scans: an image-only PDF is read by OCR and comes out with its att-satser (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SAMPLES
from test_formats import reading

from extractors import ocr
from pipeline.outputs.typeset.pdf_writer import write_image_only_pdf
from pipeline.stages.run import analyze

needs_tesseract = pytest.mark.skipif(
    not ocr.available(), reason="tesseract with the Swedish model (tesseract-ocr-swe) is missing"
)
SCAN = SAMPLES / "skannad_utan_textlager.pdf"
SCANNED_PAPER = SAMPLES / "medborgarforslag_lekplats"  # what scripts/make_samples.py drew


@needs_tesseract
def test_the_sample_scan_comes_out_with_its_att_satser() -> None:
    doc = analyze(SCAN)
    gold = json.loads(SCANNED_PAPER.with_suffix(".gold.json").read_text(encoding="utf-8"))
    assert (doc.status, doc.errors, doc.ocr) == ("ok", [], True)
    assert [w.code for w in doc.warnings] == ["W106"]
    assert (doc.doc_type, doc.title) == (gold["doc_type"], gold["title"])
    assert [a.text for a in doc.att_satser] == gold["att_satser"]
    assert [p.page for p in doc.ocr_pages] == [1]
    assert all(0.8 <= p.confidence <= 1 and p.words > 100 for p in doc.ocr_pages)


@needs_tesseract
def test_the_sample_scan_reads_like_the_text_it_was_drawn_from() -> None:
    scanned, text = analyze(SCAN), analyze(SCANNED_PAPER.with_suffix(".txt"))
    furniture = {p.text for p in scanned.furniture} | {p.text for p in text.furniture}
    assert reading(scanned, furniture) == reading(text, furniture)


@needs_tesseract
def test_a_scanned_motion_with_numbered_att_satser(tmp_path: Path) -> None:
    text = analyze(SAMPLES / "motion_gang_och_cykel.txt")
    write_image_only_pdf(text, tmp_path / "skannad.pdf")
    doc = analyze(tmp_path / "skannad.pdf")
    assert doc.ocr and doc.doc_type == text.doc_type == "motion"
    assert [a.text for a in doc.att_satser] == [a.text for a in text.att_satser]
    assert len(doc.att_satser) == 3


def test_a_text_pdf_is_not_ocr_read() -> None:
    doc = analyze(SAMPLES / "motion_gang_och_cykel.pdf")
    assert (doc.ocr, doc.ocr_pages) == (False, [])


TSV_HEADER = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
)


def tsv(*words: tuple[int, int, int, int, int, float, str]) -> str:
    rows = [TSV_HEADER, "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t"]
    for block, par, line, left, top, conf, text in words:
        rows.append(
            f"5\t1\t{block}\t{par}\t{line}\t1\t{left}\t{top}\t{len(text) * 20}\t40\t{conf}\t{text}"
        )
    return "\n".join(rows) + "\n"


def test_words_become_lines_in_reading_order_with_their_confidence() -> None:
    result = ocr.read_tsv(
        tsv(
            (1, 1, 2, 100, 160, 80.0, "motionen"),
            (1, 1, 1, 300, 100, 90.0, "besvarad"),
            (1, 1, 1, 100, 100, 100.0, "Anse"),
            (1, 1, 1, 200, 100, -1, ""),
            (2, 1, 1, 100, 400, 70.0, "Beslut"),
        )
    )
    assert [line.text for line in result.lines] == ["Anse besvarad", "motionen", "Beslut"]
    assert [line.paragraph for line in result.lines] == [(1, 1), (1, 1), (2, 1)]
    assert (result.words, round(result.confidence, 3)) == (4, 0.85)


def fake_tesseract(folder: Path, body: str) -> None:
    script = folder / "tesseract"
    script.write_text(
        f'#!/bin/sh\nif [ "$1" = "--list-langs" ]; then echo swe; exit 0; fi\n{body}\n'
    )
    script.chmod(0o755)


@needs_tesseract
@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ("echo 'Error: bilden kunde inte läsas' >&2; exit 1", "bilden kunde inte läsas"),
        ("sleep 30", "sekunder"),
        ("printf 'level\\tconf\\ttext\\n'; exit 0", "ingen text"),
    ],
    ids=["crash", "timeout", "no text"],
)
def test_an_ocr_failure_is_e112(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, detail: str
) -> None:
    fake_tesseract(tmp_path, body)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    monkeypatch.setattr(ocr, "PAGE_TIMEOUT_SECONDS", 1)
    doc = analyze(SCAN)
    assert (doc.status, [e.code for e in doc.errors]) == ("failed", ["E112"])
    assert detail in doc.errors[0].message


def test_without_tesseract_a_scan_still_fails_with_e106(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    doc = analyze(SCAN)
    assert (doc.status, [e.code for e in doc.errors]) == ("failed", ["E106"])


def text_then_scanned_page(path: Path, first: list[str], scanned: list[str]) -> Path:
    """Page 1 with a text layer, page 2 a picture of text (a scanned signature page)."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from pipeline.outputs.typeset.pdf_writer import FONT_DIR

    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setFont("Helvetica", 11)
    for i, line in enumerate(first):
        pdf.drawString(70, 780 - 16 * i, line)
    pdf.showPage()
    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSans.ttf"), 24)
    for i, line in enumerate(scanned):
        draw.text((100, 100 + i * 30), line, font=font, fill=0)
    pdf.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
    pdf.showPage()
    pdf.save()
    return path


@needs_tesseract
def test_a_scanned_page_in_a_text_pdf_is_ocr_read_in_its_place(tmp_path: Path) -> None:
    path = text_then_scanned_page(
        tmp_path / "blandad.pdf",
        ["Kommunfullmäktige beslutar", "", "att anse motionen besvarad."],
        ["Justerare", "", "Anna Berg och Per Holm"],
    )
    doc = analyze(path)
    assert (doc.status, doc.ocr, [p.page for p in doc.ocr_pages]) == ("ok", True, [2])
    assert [w.code for w in doc.warnings] == ["W106"]
    # "Justerare" is a protokoll's standard heading, so it heads the last section.
    assert (doc.sections[-1].heading, doc.sections[-1].page) == ("Justerare", 2)
    assert [(p.page, p.text) for p in doc.paragraphs()][-1] == (2, "Anna Berg och Per Holm")
    assert doc.paragraphs()[0].page == 1


@needs_tesseract
def test_the_section_sign_survives_ocr(tmp_path: Path) -> None:
    """The Swedish model has no "§" (it reads "&" or "8"): such words are read again with
    the English model, so a protokoll's paragraphs keep their signs."""
    paper = tmp_path / "protokoll.txt"
    paper.write_text(
        "KOMMUNFULLMÄKTIGE\nSAMMANTRÄDESPROTOKOLL\n\n"
        "§ 12 Dnr KS 2020/411\n\nMotion om fler laddstolpar\n\n"
        "Kommunfullmäktige beslutar att bifalla motionen.\n\n"
        "Kommunfullmäktige, 2024-12-12, § 170\n",
        encoding="utf-8",
    )
    text = analyze(paper)
    write_image_only_pdf(text, tmp_path / "skannat_protokoll.pdf")
    doc = analyze(tmp_path / "skannat_protokoll.pdf")
    texts = [p.text for p in doc.paragraphs()]
    assert "§ 12 Dnr KS 2020/411" in texts
    assert "Kommunfullmäktige, 2024-12-12, § 170" in texts
    assert doc.doc_type == text.doc_type == "protokoll"


def test_only_one_letter_words_before_a_number_are_doubted() -> None:
    words = ocr.words_of(
        tsv(
            (1, 1, 1, 100, 100, 70.0, "&"),
            (1, 1, 1, 140, 100, 95.0, "11"),
            (1, 1, 1, 220, 100, 95.0, "Dnr"),
            (1, 1, 2, 100, 150, 95.0, "i"),
            (1, 1, 2, 140, 150, 95.0, "Ånge"),
            (1, 1, 3, 100, 200, 95.0, "8"),
            (1, 1, 4, 100, 250, 95.0, "170"),
        )
    )
    assert [w["text"] for w in ocr.suspects(words)] == ["&"]
