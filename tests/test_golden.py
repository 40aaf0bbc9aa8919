"""Golden files: each sample's JSON must match `sample_docs/golden/<file name>.json`.

The golden files change only under `ATTSATS_UPDATE_GOLDEN=1` (`make golden`);
`test_golden_flag.py` makes sure a normal test run never has that flag on.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES

from extractors import SUFFIXES
from pipeline.stages.run import analyze

GOLDEN = SAMPLES / "golden"
UPDATE = os.environ.get("ATTSATS_UPDATE_GOLDEN") == "1"
SAMPLE_FILES = sorted(p for p in SAMPLES.iterdir() if p.suffix in SUFFIXES)


def as_golden(path: Path) -> dict:
    """The sample's JSON, read by its path relative to the checkout so it is portable."""
    return analyze(path.relative_to(ROOT)).model_dump(mode="json")


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_sample_matches_its_golden_file(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    actual = as_golden(path)
    golden = GOLDEN / f"{path.name}.json"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert golden.exists(), f"no golden file for {path.name}: run `make golden` and review the diff"
    assert actual == json.loads(golden.read_text(encoding="utf-8"))


def test_every_golden_file_has_its_sample() -> None:
    names = {p.name for p in SAMPLE_FILES}
    assert [
        g.name for g in GOLDEN.glob("*.json") if g.name.removesuffix(".json") not in names
    ] == []
