"""Per-document output folders: `DIR/<name>/analysis.json` and the drafts beside it.

The one place that decides what a document's folder holds, for `attsats analyze --out`,
the batch and the inbox alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.document import Document
from pipeline.outputs.files import atomic_write, safe_name
from pipeline.outputs.render import DRAFT_FILES, write_drafts
from pipeline.privacy import mask

ANALYSIS = "analysis.json"


def name_candidates(file_name: str, sha256: str) -> list[str]:
    """Output names for a file, best first: its stem, then with its format, then its hash.
    A personnummer in the name is masked."""
    path = Path(mask(file_name))
    stem = safe_name(path.stem)
    with_format = f"{stem}-{safe_name(path.suffix.lstrip('.'))}" if path.suffix else stem
    return list(dict.fromkeys([stem, with_format, f"{with_format}-{safe_name(sha256[:8])}"]))


def write_outputs(
    doc: Document,
    folder: Path,
    templates_dir: Path | None = None,
    precedents: list[dict[str, Any]] | None = None,
) -> list[Path]:
    """Write everything produced for one document into `folder`; return the files.

    `precedents`: the archive's earlier papers the draft cites (None: not searched).

    The analysis first, so it is there even when a municipality's own template fails
    (`pipeline.outputs.render.DraftError`); an earlier run's drafts are removed before, so a
    folder never mixes two runs.
    """
    folder.mkdir(parents=True, exist_ok=True)
    analysis = folder / ANALYSIS
    # The paper's text is kept as read; the file's name is no part of it.
    source = doc.source.model_copy(update={"path": mask(doc.source.path)})
    written = doc.model_copy(update={"source": source})
    atomic_write(analysis, (written.model_dump_json(indent=2) + "\n").encode("utf-8"))
    for name in DRAFT_FILES:
        (folder / name).unlink(missing_ok=True)
    return [analysis, *write_drafts(doc, folder, templates_dir, precedents=precedents)]
