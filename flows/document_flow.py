"""`process_document`: one file to its output folders, with each document's table as an
artifact. Used by the inbox for every file it takes; thin over `pipeline.service.batch`."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from flows.artifacts import artifact_key, masked, private
from pipeline.document import Document
from pipeline.outputs.folders import ANALYSIS
from pipeline.outputs.render import assessment_records
from pipeline.outputs.report import document_table
from pipeline.service.batch import DEFAULT_SETTINGS, Result, Settings, process_file


@task(name="analysera-fil", cache_policy=NO_CACHE)
def analyse(
    path: str,
    origin: str,
    sha256: str,
    name: str,
    out: str,
    max_attempts: int,
    keep_failed: bool,
    settings: Settings,
) -> Result:
    return process_file(
        Path(path), origin, sha256, name, Path(out), max_attempts, keep_failed, settings
    )


@task(name="publicera-tabell", cache_policy=NO_CACHE)
def publish_table(folder: str) -> None:
    doc = Document.model_validate_json((Path(folder) / ANALYSIS).read_bytes())
    create_table_artifact(
        # The assessment table an official reviews; the overview when there is none.
        table=assessment_records(doc) or document_table(doc),
        key=artifact_key("dokument", Path(folder).name),
        description=masked(f"Analys av {doc.source.path}"),
    )


@private
@flow(name="attsats-dokument")
def process_document(
    path: str,
    origin: str,
    sha256: str,
    name: str,
    out: str,
    max_attempts: int = 3,
    keep_failed: bool = True,
    settings: Settings = DEFAULT_SETTINGS,
) -> Result:
    """Analyse one file into `out/<name>/` (or `<name>-del-NN` for a bundle's papers) with
    `settings` (styrmodell, templates). The inbox flow runs this body for each file as its
    own task runs (`process_document.fn`): a flow run per file cost more than the analysis."""
    result = analyse(path, origin, sha256, name, out, max_attempts, keep_failed, settings)
    for folder in result.folders:
        publish_table(str(Path(out) / folder))
    return result
