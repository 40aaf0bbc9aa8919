"""Bundles: papers concatenated into one file come apart as the papers read alone, and a
protokoll of n §§ gives n matters that inherit what its head states once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

from extractors import read_document
from pipeline.cli.main import app
from pipeline.document import Document
from pipeline.outputs.typeset import typeset
from pipeline.service.bundles import analyze_file, index_range
from pipeline.stages.run import analyze, run_stages

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RENDER = SHARED / "tools" / "render.py"
CORPORA = [SHARED / "corpus" / "kungsbacka", SHARED / "corpus" / "kungsbacka2"]
# A meeting's worth of papers: motions, answers, protokoll extracts, a styrdokument and a
# kallelse, in the order a handlingar PDF might hold them.
PAPERS = [
    "d01", "d02", "d03", "d04", "d05", "d06", "d07", "d08", "d09",
    "d10", "d11", "d12", "e01", "e02", "e04", "e05", "e08",
]  # fmt: skip
needs_corpus = pytest.mark.skipif(
    not (RENDER.is_file() and all(c.is_dir() for c in CORPORA)),
    reason="needs ../shared/corpus and ../shared/tools/render.py",
)


def corpus_text(paper: str) -> Path:
    return next(c / f"{paper}.txt" for c in CORPORA if (c / f"{paper}.txt").is_file())


def what_was_read(doc: Document) -> tuple:
    decision = doc.decision
    return (
        doc.doc_type,
        [d.raw for d in doc.diarienummer],
        [a.text for a in doc.att_satser],
        decision and (decision.outcome, decision.text),
    )


def concatenated(pdfs: list[Path], target: Path) -> Path:
    bundle = pdfium.PdfDocument.new()
    for pdf in pdfs:
        bundle.import_pages(pdfium.PdfDocument(str(pdf)))
    bundle.save(str(target))
    return target


# Fewer for the slower independent typesetter: the papers whose boundaries are hardest (a
# scanned motion with no title line, two §§ of one protokoll, a styrdokument numbered by
# its source, a kallelse with tables).
HARD = ["d01", "d02", "d07", "d08", "d11", "d12", "e01", "e05"]


@needs_corpus
@pytest.mark.parametrize(("typesetter", "papers"), [("attsats", PAPERS), ("render.py", HARD)])
def test_papers_in_one_pdf_come_apart_as_read_alone(
    tmp_path: Path, typesetter: str, papers: list[str]
) -> None:
    pdfs = []
    for paper in papers:
        if typesetter == "render.py":
            subprocess.run(
                [sys.executable, str(RENDER), str(corpus_text(paper)), str(tmp_path)],
                check=True,
                capture_output=True,
            )
            pdfs.append(tmp_path / f"{paper}.pdf")
        else:
            paper_read = run_stages(read_document(corpus_text(paper)))
            pdfs.append(typeset(paper_read, "pdf", tmp_path / f"{paper}.pdf"))
    pages = [len(pdfium.PdfDocument(str(p))) for p in pdfs]
    parts = analyze_file(concatenated(pdfs, tmp_path / "handlingar.pdf"))
    assert [(d.source.bundle.first_page, d.source.bundle.last_page) for d in parts] == [
        (sum(pages[:k]) + 1, sum(pages[: k + 1])) for k in range(len(pages))
    ]
    alone = [run_stages(read_document(p)) for p in pdfs]  # the assessment is not compared
    assert [what_was_read(d) for d in parts] == [what_was_read(d) for d in alone]


def protokoll(paragraphs: list[int], index: str, prefix: str = "") -> str:
    """A protokoll: a head with its index of §§, then one § per page, each with its Dnr,
    title and beslut, headers and a justering box on every page."""
    pages = len(paragraphs) + 1
    head = [
        "Kommunfullmäktige",
        "Sammanträdesdatum 2021-03-15",
        "",
        "Plats och tid",
        "Stadshuset, sessionssalen, kl. 18.00–20.30",
        "",
        "Justerare",
        "Per Holm (M)",
        "",
        "Justeringens plats och tid",
        "Kommunkansliet 2021-03-19",
        "",
        index,
    ]
    decisions = [
        "Kommunfullmäktige beslutar att bifalla motionen.",
        "Kommunfullmäktige beslutar att avslå medborgarförslaget.",
        "Kommunfullmäktige beslutar att anse motionen besvarad.",
    ]
    body = [head]
    for k, number in enumerate(paragraphs):
        body.append(
            [
                "Kommunfullmäktige",
                "Sammanträdesdatum 2021-03-15",
                "",
                f"{prefix}§ {number} Dnr KS 2020/{400 + number}",
                f"Motion om en ny simhall i kommundel {k + 1}",
                "",
                "Beslut",
                decisions[k % len(decisions)],
                "",
                "Beslutsunderlag",
                *[f"Tjänsteskrivelse 2021-02-{j + 1:02d}" for j in range(k + 1)],
                "",
                "Beslutet skickas till",
                "Kommunstyrelsen",
            ]
        )
    return "\n".join(
        f"<!-- sida {n} -->\nSAMMANTRÄDESPROTOKOLL Sida {n} ({pages})\n"
        + "\n".join(lines)
        + "\n\nJusterandes sign Utdragsbestyrkande\n"
        for n, lines in enumerate(body, start=1)
    )


@pytest.mark.parametrize("fmt", ["txt", "pdf"])
@pytest.mark.parametrize(("n", "prefix"), [(2, ""), (3, "KF "), (5, "")])
def test_a_protokoll_of_n_paragraphs_gives_n_matters(
    tmp_path: Path, fmt: str, n: int, prefix: str
) -> None:
    numbers = list(range(12, 12 + n))
    path = tmp_path / "protokoll.txt"
    path.write_text(protokoll(numbers, f"Paragrafer {numbers[0]}–{numbers[-1]}", prefix), "utf-8")
    if fmt == "pdf":
        path = typeset(analyze(path), "pdf", tmp_path / "protokoll.pdf")
    parts = analyze_file(path)
    assert len(parts) == n
    assert [d.diarienummer[0].raw for d in parts] == [f"KS 2020/{400 + k}" for k in numbers]
    assert [d.decision.outcome for d in parts] == [
        ["bifall", "avslag", "besvarad"][k % 3] for k in range(n)
    ]
    for doc in parts:
        assert doc.doc_type == "protokoll" and doc.organ == "Kommunfullmäktige"
        assert {"2021-03-15", "2021-03-19"} <= {str(d.date) for d in doc.dates}
        assert "W110" not in [w.code for w in doc.warnings]


def test_a_matter_missing_from_the_index_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "protokoll.txt"
    path.write_text(protokoll([12, 13, 15], "Paragrafer 12–15"), "utf-8")
    parts = analyze_file(path)
    assert len(parts) == 3
    [warning] = [w for w in parts[0].warnings if w.code == "W110"]
    assert "saknas § 14" in warning.message


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("Paragrafer 190–193", [190, 191, 192, 193]),
        ("§§ 12-13", [12, 13]),
        ("Enligt kommunallagen 5 kap. 35 §", []),
    ],
)
def test_an_index_range_is_read(text: str, numbers: list[int]) -> None:
    assert index_range(text) == numbers


def test_analyze_splits_a_bundle_like_batch(tmp_path: Path) -> None:
    path = tmp_path / "protokoll.txt"
    path.write_text(protokoll([12, 13, 14], "Paragrafer 12–14"), "utf-8")
    result = CliRunner().invoke(app, ["analyze", str(path), "--json"])
    assert result.exit_code == 0, result.output
    docs = json.loads(result.stdout)
    assert [d["source"]["bundle"]["part"] for d in docs] == [1, 2, 3]
    assert [d["diarienummer"][0]["raw"] for d in docs] == [
        d.diarienummer[0].raw for d in analyze_file(path)
    ]
    out = tmp_path / "ut"
    assert CliRunner().invoke(app, ["analyze", str(path), "--out", str(out)]).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [f"protokoll-del-0{n}" for n in (1, 2, 3)]


def skrivelse(dnr: str, day: str, page_two_dnr: str | None = None) -> str:
    """A two-page answer to a remiss, opening with a Dnr/date block and no title line."""
    roads = [f"väg {n}{dnr[-2:]}" for n in range(1, 9)]
    points = [f"Cykelvägen längs {road} behöver breddas." for road in roads]
    first = (
        f"Datum {day}\nDiarienummer {dnr}\n\nSvar på remiss om en regional cykelplan\n\n"
        + "\n\n".join(points[:4])
    )
    head = f"Datum {day}\nDiarienummer {page_two_dnr}\n\n" if page_two_dnr else ""
    return f"{first}\n\f{head}" + "\n\n".join(points[4:]) + "\n"


@pytest.mark.parametrize(
    ("second", "parts"),
    [
        (skrivelse("KS 2024/40", "2024-06-01"), 2),  # another case: another paper
        (None, 1),  # its own second page repeats its Dnr: the same paper
    ],
)
def test_a_dnr_and_date_block_naming_another_case_starts_a_paper(
    tmp_path: Path, second: str | None, parts: int
) -> None:
    path = tmp_path / "handlingar.txt"
    first = skrivelse("KS 2024/12", "2024-05-07", page_two_dnr="KS 2024/12")
    path.write_text(first + ("\f" + second if second else ""), "utf-8")
    docs = analyze_file(path)
    assert len(docs) == parts
    assert [d.diarienummer[0].raw for d in docs] == ["KS 2024/12", "KS 2024/40"][:parts]
