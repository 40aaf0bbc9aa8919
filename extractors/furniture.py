"""Running headers and footers, found by repetition at the top and bottom of pages.

Shared by every paged format. A line is furniture when its text, with digits masked
(page numbers, dates), recurs in the top or bottom zone of at least two pages and of
half the pages of the paper.
"""

from __future__ import annotations

import re
from collections import Counter

ZONE = 3  # lines from the top and from the bottom of a page that can be furniture
PAGE_NUMBER_RE = re.compile(r"^(sida\s*)?\d{1,4}(\s*(\(|av|/)\s*\d{1,4}\)?)?$", re.IGNORECASE)


def shape(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def furniture_lines(pages: list[list[str]]) -> set[tuple[int, int]]:
    """Return (page position, line position) of every header or footer line.

    `pages` holds each page's non-empty lines top to bottom.
    """
    if len(pages) < 2:  # nothing repeats on one page; only its page number is furniture
        return {
            (p, i)
            for p, lines in enumerate(pages)
            for i in [*range(min(ZONE, len(lines))), *range(max(0, len(lines) - ZONE), len(lines))]
            if PAGE_NUMBER_RE.match(lines[i].strip())
        }
    # Headers repeat at the top and footers at the bottom: count the two zones apart, so a
    # line that happens to open one page and close another is not taken for either.
    zones: list[list[tuple[str, int]]] = []
    for lines in pages:
        n = len(lines)
        top = [("top", i) for i in range(min(ZONE, n))]
        bottom = [("bottom", i) for i in range(max(min(ZONE, n), n - ZONE), n)]
        zones.append(top + bottom)
    counts: Counter[tuple[str, str]] = Counter()
    for lines, zone in zip(pages, zones, strict=True):
        counts.update({(where, shape(lines[i])) for where, i in zone})
    needed = max(2, (len(pages) + 1) // 2)
    found = set()
    for p, (lines, zone) in enumerate(zip(pages, zones, strict=True)):
        for where, i in zone:
            text = lines[i].strip()
            if counts[(where, shape(text))] >= needed or PAGE_NUMBER_RE.match(text):
                found.add((p, i))
    return found
