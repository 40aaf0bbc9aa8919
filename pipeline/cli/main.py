"""The `attsats` command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli.service_cmd import (
    StyrmodellOption,
    TemplatesOption,
    batch_command,
    checked_settings,
    serve_command,
    watch_command,
)
from pipeline.cli.styrmodell_cmd import app as styrmodell_app
from pipeline.cli.train_cmd import train_command
from pipeline.document import Document
from pipeline.outputs.folders import name_candidates, write_outputs
from pipeline.outputs.render import DraftError
from pipeline.outputs.summary import summary
from pipeline.privacy import install_log_masking
from pipeline.service.inputs import expand_inputs
from pipeline.stages.run import analyze

install_log_masking()  # no log line of any command carries a personnummer

app = typer.Typer(
    help="attsats: läser kommunala beslutsunderlag (motioner, tjänsteskrivelser, protokoll).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def folder_name(doc: Document, used: set[str]) -> str:
    """An output folder for a document: its file's name made safe, unique in this run."""
    candidates = name_candidates(Path(doc.source.path).name, doc.source.sha256)
    name = next((c for c in candidates if c not in used), None)
    n = 2
    while name is None or name in used:
        name, n = f"{candidates[-1]}-{n}", n + 1
    used.add(name)
    return name


@app.command("analyze")
def analyze_command(
    paths: Annotated[list[Path], typer.Argument(help="Filer eller mappar att läsa.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Skriv JSON i stället för en sammanfattning.")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Mapp att skriva till: en mapp per dokument med analysis.json, "
            "utkast.docx och bedömningstabeller (CSV, XLSX, HTML).",
        ),
    ] = None,
    templates: TemplatesOption = None,
    styrmodell: StyrmodellOption = None,
) -> None:
    """Läs dokument och visa vad de innehåller."""
    profile = checked_settings(styrmodell, templates).profile()
    files = list(expand_inputs(paths))
    if not files:
        typer.echo("Inga dokument att läsa i: " + ", ".join(map(str, paths)), err=True)
        raise typer.Exit(2)
    docs = [analyze(f, profile) for f in files]
    draft_failed: list[str] = []
    if out is not None:
        used: set[str] = set()
        for doc in docs:
            folder = out / folder_name(doc, used)
            try:
                write_outputs(doc, folder, templates)
            except DraftError as error:
                draft_failed.append(f"{doc.source.path}: {error}")
    if as_json:
        payload = [d.model_dump(mode="json") for d in docs]
        json.dump(
            payload[0] if len(payload) == 1 else payload, sys.stdout, ensure_ascii=False, indent=2
        )
        sys.stdout.write("\n")
    elif out is None:
        typer.echo("\n\n".join(summary(d) for d in docs))
    else:
        typer.echo(f"{len(docs)} dokument analyserade till {out}/")
    failed = [d for d in docs if d.status == "failed"]
    for doc in failed:
        for error in doc.errors:
            typer.echo(f"{doc.source.path}: {error.code} {error.message}", err=True)
    for message in draft_failed:
        typer.echo(message, err=True)
    if failed or draft_failed:
        raise typer.Exit(1)


@app.command("schema")
def schema_command() -> None:
    """Skriv JSON Schema för analysens JSON (det publika kontraktet)."""
    json.dump(Document.model_json_schema(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


@app.command("evaluate")
def evaluate_command(
    gold_dirs: Annotated[
        list[Path], typer.Argument(help="Mappar med <id>.gold.json och dokumenten.")
    ],
    formats: Annotated[
        str, typer.Option(help="Format att pröva, kommaseparerade.")
    ] = "txt,pdf,docx",
    report: Annotated[Path, typer.Option(help="Var JSON-rapporten skrivs.")] = Path(
        "out/evaluation.json"
    ),
) -> None:
    """Mät analysen mot facit (P/R/F1 per fält och per dokument)."""
    from pipeline.evaluation.evaluate import FORMATS, evaluate, render_table

    chosen = [f.strip() for f in formats.split(",") if f.strip()]
    unknown = sorted(set(chosen) - set(FORMATS))
    missing = [d for d in gold_dirs if not d.is_dir()]
    if unknown or missing:
        typer.echo(
            f"Okänt format: {unknown}" if unknown else f"Mapp saknas: {missing[0]}", err=True
        )
        raise typer.Exit(2)
    result = evaluate(gold_dirs, chosen)
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    typer.echo(render_table(result))
    typer.echo(f"\nRapport: {report}")
    if result["below_target"]:
        raise typer.Exit(1)


app.command("watch")(watch_command)
app.command("batch")(batch_command)
app.command("serve")(serve_command)
app.command("train")(train_command)
app.add_typer(styrmodell_app, name="styrmodell")
