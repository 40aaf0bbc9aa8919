"""Clean stage: drop template residue and rejoin paragraphs split by a page break."""

from __future__ import annotations

import re
from functools import cache

from pipeline.document import Document, Paragraph, Section
from pipeline.errors import record
from pipeline.resources import load_patterns

TERMINAL = (".", "!", "?", ":", ";")


@cache
def residue_re() -> re.Pattern[str]:
    alternatives = "|".join(f"(?:{p})" for p in load_patterns("residue")["paragraphs"])
    return re.compile(rf"^\s*(?:{alternatives})\s*$", re.IGNORECASE)


def is_residue(text: str) -> bool:
    return residue_re().match(text) is not None


def continues(previous: Paragraph, paragraph: Paragraph) -> bool:
    """A paragraph cut by a page break: no final punctuation, lower-case continuation."""
    return (
        previous.kind in ("text", "list_item")
        and paragraph.kind == "text"
        and previous.page is not None
        and paragraph.page is not None
        and paragraph.page > previous.page
        and not previous.text.endswith(TERMINAL)
        and paragraph.text[:1].islower()
    )


def clean(doc: Document) -> Document:
    kept: list[Paragraph] = []
    for paragraph in doc.paragraphs():
        if is_residue(paragraph.text):
            record(doc, "W101", text=paragraph.text, page=paragraph.page)
        elif kept and continues(kept[-1], paragraph):
            kept[-1].text = f"{kept[-1].text} {paragraph.text}"
        else:
            kept.append(paragraph)
    doc.furniture = [p for p in doc.furniture if not is_residue(p.text)]
    for index, paragraph in enumerate(kept):
        paragraph.index = index
    doc.sections = [Section(heading=None, level=0, paragraphs=kept)]
    return doc
