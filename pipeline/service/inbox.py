"""The inbox: files dropped into a folder become output folders, each accounted for.

The semantics of the trusted file consumers (Apache Camel's file component, NiFi's
FetchFile), made stricter: a file is taken only when it has been unchanged (size, mtime
and inode) for `settle` seconds and no process has it open for writing, whatever the
writer does in between (close, reopen, append); a file renamed into the inbox
(IN_MOVED_TO) is complete at once unless it is still open for writing. Lock files and
temporary names (`patterns/inbox.yaml`) are never taken. A taken file is claimed by an
atomic rename into `processing/`; its outputs are published into `OUTBOX/<doc-id>/` and
only then does the source move there, or to `failed/` beside `<name>.reason.json`. A zip
archive is unpacked safely and each member is a paper of its own; a folder dropped in is
its files. The ledger makes it idempotent; attempts are bounded, so a file that keeps
crashing is set aside; on restart whatever is left in `processing/` is resumed.
"""

from __future__ import annotations

import contextvars
import fnmatch
import json
import logging
import os
import shutil
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Literal

from pipeline.errors import message
from pipeline.outputs.files import NAME_LIMIT, atomic_write, fit_name, move_file
from pipeline.outputs.folders import name_candidates
from pipeline.outputs.summary import DOC_TYPE_NAMES
from pipeline.privacy import mask, mask_data
from pipeline.resources import load_patterns
from pipeline.service import worker
from pipeline.service.batch import (
    ARCHIVE_SUFFIXES,
    DEFAULT_ATTEMPTS,
    DEFAULT_SETTINGS,
    Budget,
    Limits,
    Result,
    Settings,
    content_key,
    folder_taken,
    ledger_path,
    process_file,
    state_dir,
    unpack,
)
from pipeline.service.ledger import Ledger, sha256_of

log = logging.getLogger("attsats.inbox")

PROCESSING = "processing"
FAILED = "failed"
DUPLICATES = "dubbletter"
QUARANTINE = "karantan"  # under OUTBOX/.attsats/: where a file goes when failed/ refuses it
ARCHIVE_RECORD = "arkiv.json"
REASON = ".reason.json"
# Unchanged this long (and closed) means complete: Apache Camel's file component checks a
# read lock every second by default; a longer wait is latency every file pays.
DEFAULT_SETTLE = 1.0
MIN_WAIT = 0.05  # the shortest sleep between two looks at the inbox

Process = Callable[..., Result]
Outcome = Literal["done", "failed", "duplicate", "quarantined", "stopped"]
Signature = tuple[int, int, int, int]  # files, bytes, newest mtime, inode sum


@cache
def ignore_patterns() -> tuple[str, ...]:
    return tuple(p.lower() for p in load_patterns("pipeline.service", "inbox")["ignore"])


def ignored(name: str) -> bool:
    """A lock file or a name used while a file is still being written."""
    lowered = name.lower()
    return any(fnmatch.fnmatchcase(lowered, pattern) for pattern in ignore_patterns())


