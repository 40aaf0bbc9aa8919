"""`attsats styrmodell list|show|validate`: the shipped profiles, and checking new ones."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, get_args

import typer

from pipeline.styrmodell.loader import load_profile, profile_paths, read_profile
from pipeline.styrmodell.schema import Level, Profile, ProfileError

app = typer.Typer(help="Styrmodeller: kommunernas profiler.", no_args_is_help=True)

LEVEL_ORDER = get_args(Level)


def render_profile(profile: Profile) -> str:
    """A readable overview: elements by level with their quotes, årshjul, criteria."""
    lines = [f"{profile.name} ({profile.id})", profile.description.strip(), ""]
    for level in LEVEL_ORDER:
        elements = [e for e in profile.elements if e.level == level]
        if not elements:
            continue
        lines.append(f"{level}:")
        for element in elements:
            status = " [under framtagande]" if element.status == "under_framtagande" else ""
            lines.append(f"  {element.id}: {element.name}{status}")
            lines.append(f"    ”{element.quote.text}”")
            source = profile.source(element.quote.source)
            lines.append(f"    – {source.title}, {source.reference}")
    if profile.calendar:
        lines.append("årshjul:")
        lines.extend(f"  {c.period}: {c.activity}" for c in profile.calendar)
    if profile.goal_criteria:
        criteria = profile.goal_criteria
        lines.append(f"målkriterier: {criteria.framework}")
        lines.extend(f"  {c.name}: {c.description}" for c in criteria.criteria)
        lines.extend(f"  undantag: {e}" for e in criteria.exceptions)
        if criteria.max_goals:
            lines.append(f"  högst {criteria.max_goals} mål per organ")
    lines.append(f"Agenda 2030: {len(profile.agenda2030)} mål med ordlistor")
    return "\n".join(lines)


@app.command("list")
def list_command() -> None:
    """Visa de profiler som följer med attsats."""
    for profile_id, path in profile_paths().items():
        profile = read_profile(path)
        where = profile.municipality or "(ingen kommun: standard)"
        typer.echo(f"{profile_id:<14}{where:<28}{profile.name}")


@app.command("show")
def show_command(name: Annotated[str, typer.Argument(help="Profilens id eller sökväg.")]) -> None:
    """Visa en profil med ärvda delar."""
    try:
        profile = load_profile(name)
    except ProfileError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from error
    typer.echo(render_profile(profile))


@app.command("validate")
def validate_command(
    paths: Annotated[list[Path], typer.Argument(help="Profilfiler (YAML) att pröva.")],
) -> None:
    """Pröva profiler mot schemat; avslutar med 1 om någon är ogiltig."""
    failed = False
    for path in paths:
        try:
            profile = load_profile(str(path))
        except ProfileError as error:
            typer.echo(f"FEL {error}", err=True)
            failed = True
            continue
        typer.echo(f"OK  {path}: {profile.id}, {len(profile.elements)} element")
    if failed:
        raise typer.Exit(1)
