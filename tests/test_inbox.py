"""The inbox without Prefect: complete files only, claimed, published, accounted for."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from pipeline.outputs.folders import ANALYSIS
from pipeline.outputs.render import DRAFT_FILES
from pipeline.service import batch, inbox
from pipeline.service.inbox import Inbox, Readiness, ignored
from pipeline.service.ledger import Ledger

MOTION = (
    "Motion om belysning på gång- och cykelvägen\n\n"
    "Gång- och cykelvägen mellan skolan och idrottshallen är mörk på vintern.\n\n"
    "Jag föreslår att kommunfullmäktige beslutar\n\n"
    "att belysning sätts upp längs hela gång- och cykelvägen.\n\n"
    "Lena Ek (C)\n"
)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def box(tmp_path: Path, clock: Clock) -> Inbox:
    return Inbox(tmp_path / "in", tmp_path / "out", settle=2.0, mode="poll", clock=clock)


def settle(box: Inbox, clock: Clock) -> list[str]:
    """Two passes `settle` seconds apart: what a stable file needs."""
    first = box.tick()
    clock.now += box.settle
    return first + box.tick()


@pytest.mark.parametrize(
    "name",
    [
        "~$tion.docx",
        ".~lock.motion.docx#",
        ".dold.txt",
        "~WRL0001.tmp",
        "motion.docx.tmp",
        "motion.pdf.part",
        "motion.pdf.crdownload",
        "motion.txt~",
        "Thumbs.db",
        "motion.docx.filepart",
    ],
)
def test_lock_files_and_temporary_names_are_ignored(name: str) -> None:
    assert ignored(name)


@pytest.mark.parametrize(
    "name", ["motion.docx", "Tjänsteskrivelse 2021-03-15.pdf", "protokoll_§12.txt", "tmp.txt"]
)
def test_ordinary_names_are_taken(name: str) -> None:
    assert not ignored(name)


def test_a_file_is_ready_when_unchanged_for_the_settle_time(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "motion.txt"
    path.write_text("början", encoding="utf-8")
    ready = Readiness(settle=2.0, clock=clock)
    assert not ready.ready(path)
    clock.now += 1.0
    assert not ready.ready(path)
    with path.open("a", encoding="utf-8") as handle:  # still being written
        handle.write(" och mer")
    clock.now += 1.5
    assert not ready.ready(path)
    clock.now += 1.9
    assert not ready.ready(path)
    clock.now += 0.1
    assert ready.ready(path)


def test_the_watcher_wakes_when_the_first_waiting_file_is_due(tmp_path: Path, clock: Clock) -> None:
    ready = Readiness(settle=1.0, clock=clock)
    assert ready.next_due() is None  # nothing waiting: sleep a whole poll interval
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(MOTION, encoding="utf-8")
        ready.settled(tmp_path / name)
        clock.now += 0.25
    assert ready.next_due() == pytest.approx(0.5)  # a.txt, seen 0.5 s ago
    ready.retain({"b.txt"})  # a.txt was removed before it settled
    assert ready.next_due() == pytest.approx(0.75)
    clock.now += 2.0
    assert ready.next_due() == 0.0


def test_a_file_renamed_into_the_inbox_is_ready_at_once(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "motion.txt"
    path.write_text(MOTION, encoding="utf-8")
    ready = Readiness(settle=60.0, clock=clock)
    ready.mark_moved("motion.txt")
    assert ready.ready(path)


def test_a_dropped_file_ends_in_its_outbox_folder(box: Inbox, clock: Clock) -> None:
    (box.inbox / "belysning.txt").write_text(MOTION, encoding="utf-8")
    (box.inbox / "~$lysning.docx").write_bytes(b"lock")
    assert settle(box, clock) == ["done"]
    folder = box.outbox / "belysning"
    # The analysis, the draft and tables for a motion, and the source moved in last.
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [ANALYSIS, *DRAFT_FILES, "belysning.txt"]
    )
    data = json.loads((folder / ANALYSIS).read_text(encoding="utf-8"))
    assert data["source"]["path"] == "belysning.txt"
    assert list(box.processing.iterdir()) == []
    assert [p.name for p in box.inbox.iterdir() if p.is_file()] == ["~$lysning.docx"]


def test_a_growing_file_is_not_taken(box: Inbox, clock: Clock) -> None:
    path = box.inbox / "belysning.txt"
    path.write_text(MOTION[:40], encoding="utf-8")
    assert box.tick() == []
    clock.now += 1.0
    with path.open("a", encoding="utf-8") as handle:
        handle.write(MOTION[40:])
    clock.now += 1.5
    assert box.tick() == []
    assert path.exists()
    clock.now += 2.0
    assert box.tick() == ["done"]


def test_same_content_under_another_name_is_recorded_as_a_duplicate(
    box: Inbox, clock: Clock
) -> None:
    (box.inbox / "belysning.txt").write_text(MOTION, encoding="utf-8")
    settle(box, clock)
    (box.inbox / "kopia.txt").write_text(MOTION, encoding="utf-8")
    assert settle(box, clock) == ["duplicate"]
    assert (box.outbox / "belysning" / inbox.DUPLICATES / "kopia.txt").exists()
    assert not (box.outbox / "kopia").exists()
    with Ledger(batch.ledger_path(box.outbox)) as ledger:
        assert [p for _, p, _ in ledger.sightings("duplicate")] == ["kopia.txt"]


def test_new_content_under_an_old_name_is_processed(box: Inbox, clock: Clock) -> None:
    (box.inbox / "belysning.txt").write_text(MOTION, encoding="utf-8")
    settle(box, clock)
    (box.inbox / "belysning.txt").write_text(MOTION + "\nKompletterad.\n", encoding="utf-8")
    assert settle(box, clock) == ["done"]
    assert (
        (box.outbox / "belysning-txt" / "belysning.txt")
        .read_text(encoding="utf-8")
        .endswith("Kompletterad.\n")
    )
    assert (box.outbox / "belysning" / "belysning.txt").read_text(encoding="utf-8") == MOTION


def test_an_unreadable_file_goes_to_failed_with_its_reason(box: Inbox, clock: Clock) -> None:
    (box.inbox / "trasig.pdf").write_bytes(b"inte en pdf")
    assert settle(box, clock) == ["failed"]
    assert (box.failed / "trasig.pdf").exists()
    reason = json.loads((box.failed / "trasig.pdf.reason.json").read_text(encoding="utf-8"))
    assert (reason["code"], reason["attempts"]) == ("E103", 1)
    assert "stämmer inte" in reason["message"]
    assert [p.name for p in box.outbox.iterdir() if not p.name.startswith(".")] == []


def test_a_file_that_keeps_crashing_is_quarantined(tmp_path: Path, clock: Clock) -> None:
    calls = []

    def crashing(*args, **kwargs):
        calls.append(args[0])
        return batch.process_file(*args, **kwargs, analyse=lambda p: 1 / 0)

    box = Inbox(tmp_path / "in", tmp_path / "out", settle=0, mode="poll", process=crashing)
    (box.inbox / "belysning.txt").write_text(MOTION, encoding="utf-8")
    assert box.tick() == [] and box.tick() == ["quarantined"]
    reason = json.loads((box.failed / "belysning.txt.reason.json").read_text(encoding="utf-8"))
    assert (reason["code"], reason["attempts"]) == ("E201", 3)
    assert "ZeroDivisionError" in reason["message"]
    # Dropped again, it is set aside at once: no poison loop.
    (box.inbox / "belysning.txt").write_text(MOTION, encoding="utf-8")
    assert box.tick() == [] and box.tick() == ["quarantined"]
    assert len(calls) == 1
    assert (box.failed / "belysning-2.txt.reason.json").exists()


def test_leftovers_in_processing_are_resumed_on_restart(tmp_path: Path) -> None:
    box = Inbox(tmp_path / "in", tmp_path / "out", mode="poll")
    (box.processing / "belysning.txt").write_text(MOTION, encoding="utf-8")
    assert box.recover() == ["done"]
    assert (box.outbox / "belysning" / "belysning.txt").exists()
    assert list(box.processing.iterdir()) == []


def test_a_restart_after_outputs_were_published_only_moves_the_source(tmp_path: Path) -> None:
    box = Inbox(tmp_path / "in", tmp_path / "out", mode="poll")
    (box.processing / "belysning.txt").write_text(MOTION, encoding="utf-8")
    box.recover()
    published = (box.outbox / "belysning" / ANALYSIS).stat().st_mtime_ns
    # Simulate a crash between publishing and moving the source.
    (box.outbox / "belysning" / "belysning.txt").rename(box.processing / "belysning.txt")
    assert box.recover() == ["done"]
    assert (box.outbox / "belysning" / ANALYSIS).stat().st_mtime_ns == published
    assert (box.outbox / "belysning" / "belysning.txt").exists()


def test_a_file_that_killed_the_process_is_set_aside_after_the_bound(tmp_path: Path) -> None:
    box = Inbox(tmp_path / "in", tmp_path / "out", mode="poll", max_attempts=2)
    path = box.processing / "belysning.txt"
    path.write_text(MOTION, encoding="utf-8")
    key = batch.content_key(batch.sha256_of(path), path.name)
    with Ledger(batch.ledger_path(box.outbox)) as ledger:  # two runs died mid-analysis
        ledger.begin(key, path.name)
        ledger.begin(key, path.name)
    assert box.recover() == ["quarantined"]
    reason = json.loads((box.failed / "belysning.txt.reason.json").read_text(encoding="utf-8"))
    assert (reason["code"], reason["attempts"]) == ("E201", 2)


def test_run_once_handles_everything_waiting(tmp_path: Path) -> None:
    box = Inbox(tmp_path / "in", tmp_path / "out", settle=0.05, poll_interval=0.02, mode="poll")
    for n in range(3):
        (box.inbox / f"motion-{n}.txt").write_text(f"{MOTION}\nNummer {n}.\n", encoding="utf-8")
    assert box.run(once=True) == 3
    assert sorted(p.name for p in box.outbox.iterdir() if not p.name.startswith(".")) == [
        "motion-0",
        "motion-1",
        "motion-2",
    ]


def test_inotify_takes_a_file_renamed_in_without_waiting(tmp_path: Path) -> None:
    """A rename into the inbox is a whole file (IN_MOVED_TO); one written in place waits
    for the settle time, however often it was closed."""
    folder = tmp_path / "in"
    folder.mkdir()
    events = inbox.open_events(folder)
    if events is None:
        pytest.skip("inotify is not available here")
    events.close()
    box = Inbox(folder, tmp_path / "out", settle=600, poll_interval=0.05, mode="auto")
    stop = threading.Event()
    watcher = threading.Thread(target=box.run, kwargs={"stop": stop.is_set})
    watcher.start()
    try:
        time.sleep(0.2)
        (folder / "skrivs.txt").write_text(MOTION + "\nSkrivs på plats.\n", encoding="utf-8")
        staged = tmp_path / "belysning.txt"
        staged.write_text(MOTION, encoding="utf-8")
        os.rename(staged, folder / "belysning.txt")
        deadline = time.monotonic() + 10
        while not (box.outbox / "belysning" / "belysning.txt").exists():
            assert time.monotonic() < deadline, "the renamed file was not taken"
            time.sleep(0.05)
        assert (folder / "skrivs.txt").exists()
    finally:
        stop.set()
        watcher.join(timeout=10)


SEED = Path(__file__).resolve().parents[1] / "sample_docs" / "001_fb57b98de66bfb1d.txt"


def test_the_inbox_assesses_against_the_styrmodell_given(tmp_path: Path) -> None:
    """Seed 001 is from Ånge, whose own profile would be "ange"."""
    box = Inbox(
        tmp_path / "in",
        tmp_path / "out",
        settle=0,
        mode="poll",
        settings=batch.Settings("generisk"),
    )
    (box.inbox / "svar.txt").write_bytes(SEED.read_bytes())
    assert box.tick() == [] and box.tick() == ["done"]
    data = json.loads((box.outbox / "svar" / ANALYSIS).read_text(encoding="utf-8"))
    assert data["styrmodell"] == "generisk"


def test_the_inbox_uses_the_municipalitys_own_templates(tmp_path: Path) -> None:
    templates = tmp_path / "mallar"
    templates.mkdir()
    (templates / "bedomning.html.j2").write_text(
        "<p>Egen mall: {{ title }}</p>\n", encoding="utf-8"
    )
    settings = batch.Settings(templates=str(templates))
    box = Inbox(tmp_path / "in", tmp_path / "out", settle=0, mode="poll", settings=settings)
    (box.inbox / "belysning.txt").write_text(MOTION, encoding="utf-8")
    assert box.tick() == [] and box.tick() == ["done"]
    html = (box.outbox / "belysning" / "bedomning.html").read_text(encoding="utf-8")
    assert html.startswith("<p>Egen mall: Motion om belysning")


def test_a_broken_template_sets_the_file_aside_with_its_analysis_published(
    tmp_path: Path,
) -> None:
    templates = tmp_path / "mallar"
    templates.mkdir()
    (templates / "utkast.docx").write_bytes(b"inte ett Word-dokument")
    settings = batch.Settings(templates=str(templates))
    box = Inbox(tmp_path / "in", tmp_path / "out", settle=0, mode="poll", settings=settings)
    (box.inbox / "belysning.txt").write_text(MOTION, encoding="utf-8")
    # Goals: tables but no utkast.docx, so the broken template is never used for it.
    (box.inbox / "mal.txt").write_bytes((SEED.parent / "003_d069f1a058843328.txt").read_bytes())
    assert box.tick() == [] and box.tick() == ["failed", "done"]
    reason = json.loads((box.failed / "belysning.txt.reason.json").read_text(encoding="utf-8"))
    assert (reason["code"], reason["attempts"]) == ("E203", 1)
    assert reason["message"].startswith("Utkasten kunde inte skapas: utkast.docx")
    data = json.loads((box.outbox / "belysning" / ANALYSIS).read_text(encoding="utf-8"))
    assert data["doc_type"] == "motion" and data["status"] == "ok"
    assert not (box.outbox / "belysning" / "utkast.docx").exists()
    assert list(box.processing.iterdir()) == []
    assert (box.outbox / "mal" / "mal.txt").exists()
    # Mended (here: removed, so the shipped one is used), the file dropped again is done.
    (templates / "utkast.docx").unlink()
    (box.inbox / "belysning.txt").write_text(MOTION, encoding="utf-8")
    assert box.tick() == [] and box.tick() == ["done"]
    assert (box.outbox / "belysning" / "utkast.docx").exists()
