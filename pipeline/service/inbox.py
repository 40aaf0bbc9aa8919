"""The inbox: files dropped into a folder become output folders, each accounted for.

The semantics of the trusted file consumers (Apache Camel's file component, NiFi's
FetchFile): a file is taken only when complete, that is on IN_CLOSE_WRITE or IN_MOVED_TO
where the OS gives inotify, and otherwise when its size and mtime have stayed the same for
`settle` seconds (network shares give no events, so polling always runs as well). Lock
files and temporary names (`patterns/inbox.yaml`) are never taken. A taken file is
claimed by an atomic rename into `processing/`; its outputs are published into
`OUTBOX/<doc-id>/` and only then does the source move there, or to `failed/` beside
`<name>.reason.json`. The ledger makes it idempotent; attempts are bounded, so a file
that keeps crashing is set aside; on restart whatever is left in `processing/` is resumed.
"""

from __future__ import annotations

import fnmatch
import json
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from pipeline.errors import message
from pipeline.outputs.files import atomic_write, move_file
from pipeline.outputs.folders import name_candidates
from pipeline.privacy import mask, mask_data
from pipeline.resources import load_patterns
from pipeline.service.batch import (
    DEFAULT_ATTEMPTS,
    DEFAULT_SETTINGS,
    Result,
    Settings,
    content_key,
    folder_taken,
    ledger_path,
    process_file,
)
from pipeline.service.ledger import Ledger, sha256_of

log = logging.getLogger("attsats.inbox")

PROCESSING = "processing"
FAILED = "failed"
DUPLICATES = "dubbletter"

Process = Callable[..., Result]
Outcome = Literal["done", "failed", "duplicate", "quarantined"]


@cache
def ignore_patterns() -> tuple[str, ...]:
    return tuple(p.lower() for p in load_patterns("pipeline.service", "inbox")["ignore"])


def ignored(name: str) -> bool:
    """A lock file or a name used while a file is still being written."""
    lowered = name.lower()
    return any(fnmatch.fnmatchcase(lowered, pattern) for pattern in ignore_patterns())


@dataclass
class Readiness:
    """Decides when a file is complete: closed after writing, or unchanged for `settle` s."""

    settle: float
    clock: Callable[[], float] = time.monotonic
    seen: dict[str, tuple[tuple[int, int], float]] = field(default_factory=dict)
    closed: set[str] = field(default_factory=set)

    def mark_closed(self, name: str) -> None:
        self.closed.add(name)

    def ready(self, path: Path) -> bool:
        try:
            stat = path.stat()
        except FileNotFoundError:
            self.forget(path.name)
            return False
        if path.name in self.closed:
            return True
        signature = (stat.st_size, stat.st_mtime_ns)
        previous = self.seen.get(path.name)
        if previous is None or previous[0] != signature:
            self.seen[path.name] = (signature, self.clock())
            return False
        return self.clock() - previous[1] >= self.settle

    def forget(self, name: str) -> None:
        self.seen.pop(name, None)
        self.closed.discard(name)


