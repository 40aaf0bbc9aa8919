"""The flow commands, `attsats watch`, `batch` and `serve`.

Prefect is imported inside each command, so `attsats analyze` starts without it.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Annotated

import typer

from pipeline.privacy import mask
from pipeline.service import batch
from pipeline.service.batch import DEFAULT_ATTEMPTS, Settings, SettingsError
from pipeline.service.inbox import DEFAULT_SETTLE
from pipeline.service.worker import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, shared

# A service reads two files at once where it has the cores: files dropped together come
# out together (measured: inbox latency at 5 files a second, `make bench`).
DEFAULT_INBOX_WORKERS = min(2, os.cpu_count() or 1)

# The options every command that analyses takes (`analyze`, `batch`, `watch`).
TemplatesOption = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        help="Mapp med egna mallar (utkast.docx, bedomning.html.j2); "
        "mallar som saknas där tas från attsats.",
    ),
]
StyrmodellOption = Annotated[
    str | None,
    typer.Option(
        "--styrmodell",
        help="Styrmodell (profilens id eller en YAML-fil); annars kommunens egen "
        "om den finns, annars den generiska.",
    ),
]
TimeoutOption = Annotated[
    float,
    typer.Option("--timeout", help="Sekunder som läsningen av en fil får ta innan den avbryts."),
]
MemoryOption = Annotated[
    int,
    typer.Option("--memory-mb", help="Megabyte minne som läsningen av en fil får använda."),
]


def terminate_as_interrupt() -> None:
    """SIGTERM as Ctrl-C for the whole command, so every way of stopping it runs the
    same clean-up (the Prefect server and the worker processes are stopped); the inbox
    flow handles both itself while it watches."""
    signal.signal(signal.SIGTERM, signal.default_int_handler)


def checked_settings(
    styrmodell: str | None,
    templates: Path | None,
    seconds: float = DEFAULT_SECONDS,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> Settings:
    """The options as `Settings`, or exit 2 with the reason (Swedish) before any work."""
    settings = Settings(
        styrmodell, str(templates) if templates is not None else None, seconds, memory_mb
    )
    try:
        settings.check()
    except SettingsError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from error
    return settings


def watch_command(
    inbox: Annotated[Path, typer.Argument(help="Inkorgen: mappen där filer lämnas.")],
    out: Annotated[Path, typer.Option("--out", help="Utkorgen: en mapp per dokument.")],
    failed: Annotated[
        Path | None,
        typer.Option("--failed", help="Mapp för filer som inte kunde läsas (inkorg/failed)."),
    ] = None,
    settle: Annotated[
        float,
        typer.Option(help="Sekunder som storlek och ändringstid ska vara oförändrade."),
    ] = DEFAULT_SETTLE,
    poll: Annotated[
        bool,
        typer.Option("--poll", help="Läs av mappen med jämna mellanrum (nätverksdiskar)."),
    ] = False,
    interval: Annotated[float, typer.Option(help="Sekunder mellan avläsningarna.")] = 1.0,
    attempts: Annotated[
        int, typer.Option(help="Försök per fil innan den läggs undan.")
    ] = DEFAULT_ATTEMPTS,
    once: Annotated[
        bool, typer.Option("--once", help="Behandla det som finns i inkorgen och avsluta.")
    ] = False,
    workers: Annotated[
        int,
        typer.Option(help="Antal filer som analyseras samtidigt, var och en i en egen process."),
    ] = DEFAULT_INBOX_WORKERS,
    styrmodell: StyrmodellOption = None,
    templates: TemplatesOption = None,
    timeout: TimeoutOption = DEFAULT_SECONDS,
    memory_mb: MemoryOption = DEFAULT_MEMORY_MB,
) -> None:
    """Bevaka en inkorg och analysera varje fil som lämnas där."""
    terminate_as_interrupt()
    settings = checked_settings(styrmodell, templates, timeout, memory_mb)
    from flows.inbox_flow import inbox_flow
    from flows.runtime import prefect_runtime

    typer.echo(f"Bevakar {inbox} (avsluta med Ctrl-C). Resultat i {out}/", err=True)
    try:
        with prefect_runtime():
            handled = inbox_flow(
                str(inbox),
                str(out),
                str(failed) if failed else None,
                settle=settle,
                poll_interval=interval,
                max_attempts=attempts,
                mode="poll" if poll else "auto",
                once=once,
                settings=settings,
                console=True,
                workers=max(1, workers),
            )
    except KeyboardInterrupt:
        typer.echo("Bevakningen avslutad.", err=True)
        return
    typer.echo(f"{handled} filer behandlade.")


def batch_command(
    paths: Annotated[list[Path], typer.Argument(help="Filer, mappar och zip-arkiv.")],
    out: Annotated[Path, typer.Option("--out", help="Mapp för resultaten, en per dokument.")],
    workers: Annotated[int, typer.Option(help="Antal processer som analyserar samtidigt.")] = 1,
    attempts: Annotated[
        int, typer.Option(help="Försök per fil innan den läggs undan.")
    ] = DEFAULT_ATTEMPTS,
    report: Annotated[
        bool, typer.Option("--report/--no-report", help="Skriv rapport.html och rapport.xlsx.")
    ] = True,
    styrmodell: StyrmodellOption = None,
    templates: TemplatesOption = None,
    timeout: TimeoutOption = DEFAULT_SECONDS,
    memory_mb: MemoryOption = DEFAULT_MEMORY_MB,
) -> None:
    """Analysera mappar och arkiv i en omgång; samma omgång igen gör inget nytt."""
    terminate_as_interrupt()
    settings = checked_settings(styrmodell, templates, timeout, memory_mb)
    missing = [p for p in paths if not p.exists()]
    if missing:
        typer.echo("Finns inte: " + ", ".join(map(str, missing)), err=True)
        raise typer.Exit(2)
    settled = batch.settled(paths, out, attempts, with_report=report)
    if settled is not None:  # nothing new: the ledger answers, no flow is run
        lines = settled.lines()
    else:
        if workers <= 1:
            shared.warm(settings.limits())  # spaCy loads while Prefect starts
        from flows.batch_flow import batch_flow
        from flows.runtime import prefect_runtime

        with prefect_runtime(keep_warm=True):
            lines = batch_flow(
                [str(p) for p in paths],
                str(out),
                workers=max(1, workers),
                max_attempts=attempts,
                with_report=report,
                progress=True,
                settings=settings,
            )["lines"]
    typer.echo(f"Batch klar: {out}/")
    for line in lines:
        typer.echo(f"  {mask(line)}")
    if report:
        typer.echo(f"Rapport: {out / 'rapport.html'} och {out / 'rapport.xlsx'}")


def serve_command(
    pool: Annotated[str, typer.Option(help="Arbetspoolen (process) att registrera i.")] = "attsats",
) -> None:
    """Registrera flödena som deployments på Prefect-servern i PREFECT_API_URL."""
    from prefect.settings import PREFECT_API_URL

    if not (os.environ.get("PREFECT_API_URL") or PREFECT_API_URL.value()):
        typer.echo(
            "PREFECT_API_URL är inte satt: starta en Prefect-server (se flows/README.md) "
            "och peka ut den, t.ex. PREFECT_API_URL=http://127.0.0.1:4200/api.",
            err=True,
        )
        raise typer.Exit(2)
    from flows.deploy import register

    for name in register(pool):
        typer.echo(f"Registrerad: {name} (arbetspool {pool})")
    typer.echo(f"Starta en arbetare: prefect worker start --pool {pool}")
