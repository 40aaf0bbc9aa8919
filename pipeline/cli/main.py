"""The `attsats` command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli.evaluate_cmd import evaluate_command
from pipeline.cli.search_cmd import search_command
from pipeline.cli.service_cmd import (
    StyrmodellOption,
    TemplatesOption,
    batch_command,
    checked_settings,
    serve_command,
    watch_command,
)
from pipeline.cli.styrmodell_cmd import app as styrmodell_app
from pipeline.cli.swedish import install as speak_swedish
from pipeline.cli.train_cmd import train_command
from pipeline.document import Document
from pipeline.outputs.folders import name_candidates, write_outputs
from pipeline.outputs.render import DraftError
from pipeline.outputs.summary import summary
from pipeline.privacy import install_log_masking
from pipeline.service.bundles import analyze_file
from pipeline.service.inputs import expand_inputs

speak_swedish()
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
    if doc.source.bundle is not None:  # one of several papers in the file, named as batch does
        width = max(2, len(str(doc.source.bundle.parts)))
        candidates = [f"{c}-del-{doc.source.bundle.part:0{width}d}" for c in candidates]
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
    docs = [doc for f in files for doc in analyze_file(f, profile)]
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


app.command("evaluate")(evaluate_command)
app.command("watch")(watch_command)
app.command("batch")(batch_command)
app.command("serve")(serve_command)
app.command("train")(train_command)
app.command("sok")(search_command)
app.add_typer(styrmodell_app, name="styrmodell")
