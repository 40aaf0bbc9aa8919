"""Readers that misbehave, run in the isolated worker by the reliability tests
(`process_file(..., reader="hostile_readers:<name>")`): the worker imports them by name."""

from __future__ import annotations

import os
import time
from pathlib import Path


def sleeps_forever(path: Path, profile: object = None) -> list:
    """A parser that hangs."""
    while True:
        time.sleep(60)


def allocates_without_bound(path: Path, profile: object = None) -> list:
    """A parser that explodes in memory (a decompression bomb, a runaway loop)."""
    hoard = []
    while True:
        hoard.append(bytearray(32 * 1024**2))


def always_raises(path: Path, profile: object = None) -> list:
    """A parser that fails on this file every time."""
    raise RuntimeError("parsern kraschar alltid på den här filen")


def dies(path: Path, profile: object = None) -> list:
    """A parser that takes its process with it (a crash in C code)."""
    os._exit(11)


def slow_and_signed(path: Path, profile: object = None) -> list:
    """A well-behaved but slow parser that signs its paper with the worker's process id."""
    from pipeline.service.bundles import analyze_file

    time.sleep(1.0)
    docs = analyze_file(path, profile=profile)
    for doc in docs:
        doc.title = f"läst av {os.getpid()}"
    return docs
