"""The same paper as text, DOCX and PDF must read the same.

Committed samples are compared with their committed renderings; the shared corpus is
rendered with the project's own typesetter into a temporary folder at run time.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES, corpus_files

from pipeline.analyze import analyze
from pipeline.document import Document
from pipeline.typeset import typeset

TEXT_SAMPLES = sorted(SAMPLES.glob("*.txt"))


def reading(doc: Document) -> dict:
    """What must not depend on the format a paper arrived in."""
    return {
        "status": doc.status,
        "doc_type": doc.doc_type,
        "diarienummer": [d.raw for d in doc.diarienummer],
        "title": doc.title,
        "headings": [s.heading for s in doc.sections],
        "paragraphs": [p.text for p in doc.paragraphs()],
        "att_satser": [a.text for a in doc.att_satser],
        "decision": doc.decision.outcome if doc.decision else None,
    }


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("text", TEXT_SAMPLES, ids=lambda p: p.name)
def test_committed_renderings_read_like_the_text(text: Path, fmt: str) -> None:
    rendered = text.with_suffix(f".{fmt}")
    assert rendered.exists(), f"{rendered.name} missing: run `make samples`"
    assert reading(analyze(rendered)) == reading(analyze(text))


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
    assert reading(analyze(rendered_corpus[text][fmt])) == reading(analyze(text))
