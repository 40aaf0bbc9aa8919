"""Segment stage: group paragraphs into sections under their headings.

A paragraph opens a section when its format marked it as a heading (Word style, PDF
font, Markdown `#`) or when it is one of the standard headings of Swedish decision
papers (`patterns/headings.yaml`), so a plain-text paper and its Word original agree.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.document import Document, Paragraph, Section
from pipeline.resources import load_patterns

MAX_HEADING_CHARS = 80


@cache
def known_headings() -> re.Pattern[str]:
    alternatives = "|".join(
        f"(?:{h})" for h in load_patterns("pipeline.stages", "headings")["level_1"]
    )
    return re.compile(rf"^(?:{alternatives})\s*:?$", re.IGNORECASE)


@cache
def run_in_headings() -> re.Pattern[str]:
    alternatives = "|".join(
        f"(?:{h})" for h in load_patterns("pipeline.stages", "headings")["run_in"]
    )
    return re.compile(rf"^(?:{alternatives})$", re.IGNORECASE)


SENTENCE_START = re.compile(r" (?=[A-ZÅÄÖ][\wåäö-]* [a-zåäö])")


def run_in_heading(paragraph: Paragraph) -> tuple[str, str] | None:
    """A decision or proposal heading run into its first sentence: (heading, sentence).

    The split falls before the first capitalised word after which the text before it
    is a whole known heading, and what follows reads as a sentence ending in a stop."""
    if paragraph.kind != "text" or not paragraph.text.rstrip().endswith((".", ":")):
        return None
    text = paragraph.text
    for m in SENTENCE_START.finditer(text):
        if m.start() > MAX_HEADING_CHARS:
            break
        head, rest = text[: m.start()].strip(), text[m.end() :].strip()
        if known_headings().match(head) and run_in_headings().match(head) and len(rest) > 8:
            return head, rest
    return None


def heading_level(paragraph: Paragraph) -> int | None:
    if paragraph.kind == "heading":
        return paragraph.level or 1
    if paragraph.kind != "text" or len(paragraph.text) > MAX_HEADING_CHARS:
        return None
    return 1 if known_headings().match(paragraph.text) else None


def segment(doc: Document) -> Document:
    sections = [Section(heading=None, level=0)]
    for paragraph in doc.paragraphs():
        level = heading_level(paragraph)
        split = run_in_heading(paragraph) if level is None else None
        if split:
            heading, rest = split
            sections.append(
                Section(heading=heading, level=1, page=paragraph.page, index=paragraph.index)
            )
            sections[-1].paragraphs.append(paragraph.model_copy(update={"text": rest}))
        elif level is None:
            sections[-1].paragraphs.append(paragraph)
        else:
            sections.append(
                Section(
                    heading=paragraph.text,
                    level=level,
                    page=paragraph.page,
                    index=paragraph.index,
                )
            )
    doc.sections = [s for s in sections if s.heading is not None or s.paragraphs]
    return doc
