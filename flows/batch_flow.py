"""`attsats-batch`: folders and archives to one output folder per document, and the report.

Orchestration is kept coarse on purpose: one task plans (unpacks archives, asks the
ledger what is new), the documents go into one chunk, or with `workers` > 1 into
`CHUNKS_PER_WORKER` chunks per worker of about equal bytes for a process pool, one task
per chunk analyses them, one task writes the report. Prefect therefore sees a handful of task
runs however large the batch; progress is read from the ledger, which every worker
updates as each document is done.
"""

from __future__ import annotations

import sys
import uuid
from dataclasses import asdict
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture, wait
from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from flows.artifacts import masked, private
from pipeline.document import Document
from pipeline.outputs import report
from pipeline.outputs.folders import ANALYSIS
from pipeline.outputs.render import assessment_records
from pipeline.service import batch
from pipeline.service.ledger import Ledger

# Many chunks per worker: a pool process that finishes early takes the next one, so a
# chunk of slow papers (long PDFs) does not leave the other worker idle at the end.
CHUNKS_PER_WORKER = 8
POLL_SECONDS = 0.5


@task(name="planera", cache_policy=NO_CACHE)
def plan_batch(paths: list[str], out: str, scratch: str, max_attempts: int) -> batch.Plan:
    return batch.plan([Path(p) for p in paths], Path(out), Path(scratch), max_attempts=max_attempts)


@task(name="analysera", cache_policy=NO_CACHE)
def analyse_chunk(
    items: list[batch.Item], out: str, max_attempts: int, settings: batch.Settings
) -> list[batch.Result]:
    return batch.process_chunk(items, Path(out), max_attempts, settings)


@task(name="rapport", cache_policy=NO_CACHE)
def write_report(out: str) -> list[str]:
    return [str(p) for p in report.write_report(Path(out))]


def follow(
    futures: list[PrefectFuture], todo: list[batch.Item], out: Path, show: bool
) -> list[batch.Result]:
    """Wait for the chunks, drawing a progress bar from the ledger when `show` is on."""
    keys = [batch.content_key(i.sha256, i.origin) for i in todo]
    with (
        Ledger(batch.ledger_path(out)) as ledger,
        Progress(
            TextColumn("Analyserar"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            disable=not show,
            transient=False,
        ) as bar,
    ):
        progress = bar.add_task("dokument", total=len(todo))
        pending = futures
        while pending:
            pending = list(wait(pending, timeout=POLL_SECONDS).not_done)
            bar.update(progress, completed=ledger.count(keys, ("done", "failed", "quarantined")))
        bar.update(progress, completed=len(todo))
    return [result for future in futures for result in future.result()]


def batch_assessments(out: Path, results: list[batch.Result]) -> list[dict[str, object]]:
    """Every document's assessment rows in one table, each row led by its folder."""
    rows: list[dict[str, object]] = []
    for result in results:
        for folder in result.folders:
            doc = Document.model_validate_json((out / folder / ANALYSIS).read_bytes())
            rows += [{"Mapp": folder, **row} for row in assessment_records(doc)]
    return rows


@private
@flow(name="attsats-batch")
def batch_flow(
    paths: list[str],
    out: str,
    workers: int = 1,
    max_attempts: int = batch.DEFAULT_ATTEMPTS,
    with_report: bool = True,
    progress: bool = False,
    settings: batch.Settings = batch.DEFAULT_SETTINGS,
) -> dict:
    """Analyse every document under `paths` into `out` with `settings` (styrmodell,
    templates); returns the summary."""
    settings.check()  # before anything is written
    out_path = Path(out)
    scratch = batch.state_dir(out_path) / f"uppackat-{uuid.uuid4().hex[:8]}"
    try:
        the_plan = plan_batch(paths, out, str(scratch), max_attempts)
        chunks = batch.make_chunks(the_plan.todo, workers * CHUNKS_PER_WORKER if workers > 1 else 1)
        runner = (
            ProcessPoolTaskRunner(max_workers=workers)
            if workers > 1 and len(chunks) > 1
            else ThreadPoolTaskRunner(max_workers=1)
        )
        with runner:
            futures = [
                runner.submit(
                    analyse_chunk,
                    {"items": c, "out": out, "max_attempts": max_attempts, "settings": settings},
                )
                for c in chunks
            ]
            results = follow(futures, the_plan.todo, out_path, progress and sys.stderr.isatty())
    finally:
        batch.clean_scratch(scratch)
    summary = batch.summarize(the_plan, results)
    if with_report and (results or not (out_path / report.HTML).exists()):
        write_report(out)  # a run that found nothing new leaves the report as it was
    create_markdown_artifact(
        markdown=masked(summary.markdown()),
        key="batch-sammanfattning",
        description=masked(f"Batch till {out}"),
    )
    if results:
        create_table_artifact(
            table=masked(
                [
                    {
                        "Fil": r.origin,
                        "Resultat": r.state,
                        "Mappar": ", ".join(r.folders),
                        "Fel": f"{r.code} {r.message}" if r.code else "",
                    }
                    for r in results
                ]
            ),
            key="batch-dokument",
            description=masked(f"Dokumenten i batchen till {out}"),
        )
        assessed = batch_assessments(out_path, results)
        if assessed:
            # One table for the whole batch: an artifact per document would cost an API
            # write per document, which SQLite answers with lock back-offs (see README).
            create_table_artifact(
                table=masked(assessed),
                key="batch-bedomning",
                description=f"Bedömning per att-sats och mål i batchen till {out}",
            )
    return {
        **asdict(summary),
        "problems": [p.model_dump() for p in summary.problems],
        "lines": summary.lines(),
    }
