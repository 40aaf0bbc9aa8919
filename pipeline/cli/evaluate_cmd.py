"""`attsats evaluate`: the analyzer against the gold of every corpus, along every route.

Kept apart from `pipeline.cli.main` so the scoring, the renderings and the leave-one-corpus-out
training are imported only when this command runs.
"""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path
from typing import Annotated

import typer

RoutesOption = Annotated[
    str | None,
    typer.Option(
        "--routes",
        help="Vägar att läsa varje dokument genom, kommaseparerade, eller 'all': txt, pdf, "
        "docx (egen typsättning), render-pdf, render-docx (../shared/tools/render.py), "
        "lo-pdf (LibreOffice). Standard: txt,pdf,docx.",
    ),
]


def evaluate_command(
    gold_dirs: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Mappar med <id>.gold.json och dokumenten. Utan mappar: sample_docs och "
            "varje korpus i ../shared/corpus."
        ),
    ] = None,
    routes: RoutesOption = None,
    formats: Annotated[
        str | None, typer.Option("--formats", hidden=True, help="Gammalt namn på --routes.")
    ] = None,
    enforce: Annotated[
        str,
        typer.Option(
            help="Mål som är krav (slutkod 1 under mål), kommaseparerade, eller @FIL med ett "
            "mönster per rad: korpus[:väg[:fält]], med jokertecken och alternativ med | "
            "('kungsbacka', 'web:txt', 'sample_docs|kungsbacka:txt|pdf:att_satser'). Tabellen "
            "visar alla celler ändå.",
        ),
    ] = "",
    report: Annotated[
        Path | None,
        typer.Option(
            help="Var JSON-rapporten skrivs (standard out/evaluation.json, med --loco "
            "out/loco.json)."
        ),
    ] = None,
    cache: Annotated[
        Path | None,
        typer.Option(
            help="Mapp för sparade renderingar (standard $ATTSATS_RENDER_CACHE eller "
            "~/.cache/attsats/renderings)."
        ),
    ] = None,
    loco: Annotated[
        bool,
        typer.Option(
            "--loco",
            help="Lämna-en-korpus-utanför: träna textklassificerarna utan en korpus i taget "
            "och mät på den (tränar, tar en halv minut).",
        ),
    ] = False,
) -> None:
    """Mät analysen mot facit: en tabell per korpus och väg (P/R/F1, mål, falska fynd) och
    förslagens överensstämmelse med tjänstepersonernas egna ställningstaganden."""
    if loco:
        loco_report(report or Path("out/loco.json"))
        return
    from pipeline.evaluation.agreement import format_report
    from pipeline.evaluation.evaluate import (
        FORMATS,
        default_folders,
        evaluate,
        read_enforce,
        render_table,
    )
    from pipeline.evaluation.routes import Renderer, parse_routes

    try:
        chosen = parse_routes(routes or formats or ",".join(FORMATS))
    except ValueError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from error
    folders = list(gold_dirs) if gold_dirs else default_folders()
    missing = [d for d in folders if not d.is_dir()]
    if missing or not folders:
        typer.echo(f"Mapp saknas: {missing[0]}" if missing else "Inga facitmappar.", err=True)
        raise typer.Exit(2)
    try:
        patterns = read_enforce(enforce)
    except OSError as error:
        typer.echo(f"Kan inte läsa --enforce {enforce}: {error}", err=True)
        raise typer.Exit(2) from error
    result = evaluate(folders, chosen, renderer=Renderer(cache), enforce=patterns)
    for pattern in patterns:
        corpus = pattern.partition(":")[0]
        if not any(
            fnmatch.fnmatchcase(c, alternative)
            for c in result["corpora"]
            for alternative in corpus.split("|")
        ):
            typer.echo(f"Obs: --enforce {pattern} gäller ingen korpus i körningen.", err=True)
    target = report or Path("out/evaluation.json")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    typer.echo(render_table(result))
    typer.echo("\n" + format_report(result["agreement"]))
    typer.echo(f"\nRapport: {target}")
    if result["failed"]:
        raise typer.Exit(1)


def loco_report(target: Path) -> None:
    from pipeline.evaluation.loco import leave_one_corpus_out, render_loco
    from pipeline.nlp.textcat import TASKS

    results = [leave_one_corpus_out(task) for task in TASKS]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    typer.echo("\n\n".join(render_loco(r) for r in results))
    typer.echo(f"\nRapport: {target}")
