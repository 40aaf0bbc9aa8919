"""The analysis: a file through every pure stage, `Document -> Document`.

The order of the stages is written down here and nowhere else (`STAGES`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from extractors import read_document
from pipeline.document import Document
from pipeline.stages.assess import assess
from pipeline.stages.attsatser import extract_att_satser
from pipeline.stages.clean import clean
from pipeline.stages.decision import extract_decision
from pipeline.stages.goals import extract_goals
from pipeline.stages.kallelse import extract_kallelse_items
from pipeline.stages.recognize import recognize
from pipeline.stages.segment import segment
from pipeline.styrmodell.loader import load_profile, profile_for_municipality
from pipeline.styrmodell.schema import Profile

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
