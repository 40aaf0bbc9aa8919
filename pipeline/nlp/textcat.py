"""The trained text classifiers: what an att-sats decides, and whether a goal is an activity.

One small spaCy pipeline holds two exclusive text categorizers: `clause_kind` (uppdrag,
utredning, regel, ...) for att-satser and decision points, and `goal_kind` (aktivitetsmal,
effektmal) for goals. Both train on CPU in seconds from the annotated set in
`pipeline/nlp/training/`; the trained pipeline is committed under
`pipeline/nlp/models/clause_textcat/` and loads offline with `spacy.load`. It uses the same
`spacy.blank("sv")` tokenizer as `pipeline.nlp.language` but none of that pipeline's custom
components, so loading it needs nothing from attsats (its lemma table would make the model
tens of MB and did not improve held-back accuracy). Texts are lower-cased before
classification: call `predict_clause_kind`/`predict_goal_kind` rather than the loaded
pipeline directly.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from pipeline.document import ClauseKind, GoalKind

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.training import Example

CLAUSE_KINDS: tuple[str, ...] = get_args(ClauseKind)
GOAL_KINDS: tuple[str, ...] = get_args(GoalKind)

TRAINING_DIR = Path(__file__).resolve().parent / "training"
MODEL_DIR = Path(__file__).resolve().parent / "models" / "clause_textcat"
METRICS_FILE = "metrics.json"
SPLITS = ("train", "dev")

SEED = 2025
EPOCHS = 20
BATCH_SIZE = 8
DROPOUT = 0.2
# The kind of an att-sats lies in its words (utreda, senast, kronor, antar, remitterar):
# word unigrams and bigrams, hashed into 2**16 rows (fewer collide visibly on held-back
# accuracy, more only grow the model).
CLAUSE_MODEL = {
    "@architectures": "spacy.TextCatBOW.v3",
    "exclusive_classes": True,
    "ngram_size": 2,
    "no_output_layer": False,
    "length": 2**16,
}
# A goal's kind lies in its form: an infinitive first ("Genomföra ...", "Ta fram ...") or a
# state ("... ökar", "Invånarna upplever ..."). A small CNN with subword features that also
# reads the first token's vector sees that; bag-of-words scored ~5 points lower in
# cross-validation.
GOAL_MODEL = {
    "@architectures": "spacy.TextCatReduce.v1",
    "exclusive_classes": True,
    "use_reduce_first": True,
    "use_reduce_last": False,
    "use_reduce_max": True,
    "use_reduce_mean": True,
    "tok2vec": {
        "@architectures": "spacy.HashEmbedCNN.v2",
        "pretrained_vectors": None,
        "width": 64,
        "depth": 2,
        "embed_size": 1000,
        "window_size": 1,
        "maxout_pieces": 3,
        "subword_features": True,
    },
}


@dataclass(frozen=True)
class Task:
    """One classifier: its component name, labels, data file and model architecture."""

    name: str
    labels: tuple[str, ...]
    data: str
    model: dict[str, Any]


CLAUSE_TASK = Task("clause_kind", CLAUSE_KINDS, "clauses.jsonl", CLAUSE_MODEL)
GOAL_TASK = Task("goal_kind", GOAL_KINDS, "goals.jsonl", GOAL_MODEL)
TASKS = (CLAUSE_TASK, GOAL_TASK)


@dataclass(frozen=True)
class Labelled:
    """One annotated text: its gold label, where it came from and its fixed split."""

    text: str
    label: str
    source: str
    split: str


def read_examples(task: Task, directory: Path = TRAINING_DIR) -> list[Labelled]:
    """The annotated texts of a task, checked so a typo in a label cannot train silently."""
    path = directory / task.data
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            item = Labelled(row["text"], row["label"], row["source"], row["split"])
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path.name} rad {number}: ogiltig rad ({error})") from error
        if item.label not in task.labels or item.split not in SPLITS or not item.text.strip():
            raise ValueError(
                f"{path.name} rad {number}: okänd etikett eller delmängd "
                f"({item.label!r}, {item.split!r}) eller tom text"
            )
        rows.append(item)
    return rows


def data_digest(task: Task, directory: Path = TRAINING_DIR) -> str:
    """The SHA-256 of a task's data file, kept in the metrics to show which data trained it."""
    return hashlib.sha256((directory / task.data).read_bytes()).hexdigest()


def _clean(text: str) -> str:
    """The form both classifiers see: lower case, whitespace collapsed.

    Capitals in titles ("antar Regler för …") and line breaks from PDFs would otherwise make
    new features out of known words.
    """
    return " ".join(text.lower().split())