class Events:
    """inotify events for one folder: which names were closed after writing or moved in."""

    def __init__(self, folder: Path) -> None:
        from inotify_simple import INotify, flags

        self.inotify = INotify()
        self.inotify.add_watch(str(folder), flags.CLOSE_WRITE | flags.MOVED_TO)

    def wait(self, timeout: float) -> list[str]:
        return [e.name for e in self.inotify.read(timeout=int(timeout * 1000)) if e.name]

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
    """An event that SIGINT and SIGTERM set, so a service finishes the file in hand and
    stops cleanly instead of dying mid-file (outside the main thread: never set)."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = {
        sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def unique(folder: Path, name: str) -> Path:
    """`folder/name`, or `name` with -2, -3 ... before its suffix if that is taken."""
    target = folder / name
    stem, suffix, n = Path(name).stem, Path(name).suffix, 2
    while target.exists() or target.with_name(target.name + ".reason.json").exists():
        target = folder / f"{stem}-{n}{suffix}"
        n += 1
    return target


@dataclass
class Inbox:
    inbox: Path
    outbox: Path
    failed: Path | None = None
    settle: float = 2.0
    poll_interval: float = 1.0
    max_attempts: int = DEFAULT_ATTEMPTS
    mode: Literal["auto", "poll"] = "auto"
    process: Process = process_file
    clock: Callable[[], float] = time.monotonic
    settings: Settings = DEFAULT_SETTINGS  # the styrmodell and templates every file gets

    def __post_init__(self) -> None:
        self.failed = self.failed or self.inbox / FAILED
        self.processing = self.inbox / PROCESSING
        for folder in (self.inbox, self.outbox, self.processing, self.failed):
            folder.mkdir(parents=True, exist_ok=True)
        self.readiness = Readiness(self.settle, self.clock)

    def candidates(self) -> list[Path]:
        """Files waiting in the inbox (not yet claimed), oldest name first."""
        return sorted(p for p in self.inbox.iterdir() if p.is_file() and not ignored(p.name))

    def claim(self, path: Path) -> Path | None:
        """Take a file by renaming it into `processing/`; None if someone else was first."""
        target = unique(self.processing, path.name)
        try:
            os.rename(path, target)
        except FileNotFoundError:
            return None
        finally:
            self.readiness.forget(path.name)
        return target

    def set_aside(self, path: Path, code: str, message: str, attempts: int) -> Path:
        target = unique(self.failed, path.name)
        reason = mask_data(
            {"code": code, "message": message, "attempts": attempts, "file": path.name}
        )
        atomic_write(
            target.with_name(target.name + ".reason.json"),
            (json.dumps(reason, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
        )
        move_file(path, target)
        return target

    def handle(self, claimed: Path) -> Outcome:
        """Process one claimed file to the end: outputs, then the source moves on."""
        name = claimed.name
        try:
            sha = sha256_of(claimed)
        except OSError:
            self.set_aside(claimed, "E101", message("E101", path=name), 1)
            return "failed"
        key = content_key(sha, name)
        with Ledger(ledger_path(self.outbox)) as ledger:
            entry = ledger.get(key)
            if entry and entry.state == "done":
                home = self.outbox / entry.folders[0]
                if entry.name == mask(name) and not (home / name).exists():
                    move_file(claimed, home / name)  # finishing a run cut short
                    return "done"
                ledger.see(key, name, "duplicate")
                move_file(claimed, unique(home / DUPLICATES, name))
                log.info("%s är en dubblett av %s", name, entry.name)
                return "duplicate"
            if entry and entry.state != "done" and entry.attempts >= self.max_attempts:
                self.set_aside(
                    claimed,
                    entry.code or "E201",
                    entry.message
                    or "Bearbetningen avbröts upprepade gånger (programmet stannade).",
                    entry.attempts,
                )
                ledger.finish(key, "quarantined", entry.folders, entry.code, entry.message)
                return "quarantined"
            ledger.see(key, name, "new")
            doc_id = ledger.reserve(key, name_candidates(name, key), folder_taken(self.outbox))
        result = self.process(
            claimed,
            name,
            sha,
            doc_id,
            self.outbox,
            self.max_attempts,
            keep_failed=False,
            settings=self.settings,
        )
        if result.state == "done":
            move_file(claimed, self.outbox / result.folders[0] / name)
            return "done"
        self.set_aside(claimed, result.code or "E201", result.message or "", result.attempts)
        return "failed" if result.state == "failed" else "quarantined"

    def recover(self) -> list[Outcome]:
        """Resume whatever a previous run left in `processing/`."""
        leftovers = sorted(p for p in self.processing.iterdir() if p.is_file())
        for path in leftovers:
            log.info("Återupptar %s", path.name)
        return [self.handle(p) for p in leftovers]

    def tick(self, closed: list[str] = ()) -> list[Outcome]:
        """One pass: claim and process every file that is complete."""
        for name in closed:
            self.readiness.mark_closed(name)
        return [
            self.handle(claimed)
            for path in self.candidates()
            if self.readiness.ready(path) and (claimed := self.claim(path)) is not None
        ]

    def run(self, stop: Callable[[], bool] = lambda: False, once: bool = False) -> int:
        """Watch until `stop()` says so; with `once`, until the inbox is empty.

        Returns how many files were handled.
        """
        handled = len(self.recover())
        events = open_events(self.inbox) if self.mode == "auto" else None
        closed: list[str] = []
        try:
            while True:
                handled += len(self.tick(closed))
                if stop() or (once and not self.candidates()):
                    return handled
                if events is not None:
                    closed = events.wait(self.poll_interval)
                else:
                    time.sleep(self.poll_interval)
        finally:
            if events is not None:
                events.close()
