"""The annotated set, the committed text classifiers and their held-back accuracy."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from conftest import CORPUS, SEEDS, needs_corpus
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.nlp.textcat import (
    CLAUSE_KINDS,
    CLAUSE_TASK,
    GOAL_KINDS,
    GOAL_TASK,
    METRICS_FILE,
    MODEL_DIR,
    TASKS,
    data_digest,
    evaluate,
    load_model,
    predict_clause_kind,
    predict_goal_kind,
    read_examples,
)

# The committed model must reach these on the held-back split (it scores 0.78 and 0.90, no
# label below 0.70). Nine clause kinds from ~550 examples: neighbouring kinds (uppdrag/utredning,
# regel/policy) still get confused, hence the lower per-label floor.
CLAUSE_MIN_ACCURACY = 0.75
CLAUSE_MIN_LABEL_ACCURACY = 0.60
GOAL_MIN_ACCURACY = 0.85
GOAL_MIN_LABEL_ACCURACY = 0.80


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def _norm(text: str) -> str:
    """Whitespace collapsed and the converter's table-cell breaks undone, to find a quote."""
    return " ".join(text.replace("<br>", " ").split())


ALL = {task.name: read_examples(task) for task in TASKS}


def test_data_set_is_large_balanced_and_split():
    assert sum(len(rows) for rows in ALL.values()) >= 400
    for task in TASKS:
        counts = Counter(r.label for r in ALL[task.name])
        assert set(counts) == set(task.labels), task.name
        for label in task.labels:
            dev = sum(1 for r in ALL[task.name] if r.label == label and r.split == "dev")
            assert counts[label] >= 30, (task.name, label)
            assert 0.15 <= dev / counts[label] <= 0.25, (task.name, label, dev)


def test_no_text_occurs_twice():
    keys = Counter(_key(r.text) for rows in ALL.values() for r in rows)
    assert [k for k, n in keys.items() if n > 1] == []


def test_every_example_names_its_source():
    pattern = re.compile(r"^(authored|seed:\d{3}_[0-9a-f]+|corpus:kungsbacka/d\d\d \(.+\))$")
    bad = [r.source for rows in ALL.values() for r in rows if not pattern.match(r.source)]
    assert bad == []


def test_seed_quotes_occur_in_their_seed():
    seeds = {path.stem: _norm(path.read_text(encoding="utf-8")) for path in SEEDS}
    quoted = [r for rows in ALL.values() for r in rows if r.source.startswith("seed:")]
    assert len(quoted) >= 10
    for row in quoted:
        assert _norm(row.text) in seeds[row.source.removeprefix("seed:")], row.text


@needs_corpus
def test_corpus_quotes_are_single_clauses_found_in_the_corpus():
    quoted = [r for rows in ALL.values() for r in rows if r.source.startswith("corpus:")]
    assert len(quoted) >= 20
    for row in quoted:
        doc = re.match(r"corpus:kungsbacka/(d\d\d)", row.source).group(1)
        assert _norm(row.text) in _norm((CORPUS / f"{doc}.txt").read_text(encoding="utf-8"))
        assert len(row.text) <= 300, row.text


