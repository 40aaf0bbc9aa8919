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
    if len(pages) < 2:
        return set()
    zones: list[list[int]] = []
    for lines in pages:
        n = len(lines)
        zones.append(sorted(set(range(min(ZONE, n))) | set(range(max(0, n - ZONE), n))))
    counts: Counter[str] = Counter()
    for lines, zone in zip(pages, zones, strict=True):
        counts.update({shape(lines[i]) for i in zone})
    needed = max(2, (len(pages) + 1) // 2)
    found = set()
    for p, (lines, zone) in enumerate(zip(pages, zones, strict=True)):
        for i in zone:
            text = lines[i].strip()
            if counts[shape(text)] >= needed or PAGE_NUMBER_RE.match(text):
                found.add((p, i))
    return found
