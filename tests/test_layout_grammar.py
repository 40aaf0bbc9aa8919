"""The layout grammar: generated papers must yield exactly their generated att-satser.

Text renderings run on many specs; the project's own PDF and DOCX typesetters (DOCX with
Word list numbering in `numPr`, not in the text) on fewer, since they are slower.
Hypothesis is derandomized and keeps no example database, so every run is the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.evaluation.layout_grammar import LEAD_INS, MARKERS, Paper, Spec, write, write_decision
from pipeline.outputs.typeset import typeset
from pipeline.stages.run import analyze

SPECS = st.builds(
    Spec,
    lead_in=st.integers(0, len(LEAD_INS) - 1),
    marker=st.integers(0, len(MARKERS) - 1),
    casing=st.integers(0, 3),
    ends=st.integers(0, 5),
    clauses=st.integers(1, 4),
    topic=st.integers(0, 7),
    width=st.sampled_from([60, 75, 90, 200]),
    indent=st.booleans(),
    page_break=st.integers(0, 2),
    place_date=st.integers(0, 3),
    signature=st.integers(0, 3),
    prose=st.integers(0, 4),
    blank_between=st.booleans(),
    blank_before_signature=st.booleans(),
    doc_type=st.integers(0, 1),
)
COMMON = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}


def read(paper: Paper, folder: Path, fmt: str, check_type: bool = True) -> list[str]:
    source = folder / "paper.txt"
    source.write_text(paper.text, encoding="utf-8")
    path = source if fmt == "txt" else typeset(analyze(source), fmt, folder / f"paper.{fmt}")
    doc = analyze(path)
    if check_type:
        assert doc.doc_type == paper.doc_type
        assert doc.status == "ok"
    return [a.text for a in doc.att_satser]


@settings(max_examples=150, **COMMON)
@given(spec=SPECS)
def test_text_rendering_yields_exactly_the_generated_clauses(spec: Spec, tmp_path: Path) -> None:
    paper = write(spec)
    assert read(paper, tmp_path, "txt") == paper.clauses


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@settings(max_examples=20, **COMMON)
@given(spec=SPECS)
def test_own_pdf_and_docx_yield_exactly_the_generated_clauses(
    fmt: str, spec: Spec, tmp_path: Path
) -> None:
    paper = write(spec)
    assert read(paper, tmp_path, fmt) == paper.clauses


@pytest.mark.parametrize("marker", ["1.", "1)", "a)", "•", "-"])
def test_word_list_numbering_yields_the_clauses(marker: str, tmp_path: Path) -> None:
    """The DOCX typesetter turns listed clauses into Word numbering: the number lives in
    numPr, the paragraph text starts at "att"."""
    import docx

    spec = Spec(marker=MARKERS.index(marker), clauses=3, page_break=1)
    paper = write(spec)
    source = tmp_path / "paper.txt"
    source.write_text(paper.text, encoding="utf-8")
    target = typeset(analyze(source), "docx", tmp_path / "paper.docx")
    numbered = [
        p
        for p in docx.Document(str(target)).paragraphs
        if p._p.pPr is not None and p._p.pPr.numPr is not None
    ]
    assert len(numbered) == len(paper.clauses)
    assert all(p.text.lower().startswith("att ") for p in numbered)
    assert [a.text for a in analyze(target).att_satser] == paper.clauses


def test_the_generator_is_deterministic_and_varies() -> None:
    one, two = write(Spec(lead_in=3, marker=8, ends=3)), write(Spec(lead_in=3, marker=8, ends=3))
    assert one == two
    assert "föreslår vi;" in one.text and "\n-att " in one.text.lower()
    assert all(not c.endswith(("samt", "och")) for c in one.clauses)
    other = write(Spec(lead_in=5, marker=0))
    assert other.text != one.text and not any(c.lower().startswith("att") for c in other.clauses)


@pytest.mark.parametrize("prose", range(5))
def test_motivation_prose_alone_is_no_proposal(prose: int, tmp_path: Path) -> None:
    """The prose parts hold "att" ("Det är viktigt att", "Vi vill att", "Att förebygga",
    "har det föreslagits att"): without the list, a motion has no firm clause, and a wish
    is only a fallback."""
    paper = write(Spec(prose=prose))
    head = paper.text.split(LEAD_INS[0][0])[0]
    source = tmp_path / "prose.txt"
    source.write_text(head, encoding="utf-8")
    found = [a.text for a in analyze(source).att_satser]
    assert all(text.startswith("att fler invånare") for text in found)


@pytest.mark.parametrize("fmt", ["txt", "pdf", "docx"])
@settings(max_examples=15, **COMMON)
@given(spec=SPECS)
def test_a_meetings_att_lists_are_no_att_satser(fmt: str, spec: Spec, tmp_path: Path) -> None:
    """An organ's förslag till beslut, a member's yrkande and a paraphrased motion, under
    every marker and casing: the decision, not att-satser (the paper's type is another
    stage's business, so it is not asserted)."""
    paper = write_decision(spec)
    assert paper.clauses == []
    assert read(paper, tmp_path, fmt, check_type=False) == []
