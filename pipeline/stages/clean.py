"""Clean stage: drop template residue and rejoin paragraphs that a break cut in two."""

from __future__ import annotations

import re
from functools import cache

from extractors.lines import opens_clause
from pipeline.document import Document, Paragraph, Section
from pipeline.errors import record
from pipeline.resources import load_patterns
from pipeline.stages.segment import heading_level

TERMINAL = (".", "!", "?", ":", ";")


@cache
def residue_re() -> re.Pattern[str]:
    alternatives = "|".join(
        f"(?:{p})" for p in load_patterns("pipeline.stages", "residue")["paragraphs"]
    )
    return re.compile(rf"^\s*(?:{alternatives})\s*$", re.IGNORECASE)


def is_residue(text: str) -> bool:
    return residue_re().match(text) is not None


def continues(previous: Paragraph, paragraph: Paragraph) -> bool:
    """A paragraph cut by a page break or a stray blank line (common in text copied from
    PDFs): the previous one has no final punctuation and this one goes on in lower case,
    unless it opens an att-sats of its own ("yrkar jag" / "att kommunen …")."""
    return (
        previous.kind in ("text", "list_item")
        and paragraph.kind == "text"
        and not previous.text.endswith(TERMINAL)
        and paragraph.text[:1].islower()
        and not opens_clause(paragraph.text)
        and heading_level(previous) is None
    )


def continues_table(previous: Paragraph, paragraph: Paragraph) -> bool:
    """A table that a page break cut in two: the next page opens with a table of the same
    width (its header repeated or not)."""
    return (
        previous.kind == paragraph.kind == "table"
        and bool(previous.rows and paragraph.rows)
        and previous.page is not None
        and paragraph.page is not None
        and paragraph.page > previous.page
        and len(previous.rows[0]) == len(paragraph.rows[0])
    )


def join_tables(table: Paragraph, continuation: Paragraph) -> None:
    rows = continuation.rows or []
    if table.rows and rows and rows[0] == table.rows[0]:
        rows = rows[1:]  # the header, repeated on the new page
    table.rows = [*(table.rows or []), *rows]
    table.text = "\n".join(" | ".join(row) for row in table.rows)


def clean(doc: Document) -> Document:
    kept: list[Paragraph] = []
    for paragraph in doc.paragraphs():
        if is_residue(paragraph.text):
            record(doc, "W101", text=paragraph.text, page=paragraph.page)
        elif kept and continues_table(kept[-1], paragraph):
            join_tables(kept[-1], paragraph)
        elif kept and continues(kept[-1], paragraph):
            kept[-1].text = f"{kept[-1].text} {paragraph.text}"
        else:
            kept.append(paragraph)
    if not kept:
        record(doc, "E107")
    doc.furniture = [p for p in doc.furniture if not is_residue(p.text)]
    for index, paragraph in enumerate(kept):
        paragraph.index = index
    doc.sections = [Section(heading=None, level=0, paragraphs=kept)]
    return doc