@pytest.mark.parametrize(
    "line",
    [
        '{"text": "att utreda frågan.", "label": "utreda", "source": "authored", "split": "dev"}',
        '{"text": "att utreda frågan.", "label": "utredning", "source": "authored", "split": "x"}',
        '{"text": "att utreda frågan.", "label": "utredning", "split": "dev"}',
        '{"text": "att utreda frågan.", "label": "utredning",',
    ],
    ids=["unknown label", "unknown split", "missing source", "broken json"],
)
def test_bad_training_lines_are_refused_with_their_line_number(tmp_path, line):
    good = (
        '{"text": "att motionen avslås.", "label": "annat", "source": "authored", "split": "train"}'
    )
    (tmp_path / "clauses.jsonl").write_text(f"{good}\n{line}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="clauses.jsonl rad 2"):
        read_examples(CLAUSE_TASK, tmp_path)
    (tmp_path / "goals.jsonl").write_text("", encoding="utf-8")
    result = CliRunner().invoke(app, ["train", "--data", str(tmp_path), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "Träningsdata är felaktiga" in result.output


def test_committed_model_loads_with_plain_spacy_and_is_small():
    import spacy

    nlp = spacy.load(MODEL_DIR)
    assert nlp.pipe_names == ["clause_kind", "goal_kind"]
    assert nlp.get_pipe("clause_kind").labels == CLAUSE_KINDS
    assert nlp.get_pipe("goal_kind").labels == GOAL_KINDS
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    assert size < 5_000_000


def test_committed_model_was_trained_on_the_committed_data():
    metrics = json.loads((MODEL_DIR / METRICS_FILE).read_text(encoding="utf-8"))
    for task in TASKS:
        assert metrics["tasks"][task.name]["data_sha256"] == data_digest(task), (
            f"{task.data} changed since the model was trained: run `make model`"
        )


@pytest.mark.parametrize(
    ("task", "floor", "label_floor"),
    [
        (CLAUSE_TASK, CLAUSE_MIN_ACCURACY, CLAUSE_MIN_LABEL_ACCURACY),
        (GOAL_TASK, GOAL_MIN_ACCURACY, GOAL_MIN_LABEL_ACCURACY),
    ],
    ids=lambda v: getattr(v, "name", None),
)
def test_held_back_accuracy(task, floor, label_floor):
    dev = [r for r in ALL[task.name] if r.split == "dev"]
    result = evaluate(load_model(), task, dev)
    per_label = {label: s["accuracy"] for label, s in result["labels"].items()}
    assert result["accuracy"] >= floor, per_label
    assert min(per_label.values()) >= label_floor, per_label
    recorded = json.loads((MODEL_DIR / METRICS_FILE).read_text(encoding="utf-8"))
    assert recorded["tasks"][task.name]["accuracy"] == result["accuracy"]


# Sentences that are not in the annotated set (checked below).
CLAUSES = [
    (
        "att kommunstyrelsen får i uppdrag att ta fram en strategi för ökat bostadsbyggande.",
        "uppdrag",
    ),
    (
        "att barn- och utbildningsnämnden ges i uppdrag att införa skolfrukost på alla skolor.",
        "uppdrag",
    ),
    ("att utreda möjligheten att inrätta en fritidsbank i kommunen.", "utredning"),
    ("att samhällsbyggnadsnämnden ges i uppdrag att se över parkeringsnormen.", "utredning"),
    ("att det ska vara förbjudet att röka vid kommunens busshållplatser.", "regel"),
    ("Kommunfullmäktige antar taxa för offentlig kontroll av livsmedel.", "regel"),
    ("att ett äldreråd inrättas.", "organisation"),
    ("att ansvaret för kommunens lokaler flyttas till servicenämnden.", "organisation"),
    ("att resultatet redovisas för kommunfullmäktige varje år.", "uppfoljning"),
    ("att effekterna av satsningen följs upp och redovisas i årsredovisningen.", "uppfoljning"),
    ("att arbetet ska vara slutfört senast den 31 december 2026.", "tidsplan"),
    ("att beslutet börjar gälla den 1 januari 2027.", "tidsplan"),
    ("att 3 miljoner kronor avsätts i budget 2027 för ökad bemanning i hemtjänsten.", "resurs"),
    ("att kommunen antar en policy för hållbar upphandling.", "policy"),
    ("att kommunen ska verka för att fler äldre kan bo kvar hemma.", "policy"),
    ("att motionen anses besvarad.", "annat"),
    ("Kommunstyrelsen remitterar motionen till socialnämnden för yttrande.", "annat"),
]
GOALS = [
    ("Genomföra en utbildning i barnkonventionen för alla chefer.", "aktivitetsmal"),
    ("Ta fram en plan för ökad trygghet i skolan.", "aktivitetsmal"),
    ("Utveckla samarbetet med näringslivet.", "aktivitetsmal"),
    ("Ökad andel elever som fullföljer gymnasiet.", "effektmal"),
    ("Andelen invånare som är nöjda med renhållningen ökar.", "effektmal"),
    ("Barnen i kommunen har en trygg uppväxt.", "effektmal"),
]


def test_example_sentences_are_unseen():
    known = {_key(r.text) for rows in ALL.values() for r in rows}
    assert [t for t, _ in CLAUSES + GOALS if _key(t) in known] == []


@pytest.mark.parametrize(("text", "expected"), CLAUSES)
def test_clause_kind(text, expected):
    label, score = predict_clause_kind(text)
    assert label == expected
    assert 0.0 < score <= 1.0


@pytest.mark.parametrize(("text", "expected"), GOALS)
def test_goal_kind(text, expected):
    label, score = predict_goal_kind(text)
    assert label == expected
    assert score > 0.5


def test_line_breaks_and_capitals_do_not_change_the_answer():
    text = "att kommunstyrelsen får i uppdrag att utreda\nmöjligheten att bygga en ny simhall."
    assert predict_clause_kind(text) == predict_clause_kind(" ".join(text.upper().split()))


def test_train_command_writes_a_loadable_model(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for task in TASKS:
        rows = ALL[task.name]
        small = [r for label in task.labels for r in [x for x in rows if x.label == label][:4]]
        lines = [json.dumps(r.__dict__, ensure_ascii=False) for r in small]
        (data / task.data).write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "model"
    result = CliRunner().invoke(app, ["train", "--data", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "clause_kind: träffsäkerhet" in result.output
    metrics = json.loads((out / METRICS_FILE).read_text(encoding="utf-8"))
    assert set(metrics["tasks"]) == {"clause_kind", "goal_kind"}
    assert set(metrics["tasks"]["clause_kind"]["labels"]) == set(CLAUSE_KINDS)
    assert load_model(out).pipe_names == ["clause_kind", "goal_kind"]


def test_train_command_refuses_missing_data(tmp_path):
    result = CliRunner().invoke(app, ["train", "--data", str(tmp_path), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "Träningsdata saknas" in result.output


def test_train_command_needs_a_folder_and_never_overwrites_the_shipped_model_by_default():
    before = (MODEL_DIR / "meta.json").stat().st_mtime_ns
    result = CliRunner().invoke(app, ["train"])
    assert result.exit_code == 2
    assert (MODEL_DIR / "meta.json").stat().st_mtime_ns == before