def _example(nlp: Language, task: Task, item: Labelled) -> Example:
    from spacy.training import Example

    cats = {label: float(label == item.label) for label in task.labels}
    return Example.from_dict(nlp.make_doc(_clean(item.text)), {"cats": cats})


def build_untrained() -> Language:
    """A blank Swedish pipeline with one exclusive text categorizer per task."""
    import spacy

    nlp = spacy.blank("sv")
    for task in TASKS:
        nlp.add_pipe("textcat", name=task.name, config={"model": task.model})
        nlp.config["initialize"]["components"][task.name] = {"labels": list(task.labels)}
    return nlp


def train(
    data_dir: Path = TRAINING_DIR, out_dir: Path = MODEL_DIR, seed: int = SEED
) -> dict[str, Any]:
    """Train both classifiers on the train split, save the pipeline and its held-back metrics.

    Deterministic: the weights are seeded and the batches shuffled from `seed`; each task
    updates only its own component, so a clause never teaches the goal classifier.
    """
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    nlp = build_untrained()
    data = {task.name: read_examples(task, data_dir) for task in TASKS}
    train_sets = {
        task.name: [_example(nlp, task, r) for r in data[task.name] if r.split == "train"]
        for task in TASKS
    }
    optimizer = nlp.initialize(lambda: [eg for egs in train_sets.values() for eg in egs])
    for task in TASKS:
        # Reseeded per task, so adding clauses does not change how the goals train.
        fix_random_seed(seed)
        rng = random.Random(seed)
        others = [other.name for other in TASKS if other.name != task.name]
        examples = train_sets[task.name][:]
        for _ in range(EPOCHS):
            rng.shuffle(examples)
            for batch in minibatch(examples, BATCH_SIZE):
                nlp.update(batch, sgd=optimizer, drop=DROPOUT, exclude=others)

    metrics: dict[str, Any] = {
        "seed": seed,
        "epochs": EPOCHS,
        "tasks": {},
    }
    for task in TASKS:
        dev = [r for r in data[task.name] if r.split == "dev"]
        result = evaluate(nlp, task, dev)
        result["train_examples"] = len(train_sets[task.name])
        result["architecture"] = task.model["@architectures"]
        result["data_sha256"] = data_digest(task, data_dir)
        metrics["tasks"][task.name] = result
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp.meta["name"] = "attsats_clause_textcat"
    nlp.meta["description"] = "attsats: clause_kind and goal_kind text classifiers"
    # Any 3.8 loads it (pyproject pins spacy 3.8); spaCy would otherwise demand this patch.
    nlp.meta["spacy_version"] = ">=3.8.0,<3.9.0"
    nlp.meta["license"] = "MIT"
    nlp.to_disk(out_dir)
    (out_dir / METRICS_FILE).write_text(
        json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    load_model.cache_clear()
    return metrics


def _predict_with(nlp: Language, task: Task, text: str) -> tuple[str, float]:
    others = [t.name for t in TASKS if t.name != task.name]
    cats = nlp(_clean(text), disable=others).cats
    label = max(task.labels, key=lambda lab: cats[lab])
    return label, float(cats[label])


def evaluate(nlp: Language, task: Task, items: list[Labelled]) -> dict[str, Any]:
    """Accuracy overall and per gold label, with precision/recall/F1 per label."""
    predicted = [_predict_with(nlp, task, item.text)[0] for item in items]
    gold = [item.label for item in items]
    per_label = {}
    for label in task.labels:
        support = gold.count(label)
        chosen = predicted.count(label)
        hits = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == label)
        precision = hits / chosen if chosen else 0.0
        recall = hits / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {
            "support": support,
            "accuracy": round(recall, 4),
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
        }
    correct = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p)
    return {
        "dev_examples": len(items),
        "accuracy": round(correct / len(items), 4) if items else 0.0,
        "labels": per_label,
    }


@cache
def load_model(path: Path = MODEL_DIR) -> Language:
    """The committed pipeline, loaded once per process."""
    import spacy

    if not (path / "config.cfg").is_file():
        raise FileNotFoundError(f"Textklassificeraren saknas i {path}; skapa den med `make model`.")
    return spacy.load(path)


def predict_clause_kind(text: str) -> tuple[str, float]:
    """The kind of decision an att-sats is (one of CLAUSE_KINDS) and the model's score."""
    return _predict_with(load_model(), CLAUSE_TASK, text)


def predict_goal_kind(text: str) -> tuple[str, float]:
    """Whether a goal is an activity or an effect goal (GOAL_KINDS) and the model's score."""
    return _predict_with(load_model(), GOAL_TASK, text)
