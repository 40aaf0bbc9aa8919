"""The inbox's promises (issue 14): it never loses a paper and never processes one twice.

Numbered as in the issue: 1 slow and reopening writers, 2 `cp -p`, 3 kill -9 mid-batch,
4 kill -9 while writing outputs, 5 a crash between committing outputs and moving the
source, 6 duplicates, 7 poison documents, 9 hung and exploding parsers, 10 hostile names
and archives, 13 SIGTERM (the Prefect parts of 12 and 13 are in test_flows.py).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
import unicodedata
import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from conftest import ROOT

from pipeline.document import Document, Source
from pipeline.outputs.folders import ANALYSIS
from pipeline.service import batch, inbox, worker
from pipeline.service.inbox import Inbox
from pipeline.service.ledger import Ledger

TESTS = Path(__file__).resolve().parent
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(TESTS)])}

MOTION = (
    "Motion om belysning på gång- och cykelvägen\n\n"
    "Gång- och cykelvägen mellan skolan och idrottshallen är mörk på vintern.\n\n"
    "Jag föreslår att kommunfullmäktige beslutar\n\n"
    "att belysning sätts upp längs hela gång- och cykelvägen.\n\n"
    "Lena Ek (C)\n"
)


def paper(n: int) -> str:
    """A short paper of its own content (no att-satser: quick to read, no drafts)."""
    return (
        f"Information om vinterväghållningen, del {n}\n\n"
        f"Tekniska nämnden informeras om plogningen av {n} kilometer gång- och cykelväg.\n"
    )


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def children(pid: int) -> list[int]:
    """Every living descendant of a process (from /proc), its own session or not."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents[int(entry)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        kids = [p for p, pp in parents.items() if pp == parent]
        found += kids
        frontier += kids
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_until(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def visible_files(out: Path) -> list[Path]:
    """What a reader of the outbox sees: no hidden names, not the service's own state."""
    return [
        p
        for p in out.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)
    ]


def whole_bytes(path: Path, profile: object = None, seen: list | None = None) -> list[Document]:
    """A reader for the intake tests: records the bytes it was given (a 20 MB text is not
    worth analysing to learn whether it was taken whole)."""
    data = path.read_bytes()
    if seen is not None:
        seen.append(sha(data))
    return [Document(source=Source(path=str(path), sha256=sha(data), format="txt", size=len(data)))]


def take(box: Inbox) -> list[str]:
    """Two passes: a file is settled when a second look finds it unchanged."""
    first = box.tick()
    return first + box.tick()


@pytest.fixture
def box(tmp_path: Path) -> Iterator[Inbox]:
    yield Inbox(tmp_path / "in", tmp_path / "out", settle=0, poll_interval=0.02, mode="poll")


# 1. Slow writers ------------------------------------------------------------------------


def watch_in_thread(box: Inbox) -> tuple[threading.Event, threading.Thread]:
    stop = threading.Event()
    thread = threading.Thread(target=box.run, kwargs={"stop": stop.is_set}, daemon=True)
    thread.start()
    return stop, thread


CHUNK = 64 * 1024
TWENTY_MB = 20 * 1024**2


