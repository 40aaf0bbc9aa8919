"""Leave-one-corpus-out: how the trained text classifiers score on a corpus they never saw.

The held-back dev split of `pipeline/nlp/training/` mixes every source, so it says how the model
does on more of the same. Here each group of the annotated set is held out in turn: the
classifier is trained on every example (both splits) of the other groups and scored on all of
the held-out group's. Next to it, the usual model (trained on the train split of every group)
is scored on the same group's dev share, so the gap between the two columns is what the
model lost by never seeing that corpus.

The records carry no corpus field; the group is read from their `source`
(see `pipeline/nlp/training/README.md`): `seed:<stem>` -> `seeds` (the four seed papers, the
project's `sample_docs`), `corpus:<name>/<id> (...)` -> `<name>` (e.g. `kungsbacka`),
`authored` -> `authored` (written for the set; not a corpus, but held out too, so the real
papers are scored by a model trained on nothing else). Seeded and deterministic.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.nlp.textcat import (
    BATCH_SIZE,
    CLAUSE_TASK,
    DROPOUT,
    EPOCHS,
    SEED,
    TRAINING_DIR,
    Labelled,
    Task,
    _example,
    evaluate,
    read_examples,
)

SOURCE_GROUP = re.compile(r"^(?:(?P<seed>seed):|corpus:(?P<corpus>[^/\s]+)/|(?P<other>[\w-]+))")


def group_of(source: str) -> str:
    """The corpus an annotated text came from, read from its `source`."""
    m = SOURCE_GROUP.match(source)
    if m is None:
        raise ValueError(f"okänd källa i träningsdata: {source!r}")
    if m.group("seed"):
        return "seeds"
    return m.group("corpus") or m.group("other")


def train_task(task: Task, items: list[Labelled], seed: int = SEED):
    """A blank Swedish pipeline with only `task`'s classifier, trained on `items`: the same
    architecture, epochs, batches and dropout as `attsats train`."""
    import spacy
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    nlp = spacy.blank("sv")
    nlp.add_pipe("textcat", name=task.name, config={"model": task.model})
    examples = [_example(nlp, task, item) for item in items]
    optimizer = nlp.initialize(lambda: examples)
    # Reseeded after initialisation, as `attsats train` does per task.
    fix_random_seed(seed)
    rng = random.Random(seed)
    for _ in range(EPOCHS):
        rng.shuffle(examples)
        for batch in minibatch(examples, BATCH_SIZE):
            nlp.update(batch, sgd=optimizer, drop=DROPOUT)
    return nlp


def _summary(result: dict[str, Any]) -> dict[str, Any]:
    labels = result["labels"]
    scored = [s for s in labels.values() if s["support"]]
    macro = sum(s["f1"] for s in scored) / len(scored) if scored else 0.0
    return {
        "examples": result["dev_examples"],
        "accuracy": result["accuracy"],
        "macro_f1": round(macro, 4),
        "labels": labels,
    }


def leave_one_corpus_out(
    task: Task = CLAUSE_TASK, data_dir: Path = TRAINING_DIR, seed: int = SEED
) -> dict[str, Any]:
    """One fold per group: trained without it, scored on it; and the mixed model on its dev."""
    rows = read_examples(task, data_dir)
    groups = sorted({group_of(r.source) for r in rows})
    mixed = train_task(task, [r for r in rows if r.split == "train"], seed)
    folds = []
    for group in groups:
        held_out = [r for r in rows if group_of(r.source) == group]
        training = [r for r in rows if group_of(r.source) != group]
        nlp = train_task(task, training, seed)
        dev = [r for r in held_out if r.split == "dev"]
        majority = Counter(r.label for r in training).most_common(1)[0][0]
        folds.append(
            {
                "group": group,
                "train_examples": len(training),
                "held_out": _summary(evaluate(nlp, task, held_out)),
                "majority_label": majority,
                "majority_accuracy": round(
                    sum(1 for r in held_out if r.label == majority) / len(held_out), 4
                ),
                "mixed_dev": _summary(evaluate(mixed, task, dev)) if dev else None,
            }
        )
    return {"task": task.name, "seed": seed, "groups": groups, "folds": folds}


def render_loco(result: dict[str, Any]) -> str:
    """The folds as a table (Swedish headers, as the rest of `attsats evaluate`)."""
    lines = [
        f"Lämna-en-korpus-utanför: {result['task']} (frö {result['seed']})",
        f"{'utelämnad':<14}{'träning':>9}{'prov':>6}{'träff':>8}{'makro-F1':>10}"
        f"{'majoritet':>11}{'blandad dev':>13}",
    ]
    for fold in result["folds"]:
        held, mixed = fold["held_out"], fold["mixed_dev"]
        mixed_text = f"{mixed['accuracy']:.2f} ({mixed['examples']})" if mixed else "-"
        lines.append(
            f"{fold['group']:<14}{fold['train_examples']:>9}{held['examples']:>6}"
            f"{held['accuracy']:>8.2f}{held['macro_f1']:>10.2f}"
            f"{fold['majority_accuracy']:>11.2f}{mixed_text:>13}"
        )
    lines.append(
        "träff: andel rätt på den utelämnade gruppen (tränad utan den); majoritet: andel med "
        "träningens vanligaste etikett; blandad dev: den vanliga modellen på gruppens dev-del."
    )
    return "\n".join(lines)
