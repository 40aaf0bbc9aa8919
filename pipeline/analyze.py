"""The analysis: a file through every pure stage, `Document -> Document`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath

from extractors import SUFFIXES, read_document
from pipeline.assess import assess
from pipeline.attsatser import extract_att_satser
from pipeline.clean import clean
from pipeline.decision import extract_decision
from pipeline.document import Document
from pipeline.goals import extract_goals
from pipeline.kallelse import extract_kallelse_items
from pipeline.recognize import recognize
from pipeline.segment import segment
from pipeline.styrmodell import Profile, load_profile, profile_for_municipality

Stage = Callable[[Document], Document]

STAGES: tuple[Stage, ...] = (
    clean,
    segment,
    recognize,
    extract_att_satser,
    extract_decision,
    extract_kallelse_items,
    extract_goals,
)


def run_stages(doc: Document, stages: Iterable[Stage] = STAGES) -> Document:
    for stage in stages:
        if doc.status == "failed":
            break
        doc = stage(doc)
    return doc


def assess_against(doc: Document, profile: Profile | None = None) -> Document:
    """The last stage: assess against `profile`, by default the one of the paper's
    municipality when one is shipped, else the generic one (so it runs after `recognize`)."""
    if doc.status == "failed":
        return doc
    return assess(doc, profile or load_profile(profile_for_municipality(doc.municipality)))


def analyze(path: Path, profile: Profile | None = None) -> Document:
    """Read and analyse one file; bad input comes back as a failed Document."""
    return assess_against(run_stages(read_document(path)), profile)


# Office lock files (`~$...`) and hidden files: never papers, even with a known suffix.
SKIPPED_PREFIXES = ("~$", ".")


def is_input_name(name: str, suffixes: Iterable[str] = SUFFIXES) -> bool:
    """Whether a folder walk takes a file of this name: a known format, not a lock file."""
    return PurePosixPath(name).suffix.lower() in suffixes and not name.startswith(SKIPPED_PREFIXES)


def expand_inputs(paths: Iterable[Path], suffixes: Iterable[str] = SUFFIXES) -> Iterator[Path]:
    """Files as given, and the readable files inside folders, in a stable order.

    Inside folders only names that `is_input_name` takes are read; a file named
    explicitly is always tried.
    """
    suffixes = tuple(suffixes)
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and is_input_name(child.name, suffixes):
                    yield child
        else:
            yield path
