"""Isolated parsing: every document is read in a child process with a time and a memory limit.

A parser that hangs, or allocates without bound on a hostile file, must not take the
service with it. So the reading (`analyze_file`: extraction, stages, assessment) runs in a
worker process started with `python -m pipeline.service.worker`: the child caps its own
address space (`RLIMIT_AS`), the parent also watches its resident memory and the clock,
and kills it on either limit. Workers are kept between documents (spaCy stays loaded),
one per thread that reads at the same time (`Shared`); a killed or dead one is replaced at
the next document. The child exits by itself when its
parent goes away (even on kill -9), so no worker outlives the service. A fresh process
(not a fork) is started, so the parent's threads (Prefect's) never leak into it.

Protocol on the child's stdin/stdout: length-prefixed pickles. The parent sends
`(target, path, styrmodell)`; the child answers `("ok", [Document, ...])`,
`("memory", detail)` or `("error", detail)`.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.document import Document

DEFAULT_TARGET = "pipeline.service.bundles:analyze_file"
DEFAULT_SECONDS = 120.0
DEFAULT_MEMORY_MB = 2048
STARTUP_SECONDS = 120.0  # importing spaCy on a busy machine
POLL = 0.05
HEADER = struct.Struct("!Q")


@dataclass(frozen=True)
class Limits:
    """How long one document may take and how much memory its reading may use."""

    seconds: float = DEFAULT_SECONDS
    memory_mb: int = DEFAULT_MEMORY_MB


class LimitExceeded(Exception):
    """The worker was killed on a limit: `code` is E204 (time) or E205 (memory)."""

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.fields = fields
        super().__init__(code)


class WorkerCrashed(Exception):
    """The worker raised, or died without an answer (a crash worth retrying)."""


class Cancelled(Exception):
    """The service is stopping: the document in hand was given up, to be resumed."""


# Set by the signal handlers of a service (`stop_on_signals`): every worker waiting on a
# document gives it up, so SIGTERM is obeyed within seconds even during a long document.
cancel_event = threading.Event()


def rss_bytes(pid: int) -> int:
    """Resident memory of a process (Linux /proc), 0 when unknown."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def child_env() -> dict[str, str]:
    """The parent's import path, so the child finds what the parent can import."""
    paths = [p for p in sys.path if p]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


class Worker:
    """One child process reading documents, one at a time; restarted after a kill."""

    def __init__(self, limits: Limits = Limits()) -> None:
        self.limits = limits
        self.process: subprocess.Popen | None = None
        self.lock = threading.Lock()  # held while it starts or reads a document

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process and self.process.poll() is None else None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipeline.service.worker", str(self.limits.memory_mb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=child_env(),
        )
        message = self.receive(STARTUP_SECONDS, watch_memory=False)
        if message != ("ready",):
            self.kill()
            raise WorkerCrashed(f"arbetsprocessen startade inte: {message!r}")

    def kill(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout):
            with contextlib.suppress(OSError):
                stream.close()

    close = kill

    def read_exactly(self, size: int, deadline: float, watch_memory: bool) -> bytes:
        assert self.process is not None and self.process.stdout is not None
        fd = self.process.stdout.fileno()
        chunks, remaining = [], size
        while remaining:
            if cancel_event.is_set():
                self.kill()
                raise Cancelled
            if time.monotonic() > deadline:
                self.kill()
                raise LimitExceeded("E204", seconds=f"{self.limits.seconds:g}")
            if watch_memory and rss_bytes(self.process.pid) > self.limits.memory_mb * 1024**2:
                self.kill()
                raise LimitExceeded("E205", megabytes=self.limits.memory_mb)
            ready, _, _ = select.select([fd], [], [], POLL)
            if not ready:
                continue
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                code = self.process.wait()
                self.kill()
                raise WorkerCrashed(f"arbetsprocessen avslutades oväntat (kod {code})")
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def receive(self, seconds: float, watch_memory: bool = True) -> tuple:
        deadline = time.monotonic() + seconds
        (size,) = HEADER.unpack(self.read_exactly(HEADER.size, deadline, watch_memory))
        return pickle.loads(self.read_exactly(size, deadline, watch_memory))

    def run(self, path: Path, styrmodell: str | None = None, target: str = DEFAULT_TARGET):
        """Read one file in the worker; its documents, or an exception saying why not."""
        if self.pid is None:
            self.kill()
            self.start()
        assert self.process is not None and self.process.stdin is not None
        payload = pickle.dumps((target, str(path), styrmodell))
        try:
            self.process.stdin.write(HEADER.pack(len(payload)) + payload)
            self.process.stdin.flush()
        except OSError as error:
            self.kill()
            raise WorkerCrashed(f"arbetsprocessen tog inte emot filen: {error}") from error
        answer = self.receive(self.limits.seconds)
        if answer[0] == "ok":
            return answer[1]
        if answer[0] == "memory":
            self.kill()  # after a MemoryError, start clean
            raise LimitExceeded("E205", megabytes=self.limits.memory_mb)
        raise WorkerCrashed(answer[1])


