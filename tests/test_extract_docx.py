"""The Word backend: numbering, styles, tables, headers, content controls, tracked changes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from extractors import read_document
from pipeline.stages.run import analyze

ATT_SATSER = [
    "att kommunstyrelsen får i uppdrag att utarbeta en årlig process för målstyrningsarbetet.",
    "att sagda process skall inkludera alla nivåer av den kommunala verksamheten.",
]


def save(document: docx.document.Document, tmp_path: Path, name: str = "motion.docx") -> Path:
    path = tmp_path / name
    document.save(path)
    return path


@pytest.mark.parametrize(
    ("style", "markers"), [("List Number", ["1.", "2."]), ("List Bullet", ["•", "•"])]
)
def test_list_items_numbered_by_their_style_get_their_marker(
    tmp_path: Path, style: str, markers: list[str]
) -> None:
    document = docx.Document()
    document.add_paragraph("Jag yrkar")
    for clause in ATT_SATSER:
        document.add_paragraph(clause, style=style)
    items = [
        p for p in read_document(save(document, tmp_path)).paragraphs() if p.kind == "list_item"
    ]
    assert [(p.marker, p.text) for p in items] == list(zip(markers, ATT_SATSER, strict=True))


def test_a_lettered_list_from_numbering_xml(tmp_path: Path) -> None:
    from pipeline.outputs.typeset.docx_writer import ListNumbering, number

    document = docx.Document()
    lists = ListNumbering(document)
    list_id = lists.new_list("a)")
    for clause in ATT_SATSER:
        number(document.add_paragraph(clause), list_id, 0)
    items = read_document(save(document, tmp_path)).paragraphs()
    assert [p.marker for p in items] == ["a)", "b)"]


def test_headings_tables_in_order_and_headers_apart(tmp_path: Path) -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Dnr KS 20/399"
    document.add_heading("Förslag till beslut", level=1)
    document.add_paragraph("Anse motionen besvarad.")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([["Ledamot", "Ja-röst"], ["Emanuel Forsell (M)", "X"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.add_paragraph("Beslutet skickas till kommunstyrelsen.")
    doc = read_document(save(document, tmp_path))
    assert [(p.kind, p.text) for p in doc.paragraphs()] == [
        ("heading", "Förslag till beslut"),
        ("text", "Anse motionen besvarad."),
        ("table", "Ledamot | Ja-röst\nEmanuel Forsell (M) | X"),
        ("text", "Beslutet skickas till kommunstyrelsen."),
    ]
    assert [p.text for p in doc.furniture] == ["Dnr KS 20/399"]


def test_tracked_changes_and_content_controls(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Kommunfullmäktige ")
    paragraph._p.append(
        parse_xml(
            f'<w:ins {nsdecls("w")} w:id="1" w:author="A"><w:r><w:t>avslår</w:t></w:r></w:ins>'
        )
    )
    paragraph._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="2" w:author="A"><w:r><w:delText>bifaller</w:delText></w:r></w:del>'
        )
    )
    paragraph.add_run(" motionen.")
    document.element.body.insert(
        len(document.element.body) - 1,
        parse_xml(
            f"<w:sdt {nsdecls('w')}><w:sdtContent><w:p><w:r><w:t>Handläggare: Elin Rapp</w:t></w:r></w:p>"
            "</w:sdtContent></w:sdt>"
        ),
    )
    doc = read_document(save(document, tmp_path))
    assert [p.text for p in doc.paragraphs()] == [
        "Kommunfullmäktige avslår motionen.",
        "Handläggare: Elin Rapp",
    ]
    assert [w.code for w in doc.warnings] == ["W102"]


def test_page_breaks_count_pages(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Första sidan.")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("Andra sidan.")
    doc = read_document(save(document, tmp_path))
    assert [(p.page, p.text) for p in doc.paragraphs()] == [
        (1, "Första sidan."),
        (2, "Andra sidan."),
    ]
    assert doc.source.pages == 2


def test_template_residue_in_word_is_dropped_with_a_warning(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Förslag till svar på motion om cykelbanor")
    document.add_paragraph("Klicka här för att skriva underrubrik")
    doc = analyze(save(document, tmp_path))
    assert [p.text for p in doc.paragraphs()] == ["Förslag till svar på motion om cykelbanor"]
    assert [w.code for w in doc.warnings] == ["W101"]


def test_a_broken_word_file_fails_with_e104(tmp_path: Path) -> None:
    path = tmp_path / "trasig.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("word/document.xml", "<w:document><inte xml")
    doc = analyze(path)
    assert (doc.status, [e.code for e in doc.errors]) == ("failed", ["E104"])


def test_a_truncated_word_file_is_not_taken_for_word(tmp_path: Path) -> None:
    good = save(docx.Document(), tmp_path, "hel.docx").read_bytes()
    path = tmp_path / "avklippt.docx"
    path.write_bytes(good[: len(good) // 2])
    doc = analyze(path)
    assert (doc.status, [e.code for e in doc.errors]) == ("failed", ["E103"])


@pytest.mark.parametrize("mark", ["-", "–", "•"])
def test_a_word_bullet_keeps_the_mark_it_shows(tmp_path, mark: str) -> None:
    from pipeline.outputs.typeset import typeset

    paper = tmp_path / "forslag.txt"
    paper.write_text(
        f"Förslag till beslut\n\n{mark} Informationen noteras.\n{mark} Ärendet avslutas.\n",
        encoding="utf-8",
    )
    word = typeset(analyze(paper), "docx", tmp_path / "forslag.docx")
    items = [p for p in read_document(word).paragraphs() if p.kind == "list_item"]
    assert [(p.marker, p.text) for p in items] == [
        (mark, "Informationen noteras."),
        (mark, "Ärendet avslutas."),
    ]
