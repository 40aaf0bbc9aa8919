"""Turning printed lines into paragraphs: shared by the text and PDF extractors.

Both formats give lines that a writer wrapped at a page width; this joins them back
into paragraphs, repairs hyphenation at line ends and recognises list markers, so the
same paper reads the same whatever format it arrived in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

BULLETS = "•●▪■◦○‣∙·\uf0b7\uf0a7\uf076\uf0d8-–—*"

# A list marker at the start of a line: a bullet, "1." "1)" "(1)" "a)" "a." "i)".
MARKER_RE = re.compile(
    rf"^\s*(?P<marker>[{re.escape(BULLETS)}]|\(?\d{{1,2}}[.)]|\(?[a-zåäö][.)]|\([ivx]{{1,4}}\)|[ivx]{{1,4}}\))"
    r"(?=\s+\S)\s+"
)
# A label that opens its own paragraph even without a blank line: "Kommentar: ...".
LABEL_RE = re.compile(r"^[A-ZÅÄÖ][a-zåäöé]+(?: [a-zåäöé]+){0,3}:(?:\s|$)")
SENTENCE_END = (".", "!", "?", ":", ";")
# A hyphen at a line end followed by a lower-case continuation is a soft break,
# unless it is a shared compound part: "barn- och utbildningsnämnden".
HYPHEN_END_RE = re.compile(r"(?<=[a-zåäöéü])[-\u00ad]$")
COMPOUND_CONTINUATIONS = ("och ", "eller ", "samt ", "till ", "som ")


@dataclass
class Line:
    text: str
    page: int | None
    gap_before: bool = False  # a blank line or a vertical gap separates it from the previous


@dataclass
class Block:
    """One paragraph's worth of joined lines."""

    text: str
    page: int | None
    marker: str | None = None


def split_marker(text: str) -> tuple[str | None, str]:
    """Return (marker, rest) for a list item, else (None, text)."""
    m = MARKER_RE.match(text)
    if not m:
        return None, text
    return m.group("marker"), text[m.end() :]


def join_wrapped(lines: Iterable[Line]) -> list[Block]:
    """Join soft-wrapped lines into paragraphs.

    A new paragraph starts after a gap, at a list marker, at a label such as
    "Kommentar:", or after a line that ends in a colon (an introduction to a list).
    """
    blocks: list[Block] = []
    current: Block | None = None
    previous_text = ""
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        marker, rest = split_marker(text)
        starts_new = (
            current is None
            or line.gap_before
            or marker is not None
            or LABEL_RE.match(text) is not None
            or previous_text.endswith(":")
        )
        if starts_new:
            current = Block(text=rest if marker else text, page=line.page, marker=marker)
            blocks.append(current)
        else:
            assert current is not None
            current.text = join_two(current.text, text)
        previous_text = text
    return blocks


def join_two(left: str, right: str) -> str:
    """Join a wrapped line to its paragraph, repairing a hyphen split at the line end."""
    if (
        HYPHEN_END_RE.search(left)
        and right[:1].islower()
        and not right.startswith(COMPOUND_CONTINUATIONS)
    ):
        return left[:-1] + right
    return f"{left} {right}"


def normalize_space(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
