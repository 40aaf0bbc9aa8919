"""The precedent index's two backends answer the same queries alike: SQLite FTS5 (the
embedded default) and PostgreSQL full text with the `swedish` configuration (the
scale-out, chosen by ATTSATS_DATABASE_URL). PostgreSQL is started here with
scripts/postgres.sh (as the scale-out test does) and stopped here; without it the
PostgreSQL cases are skipped with the reason."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, SHARED
from test_precedents import LATER_MOTION, PARKING
from test_scale_out import free_port, missing_precondition
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.service import precedents
from pipeline.stages.run import analyze

KUNGSBACKA2 = SHARED / "corpus" / "kungsbacka2"
CASE = ("e01", "e08", "e09", "e18")  # a motion, two answers to it, the decision
MISSING = missing_precondition()


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    if MISSING is not None:
        pytest.skip(f"PostgreSQL: {MISSING}")
    work = Path(tempfile.mkdtemp(prefix="attsats-fts-"))
    work.chmod(0o755)  # the postgres user must reach its data folder inside
    script = str(ROOT / "scripts" / "postgres.sh")
    try:
        started = subprocess.run(
            ["bash", script, "start", str(work / "pg"), str(free_port())],
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        )
        # The script prints Prefect's SQLAlchemy URL; the archive takes it as it is.
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(["bash", script, "stop", str(work / "pg")], timeout=60, check=False)
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "postgresql":
        monkeypatch.setenv(precedents.DATABASE_URL, request.getfixturevalue("postgres_url"))
    else:
        monkeypatch.delenv(precedents.DATABASE_URL, raising=False)
    return request.param


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def rows(out: Path) -> list[tuple]:
    """Every stored cell of the archive of `out`, whichever backend holds it."""
    url = precedents.database_url()
    if url is None:
        import sqlite3

        return (
            sqlite3.connect(precedents.archive_path(out)).execute("SELECT * FROM papers").fetchall()
        )

    async def fetch() -> list[tuple]:
        import asyncpg

        conn = await asyncpg.connect(precedents._dsn(url))
        try:
            found = await conn.fetch(
                "SELECT archive, folder, name, doc_type, title, dnr, date, outcome, clauses,"
                " body FROM attsats_precedents WHERE archive = $1",
                str(out.resolve()),
            )
        finally:
            await conn.close()
        return [tuple(r) for r in found]

    return asyncio.run(fetch())


def test_the_backend_is_chosen_by_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(precedents.DATABASE_URL, raising=False)
    assert isinstance(precedents.open_archive(tmp_path), precedents.SqliteArchive)
    monkeypatch.setenv(precedents.DATABASE_URL, "postgresql+asyncpg://u@127.0.0.1:1/db")
    chosen = precedents.open_archive(tmp_path)
    assert isinstance(chosen, precedents.PostgresArchive)
    assert chosen.dsn == "postgresql://u@127.0.0.1:1/db"
    assert chosen.archive == str(tmp_path.resolve())


@pytest.mark.skipif(not KUNGSBACKA2.is_dir(), reason=f"corpus not found at {KUNGSBACKA2}")
def test_both_backends_find_the_motions_answers_and_decision(backend: str, tmp_path: Path) -> None:
    out = tmp_path / "ut"
    for name in CASE:
        precedents.add(out, name, analyze(KUNGSBACKA2 / f"{name}.txt"))
    motion = analyze(KUNGSBACKA2 / "e01.txt")
    assert {p["folder"] for p in precedents.for_document(out, motion, "e01")} == {
        "e08",
        "e09",
        "e18",
    }
    later = analyze(write(tmp_path / "senare.txt", LATER_MOTION))
    cited = precedents.for_document(out, later, "senare")
    assert len(cited) == precedents.CITED
    assert {p["folder"] for p in cited} <= set(CASE)
    assert all(p["outcome"] for p in cited)  # decided papers first among the close ones
    found = precedents.search(precedents.open_archive(out), "tolkavgift", 10)
    assert {"e08", "e09", "e18"} <= {p["folder"] for p in found}
    # Masked as they are stored: no personnummer reaches the index.
    precedents.add(out, "senare", later)
    stored = "\n".join(str(cell) for row in rows(out) for cell in row)
    assert "1212-1212" not in stored and "19121212-****" in stored
    # PostgreSQL holds the scale-out's archive: no SQLite file beside the ledger.
    assert precedents.archive_path(out).exists() == (backend == "sqlite")


def test_both_backends_leave_out_agendas_policies_and_the_paper_itself(
    backend: str, tmp_path: Path
) -> None:
    motion = analyze(write(tmp_path / "cykel.txt", PARKING))
    for _ in range(2):  # published twice, indexed once
        precedents.add(tmp_path, "motion", motion)
    precedents.add(tmp_path, "kallelse", motion.model_copy(update={"doc_type": "kallelse"}))
    precedents.add(tmp_path, "policy", motion.model_copy(update={"doc_type": "styrdokument"}))
    archive = precedents.open_archive(tmp_path)
    assert precedents.search(archive, "cykelparkeringar vid stationen", exclude="motion") == []
    assert [p["folder"] for p in precedents.search(archive, "cykelparkeringar")] == ["motion"]
    assert precedents.search(archive, "laddstolpar") == []
    result = CliRunner().invoke(app, ["sok", "cykelparkeringar", "--arkiv", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert [line.split()[-1] for line in result.stdout.splitlines()[1:]] == ["stationen"]


def test_an_archive_is_its_own_output_folder(backend: str, tmp_path: Path) -> None:
    """Two output folders in one database do not see each other's papers."""
    motion = analyze(write(tmp_path / "cykel.txt", PARKING))
    precedents.add(tmp_path / "a", "motion", motion)
    assert precedents.search(precedents.open_archive(tmp_path / "a"), "cykelparkeringar")
    assert not precedents.open_archive(tmp_path / "b").exists()


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Förskolans gårdar", True),
        ("gardar", False),  # å stays å: "gardar" is another word
        ('"; DROP TABLE papers; --', False),  # operators and quotes are only words
        ("NEAR(a b) OR *", False),
        ("gårdarna -förskolans", True),  # no websearch negation: "-" is not in a word
    ],
)
def test_both_backends_take_queries_as_words_not_syntax(
    backend: str, tmp_path: Path, query: str, found: bool
) -> None:
    text = "Motion om förskolans gårdar\n\nJag föreslår\n\natt gårdarna rustas.\n"
    precedents.add(tmp_path, "gardar", analyze(write(tmp_path / "g.txt", text)))
    assert bool(precedents.search(precedents.open_archive(tmp_path), query)) is found


def test_postgresql_meets_swedish_inflections(
    postgres_url: str, tmp_path: Path, monkeypatch
) -> None:
    """The `swedish` configuration stems: "gården" finds a paper that writes "gårdar"."""
    monkeypatch.setenv(precedents.DATABASE_URL, postgres_url)
    text = "Motion om förskolans gårdar\n\nJag föreslår\n\natt gårdarna rustas.\n"
    precedents.add(tmp_path, "gardar", analyze(write(tmp_path / "g.txt", text)))
    assert [
        p["folder"] for p in precedents.search(precedents.open_archive(tmp_path), "gården")
    ] == ["gardar"]


def test_postgresql_is_reached_from_inside_an_event_loop(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A flow may call the archive from a thread that runs an event loop: the query then
    runs on a thread of its own instead of failing."""
    monkeypatch.setenv(precedents.DATABASE_URL, postgres_url)
    motion = analyze(write(tmp_path / "cykel.txt", PARKING))

    async def inside() -> list[dict]:
        precedents.add(tmp_path, "motion", motion)
        return precedents.search(precedents.open_archive(tmp_path), "cykelparkeringar")

    assert [p["folder"] for p in asyncio.run(inside())] == ["motion"]
