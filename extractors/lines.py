"""Turning printed lines into paragraphs: shared by the text and PDF extractors.

Both formats give lines that a writer wrapped at a page width; this joins them back
into paragraphs, repairs hyphenation at line ends and recognises list markers, so the
same paper reads the same whatever format it arrived in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.document import Paragraph

BULLETS = "•●▪■◦○‣∙·\uf0b7\uf0a7\uf076\uf0d8-–—*"

# A list marker at the start of a line: a bullet, "1." "1)" "(1)" "a)" "a." "i)".
MARKER_RE = re.compile(
    rf"^\s*(?P<marker>[{re.escape(BULLETS)}]|\(?\d{{1,2}}[.)]|\(?[a-zåäö][.)]|\([ivx]{{1,4}}\)|[ivx]{{1,4}}\))"
    r"(?=\s+\S)\s+"
    # a dash or bullet printed against its clause: "-Att kommunen …", "–att …"
    rf"|^\s*(?P<tight>[{re.escape(BULLETS)}])(?=[Aa][Tt][Tt]:?\s)"
)
# A label that opens its own paragraph even without a blank line: "Kommentar: ...".
LABEL_RE = re.compile(r"^[A-ZÅÄÖ][a-zåäöé]+(?: [a-zåäöé]+){0,3}:(?:\s|$)")
# A line that closes a paper and never continues a clause: place and date ("Kungsbacka
# 2025-03-04", "Ort den 12 mars 2025") or a signature with a party ("Anna Berg (S)").
MONTHS = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
CLOSING_LINE_RE = re.compile(
    r"^(?:[A-ZÅÄÖ][\w-]*,?(?: den)? )?"
    rf"(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}} (?:{MONTHS}) \d{{4}}|\d{{6}})$"
    r"|^[A-ZÅÄÖ][\w-]+(?: [A-ZÅÄÖ][\w-]+){1,3},? \([A-ZÅÄÖ]{1,3}\)$"
)
SENTENCE_END = (".", "!", "?", ":", ";")
# Words that never end a paragraph: a line ending in one continues on the next.
CONTINUING_WORDS = frozenset(
    [
        "samt",
        "och",
        "eller",
        "att",
        "som",
        "för",
        "av",
        "i",
        "med",
        "till",
        "om",
        "på",
        "en",
        "ett",
        "den",
        "det",
        "de",
        "när",
        "där",
    ]
)
ATT_LINE_RE = re.compile(r"^(?:att|Att|ATT):?\s")
DASHES = ("-", "–", "—")
# A hyphen at a line end followed by a lower-case continuation is a soft break,
# unless it is a shared compound part: "barn- och utbildningsnämnden".
HYPHEN_END_RE = re.compile(r"(?<=[a-zåäöéü])[-\u00ad]$")
COMPOUND_CONTINUATIONS = ("och ", "eller ", "samt ", "till ", "som ")


@dataclass
class Line:
    text: str
    page: int | None
    gap_before: bool = False  # a blank line or a vertical gap separates it from the previous
    width: float | None = None  # printed width (points in a PDF); None: its length in characters


@dataclass
class Block:
    """One paragraph's worth of joined lines."""

    text: str
    page: int | None
    marker: str | None = None


# Symbol-font bullets (private-use code points) mean "•".
PRIVATE_BULLETS = str.maketrans(dict.fromkeys("\uf0b7\uf0a7\uf076\uf0d8", "•"))


def split_marker(text: str) -> tuple[str | None, str]:
    """Return (marker, rest) for a list item, else (None, text)."""
    m = MARKER_RE.match(text)
    if not m:
        return None, text
    marker = m.group("marker") or m.group("tight")
    rest = text[m.end() :]
    again = MARKER_RE.match(rest)
    if again and again.group("marker") == marker:  # a bullet doubled by OCR: "- - Text"
        rest = rest[again.end() :]
    return marker.translate(PRIVATE_BULLETS), rest


SHORT_LINE = 0.6  # a line shorter than this share of the full width ended its paragraph


def line_width(line: Line) -> float:
    return line.width if line.width is not None else len(line.text.strip())


def full_width(lines: list[Line]) -> float:
    """The width a writer wrapped at: the 90th percentile of the line widths."""
    widths = sorted(line_width(line) for line in lines if line.text.strip())
    return widths[int(0.9 * (len(widths) - 1))] if widths else 0.0


