"""`attsats sok`: search the archive a batch or inbox has built (`pipeline.service.precedents`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from pipeline.outputs.summary import DOC_TYPE_NAMES
from pipeline.service.precedents import archive_path, open_archive, rebuild, search

COLUMNS = (
    ("Typ", "doc_type"),
    ("Dnr", "dnr"),
    ("Datum", "date"),
    ("Utfall", "outcome"),
    ("Mapp", "folder"),
    ("Rubrik", "title"),
)
TITLE_WIDTH = 70


def render_table(found: list[dict[str, Any]]) -> str:
    """A plain text table, one paper a line, the title last so long titles do not push."""
    rows = [
        [
            DOC_TYPE_NAMES.get(p["doc_type"], p["doc_type"]),
            p["dnr"] or "-",
            p["date"] or "-",
            (p["outcome"] or "-").replace("_", " "),
            p["folder"],
            (p["title"] or "-")[:TITLE_WIDTH],
        ]
        for p in found
    ]
    header = [name for name, _ in COLUMNS]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    lines = []
    for row in [header, *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)


def search_command(
    fraga: Annotated[str, typer.Argument(help="Vad du söker, med vanliga ord.")],
    arkiv: Annotated[
        Path, typer.Option("--arkiv", help="Utmappen som en batch eller inkorg har skrivit till.")
    ],
    antal: Annotated[int, typer.Option("--antal", min=1, help="Högst så många träffar.")] = 10,
) -> None:
    """Sök tidigare motioner, svar och beslut i arkivet (fulltext, bästa träff först)."""
    archive = open_archive(arkiv)
    if not archive.exists():
        # A folder written before the archive existed: index what it holds, once.
        indexed = rebuild(arkiv) if arkiv.is_dir() else 0
        if not indexed:
            archive_path(arkiv).unlink(missing_ok=True)
            typer.echo(
                f"Inget arkiv i {arkiv}: kör `attsats batch` eller `attsats watch` med den"
                " utmappen.",
                err=True,
            )
            raise typer.Exit(2)
        typer.echo(f"Arkivet byggdes av {indexed} analyserade dokument i {arkiv}.", err=True)
    found = search(archive, fraga, antal)
    if not found:
        typer.echo("Inga träffar i arkivet.")
        return
    typer.echo(render_table(found))
