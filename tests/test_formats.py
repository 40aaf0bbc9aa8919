"""The same paper as text, DOCX and PDF must read the same.

Committed samples are compared with their committed renderings; the shared corpus is
rendered with the project's own typesetter into a temporary folder at run time.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES, corpus_files

from pipeline.document import Document
from pipeline.outputs.typeset import typeset
from pipeline.stages.run import analyze

TEXT_SAMPLES = sorted(SAMPLES.glob("*.txt"))


def reading(doc: Document, furniture: set[str]) -> dict:
    """What must not depend on the format a paper arrived in.

    Running headers and footers are found by their position on the page, which a new
    layout changes: a line that one rendering takes for a header is left out of both.
    """
    return {
        "status": doc.status,
        "doc_type": doc.doc_type,
        "diarienummer": [d.raw for d in doc.diarienummer],
        "title": doc.title,
        "headings": [s.heading for s in doc.sections],
        "paragraphs": [p.text for p in doc.paragraphs() if p.text not in furniture],
        "att_satser": [a.text for a in doc.att_satser],
        "decision": doc.decision.outcome if doc.decision else None,
        "kallelse_items": [(i.nr, i.arende, i.beteckning, i.forslag) for i in doc.kallelse_items],
        "goals": [g.text for g in doc.goals],
    }


def assert_same_reading(text: Path, rendered: Path) -> None:
    original, other = analyze(text), analyze(rendered)
    furniture = {p.text for p in original.furniture} | {p.text for p in other.furniture}
    assert reading(other, furniture) == reading(original, furniture)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("text", TEXT_SAMPLES, ids=lambda p: p.name)
def test_committed_renderings_read_like_the_text(text: Path, fmt: str) -> None:
    rendered = text.with_suffix(f".{fmt}")
    assert rendered.exists(), f"{rendered.name} missing: run `make samples`"
    assert_same_reading(text, rendered)


@pytest.fixture(scope="module")
def rendered_corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, dict[str, Path]]:
    folder = tmp_path_factory.mktemp("corpus")
    rendered = {}
    for text in corpus_files():
        doc = analyze(text)
        rendered[text] = {
            fmt: typeset(doc, fmt, folder / f"{text.stem}.{fmt}") for fmt in ("docx", "pdf")
        }
    return rendered


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("text", corpus_files(), ids=lambda p: p.stem)
def test_corpus_renderings_read_like_the_text(
    text: Path, fmt: str, rendered_corpus: dict[Path, dict[str, Path]]
) -> None:
    assert_same_reading(text, rendered_corpus[text][fmt])