def write_slowly(path: Path, pause: float, every: int) -> bytes:
    """20 MB in 64 KB chunks, pausing `pause` s every `every` chunks, in one open."""
    block = ("Rad i ett långt protokoll som skrivs långsamt.\n" * 1400).encode()[:CHUNK]
    written = io.BytesIO()
    with path.open("wb") as handle:
        for n in range(TWENTY_MB // CHUNK):
            chunk = block[:-8] + f"{n:07d}\n".encode()
            handle.write(chunk)
            handle.flush()
            written.write(chunk)
            if n % every == every - 1:
                time.sleep(pause)
    return written.getvalue()


def reopening_writer(path: Path, pause: float, times: int) -> bytes:
    """Closes the file and reopens it to append, as scanners and some copy tools do."""
    written = b""
    for n in range(times):
        part = f"Del {n} av en skanning som skrivs i omgångar.\n".encode() * 2000
        with path.open("ab") as handle:
            handle.write(part)
        written += part
        time.sleep(pause)
    return written


@pytest.mark.parametrize("mode", ["auto", "poll"])
def test_1_a_slow_writer_and_a_reopening_writer_are_each_taken_once_whole(
    tmp_path: Path, mode: str
) -> None:
    seen: list[str] = []
    reader = partial(whole_bytes, seen=seen)
    box = Inbox(
        tmp_path / "in",
        tmp_path / "out",
        settle=1.0,
        poll_interval=0.05,
        mode=mode,
        process=partial(batch.process_file, analyse=reader),
    )
    stop, thread = watch_in_thread(box)
    try:
        slow = write_slowly(box.inbox / "lang.txt", pause=0.4, every=40)
        chunks = reopening_writer(box.inbox / "skanning.txt", pause=0.5, times=5)
        wait_until(
            lambda: (
                (box.outbox / "skanning" / "skanning.txt").exists()
                and (box.outbox / "lang" / "lang.txt").exists()
            ),
            30,
            "the files were not taken",
        )
    finally:
        stop.set()
        thread.join(10)
    assert sorted(seen) == sorted([sha(slow), sha(chunks)])  # once each, whole
    assert (box.outbox / "lang" / "lang.txt").read_bytes() == slow
    assert list(box.processing.iterdir()) == [] and list(box.failed.iterdir()) == []


def test_1_a_file_held_open_for_writing_is_not_taken_however_long_it_rests(
    tmp_path: Path,
) -> None:
    """The writer pauses longer than the settle time with the file open: still not taken."""
    seen: list[str] = []
    box = Inbox(
        tmp_path / "in",
        tmp_path / "out",
        settle=0.2,
        poll_interval=0.05,
        mode="poll",
        process=partial(batch.process_file, analyse=partial(whole_bytes, seen=seen)),
    )
    stop, thread = watch_in_thread(box)
    try:
        with (box.inbox / "skanning.txt").open("wb") as handle:
            handle.write(b"Sida 1 av 2\n" * 1000)
            handle.flush()
            time.sleep(1.0)  # five settle times, the file still open
            assert seen == []
            handle.write(b"Sida 2 av 2\n" * 1000)
        wait_until(lambda: seen, 10, "the closed file was not taken")
    finally:
        stop.set()
        thread.join(10)
    assert seen == [sha(b"Sida 1 av 2\n" * 1000 + b"Sida 2 av 2\n" * 1000)]


# 2. cp -p ------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["auto", "poll"])
def test_2_a_file_copied_with_its_old_mtime_is_taken(tmp_path: Path, mode: str) -> None:
    original = tmp_path / "belysning.txt"
    original.write_text(MOTION, encoding="utf-8")
    os.utime(original, (978307200, 978307200))  # 2001-01-01
    box = Inbox(tmp_path / "in", tmp_path / "out", settle=0.3, poll_interval=0.05, mode=mode)
    stop, thread = watch_in_thread(box)
    try:
        subprocess.run(["cp", "-p", str(original), str(box.inbox)], check=True)
        assert (box.inbox / "belysning.txt").stat().st_mtime == 978307200
        wait_until(
            lambda: (box.outbox / "belysning" / "belysning.txt").exists(),
            20,
            "a file with an old mtime was not taken",
        )
    finally:
        stop.set()
        thread.join(10)


# 3. kill -9 in the middle of a batch ---------------------------------------------------

SERVICE = """
import sys
from pathlib import Path
from pipeline.service.inbox import Inbox
Inbox(Path(sys.argv[1]), Path(sys.argv[2]), settle=0, poll_interval=0.02, mode="poll").run(once=True)
"""


def fill_inbox(folder: Path, count: int) -> dict[str, bytes]:
    """`count` papers, every tenth empty (fails with E114), one duplicate pair."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {}
    for n in range(count):
        data = b"" if n % 10 == 9 else paper(n).encode("utf-8")
        files[f"papper-{n:04d}.txt"] = data
    files["kopia-av-papper-0000.txt"] = files["papper-0000.txt"]
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def account(inbox_dir: Path, out: Path, files: dict[str, bytes]) -> None:
    """Every file in exactly one place, outbox or failed; no content analysed twice."""
    failed = inbox_dir / "failed"
    for name, data in files.items():
        places = [
            *out.glob(f"*/{name}"),
            *out.glob(f"*/dubbletter/{name}"),
            *failed.glob(name),
        ]
        assert len(places) == 1, (name, places)
        assert places[0].read_bytes() == data
        if places[0].parent == failed:
            reason = json.loads((failed / f"{name}.reason.json").read_text(encoding="utf-8"))
            assert reason["code"] == "E114" and data == b""
    assert list((inbox_dir / "processing").iterdir()) == []
    analysed = [
        json.loads(p.read_text(encoding="utf-8"))["source"]["sha256"]
        for p in out.glob(f"*/{ANALYSIS}")
    ]
    assert len(analysed) == len(set(analysed))
    assert set(analysed) == {sha(d) for d in files.values() if d}


def run_service(inbox_dir: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", SERVICE, str(inbox_dir), str(out)], env=ENV, cwd=ROOT
    )


def kill_mid_batch_and_resume(tmp_path: Path, count: int) -> None:
    inbox_dir, out = tmp_path / "in", tmp_path / "out"
    files = fill_inbox(inbox_dir, count)
    service = run_service(inbox_dir, out)
    try:
        wait_until(
            lambda: (
                len(list(out.glob(f"*/{ANALYSIS}"))) >= count // 4 or service.poll() is not None
            ),
            120,
            "the service did not get going",
        )
        assert service.poll() is None, "the batch finished before it could be killed"
        workers = children(service.pid)
        service.send_signal(signal.SIGKILL)
        service.wait()
    finally:
        if service.poll() is None:
            service.kill()
    wait_until(lambda: not any(alive(p) for p in workers), 5, "a worker outlived the service")
    assert len(list(out.glob(f"*/{ANALYSIS}"))) < count  # it was killed mid-batch
    restarted = run_service(inbox_dir, out)
    assert restarted.wait(timeout=300) == 0
    account(inbox_dir, out, files)


def test_3_kill_9_mid_batch_then_restart_accounts_for_every_file(tmp_path: Path) -> None:
    kill_mid_batch_and_resume(tmp_path, 40)


@pytest.mark.slow
def test_3_kill_9_mid_batch_of_500_then_restart_accounts_for_every_file(tmp_path: Path) -> None:
    kill_mid_batch_and_resume(tmp_path, 500)


# 4. kill -9 while writing outputs ------------------------------------------------------

WRITER = """
import sys, uuid
from pathlib import Path
from pipeline.document import Document
from pipeline.outputs.files import publish
from pipeline.outputs.folders import write_outputs
doc = Document.model_validate_json(Path(sys.argv[1]).read_bytes())
out = Path(sys.argv[2])
scratch = out / ".attsats" / "tmp"
scratch.mkdir(parents=True, exist_ok=True)
print("klar", flush=True)
n = 0
while True:
    staging = scratch / uuid.uuid4().hex
    write_outputs(doc, staging)
    publish(staging, out / f"belysning-{n % 2}")
    n += 1
"""


def check_outputs(out: Path) -> int:
    """Every visible file opens as what it is; returns how many there were."""
    from docx import Document as Docx
    from openpyxl import load_workbook

    files = visible_files(out)
    for path in files:
        if path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".csv":
            rows = list(
                csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";")
            )
            assert len(rows) >= 2
        elif path.suffix == ".docx":
            assert Docx(str(path)).paragraphs
        elif path.suffix == ".xlsx":
            assert load_workbook(path).sheetnames
        elif path.suffix == ".html":
            assert path.read_text(encoding="utf-8").rstrip().endswith("</html>")
    return len(files)


def test_4_kill_9_while_writing_outputs_leaves_no_partial_file(tmp_path: Path) -> None:
    source = tmp_path / "belysning.txt"
    source.write_text(MOTION, encoding="utf-8")
    analysed = tmp_path / "belysning.json"
    analysed.write_text(
        worker.shared.run(worker.Limits(), source, None, worker.DEFAULT_TARGET)[
            0
        ].model_dump_json(),
        encoding="utf-8",
    )
    source = analysed
    out = tmp_path / "out"
    seen = 0
    for delay in (0.05, 0.13, 0.21, 0.34, 0.55, 0.89):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(source), str(out)],
            env=ENV,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert writer.stdout.readline().strip() == "klar"
            time.sleep(delay)
        finally:
            writer.send_signal(signal.SIGKILL)
            writer.wait()
        seen += check_outputs(out)
    assert seen > 0


# 5. A crash between committing the outputs and moving the source -----------------------

CRASH = """
import os, sys
from pathlib import Path
from pipeline.service import {module}
from pipeline.service.inbox import Inbox
real = {module}.{function}
def crash(*args, **kwargs):
    if {after}:
        real(*args, **kwargs)
    os._exit(9)
{module}.{function} = crash
box = Inbox(Path(sys.argv[1]), Path(sys.argv[2]), settle=0, mode="poll")
box.run(once=True)
"""


@pytest.mark.parametrize(
    "module, function, after",
    [("batch", "publish", True), ("inbox", "move_file", False)],
    ids=["after-publishing-before-the-ledger", "after-the-ledger-before-the-source-moved"],
)
def test_5_a_crash_after_the_outputs_are_committed_gives_no_second_draft(
    tmp_path: Path, module: str, function: str, after: bool
) -> None:
    inbox_dir, out = tmp_path / "in", tmp_path / "out"
    inbox_dir.mkdir()
    (inbox_dir / "belysning.txt").write_text(MOTION, encoding="utf-8")
    program = CRASH.format(module=module, function=function, after=after)
    crashed = subprocess.run(
        [sys.executable, "-c", program, str(inbox_dir), str(out)], env=ENV, cwd=ROOT
    )
    assert crashed.returncode == 9
    draft = out / "belysning" / "utkast.docx"
    made = draft.stat().st_mtime_ns
    assert (inbox_dir / "processing" / "belysning.txt").exists()
    restarted = run_service(inbox_dir, out)
    assert restarted.wait(timeout=120) == 0
    assert draft.stat().st_mtime_ns == made  # not analysed and drafted again
    assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == ["belysning"]
    assert (out / "belysning" / "belysning.txt").read_text(encoding="utf-8") == MOTION
    assert list((inbox_dir / "processing").iterdir()) == []
    with Ledger(batch.ledger_path(out)) as ledger:
        [entry] = ledger.entries()
    assert (entry.state, entry.attempts, entry.folders) == ("done", 1, ["belysning"])


# 6. Duplicates and new content under an old name ---------------------------------------


def test_6_same_content_twice_is_processed_once_and_new_content_overwrites_nothing(
    box: Inbox,
) -> None:
    lines: list[str] = []
    box.echo = lines.append
    (box.inbox / "belysning.txt").write_text(MOTION, encoding="utf-8")
    (box.inbox / "kopia.txt").write_text(MOTION, encoding="utf-8")
    assert take(box) == ["done", "duplicate"]
    (box.inbox / "belysning.txt").write_text(MOTION + "\nKompletterad.\n", encoding="utf-8")
    assert take(box) == ["done"]
    assert (box.outbox / "belysning" / "belysning.txt").read_text(encoding="utf-8") == MOTION
    assert (box.outbox / "belysning" / "dubbletter" / "kopia.txt").exists()
    assert (
        (box.outbox / "belysning-txt" / "belysning.txt")
        .read_text(encoding="utf-8")
        .endswith("Kompletterad.\n")
    )
    assert len(list(box.outbox.glob(f"*/{ANALYSIS}"))) == 2
    assert lines[1] == (
        "kopia.txt: W202 Samma innehåll som belysning.txt; analyserades inte igen (dubblett)."
        " → out/belysning/dubbletter/kopia.txt"
    )


def test_an_inbox_with_two_workers_reads_two_files_at_once_each_in_its_own_process(
    tmp_path: Path,
) -> None:
    process = partial(batch.process_file, reader="hostile_readers:slow_and_signed")
    box = Inbox(
        tmp_path / "in", tmp_path / "out", settle=0, mode="poll", process=process, workers=2
    )
    for n in range(4):
        (box.inbox / f"papper-{n}.txt").write_text(f"{MOTION}\n{n}\n", encoding="utf-8")
    box.tick()  # seen
    assert sorted(box.tick()) == ["done"] * 4
    readers = {
        json.loads((box.outbox / f"papper-{n}" / ANALYSIS).read_text(encoding="utf-8"))["title"]
        for n in range(4)
    }
    # A second worker is only started while the first is busy: two readers, two at once.
    assert len(readers) == 2, readers


# 7. Poison documents -------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["always_raises", "dies"])
def test_7_a_poison_document_is_tried_a_bounded_number_of_times_then_set_aside(
    tmp_path: Path, reader: str
) -> None:
    process = partial(batch.process_file, reader=f"hostile_readers:{reader}")
    box = Inbox(tmp_path / "in", tmp_path / "out", settle=0, mode="poll", process=process)
    (box.inbox / "gift.txt").write_text(MOTION, encoding="utf-8")
    assert take(box) == ["quarantined"]
    reason = json.loads((box.failed / "gift.txt.reason.json").read_text(encoding="utf-8"))
    assert (reason["code"], reason["attempts"]) == ("E201", 3)
    # Dropped again: set aside at once, never read again.
    (box.inbox / "gift.txt").write_text(MOTION, encoding="utf-8")
    assert take(box) == ["quarantined"]
    with Ledger(batch.ledger_path(box.outbox)) as ledger:
        [entry] = ledger.entries()
    assert (entry.state, entry.attempts) == ("quarantined", 3)
    # And the worker goes on with the next paper.
    box.process = batch.process_file
    (box.inbox / "belysning.txt").write_text(paper(1), encoding="utf-8")
    assert take(box) == ["done"]


def test_7_a_read_only_failed_folder_sends_the_file_to_quarantine_without_a_loop(
    box: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(Run as root, a read-only folder is still writable, so the refusal is simulated.)"""
    real = inbox.atomic_write

    def refusing(path: Path, data: bytes) -> None:
        if path.parent == box.failed:
            raise PermissionError(13, "Permission denied", str(path))
        real(path, data)

    monkeypatch.setattr(inbox, "atomic_write", refusing)
    (box.inbox / "tom.txt").write_bytes(b"")
    assert take(box) == ["failed"]
    quarantined = box.outbox / ".attsats" / "karantan"
    reason = json.loads((quarantined / "tom.txt.reason.json").read_text(encoding="utf-8"))
    assert reason["code"] == "E114"
    assert (quarantined / "tom.txt").exists()
    assert take(box) == [] and list(box.processing.iterdir()) == []


# 9. A hung or exploding parser ---------------------------------------------------------


def rss(pid: int) -> int:
    return worker.rss_bytes(pid)


@pytest.mark.parametrize(
    "reader, code",
    [("sleeps_forever", "E204"), ("allocates_without_bound", "E205")],
)
def test_9_a_hung_or_exploding_parser_is_killed_on_its_limit_and_the_next_file_goes_on(
    tmp_path: Path, reader: str, code: str
) -> None:
    settings = batch.Settings(seconds=3, memory_mb=1024)
    box = Inbox(
        tmp_path / "in",
        tmp_path / "out",
        settle=0,
        mode="poll",
        settings=settings,
        process=partial(batch.process_file, reader=f"hostile_readers:{reader}"),
    )
    (box.inbox / "fientlig.txt").write_text(MOTION, encoding="utf-8")
    before = rss(os.getpid())
    started = time.monotonic()
    assert take(box) == ["failed"]
    assert time.monotonic() - started < 15
    assert rss(os.getpid()) - before < 50 * 1024**2  # the parent's memory stays flat
    reason = json.loads((box.failed / "fientlig.txt.reason.json").read_text(encoding="utf-8"))
    assert (reason["code"], reason["attempts"]) == (code, 1)
    assert reason["message"] in (
        "Analysen tog längre tid än 3 sekunder och avbröts.",
        "Analysen behövde mer minne än 1024 MB och avbröts.",
    )
    box.process = batch.process_file
    (box.inbox / "belysning.txt").write_text(paper(1), encoding="utf-8")
    assert take(box) == ["done"]


def test_9_a_worker_is_reused_and_a_killed_one_replaced() -> None:
    sample = ROOT / "sample_docs" / "001_fb57b98de66bfb1d.txt"
    one = worker.Worker(worker.Limits(seconds=2, memory_mb=1024))
    try:
        assert one.run(sample)[0].doc_type == "motionssvar"
        first = one.pid
        assert one.run(sample) and one.pid == first  # kept warm
        with pytest.raises(worker.LimitExceeded):
            one.run(sample, target="hostile_readers:sleeps_forever")
        assert not alive(first)
        assert one.run(sample)[0].doc_type == "motionssvar" and one.pid not in (None, first)
    finally:
        one.close()


# Empty files: E114 in the inbox and in a batch ------------------------------------------


def test_an_empty_file_is_e114_in_the_inbox_and_in_a_batch(box: Inbox, tmp_path: Path) -> None:
    (box.inbox / "tom.txt").write_bytes(b"")
    assert take(box) == ["failed"]
    reason = json.loads((box.failed / "tom.txt.reason.json").read_text(encoding="utf-8"))
    assert reason == {
        "code": "E114",
        "message": "Filen är tom (0 byte).",
        "attempts": 1,
        "file": "tom.txt",
    }
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "tom.txt").write_bytes(b"")
    out = tmp_path / "batch-ut"
    the_plan = batch.plan([folder], out, tmp_path / "scratch")
    [result] = batch.process_chunk(the_plan.todo, out)
    assert (result.state, result.code, result.message) == (
        "failed",
        "E114",
        "Filen är tom (0 byte).",
    )
    data = json.loads((out / "tom" / ANALYSIS).read_text(encoding="utf-8"))
    assert data["status"] == "failed" and data["errors"][0]["code"] == "E114"
    summary = batch.summarize(the_plan, [result])
    assert f"{folder / 'tom.txt'}: E114 Filen är tom (0 byte)." in summary.lines()


