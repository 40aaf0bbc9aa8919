"""`attsats evaluate`: the scoring itself, and the analyzer measured against the gold."""

from __future__ import annotations

import pytest
from conftest import CORPUS, SAMPLES, needs_corpus

from pipeline.evaluation.evaluate import FORMATS, Tally, compare_lists, compare_value, evaluate


def test_lists_are_compared_as_multisets_after_whitespace_normalisation() -> None:
    tally, misses = compare_lists(
        ["att  kommunen utreder frågan.", "att uppdraget redovisas."],
        ["att kommunen utreder\nfrågan.", "att kommunen inför avgifter."],
    )
    assert (tally.tp, tally.predicted, tally.gold) == (1, 2, 2)
    assert misses == {
        "missing": ["att uppdraget redovisas."],
        "extra": ["att kommunen inför avgifter."],
    }


def test_scores_of_empty_lists_are_perfect_and_of_misses_are_not() -> None:
    assert Tally().scores()["f1"] == 1.0
    assert Tally(tp=1, predicted=2, gold=1).scores() == {
        "precision": 0.5,
        "recall": 1.0,
        "f1": 0.6667,
        "accuracy": 1.0,
    }
    assert compare_value("besvarad", "avslag")[0].tp == 0


@pytest.fixture(scope="module")
def report() -> dict:
    folders = [SAMPLES] + ([CORPUS] if CORPUS.is_dir() else [])
    return evaluate(folders, FORMATS)


@pytest.mark.parametrize(
    ("field", "metric"),
    [
        ("att_satser", "f1"),
        ("doc_type", "accuracy"),
        ("diarienummer", "recall"),
        ("diarienummer", "precision"),
        ("status", "accuracy"),
        ("outcome", "accuracy"),
        ("beslut", "accuracy"),
        ("kallelse_items", "recall"),
        ("kallelse_items", "precision"),
        ("goals", "f1"),
    ],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_rendering_reaches_the_targets(
    report: dict, fmt: str, field: str, metric: str
) -> None:
    value = report["by_format"][fmt][field][metric]
    misses = [
        (d["id"], d["misses"].get(field))
        for d in report["documents"]
        if d["format"] == fmt and field in d["misses"]
    ]
    assert value == 1.0, misses


def test_nothing_is_below_target(report: dict) -> None:
    assert report["below_target"] == []


@needs_corpus
def test_the_corpus_is_part_of_the_evaluation(report: dict) -> None:
    assert {d["id"] for d in report["documents"]} >= {f"d{i:02d}" for i in range(1, 13)}
