"""The text and Markdown backend, and the dispatcher's handling of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import read_document
from pipeline.stages.run import analyze


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def test_page_markers_give_printed_page_numbers(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "motion.txt",
        "<!-- sida 655 -->\n\nMotion om ett pensionärsråd\n\n"
        "Vi föreslår att kommunfullmäktige beslutar:\n\n"
        "<!-- sida 656 -->\n\n1\\. Att inrätta ett kommunalt pensionärsråd.\n",
    )
    doc = read_document(path)
    assert [(p.page, p.text) for p in doc.paragraphs()] == [
        (655, "Motion om ett pensionärsråd"),
        (655, "Vi föreslår att kommunfullmäktige beslutar:"),
        (656, "Att inrätta ett kommunalt pensionärsråd."),
    ]
    assert doc.paragraphs()[2].marker == "1."
    assert doc.source.pages == 2


def test_form_feeds_break_pages(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "a.txt", "Första sidan.\fAndra sidan.\f\fFjärde sidan."))
    assert [p.page for p in doc.paragraphs()] == [1, 2, 4]


def test_markdown_tables_and_escapes(tmp_path: Path) -> None:
    doc = read_document(
        write(
            tmp_path,
            "protokoll.md",
            "# Omröstning\n\n| Ledamot | Ja-röst | Nej-röst |\n| --- | --- | --- |\n"
            "| Emanuel Forsell (M) | X |  |\n| Magdalena Sundqvist (S) |  | X |\n\n"
            "\\- Kungsbacka har välkomnande och trygga miljöer.\n",
        )
    )
    heading, table, item = doc.paragraphs()
    assert (heading.kind, heading.level, heading.text) == ("heading", 1, "Omröstning")
    assert table.kind == "table"
    assert table.rows == [
        ["Ledamot", "Ja-röst", "Nej-röst"],
        ["Emanuel Forsell (M)", "X", ""],
        ["Magdalena Sundqvist (S)", "", "X"],
    ]
    assert (item.kind, item.marker, item.text) == (
        "list_item",
        "-",
        "Kungsbacka har välkomnande och trygga miljöer.",
    )


def test_running_headers_between_page_markers_become_furniture(tmp_path: Path) -> None:
    sentences = [
        "Alla grupper i samhället måste få möjlighet att göra sin röst hörd.",
        "Äldre är ingen homogen grupp utan består av individer.",
        "Idag saknar vår kommun ett sådant forum.",
    ]
    body = "\n\n".join(
        f"<!-- sida {n} -->\n\nKungsbackaborna\n\n{sentence}\n\n{n}"
        for n, sentence in enumerate(sentences, start=1)
    )
    doc = analyze(write(tmp_path, "motion.txt", body))
    assert [p.text for p in doc.furniture] == [
        "Kungsbackaborna",
        "1",
        "Kungsbackaborna",
        "2",
        "Kungsbackaborna",
        "3",
    ]
    assert [p.text for p in doc.paragraphs()] == sentences


def test_a_paragraph_cut_by_a_page_break_is_rejoined(tmp_path: Path) -> None:
    doc = analyze(
        write(
            tmp_path,
            "motion.txt",
            "<!-- sida 1 -->\n\nIdag saknar vår kommun ett sådant forum, vilket begränsar möjligheten för äldre att\n\n"
            "<!-- sida 2 -->\n\nframföra synpunkter och förslag.\n",
        )
    )
    [paragraph] = doc.paragraphs()
    assert paragraph.text.endswith("möjligheten för äldre att framföra synpunkter och förslag.")
    assert paragraph.page == 1


def test_windows_1252_is_read_with_a_warning(tmp_path: Path) -> None:
    doc = read_document(
        write(
            tmp_path,
            "gammal.txt",
            "Förslag till beslut\n\nAnse motionen besvarad.".encode("cp1252"),
        )
    )
    assert doc.paragraphs()[0].text == "Förslag till beslut"
    assert [w.code for w in doc.warnings] == ["W104"]
    assert doc.status == "ok"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("bild.png", b"\x89PNG\r\n\x1a\n", "E102"),
        ("utan_andelse", b"Motion om cykelbanor", "E102"),
        ("motion.pdf", b"Motion om cykelbanor", "E103"),
        ("motion.docx", b"%PDF-1.7\n", "E103"),
        ("motion.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "E103"),
        ("motion.txt", b"PK\x03\x04 zip-innehall", "E103"),
        ("motion.txt", b"\x00\x01\x02binary", "E103"),
        ("tom.txt", b"\n\n  \n", "E107"),
        ("bara_mallrester.txt", "Klicka här för att skriva text.\n\n[Skriv här]".encode(), "E107"),
        ("trasig.docx", b"PK\x03\x04" + b"\x00" * 40, "E103"),
    ],
)
def test_bad_input_fails_with_a_code_and_never_raises(
    tmp_path: Path, name: str, content: bytes, code: str
) -> None:
    doc = analyze(write(tmp_path, name, content))
    assert doc.status == "failed"
    assert [e.code for e in doc.errors] == [code]
    assert doc.errors[0].message


def test_a_missing_file_fails_with_a_code(tmp_path: Path) -> None:
    doc = analyze(tmp_path / "finns_inte.txt")
    assert (doc.status, [e.code for e in doc.errors]) == ("failed", ["E101"])
