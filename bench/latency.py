"""Inbox latency: files dropped into a running `attsats watch`, timed to their published outputs.

The watcher is started as a subprocess; it is ready when a probe file dropped in has come
out (that also loads spaCy, as a service that has run a while has). Then the files are
dropped at a steady rate, each written under a temporary name outside the inbox, closed,
and renamed in (the inbox takes a file renamed in at once; one written in place waits
`--settle` seconds). A file is published when its source has moved into its output folder
`OUT/<doc-id>/<name>`: the inbox moves it there only after every output of it is in place
(`pipeline/service/inbox.py`, `handle_paper`); one that failed lands in `INBOX/failed/`.
The latency of a file runs from its rename into the inbox to the moment it is seen there
(polled every 20 ms).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.measure import Sampler, stop_group

POLL = 0.02
READY_TIMEOUT = 300.0


@dataclass
class InboxRun:
    files: int
    rate: float
    latencies: list[float] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    startup: float | None = None  # from start to the probe's outputs
    tree_peak_mb: float | None = None
    error: str | None = None


def published(out: Path, inbox: Path, names: set[str]) -> dict[str, str]:
    """Which of `names` are done (`out`) or set aside (`failed`)."""
    found: dict[str, str] = {}
    try:
        folders = [e for e in os.scandir(out) if e.is_dir() and not e.name.startswith(".")]
    except OSError:
        folders = []
    for folder in folders:
        try:
            inside = os.listdir(folder.path)
        except OSError:
            continue
        for name in inside:
            if name in names:
                found[name] = "done"
    failed = inbox / "failed"
    if failed.is_dir():
        for name in os.listdir(failed):
            if name in names:
                found[name] = "failed"
    return found


def drop(source: Path, inbox: Path, staging: Path) -> float:
    """Copy `source` beside the inbox, close it, rename it in; returns the time of the rename."""
    scratch = staging / source.name
    shutil.copyfile(source, scratch)
    os.rename(scratch, inbox / source.name)
    return time.monotonic()


def measure_inbox(
    command: list[str],
    files: list[Path],
    probe: Path,
    work: Path,
    rate: float = 5.0,
    env: dict[str, str] | None = None,
    timeout: float = 900.0,
) -> InboxRun:
    """Start `command + [INBOX, --out, OUT]`, drop `files` at `rate` per second, time them."""
    shutil.rmtree(work, ignore_errors=True)
    inbox, out, staging = work / "inkorg", work / "utkorg", work / "staging"
    for folder in (inbox, out, staging):
        folder.mkdir(parents=True)
    run = InboxRun(len(files), rate)
    log = open(work / "watch.log", "wb")  # noqa: SIM115  (closed in the finally below)
    started = time.monotonic()
    proc = subprocess.Popen(
        [*command, str(inbox), "--out", str(out)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    sampler = Sampler(proc.pid)
    sampler.start()
    try:
        drop(probe, inbox, staging)
        while not published(out, inbox, {probe.name}):
            if proc.poll() is not None or time.monotonic() - started > READY_TIMEOUT:
                run.error = f"watch did not get ready (exit {proc.poll()}); see {work}/watch.log"
                return run
            time.sleep(POLL)
        run.startup = time.monotonic() - started
        closed: dict[str, float] = {}
        done: dict[str, float] = {}

        def dropper() -> None:
            t0 = time.monotonic()
            for i, path in enumerate(files):
                delay = t0 + i / rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                closed[path.name] = drop(path, inbox, staging)

        thread = threading.Thread(target=dropper, daemon=True)
        thread.start()
        names = {p.name for p in files}
        deadline = time.monotonic() + timeout
        while len(done) < len(names) and time.monotonic() < deadline and proc.poll() is None:
            waiting = {n for n in names if n not in done and n in closed}
            if waiting:
                now = time.monotonic()
                for name, state in published(out, inbox, waiting).items():
                    done[name] = now
                    if state == "failed":
                        run.failed.append(name)
            time.sleep(POLL)
        thread.join()
        run.latencies = [done[n] - closed[n] for n in sorted(done) if n in closed]
        run.missing = sorted(names - set(done))
        if proc.poll() is not None and run.missing:
            run.error = f"watch stopped (exit {proc.returncode}); see {work}/watch.log"
        return run
    finally:
        run.tree_peak_mb = sampler.peak_kb / 1024
        sampler.done.set()
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                stop_group(proc.pid)
                proc.wait()
        stop_group(proc.pid)
        log.close()
