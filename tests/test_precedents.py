"""Precedents: the archive index a batch builds, the draft's Tidigare ärenden, `attsats sok`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import docx
import pytest
from conftest import SHARED
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.outputs.render import NO_PRECEDENTS, NOT_SEARCHED, build_context, precedent_row
from pipeline.service import batch, precedents
from pipeline.service.bundles import analyze_file
from pipeline.stages.run import analyze

KUNGSBACKA2 = SHARED / "corpus" / "kungsbacka2"
# A motion, the two officials' answers to it and the decision (README of the corpus).
CASE = ("e01", "e08", "e09", "e18")
needs_kungsbacka2 = pytest.mark.skipif(
    not KUNGSBACKA2.is_dir(), reason=f"corpus not found at {KUNGSBACKA2}"
)
LATER_MOTION = (
    "Motion om tolkavgift vid vårdbesök\n\n"
    "Kommunen betalar i dag tolk åt den som bott här länge. En tolkavgift har införts i andra "
    "kommuner. Kontaktperson 19121212-1212.\n\n"
    "Jag föreslår att kommunfullmäktige beslutar\n\n"
    "att kommunen inför en tolkavgift för den som bott i Sverige mer än sex år.\n\n"
    "Eva Lund (SD)\n"
)
PARKING = (
    "Motion om fler cykelparkeringar vid stationen\n\n"
    "Cyklarna står i rabatterna vid stationen.\n\n"
    "Jag föreslår att kommunfullmäktige beslutar\n\n"
    "att kommunen bygger fler cykelparkeringar vid stationen.\n\n"
    "Per Ek (C)\n"
)


def process(paths: list[Path], out: Path) -> list[batch.Result]:
    """Process the files in the given order, in this process (no worker), as a batch does."""
    plan = batch.plan(paths, out, out / ".attsats" / "scratch")
    by_origin = {Path(item.origin).stem: item for item in plan.todo}
    results = []
    for path in paths:
        item = by_origin[path.stem]
        results.append(
            batch.process_file(
                Path(item.path),
                item.origin,
                item.sha256,
                item.name,
                out,
                analyse=analyze_file,
            )
        )
    return results


def draft_section(folder: Path) -> list[str]:
    """The paragraphs under the draft's "Tidigare ärenden" heading."""
    paragraphs = [p.text for p in docx.Document(str(folder / "utkast.docx")).paragraphs]
    start = paragraphs.index("Tidigare ärenden") + 1
    end = paragraphs.index("Slutsats", start)
    return paragraphs[start:end]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The motion, its answers and the decision, then a later motion on the same subject."""
    if not KUNGSBACKA2.is_dir():
        pytest.skip(f"corpus not found at {KUNGSBACKA2}")
    out = tmp_path_factory.mktemp("arkiv")
    process([KUNGSBACKA2 / f"{name}.txt" for name in CASE], out)
    later = write(out.parent / "senare_19121212-1212.txt", LATER_MOTION)
    process([later], out)
    return out


@needs_kungsbacka2
def test_the_index_finds_the_answers_and_the_decision_on_the_motions_subject(
    archive: Path,
) -> None:
    motion = analyze(KUNGSBACKA2 / "e01.txt")
    found = precedents.for_document(archive, motion, "e01")
    assert {p["folder"] for p in found} == {"e08", "e09", "e18"}
    decision = next(p for p in found if p["folder"] == "e18")
    assert decision["doc_type"] == "protokoll"
    assert decision["outcome"]
    assert decision["dnr"] and decision["date"]


@needs_kungsbacka2
def test_a_later_drafts_tidigare_arenden_cites_the_case(archive: Path) -> None:
    folder = next(p for p in archive.iterdir() if p.name.startswith("senare"))
    section = draft_section(folder)
    assert len(section) == precedents.CITED
    cited = "\n".join(section)
    archive_db = sqlite3.connect(precedents.archive_path(archive))
    for name in ("e08", "e09", "e18"):  # decided papers first among the close ones
        (dnr,) = archive_db.execute("SELECT dnr FROM papers WHERE folder = ?", (name,)).fetchone()
        assert f"Dnr {dnr}" in cited
    assert all("): " in line for line in section)
    assert NO_PRECEDENTS not in cited


@needs_kungsbacka2
def test_the_first_paper_of_an_archive_has_no_precedents(archive: Path) -> None:
    assert draft_section(archive / "e01") == [NO_PRECEDENTS]


@needs_kungsbacka2
def test_sok_prints_the_answers_and_the_decision(archive: Path) -> None:
    result = CliRunner().invoke(
        app, ["sok", "tolkavgift", "--arkiv", str(archive), "--antal", "10"], terminal_width=200
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["Typ", "Dnr"]
    for name in ("e08", "e09", "e18"):
        assert f"  {name}  " in result.stdout


@needs_kungsbacka2
def test_no_personnummer_in_the_index(archive: Path) -> None:
    rows = sqlite3.connect(precedents.archive_path(archive)).execute("SELECT * FROM papers")
    stored = "\n".join(str(cell) for row in rows for cell in row)
    assert "1212-1212" not in stored
    assert "19121212-****" in stored


def test_kallelser_styrdokument_and_the_paper_itself_are_not_precedents(tmp_path: Path) -> None:
    motion = analyze(write(tmp_path / "cykel.txt", PARKING))
    precedents.add(tmp_path, "motion", motion)
    precedents.add(tmp_path, "kallelse", motion.model_copy(update={"doc_type": "kallelse"}))
    precedents.add(tmp_path, "policy", motion.model_copy(update={"doc_type": "styrdokument"}))
    path = precedents.archive_path(tmp_path)
    assert precedents.search(path, "cykelparkeringar vid stationen", exclude="motion") == []
    assert [p["folder"] for p in precedents.search(path, "cykelparkeringar")] == ["motion"]
    assert precedents.search(path, "laddstolpar") == []


def test_a_folder_is_indexed_once_however_often_it_is_published(tmp_path: Path) -> None:
    motion = analyze(write(tmp_path / "cykel.txt", PARKING))
    for _ in range(3):
        precedents.add(tmp_path, "motion", motion)
    found = precedents.search(precedents.archive_path(tmp_path), "cykelparkeringar")
    assert len(found) == 1


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ("Förskolans gårdar", "gårdar"),  # å stays å: "gardar" is another word
        ('"; DROP TABLE papers; --', None),  # operators and quotes are only words
        ("NEAR(a b) OR *", None),
    ],
)
def test_queries_are_words_not_syntax(tmp_path: Path, query: str, word: str | None) -> None:
    text = "Motion om förskolans gårdar\n\nJag föreslår\n\natt gårdarna rustas.\n"
    precedents.add(tmp_path, "gardar", analyze(write(tmp_path / "g.txt", text)))
    found = precedents.search(precedents.archive_path(tmp_path), query)
    assert bool(found) == (word is not None)


@pytest.mark.parametrize(
    ("found", "text"),
    [
        (
            {
                "doc_type": "motion",
                "title": "Motion om tolkavgift",
                "dnr": "KS 2024/123",
                "date": "2024-05-02",
                "outcome": "avslag",
            },
            "Motion om tolkavgift (Dnr KS 2024/123, 2024-05-02): avslag",
        ),
        (
            {
                "doc_type": "protokoll",
                "title": "Svar på motion om tolkavgift",
                "dnr": "",
                "date": "2024-10-22",
                "outcome": "delvis_bifall",
            },
            "Svar på motion om tolkavgift (Protokoll, 2024-10-22): delvis bifall",
        ),
        (
            {"doc_type": "motion", "title": "Motion om bad", "dnr": "", "date": "", "outcome": ""},
            "Motion om bad: inget beslut i handlingen",
        ),
    ],
)
def test_a_precedent_is_cited_with_dnr_date_and_outcome(found: dict, text: str) -> None:
    assert precedent_row(found)["text"] == text


@pytest.mark.parametrize(("given", "note"), [(None, NOT_SEARCHED), ([], NO_PRECEDENTS)])
def test_the_draft_says_whether_the_archive_was_searched(
    tmp_path: Path, given: list | None, note: str
) -> None:
    context = build_context(analyze(write(tmp_path / "c.txt", PARKING)), precedents=given)
    assert context["precedents"] == []
    assert context["precedents_note"] == note


def test_sok_indexes_a_folder_written_before_the_archive_existed(tmp_path: Path) -> None:
    source = write(tmp_path / "cykel.txt", PARKING)
    out = tmp_path / "ut"
    runner = CliRunner()
    assert runner.invoke(app, ["analyze", str(source), "--out", str(out)]).exit_code == 0
    assert not precedents.archive_path(out).exists()  # analyze --out keeps no archive
    assert draft_section(out / "cykel") == [NOT_SEARCHED]
    result = runner.invoke(app, ["sok", "cykelparkeringar", "--arkiv", str(out)])
    assert result.exit_code == 0, result.output
    assert "Arkivet byggdes av 1 analyserade dokument" in result.stderr
    assert "  cykel  " in result.stdout


def test_sok_without_an_archive_says_so_in_swedish(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["sok", "tolkavgift", "--arkiv", str(tmp_path)])
    assert result.exit_code == 2
    assert "Inget arkiv i" in result.stderr
    assert not precedents.archive_path(tmp_path).exists()


SUBJECTS = (
    "laddstolpar",
    "cykelbanor",
    "skolmaten",
    "badhuset",
    "gatubelysning",
    "bibliotek",
    "hemtjänsten",
    "fritidsgårdar",
    "kollektivtrafik",
    "vindkraft",
    "solceller",
    "lekplatser",
    "snöröjning",
    "äldreboenden",
    "förskolor",
    "idrottshallar",
    "parkering",
    "återvinning",
    "dagvatten",
    "vägbulor",
    "hundrastgårdar",
    "simskola",
    "konstgräs",
    "torghandel",
)


def short_motion(subject: str) -> str:
    return (
        f"Motion om {subject}\n\nKommunen behöver se över {subject} i hela kommunen.\n\n"
        f"Jag föreslår att kommunfullmäktige beslutar\n\natt kommunen utreder {subject}.\n\n"
        "Anna Berg (S)\n"
    )


def test_in_a_large_archive_the_genres_words_alone_find_nothing(tmp_path: Path) -> None:
    """Every motion shares "motion", "kommunen", "föreslår": only the subject may match."""
    for subject in SUBJECTS:
        doc = analyze(write(tmp_path / f"{subject}.txt", short_motion(subject)))
        precedents.add(tmp_path, subject, doc)
    new = analyze(write(tmp_path / "ny.txt", short_motion("trängselskatt")))
    assert precedents.for_document(tmp_path, new, "ny") == []
    text = short_motion("badhuset").replace("Motion om badhuset", "Motion om öppettider i badhuset")
    again = analyze(write(tmp_path / "igen.txt", text))
    assert [p["folder"] for p in precedents.for_document(tmp_path, again, "igen")] == ["badhuset"]


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        (
            "Svar på motion från Stefan Jägnert (SD) om införande av tolkavgift",
            "Svar på motion från (SD) om införande av tolkavgift",
        ),
        ("Motion om Kungsbacka kommuns badhus", "Motion om kommuns badhus"),
        ("att kommunen inför en tolkavgift", "att kommunen inför en tolkavgift"),
    ],
)
def test_a_subject_leaves_out_names(line: str, kept: str) -> None:
    assert precedents.without_names(line) == kept