# 10. Hostile names and archives -------------------------------------------------------


def hostile_archive(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("../utanfor.txt", MOTION)
        zf.writestr("/etc/absolut.txt", MOTION)
        zf.writestr("kf/" + "å" * 120 + ".txt", paper(1))  # 240 bytes of name
        zf.writestr(unicodedata.normalize("NFD", "kf/Åtgärder.txt"), paper(2))
        zf.writestr("kf/rad\nbrytning.txt", paper(3))
        link = zipfile.ZipInfo("kf/lank.txt")
        link.external_attr = 0o120777 << 16
        zf.writestr(link, "/etc/passwd")
        inner = io.BytesIO()
        with zipfile.ZipFile(inner, "w") as nested:
            nested.writestr("inre.txt", paper(4))
        zf.writestr("kf/inre.zip", inner.getvalue())
        zf.writestr("kf/bild.jpg", b"\xff\xd8\xff")


@pytest.mark.parametrize(
    "name",
    [
        "m" * 247 + ".txt",  # 251 bytes: <name>.reason.json would not fit
        "m" * 250 + ".txt",  # 254 bytes
        "ö" * 125 + ".txt",  # 254 bytes, 129 characters
        "rad\nbrytning.txt",
        unicodedata.normalize("NFD", "Återremiss.txt"),
        "-rf .txt",
    ],
)
def test_10_hostile_file_names_never_crash_the_inbox(box: Inbox, name: str) -> None:
    (box.inbox / name).write_bytes(b"")  # fails (E114): the reason file needs a name
    (box.inbox / ("x" + name)).write_text(MOTION, encoding="utf-8")
    assert sorted(take(box)) == ["done", "failed"]
    [reason_file] = box.failed.glob("*.reason.json")
    assert len(reason_file.name.encode("utf-8")) <= 255
    assert json.loads(reason_file.read_text(encoding="utf-8"))["file"] == name
    [folder] = [p for p in box.outbox.iterdir() if not p.name.startswith(".")]
    assert len(folder.name.encode("utf-8")) <= 130
    assert (folder / ("x" + name)).exists()
    assert take(box) == [] and list(box.processing.iterdir()) == []


def test_10_a_hostile_archive_writes_nothing_outside_the_outbox(tmp_path: Path) -> None:
    root = tmp_path / "rot"
    box = Inbox(root / "in", root / "out", settle=0, mode="poll")
    lines: list[str] = []
    box.echo = lines.append
    hostile_archive(box.inbox / "handlingar.zip")
    outcomes = take(box)
    assert outcomes.count("done") == 4 and set(outcomes) == {"done"}, "\n".join(lines)
    outside = [p for p in tmp_path.rglob("*") if not p.is_relative_to(root)]
    assert outside == [] and not (root / "utanfor.txt").exists()
    sources = sorted(
        json.loads(p.read_text(encoding="utf-8"))["source"]["path"]
        for p in box.outbox.glob(f"*/{ANALYSIS}")
    )
    assert sources == sorted(
        [
            "handlingar.zip/kf/" + "å" * 120 + ".txt",
            unicodedata.normalize("NFD", "handlingar.zip/kf/Åtgärder.txt"),
            "handlingar.zip/kf/rad\nbrytning.txt",
            "handlingar.zip/kf/inre.zip/inre.txt",
        ]
    )
    record = json.loads((box.outbox / "handlingar-zip" / "arkiv.json").read_text(encoding="utf-8"))
    assert record["arkiv"] == "handlingar.zip" and len(record["filer"]) == 4
    assert (box.outbox / "handlingar-zip" / "handlingar.zip").exists()
    skipped = {p["message"].split(" i arkivet")[0] for p in record["problem"]}
    assert skipped == {"../utanfor.txt", "/etc/absolut.txt", "kf/lank.txt", "kf/bild.jpg"}
    assert any("W201" in line for line in lines)
    assert list(box.processing.iterdir()) == []
    assert not any(p.name.startswith("uppackat") for p in (box.outbox / ".attsats").iterdir())


def test_a_folder_dropped_in_is_processed_as_its_files(box: Inbox) -> None:
    staged = box.inbox.parent / "mapp"
    (staged / "under").mkdir(parents=True)
    (staged / "belysning.txt").write_text(MOTION, encoding="utf-8")
    (staged / "under" / "papper.txt").write_text(paper(7), encoding="utf-8")
    (staged / "bild.png").write_bytes(b"\x89PNG\r\n")
    os.rename(staged, box.inbox / "mapp")
    assert sorted(take(box)) == ["done", "done", "failed"]
    assert (box.outbox / "belysning" / "belysning.txt").exists()
    assert (box.outbox / "papper" / "papper.txt").exists()
    reason = json.loads((box.failed / "bild.png.reason.json").read_text(encoding="utf-8"))
    assert (reason["code"], reason["file"]) == ("E102", "mapp/bild.png")
    data = json.loads((box.outbox / "papper" / ANALYSIS).read_text(encoding="utf-8"))
    assert data["source"]["path"] == "mapp/under/papper.txt"
    assert not (box.inbox / "mapp").exists() and list(box.processing.iterdir()) == []


def test_an_unsupported_file_goes_to_failed_with_e102(box: Inbox) -> None:
    (box.inbox / "kalkyl.xlsx").write_bytes(b"PK\x03\x04")
    assert take(box) == ["failed"]
    reason = json.loads((box.failed / "kalkyl.xlsx.reason.json").read_text(encoding="utf-8"))
    assert reason["code"] == "E102"


# 13. SIGTERM during a long document ----------------------------------------------------

STOPPABLE = """
import sys
from functools import partial
from pathlib import Path
from pipeline.service import batch
from pipeline.service.inbox import Inbox, stop_on_signals
box = Inbox(Path(sys.argv[1]), Path(sys.argv[2]), settle=0, poll_interval=0.05, mode="poll",
            process=partial(batch.process_file, reader="hostile_readers:sleeps_forever"))
with stop_on_signals() as stop:
    box.run(stop=stop.is_set)
"""


def test_13_sigterm_during_a_long_document_stops_within_seconds_and_resumes_it(
    tmp_path: Path,
) -> None:
    inbox_dir, out = tmp_path / "in", tmp_path / "out"
    inbox_dir.mkdir()
    (inbox_dir / "lang.txt").write_text(MOTION, encoding="utf-8")
    service = subprocess.Popen(
        [sys.executable, "-c", STOPPABLE, str(inbox_dir), str(out)], env=ENV, cwd=ROOT
    )
    try:
        wait_until(lambda: (inbox_dir / "processing" / "lang.txt").exists(), 30, "not taken")
        wait_until(lambda: children(service.pid), 30, "no worker started")
        started = children(service.pid)
        time.sleep(0.5)
        service.send_signal(signal.SIGTERM)
        assert service.wait(timeout=10) == 0
    finally:
        if service.poll() is None:
            service.kill()
    wait_until(lambda: not any(alive(p) for p in started), 10, "a worker outlived SIGTERM")
    assert (inbox_dir / "processing" / "lang.txt").exists()  # resumed at the next start
    with Ledger(batch.ledger_path(out)) as ledger:
        [entry] = ledger.entries()
    assert (entry.state, entry.attempts) == ("pending", 0)  # the given-up try does not count


@pytest.mark.parametrize(
    "name",
    ["ö" * 200 + ".txt", "m" * 300 + ".docx", "\U0001f600" * 70 + ".pdf", "a.b" * 100],
)
def test_names_are_bounded_in_bytes_and_keep_their_suffix(name: str) -> None:
    from pipeline.outputs.files import MAX_NAME_BYTES, fit_name, safe_name

    fitted = fit_name(name, 200)
    assert len(fitted.encode("utf-8")) <= 200
    assert Path(fitted).suffix == Path(name).suffix
    assert fit_name(name + "x", 200) != fitted  # two long names stay apart
    assert len(safe_name(name).encode("utf-8")) <= MAX_NAME_BYTES


def test_safe_names_are_composed_unicode() -> None:
    from pipeline.outputs.files import safe_name

    assert safe_name(unicodedata.normalize("NFD", "Återremiss")) == "Återremiss"


def test_a_fault_of_the_service_on_one_file_sets_it_aside_and_the_next_goes_on(
    box: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = inbox.name_candidates

    def broken(name: str, key: str) -> list[str]:
        if name == "trasig.txt":
            raise OSError(28, "No space left on device")
        return real(name, key)

    monkeypatch.setattr(inbox, "name_candidates", broken)
    (box.inbox / "trasig.txt").write_text(paper(1), encoding="utf-8")
    (box.inbox / "vanlig.txt").write_text(paper(2), encoding="utf-8")
    assert take(box) == ["failed", "done"]
    reason = json.loads((box.failed / "trasig.txt.reason.json").read_text(encoding="utf-8"))
    assert reason["code"] == "E201" and "No space left on device" in reason["message"]


def test_scratch_left_by_a_killed_run_is_swept_at_start(tmp_path: Path) -> None:
    state = tmp_path / "out" / ".attsats"
    (state / "uppackat-gammal" / "kf").mkdir(parents=True)
    (state / "tmp" / "belysning.1234abcd").mkdir(parents=True)
    (state / "uppackat-ny").mkdir()
    for path in (state / "uppackat-gammal", state / "tmp" / "belysning.1234abcd"):
        os.utime(path, (time.time() - 7200, time.time() - 7200))
    Inbox(tmp_path / "in", tmp_path / "out", mode="poll")
    assert sorted(p.name for p in state.iterdir()) == ["tmp", "uppackat-ny"]
    assert list((state / "tmp").iterdir()) == []


@pytest.mark.parametrize(
    "settings", [batch.Settings(seconds=0), batch.Settings(memory_mb=512)], ids=["time", "memory"]
)
def test_limits_a_worker_cannot_work_within_are_refused_before_anything_is_done(
    settings: batch.Settings,
) -> None:
    with pytest.raises(batch.SettingsError, match="minst 1024 MB"):
        settings.check()
