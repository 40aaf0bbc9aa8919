"""The ledger: attempts counted before work starts, names reserved once, across processes."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from pipeline.service.ledger import Ledger, sha256_of


@pytest.fixture
def ledger(tmp_path: Path):
    with Ledger(tmp_path / "ledger.sqlite") as opened:
        yield opened


def test_unknown_content_has_no_entry(ledger: Ledger) -> None:
    assert ledger.get("0" * 64) is None


def test_attempts_are_counted_before_the_work(ledger: Ledger) -> None:
    assert ledger.begin("a" * 64, "motion.docx") == 1
    assert ledger.get("a" * 64).state == "pending"
    assert ledger.begin("a" * 64, "motion.docx") == 2
    ledger.finish("a" * 64, "done", ["motion"])
    entry = ledger.get("a" * 64)
    assert (entry.state, entry.attempts, entry.folders, entry.name) == (
        "done",
        2,
        ["motion"],
        "motion.docx",
    )


def test_a_failure_keeps_its_code_and_message(ledger: Ledger) -> None:
    ledger.begin("b" * 64, "skannad.pdf")
    ledger.finish("b" * 64, "failed", [], "E106", "PDF-filen saknar textlager")
    entry = ledger.get("b" * 64)
    assert (entry.state, entry.code, entry.message) == (
        "failed",
        "E106",
        "PDF-filen saknar textlager",
    )


def test_reserve_gives_each_content_its_own_name(ledger: Ledger) -> None:
    free = lambda name: False  # noqa: E731
    assert ledger.reserve("a" * 64, ["motion", "motion-pdf"], free) == "motion"
    assert ledger.reserve("b" * 64, ["motion", "motion-pdf"], free) == "motion-pdf"
    # The same content asking again gets the name it already has.
    assert ledger.reserve("a" * 64, ["motion", "motion-pdf"], free) == "motion"


def test_reserve_skips_names_taken_outside_the_ledger(ledger: Ledger) -> None:
    taken = {"motion"}
    assert ledger.reserve("a" * 64, ["motion", "motion-docx"], taken.__contains__) == (
        "motion-docx"
    )


def test_reserve_fails_loudly_when_every_name_is_taken(ledger: Ledger) -> None:
    ledger.reserve("a" * 64, ["motion"], lambda name: False)
    with pytest.raises(RuntimeError):
        ledger.reserve("b" * 64, ["motion"], lambda name: False)


def test_count_reads_progress_by_state(ledger: Ledger) -> None:
    keys = [c * 64 for c in "abcd"]
    for key in keys:
        ledger.begin(key, key[:3])
    ledger.finish(keys[0], "done")
    ledger.finish(keys[1], "failed", code="E107", message="tomt")
    assert ledger.count(keys) == 2
    assert ledger.count(keys, ("pending",)) == 2
    assert ledger.count(keys[2:]) == 0


def test_sightings_record_duplicates_in_order(ledger: Ledger) -> None:
    ledger.see("a" * 64, "motion.docx", "new")
    ledger.see("a" * 64, "kopia av motion.docx", "duplicate")
    assert ledger.sightings("duplicate") == [("a" * 64, "kopia av motion.docx", "duplicate")]
    assert len(ledger.sightings()) == 2


def test_sha256_of_a_file(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"abc")
    assert sha256_of(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def reserve_many(args: tuple[str, str]) -> list[str]:
    path, prefix = args
    with Ledger(Path(path)) as ledger:
        return [
            ledger.reserve(
                f"{prefix}{i:060d}",
                ["dokument", "dokument-txt"] + [f"dokument-{n}" for n in range(40)],
                lambda name: False,
            )
            for i in range(10)
        ]


def test_processes_sharing_a_ledger_never_get_the_same_name(tmp_path: Path) -> None:
    path = str(tmp_path / "ledger.sqlite")
    Ledger(Path(path)).close()
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        names = pool.map(reserve_many, [(path, "aaaa"), (path, "bbbb")])
    flat = [n for part in names for n in part]
    assert len(flat) == 20 and len(set(flat)) == 20


def test_release_takes_back_an_attempt_given_up_on_purpose(ledger: Ledger) -> None:
    """A service stopped mid-file: that try does not count towards quarantine."""
    ledger.begin("abc", "motion.txt")
    ledger.begin("abc", "motion.txt")
    ledger.release("abc")
    entry = ledger.get("abc")
    assert (entry.state, entry.attempts) == ("pending", 1)
