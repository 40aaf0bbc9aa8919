"""Run a command as a subprocess and measure it: wall time and peak memory, children included.

Two figures for memory, both read from /proc every 0.1 s without extra packages:
`max_rss_mb`, the peak resident set (VmHWM) of the largest process in the command's tree, and
`tree_peak_mb`, the highest sum of the resident sets (VmRSS) of every process in the tree
(what the machine had to hold). Not `wait4`'s ru_maxrss: Linux carries a forked child's copy
of its parent's memory into it across exec, so a child of a large bench process would report
the bench's own size.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.1


@dataclass
class Measured:
    cmd: list[str]
    wall: float
    returncode: int
    max_rss_mb: float
    tree_peak_mb: float
    stdout: str
    stderr: str
    timed_out: bool = False


def children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                found += [int(c) for c in handle.read().split()]
        except OSError:
            continue
    return found


def memory_kb(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in kB; zeros when it is gone."""
    rss = hwm = 0
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
    except (OSError, ValueError):
        pass
    return rss, hwm


def cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read()
    except OSError:
        return b""


OWN_CMDLINE = cmdline(os.getpid())


def tree_memory_kb(root: int) -> tuple[int, dict[int, int]]:
    """The summed VmRSS of a process tree and each process's VmHWM. A child not yet past
    exec (still a copy of this process) is left out."""
    total, peaks, todo, seen = 0, {}, [root], set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        if cmdline(pid) != OWN_CMDLINE:
            rss, hwm = memory_kb(pid)
            total += rss
            peaks[pid] = hwm
        todo += children(pid)
    return total, peaks


class Sampler(threading.Thread):
    """Samples the summed RSS of a process tree until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.hwm_kb: dict[int, int] = {}
        self.done = threading.Event()

    def sample(self) -> None:
        total, peaks = tree_memory_kb(self.pid)
        self.peak_kb = max(self.peak_kb, total)
        for pid, hwm in peaks.items():
            self.hwm_kb[pid] = max(self.hwm_kb.get(pid, 0), hwm)

    @property
    def largest_kb(self) -> int:
        return max(self.hwm_kb.values(), default=0)

    def run(self) -> None:
        while not self.done.is_set():
            self.sample()
            self.done.wait(SAMPLE_SECONDS)


def stop_group(pid: int, sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def run_measured(
    cmd: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float | None = None,
    log: Path | None = None,
) -> Measured:
    """Run `cmd` in its own process group; stdout and stderr go to `log` (and are returned)."""
    log = log or Path(os.devnull)
    log.parent.mkdir(parents=True, exist_ok=True)
    err_log = log.with_suffix(".err") if log != Path(os.devnull) else log
    with open(log, "wb") as out, open(err_log, "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            cmd, env=env, cwd=cwd, stdout=out, stderr=err, start_new_session=True
        )
        sampler = Sampler(proc.pid)
        sampler.start()
        timed_out = threading.Event()

        def expire() -> None:
            timed_out.set()
            stop_group(proc.pid)

        timer = threading.Timer(timeout, expire) if timeout else None
        if timer:
            timer.start()
        _, status = os.waitpid(proc.pid, 0)
        wall = time.perf_counter() - started
        if timer:
            timer.cancel()
        sampler.done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        stop_group(proc.pid)  # nothing of it left running
    read = (
        (lambda p: p.read_text(encoding="utf-8", errors="replace"))
        if log != Path(os.devnull)
        else (lambda p: "")
    )
    return Measured(
        cmd=[str(c) for c in cmd],
        wall=wall,
        returncode=proc.returncode,
        max_rss_mb=sampler.largest_kb / 1024,
        tree_peak_mb=sampler.peak_kb / 1024,
        stdout=read(log),
        stderr=read(err_log),
        timed_out=timed_out.is_set(),
    )
