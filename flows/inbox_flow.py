"""`attsats-inkorg`: the inbox as a long-running flow, one run of the document tasks per file.

Prefect has no file-system trigger, and an event trigger through the server adds seconds
of latency, so the watcher (`pipeline.service.inbox`) runs inside the flow and runs the document
tasks (the body of `process_document`: analyse, publish the table) for every complete
file, as task runs of this flow: a flow run per file cost more than the analysis.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

from prefect import flow

from flows.artifacts import private
from flows.document_flow import process_document
from pipeline.service.batch import DEFAULT_ATTEMPTS, DEFAULT_SETTINGS, Result, Settings
from pipeline.service.inbox import DEFAULT_SETTLE, Inbox, stop_on_signals


def run_document(
    path: Path,
    origin: str,
    sha256: str,
    name: str,
    out: Path,
    max_attempts: int,
    keep_failed: bool = False,
    settings: Settings = DEFAULT_SETTINGS,
) -> Result:
    # The flow's body, not a flow run: its tasks run inside the inbox's flow run.
    return process_document.fn(
        str(path), origin, sha256, name, str(out), max_attempts, keep_failed, settings
    )


@private
@flow(name="attsats-inkorg")
def inbox_flow(
    inbox: str,
    outbox: str,
    failed: str | None = None,
    settle: float = DEFAULT_SETTLE,
    poll_interval: float = 1.0,
    max_attempts: int = DEFAULT_ATTEMPTS,
    mode: Literal["auto", "poll"] = "auto",
    once: bool = False,
    settings: Settings = DEFAULT_SETTINGS,
    console: bool = False,
    workers: int = 1,
) -> int:
    """Watch `inbox` and process every complete file into `outbox` with `settings`
    (styrmodell, templates, limits) until SIGINT or SIGTERM (or, with `once`, until it is
    empty); returns how many files were handled. With `console`, one line per file on
    stdout. `workers` files are read at once, each in a worker process of its own."""
    settings.check()  # before any file is taken
    watcher = Inbox(
        Path(inbox),
        Path(outbox),
        Path(failed) if failed else None,
        settle=settle,
        poll_interval=poll_interval,
        max_attempts=max_attempts,
        mode=mode,
        process=run_document,
        settings=settings,
        workers=workers,
        **({"echo": lambda line: print(line, file=sys.stdout, flush=True)} if console else {}),
    )
    with stop_on_signals() as stop:
        return watcher.run(stop=stop.is_set, once=once)
