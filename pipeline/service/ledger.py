"""The ledger: what has been done with each content, keyed by the SHA-256 of its bytes.

It makes the inbox and batches idempotent and resumable: the same bytes under another
name are recorded as a duplicate instead of being analysed again, new bytes under an old
name are new work, and an attempt is counted before it starts, so a file that kills the
process is set aside after a bounded number of tries instead of looping for ever.
Several processes (batch workers) may share one ledger: SQLite in WAL mode serialises
the writes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pipeline.privacy import mask

State = Literal["pending", "done", "failed", "quarantined"]
FINISHED: tuple[State, ...] = ("done", "failed")

SCHEMA = """
CREATE TABLE IF NOT EXISTS contents (
    sha256 TEXT PRIMARY KEY,
    name TEXT NOT NULL,  -- personnummer masked (pipeline.privacy), as everywhere here
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    folders TEXT NOT NULL DEFAULT '[]',
    code TEXT,
    message TEXT,
    first_seen TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS names (
    name TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sightings (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    path TEXT NOT NULL,
    kind TEXT NOT NULL,
    at TEXT NOT NULL
);
"""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass
class Entry:
    sha256: str
    name: str
    state: State
    attempts: int
    folders: list[str] = field(default_factory=list)
    code: str | None = None
    message: str | None = None


def write_ahead(db: sqlite3.Connection, seconds: float = 60.0) -> None:
    """Put the database in WAL mode. Switching takes an exclusive lock that SQLite does
    not wait for (two threads opening a new file at once: "database is locked"), so it is
    retried; once a file is in WAL mode, it stays so and this returns at once."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class Ledger:
    """One SQLite file; open one `Ledger` per process or thread."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, timeout=60, isolation_level=None)
        write_ahead(self.db)
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, sha256: str) -> Entry | None:
        row = self.db.execute(
            "SELECT sha256, name, state, attempts, folders, code, message"
            " FROM contents WHERE sha256 = ?",
            (sha256,),
        ).fetchone()
        if row is None:
            return None
        return Entry(row[0], row[1], row[2], row[3], json.loads(row[4]), row[5], row[6])

    def begin(self, sha256: str, name: str) -> int:
        """Count an attempt before it starts; return how many there have been."""
        stamp = now()
        self.db.execute(
            "INSERT INTO contents (sha256, name, state, attempts, first_seen, updated)"
            " VALUES (?, ?, 'pending', 1, ?, ?)"
            " ON CONFLICT(sha256) DO UPDATE SET state = 'pending',"
            " attempts = attempts + 1, updated = excluded.updated",
            (sha256, mask(name), stamp, stamp),
        )
        return self.db.execute(
            "SELECT attempts FROM contents WHERE sha256 = ?", (sha256,)
        ).fetchone()[0]

    def release(self, sha256: str) -> None:
        """Take back an attempt that was given up on purpose (the service was stopped)."""
        self.db.execute(
            "UPDATE contents SET attempts = MAX(attempts - 1, 0), state = 'pending', updated = ?"
            " WHERE sha256 = ?",
            (now(), sha256),
        )

    def finish(
        self,
        sha256: str,
        state: State,
        folders: Iterable[str] = (),
        code: str | None = None,
        message: str | None = None,
    ) -> None:
        self.db.execute(
            "UPDATE contents SET state = ?, folders = ?, code = ?, message = ?, updated = ?"
            " WHERE sha256 = ?",
            (
                state,
                json.dumps(list(folders)),
                code,
                None if message is None else mask(message),
                now(),
                sha256,
            ),
        )

    def see(self, sha256: str, path: str, kind: str) -> None:
        """Record a sighting: `new` work, a `duplicate` of known content, ..."""
        self.db.execute(
            "INSERT INTO sightings (sha256, path, kind, at) VALUES (?, ?, ?, ?)",
            (sha256, mask(path), kind, now()),
        )

    def reserve(self, sha256: str, candidates: Iterable[str], taken: Callable[[str], bool]) -> str:
        """The first candidate name that is this content's or free; `taken` says whether a
        name is in use outside the ledger (a folder already on disk)."""
        names = list(candidates)
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for name in names:
                row = self.db.execute("SELECT sha256 FROM names WHERE name = ?", (name,)).fetchone()
                if row is not None and row[0] == sha256:
                    break
                if row is None and not taken(name):
                    self.db.execute(
                        "INSERT INTO names (name, sha256) VALUES (?, ?)", (name, sha256)
                    )
                    break
            else:
                raise RuntimeError(f"no free output name among {names}")
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return name

    def count(self, shas: Iterable[str], states: Iterable[State] = FINISHED) -> int:
        """How many of these contents are in one of `states` (progress across processes)."""
        wanted, keys = list(states), list(shas)
        total = 0
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            total += self.db.execute(
                f"SELECT COUNT(*) FROM contents WHERE state IN ({','.join('?' * len(wanted))})"
                f" AND sha256 IN ({','.join('?' * len(chunk))})",
                (*wanted, *chunk),
            ).fetchone()[0]
        return total

    def entries(self) -> list[Entry]:
        rows = self.db.execute(
            "SELECT sha256, name, state, attempts, folders, code, message FROM contents"
            " ORDER BY first_seen, name"
        ).fetchall()
        return [Entry(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6]) for r in rows]

    def sightings(self, kind: str | None = None) -> list[tuple[str, str, str]]:
        """(sha256, path, kind) in the order they were seen."""
        query = "SELECT sha256, path, kind FROM sightings"
        rows = (
            self.db.execute(query + " WHERE kind = ? ORDER BY id", (kind,))
            if kind
            else self.db.execute(query + " ORDER BY id")
        )
        return [tuple(r) for r in rows.fetchall()]