def join_wrapped(lines: Iterable[Line], wrap_width: float | None = None) -> list[Block]:
    """Join soft-wrapped lines into paragraphs.

    A new paragraph starts after a gap, at a list marker, at a label such as
    "Kommentar:", after a line well short of the wrap width unless the next line continues
    in lower case, and at an att-clause after a line ending in ",", ";" or ":".
    """
    lines = [line for line in lines if line.text.strip()]
    width = full_width(lines) if wrap_width is None else wrap_width
    blocks: list[Block] = []
    current: Block | None = None
    previous: Line | None = None
    for line in lines:
        text = line.text.strip()
        marker, rest = split_marker(text)
        previous_text = previous.text.strip() if previous else ""
        ended_short = (
            previous is not None
            and line_width(previous) < SHORT_LINE * width
            and (not text[:1].islower() or opens_clause(text))
            and not ends_mid_phrase(previous_text)
        )
        # A dash that a wrap put first on a line ("resultatet" / "– varför …") is not a
        # bullet: the line before ran to the margin without ending its sentence.
        wrapped_dash = (
            marker in DASHES
            and ATT_LINE_RE.match(rest) is None  # "– att …" opens a clause
            and current is not None
            and current.marker is None
            and not current.text[:1].islower()  # the tail of an item broken by a page
            and previous is not None
            and not line.gap_before
            and line_width(previous) >= SHORT_LINE * width
            and not previous_text.endswith(SENTENCE_END)
        )
        if wrapped_dash:
            marker, rest = None, text
        starts_new = (
            current is None
            or line.gap_before
            or marker is not None
            or LABEL_RE.match(text) is not None
            or ended_short
            or (closing_line(text) and not ends_mid_phrase(previous_text))
            or (opens_clause(text) and ends_clause_line(current, previous_text))
            or next_clause(current, text, previous_text)
        )
        if starts_new:
            current = Block(text=rest if marker else text, page=line.page, marker=marker)
            blocks.append(current)
        else:
            assert current is not None
            current.text = join_two(current.text, text)
        previous = line
    return blocks


def wrapped_paragraphs(lines: Iterable[Line], wrap_width: float | None = None) -> list[Paragraph]:
    """`join_wrapped` as body paragraphs (indexes are set by the caller)."""
    return [
        Paragraph(
            text=normalize_space(block.text),
            page=block.page,
            index=0,
            kind="list_item" if block.marker else "text",
            marker=block.marker,
        )
        for block in join_wrapped(lines, wrap_width)
    ]


def ends_mid_phrase(text: str) -> bool:
    """A line that ends in a comma, a conjunction or a preposition ("… inomhus, samt")
    does not end its paragraph."""
    words = text.split()
    return bool(words) and (words[-1] in CONTINUING_WORDS or text.endswith(","))


def closing_line(text: str) -> bool:
    """A place-and-date or signature line: its own paragraph even without a blank line."""
    return CLOSING_LINE_RE.match(text.strip()) is not None


def ends_clause_line(current: Block | None, previous_text: str) -> bool:
    """Whether an "att …" line after this one opens a clause: after a lead-in's colon, or
    after a clause of a list ending in "," or ";" (not a wrap inside running text that
    happens to put "att" first on a line)."""
    if previous_text.endswith(":"):
        return True
    return (
        previous_text.endswith((",", ";"))
        and current is not None
        and ATT_LINE_RE.match(current.text) is not None
    )


def next_clause(current: Block | None, text: str, previous_text: str) -> bool:
    """An "Att …" line after a finished sentence of a paragraph that itself began with
    "Att": consecutive clauses printed without blank lines or markers."""
    return (
        current is not None
        and ATT_LINE_RE.match(text) is not None
        and ATT_LINE_RE.match(current.text) is not None
        and previous_text.endswith((".", "!", "?", ",", ";"))
    )


def opens_clause(text: str) -> bool:
    """A line that starts an att-sats ("att kommunen …") opens a paragraph after a short line."""
    return text.startswith("att ")


def join_two(left: str, right: str) -> str:
    """Join a wrapped line to its paragraph, repairing a hyphen split at the line end."""
    if (
        HYPHEN_END_RE.search(left)
        and right[:1].islower()
        and not f"{right} ".startswith(COMPOUND_CONTINUATIONS)
    ):
        return left[:-1] + right
    if left.endswith("-") and left[-2:-1].isalnum() and right[:1].isdigit():
        return left + right  # a number split at its own hyphen: "KS-" / "2024-00850"
    return f"{left} {right}"


def normalize_space(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
