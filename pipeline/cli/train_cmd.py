"""`attsats train`: retrain the text classifiers from the annotated set and report how they do.

`pipeline.nlp.textcat` imports spaCy only when it trains, so other commands start without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from pipeline.nlp.textcat import METRICS_FILE, SEED, TASKS, TRAINING_DIR, train


def render_metrics(metrics: dict[str, Any]) -> str:
    """A plain table per classifier: accuracy and P/R/F1 per label on the held-back split."""
    lines = []
    for name, task in metrics["tasks"].items():
        lines.append(
            f"{name}: träffsäkerhet {task['accuracy']:.1%} på {task['dev_examples']} "
            f"undanhållna exempel ({task['train_examples']} träningsexempel)"
        )
        lines.append(f"  {'etikett':<15}{'antal':>6}{'träff':>8}{'P':>8}{'R':>8}{'F1':>8}")
        for label, s in task["labels"].items():
            lines.append(
                f"  {label:<15}{s['support']:>6}{s['accuracy']:>8.2f}"
                f"{s['precision']:>8.2f}{s['recall']:>8.2f}{s['f1']:>8.2f}"
            )
    return "\n".join(lines)


def train_command(
    out: Annotated[
        Path,
        typer.Option(
            help="Mapp där den tränade modellen sparas. Den levererade modellen "
            "(pipeline/nlp/models/clause_textcat) byts bara med `make model`."
        ),
    ],
    data: Annotated[
        Path, typer.Option(help="Mapp med clauses.jsonl och goals.jsonl.")
    ] = TRAINING_DIR,
    seed: Annotated[int, typer.Option(help="Slumpfrö; samma frö ger samma modell.")] = SEED,
) -> None:
    """Träna textklassificerarna (att-satsens typ, aktivitets- eller effektmål)."""
    missing = [data / task.data for task in TASKS if not (data / task.data).is_file()]
    if missing:
        typer.echo(f"Träningsdata saknas: {missing[0]}", err=True)
        raise typer.Exit(2)
    try:
        metrics = train(data, out, seed)
    except ValueError as error:
        typer.echo(f"Träningsdata är felaktiga: {error}", err=True)
        raise typer.Exit(2) from error
    typer.echo(render_metrics(metrics))
    typer.echo(f"\nModell: {out}/\nMått: {out / METRICS_FILE}")