class Shared:
    """The process's workers, kept warm between documents: a thread that reads a document
    takes an idle worker (or starts one), so as many documents are read at once as threads
    ask, each in its own process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.idle: list[Worker] = []
        self.busy: set[Worker] = set()

    def take(self, limits: Limits) -> Worker:
        """An idle worker with these limits, else a new one (not started yet)."""
        with self.lock:
            for worker in self.idle:
                if worker.limits == limits:
                    self.idle.remove(worker)
                    break
            else:
                worker = Worker(limits)
            self.busy.add(worker)
            return worker

    def give_back(self, worker: Worker) -> None:
        with self.lock:
            self.busy.discard(worker)
            self.idle.append(worker)

    def run(self, limits: Limits, path: Path, styrmodell: str | None, target: str):
        worker = self.take(limits)
        try:
            with worker.lock:  # a worker still warming up is waited for
                return worker.run(path, styrmodell, target)
        finally:
            self.give_back(worker)

    def warm(self, limits: Limits) -> None:
        """Start an idle worker in the background (it takes seconds to load spaCy), so the
        first document does not wait for all of it; a failed start is retried by `run`."""
        worker = Worker(limits)
        worker.lock.acquire()  # before anyone can take it: they wait for the start
        with self.lock:
            self.idle.append(worker)

        def start() -> None:
            try:
                with contextlib.suppress(WorkerCrashed, LimitExceeded, Cancelled, OSError):
                    worker.start()
            finally:
                worker.lock.release()

        threading.Thread(target=start, daemon=True).start()

    def close(self) -> None:
        with self.lock:
            workers, self.idle = [*self.idle, *self.busy], []
            self.busy.clear()
        for worker in workers:
            worker.close()


shared = Shared()
atexit.register(shared.close)


# --- the child ---------------------------------------------------------------------------


def resolve(target: str):
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def analyse(target: str, path: str, styrmodell: str | None) -> list[Document]:
    from pipeline.styrmodell.loader import load_profile

    profile = load_profile(styrmodell) if styrmodell else None
    return resolve(target)(Path(path), profile=profile)


def watch_parent(parent: int) -> None:
    """Exit as soon as the parent is gone (re-parented), so no worker is ever orphaned."""
    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(0)


WARM_UP = "Motion om belysning\n\nJag föreslår\n\natt belysning sätts upp längs vägen.\n"


def warm_up() -> None:
    """Load spaCy, the classifier and the profiles before the first document, so a
    document's time limit counts the document alone."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="attsats-") as folder:
        sample = Path(folder) / "uppvarmning.txt"
        sample.write_text(WARM_UP, encoding="utf-8")
        with contextlib.suppress(Exception):
            analyse(DEFAULT_TARGET, str(sample), None)


def main() -> None:
    memory_mb = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_MEMORY_MB
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when a worker stops
    with contextlib.suppress(ValueError, OSError):
        import resource

        limit = memory_mb * 1024**2
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a library's print goes to stderr, never into the answers
    requests = sys.stdin.buffer

    def send(message: tuple) -> None:
        data = pickle.dumps(message)
        answers.write(HEADER.pack(len(data)) + data)
        answers.flush()

    warm_up()
    send(("ready",))
    while header := requests.read(HEADER.size):
        (size,) = HEADER.unpack(header)
        target, path, styrmodell = pickle.loads(requests.read(size))
        try:
            send(("ok", analyse(target, path, styrmodell)))
        except MemoryError:
            send(("memory", "MemoryError"))
            return
        except Exception as exc:  # the parent retries, then sets the file aside
            send(("error", f"{type(exc).__name__}: {exc}"[:300]))


if __name__ == "__main__":
    main()