def shown(name: str) -> str:
    """A name as the console shows it: a personnummer masked, control characters (a newline)
    made visible."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in mask(name))


def files_under(path: Path) -> list[Path]:
    """A file itself, or every file and link in a folder (links are not followed)."""
    if path.is_symlink() or not path.is_dir():
        return [path]
    return sorted(p for p in path.rglob("*") if p.is_symlink() or not p.is_dir())


def signature(path: Path) -> Signature | None:
    """What changes when anything is written: per file its size, mtime and inode."""
    try:
        stats = [p.lstat() for p in files_under(path)]
    except OSError:
        return None
    return (
        len(stats),
        sum(s.st_size for s in stats),
        max((s.st_mtime_ns for s in stats), default=0),
        sum(s.st_ino for s in stats),
    )


def open_for_writing(paths: Iterable[Path]) -> set[tuple[int, int]]:
    """Which of these files (device, inode) some process has open for writing, read from
    /proc (Linux; processes of other users are seen when running as root). Empty where
    /proc cannot tell: the settle time then stands alone."""
    wanted: set[tuple[int, int]] = set()
    for path in paths:
        try:
            stat = path.lstat()
        except OSError:
            continue
        wanted.add((stat.st_dev, stat.st_ino))
    busy: set[tuple[int, int]] = set()
    if not wanted:
        return busy
    try:
        pids = [e.name for e in os.scandir("/proc") if e.name.isdigit()]
    except OSError:
        return busy
    for pid in pids:
        try:
            fds = list(os.scandir(f"/proc/{pid}/fd"))
        except OSError:
            continue
        for fd in fds:
            try:
                stat = os.stat(fd.path)
            except OSError:
                continue
            key = (stat.st_dev, stat.st_ino)
            if key not in wanted:
                continue
            try:
                with open(f"/proc/{pid}/fdinfo/{fd.name}", encoding="ascii") as info:
                    flags = next(
                        int(line.split()[1], 8) for line in info if line.startswith("flags:")
                    )
            except (OSError, StopIteration, ValueError):
                continue
            if flags & (os.O_WRONLY | os.O_RDWR):
                busy.add(key)
    return busy


@dataclass
class Readiness:
    """Decides when a file (or a folder) is complete: unchanged for `settle` seconds, or
    renamed into the inbox; and in both cases not open for writing (checked by the caller
    with `open_for_writing`)."""

    settle: float
    clock: Callable[[], float] = time.monotonic
    seen: dict[str, tuple[Signature, float]] = field(default_factory=dict)
    moved: set[str] = field(default_factory=set)

    def mark_moved(self, name: str) -> None:
        self.moved.add(name)

    def settled(self, path: Path) -> bool:
        current = signature(path)
        if current is None:
            self.forget(path.name)
            return False
        previous = self.seen.get(path.name)
        if previous is None or previous[0] != current:
            self.seen[path.name] = (current, self.clock())
            if path.name in self.moved:
                self.moved.discard(path.name)
                return previous is None  # renamed in whole; a change after it: settle
            return False
        return self.clock() - previous[1] >= self.settle

    def ready(self, path: Path) -> bool:
        """Settled and not open for writing (one file; `Inbox.tick` checks many at once)."""
        if not self.settled(path):
            return False
        files = files_under(path)
        return not open_for_writing(files)

    def forget(self, name: str) -> None:
        self.seen.pop(name, None)
        self.moved.discard(name)

    def retain(self, names: set[str]) -> None:
        """Forget files that are no longer in the inbox (removed before they settled)."""
        for name in set(self.seen) - names:
            self.forget(name)

    def next_due(self) -> float | None:
        """Seconds until the next file seen unchanged reaches the settle time (None: no
        file is waiting), so the watcher wakes then instead of at its next poll."""
        if not self.seen:
            return None
        first = min(since for _, since in self.seen.values())
        return max(0.0, first + self.settle - self.clock())


class Events:
    """inotify events for one folder: a file closed after writing wakes the watcher (its
    settle time runs from there); a file moved in is complete at once."""

    def __init__(self, folder: Path) -> None:
        from inotify_simple import INotify, flags

        self.flags = flags
        self.inotify = INotify()
        self.inotify.add_watch(str(folder), flags.CLOSE_WRITE | flags.MOVED_TO)

    def wait(self, timeout: float) -> list[str]:
        """Names moved in since the last call (complete at once); waits for any event."""
        events = self.inotify.read(timeout=int(timeout * 1000))
        return [e.name for e in events if e.name and e.mask & self.flags.MOVED_TO]

    def close(self) -> None:
        self.inotify.close()


def open_events(folder: Path) -> Events | None:
    """inotify where the OS and the file system give it; None means: poll."""
    try:
        return Events(folder)
    except (ImportError, OSError) as exc:
        log.info("Ingen inotify för %s (%s); mappen avläses med jämna mellanrum.", folder, exc)
        return None


@contextmanager
def stop_on_signals() -> Iterator[threading.Event]:
    """An event that SIGINT and SIGTERM set, so a service stops cleanly instead of dying
    mid-file; the document in hand is given up at once (its worker is stopped) and
    resumed at the next start (outside the main thread: never set)."""
    stop = threading.Event()
    worker.cancel_event.clear()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(*_: object) -> None:
        stop.set()
        worker.cancel_event.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
        worker.cancel_event.clear()


def unique(folder: Path, name: str, reserve: int = len(REASON)) -> Path:
    """`folder/name`, or `name` with -2, -3 ... before its suffix if that is taken; short
    enough in bytes that `reserve` more (`.reason.json`) still fit in a file name."""
    limit = NAME_LIMIT - reserve
    target = folder / fit_name(name, limit)
    stem, suffix, n = Path(name).stem, Path(name).suffix, 2
    # lexists: a reason name too long to exist is not in the way (exists() would raise)
    while os.path.lexists(target) or os.path.lexists(f"{target}{REASON}"):
        target = folder / fit_name(f"{stem}-{n}{suffix}", limit)
        n += 1
    return target


def print_line(line: str) -> None:
    log.info(line)


@dataclass
class Inbox:
    inbox: Path
    outbox: Path
    failed: Path | None = None
    settle: float = DEFAULT_SETTLE
    poll_interval: float = 1.0
    max_attempts: int = DEFAULT_ATTEMPTS
    mode: Literal["auto", "poll"] = "auto"
    process: Process = process_file
    clock: Callable[[], float] = time.monotonic
    settings: Settings = DEFAULT_SETTINGS  # the styrmodell and templates every file gets
    echo: Callable[[str], None] = print_line  # one Swedish line per file taken
    workers: int = 1  # files handled at once, each read in a worker process of its own

    def __post_init__(self) -> None:
        self.failed = self.failed or self.inbox / FAILED
        self.processing = self.inbox / PROCESSING
        self.quarantine = state_dir(self.outbox) / QUARANTINE
        for folder in (self.inbox, self.outbox, self.processing, self.failed):
            folder.mkdir(parents=True, exist_ok=True)
        self.readiness = Readiness(self.settle, self.clock)
        self.stop: Callable[[], bool] = lambda: False
        self.sweep()

    def sweep(self, age: float = 3600.0) -> None:
        """Remove scratch a killed run left in the outbox's state folder (unpacked
        archives, folders being built), once it is older than `age` seconds."""
        state = state_dir(self.outbox)
        leftovers = [*state.glob("uppackat-*"), *state.glob("tmp/*")] if state.is_dir() else []
        for path in leftovers:
            try:
                if time.time() - path.lstat().st_mtime < age:
                    continue
            except OSError:
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)

    def own(self, path: Path) -> bool:
        """The inbox's own folders (and an outbox inside it), never taken as input."""
        return path in (self.processing, self.failed, self.outbox)

    def candidates(self) -> list[Path]:
        """Files and folders waiting in the inbox (not yet claimed), oldest name first."""
        return sorted(
            p
            for p in self.inbox.iterdir()
            if not ignored(p.name)
            and not self.own(p)
            and (p.is_symlink() or p.is_file() or p.is_dir())
        )

    def claim(self, path: Path) -> Path | None:
        """Take a file by renaming it into `processing/`; None if someone else was first."""
        target = unique(self.processing, path.name, reserve=0)
        try:
            os.rename(path, target)
        except FileNotFoundError:
            return None
        except OSError as error:  # not ours to move (permissions): say so, try again later
            log.error("Kunde inte ta %s: %s", shown(path.name), error)
            return None
        finally:
            self.readiness.forget(path.name)
        return target

    def set_aside(self, path: Path, code: str, text: str, attempts: int, origin: str) -> Path:
        """Move a file to `failed/` beside its reason; if `failed/` refuses it (read-only,
        full), to the outbox's quarantine; if that fails too it stays where it is and
        the ledger keeps it from being tried again."""
        reason = mask_data({"code": code, "message": text, "attempts": attempts, "file": origin})
        data = (json.dumps(reason, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        for folder in (self.failed, self.quarantine):
            try:
                folder.mkdir(parents=True, exist_ok=True)
                target = unique(folder, path.name)
                atomic_write(target.with_name(target.name + REASON), data)
                move_file(path, target)
                return target
            except OSError as error:
                log.error("Kunde inte lägga undan %s i %s: %s", shown(origin), folder, error)
        return path

    def where(self, path: Path) -> str:
        for base in (self.outbox, self.inbox, self.failed):
            try:
                return f"{base.name}/{path.relative_to(base)}"
            except ValueError:
                continue
        return str(path)

    def fail(self, path: Path, origin: str, code: str, text: str, attempts: int) -> Path:
        target = self.set_aside(path, code, text, attempts, origin)
        self.echo(f"{shown(origin)}: {code} {text} → {self.where(target)}")
        return target

    def handle_paper(self, path: Path, origin: str, member: bool = False) -> Outcome:
        """One paper to the end: its outputs published, then its source moved home (or
        to `failed/`). `origin` is how the user knows it (an archive member's path)."""
        name = path.name
        try:
            sha = sha256_of(path)
        except OSError:
            self.fail(path, origin, "E101", message("E101", path=origin), 1)
            return "failed"
        key = content_key(sha, origin)
        with Ledger(ledger_path(self.outbox)) as ledger:
            entry = ledger.get(key)
            if entry and entry.state == "done" and entry.folders:
                home = self.outbox / entry.folders[0]
                if entry.name == mask(origin) and not (home / name).exists():
                    move_file(path, home / name)  # finishing a run cut short
                    self.echo(f"{shown(origin)}: klar → {self.where(home)}/")
                    return "done"
                if entry.name == mask(origin) and member:  # an archive or folder seen again
                    path.unlink(missing_ok=True)  # its bytes are at home already
                    self.echo(f"{shown(origin)}: redan behandlad → {self.where(home)}/")
                    return "done"
                ledger.see(key, origin, "duplicate")
                target = unique(home / DUPLICATES, name)
                move_file(path, target)
                text = message("W202", first=entry.name)
                self.echo(f"{shown(origin)}: W202 {text} → {self.where(target)}")
                return "duplicate"
            if (
                entry
                and entry.state == "quarantined"
                or (entry and entry.state != "done" and entry.attempts >= self.max_attempts)
            ):
                text = entry.message or message(
                    "E201", attempts=entry.attempts, detail="programmet stannade under analysen"
                )
                self.fail(path, origin, entry.code or "E201", text, entry.attempts)
                ledger.finish(key, "quarantined", entry.folders, entry.code or "E201", text)
                return "quarantined"
            ledger.see(key, origin, "new")
            doc_id = ledger.reserve(
                key, name_candidates(PurePosixPath(origin).name, key), folder_taken(self.outbox)
            )
        result = self.process(
            path,
            origin,
            sha,
            doc_id,
            self.outbox,
            self.max_attempts,
            keep_failed=False,
            settings=self.settings,
        )
        if result.state == "stopped":
            self.echo(f"{shown(origin)}: avbröts; tas upp igen vid nästa start")
            return "stopped"
        if result.state == "done":
            home = self.outbox / result.folders[0]
            move_file(path, home / name)
            self.echo(f"{shown(origin)}: {describe(result)} → {self.where(home)}/")
            return "done"
        self.fail(path, origin, result.code or "E201", result.message or "", result.attempts)
        return "failed" if result.state == "failed" else "quarantined"

    def handle_archive(self, path: Path) -> list[Outcome]:
        """Every member of a zip archive as a paper of its own, the archive as its
        provenance; the archive itself goes to `OUTBOX/<name>-zip/` with `arkiv.json`."""
        scratch = state_dir(self.outbox) / f"uppackat-{uuid.uuid4().hex[:12]}"
        try:
            found, problems = unpack(path, path.name, scratch, Limits(), Budget(), 0)
            broken = [p for p in problems if p.code == "E202"]
            if broken:
                self.fail(path, path.name, "E202", broken[0].message, 1)
                return ["failed"]
            for problem in problems:
                self.echo(f"{shown(path.name)}: {problem.code} {problem.message}")
            outcomes: list[Outcome] = []
            for member, origin in found:
                if self.stop():
                    return [*outcomes, "stopped"]
                outcomes.append(self.handle_paper(member, origin, member=True))
            if "stopped" in outcomes:
                return outcomes
            record = {
                "arkiv": path.name,
                "filer": [origin for _, origin in found],
                "problem": [p.model_dump() for p in problems],
            }
            sha = sha256_of(path)
            key = content_key(sha, path.name)
            with Ledger(ledger_path(self.outbox)) as ledger:
                home = ledger.reserve(
                    key,
                    name_candidates(path.name, key)[1:],  # `arkiv-zip`: never a paper's name
                    folder_taken(self.outbox),
                )
                ledger.begin(key, path.name)
                (self.outbox / home).mkdir(parents=True, exist_ok=True)
                atomic_write(
                    self.outbox / home / ARCHIVE_RECORD,
                    (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
                )
                move_file(path, self.outbox / home / path.name)
                ledger.finish(key, "done", [home])
            self.echo(
                f"{shown(path.name)}: arkiv med {len(found)} filer"
                f" → {self.where(self.outbox / home)}/"
            )
            return outcomes
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def handle_folder(self, path: Path) -> list[Outcome]:
        """A folder dropped in: each of its files a paper, named by its path in it."""
        outcomes: list[Outcome] = []
        for file in files_under(path):
            if self.stop():
                return [*outcomes, "stopped"]
            origin = f"{path.name}/{file.relative_to(path).as_posix()}"
            outcomes += self.handle_one(file, origin, in_folder=True)
        if "stopped" not in outcomes:
            shutil.rmtree(path, ignore_errors=True)  # only empty folders are left
            self.echo(f"{shown(path.name)}/: mapp med {len(outcomes)} filer")
        return outcomes

    def handle_one(self, path: Path, origin: str, in_folder: bool = False) -> list[Outcome]:
        if path.is_symlink():
            self.fail(path, origin, "E101", message("E101", path=origin) + " (länk)", 1)
            return ["failed"]
        if path.is_dir():
            return self.handle_folder(path)
        if path.suffix.lower() in ARCHIVE_SUFFIXES:
            return self.handle_archive(path)
        return [self.handle_paper(path, origin, member=in_folder)]

    def handle(self, claimed: Path) -> list[Outcome]:
        """Process one claimed file or folder to the end. A fault of the service itself on
        one file (a full disk, a bug) sets that file aside; the service goes on."""
        try:
            return self.handle_one(claimed, claimed.name)
        except Exception as exc:
            log.exception("Fel i inkorgen med %s", shown(claimed.name))
            if not claimed.exists():
                return ["failed"]
            detail = f"{type(exc).__name__}: {exc}"[:300]
            self.fail(claimed, claimed.name, "E201", message("E201", attempts=1, detail=detail), 1)
            return ["failed"]

    def recover(self) -> list[Outcome]:
        """Resume whatever a previous run left in `processing/`."""
        leftovers = sorted(self.processing.iterdir())
        outcomes: list[Outcome] = []
        for path in leftovers:
            if self.stop():
                break
            log.info("Återupptar %s", shown(path.name))
            outcomes += self.handle(path)
        return outcomes

    def tick(self, moved: Iterable[str] = ()) -> list[Outcome]:
        """One pass: claim and process every file that is complete."""
        for name in moved:
            self.readiness.mark_moved(name)
        candidates = self.candidates()
        self.readiness.retain({p.name for p in candidates})
        settled = [p for p in candidates if self.readiness.settled(p)]
        busy = open_for_writing(f for p in settled for f in files_under(p)) if settled else set()
        ready = []
        for path in settled:
            if any(identity(f) in busy for f in files_under(path)):
                self.readiness.forget(path.name)  # still being written: settle again
            else:
                ready.append(path)
        if self.workers > 1 and len(ready) > 1:
            with ThreadPoolExecutor(self.workers) as pool:
                # Each file in a copy of this context: Prefect's flow run reaches the
                # tasks that the threads start.
                handled = [
                    pool.submit(contextvars.copy_context().run, self.take, path) for path in ready
                ]
                return [outcome for future in handled for outcome in future.result()]
        outcomes: list[Outcome] = []
        for path in ready:
            outcomes += self.take(path)
        return outcomes

    def take(self, path: Path) -> list[Outcome]:
        """Claim a complete file and process it, unless the service is stopping (a file
        not claimed yet stays in the inbox for the next start)."""
        if self.stop():
            return []
        claimed = self.claim(path)
        return self.handle(claimed) if claimed is not None else []

    def run(self, stop: Callable[[], bool] = lambda: False, once: bool = False) -> int:
        """Watch until `stop()` says so; with `once`, until the inbox is empty.

        Returns how many files were handled.
        """
        self.stop = stop
        handled = sum(o != "stopped" for o in self.recover())
        events = open_events(self.inbox) if self.mode == "auto" else None
        moved: list[str] = []
        try:
            while not stop():
                handled += sum(o != "stopped" for o in self.tick(moved))
                if stop() or (once and not self.candidates()):
                    return handled
                due = self.readiness.next_due()
                wait = self.poll_interval if due is None else min(self.poll_interval, due)
                wait = max(wait, MIN_WAIT)
                if events is not None:
                    moved = events.wait(wait)
                else:
                    time.sleep(wait)
            return handled
        finally:
            if events is not None:
                events.close()


def identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.lstat()
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


def describe(result: Result) -> str:
    """What a file became, in Swedish: its kinds of paper and the att-satser found."""
    kinds = ", ".join(DOC_TYPE_NAMES.get(t, t).lower() for t in result.doc_types)
    parts = f"{len(result.folders)} dokument: " if len(result.folders) > 1 else ""
    clauses = "1 att-sats" if result.clauses == 1 else f"{result.clauses} att-satser"
    return f"{parts}{kinds}, {clauses}, klar"
