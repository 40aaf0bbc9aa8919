"""Shared test fixtures: where the samples and the shared corpus live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# A command that borrows a kept-warm Prefect server stops it when it ends, as before:
# tests start many commands in temporary folders (tests/test_warm_server.py keeps one).
os.environ.setdefault("ATTSATS_SERVER_IDLE", "0")

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_docs"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "kungsbacka"
SEEDS = sorted(SAMPLES.glob("0*.txt"))


def corpus_files() -> list[Path]:
    """The shared Kungsbacka corpus, or nothing when ../shared is not beside the checkout."""
    return sorted(CORPUS.glob("d*.txt")) if CORPUS.is_dir() else []


needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason=f"shared corpus not found at {CORPUS} (../shared beside the checkout)",
)
