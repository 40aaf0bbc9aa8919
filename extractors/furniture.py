"""Running headers and footers, found by repetition at the top and bottom of pages.

Shared by every paged format. A line is furniture when its text, with page numbers
masked, recurs in the top or bottom zone of at least two pages and of
half the pages of the paper.
"""

from __future__ import annotations

import math
import re
from collections import Counter

ZONE = 3  # lines from the top and from the bottom of a page that can be furniture
DEEP = 8  # ... or more, when every line between them and the edge is furniture
DEEP_SHARE = 0.8  # a line that deep must recur on this share of the pages
PAGE_NUMBER_RE = re.compile(r"^(sida\s*)?\d{1,4}(\s*(\(|av|/)\s*\d{1,4}\)?)?$", re.IGNORECASE)
# A running header or footer that ends with "page of pages": "SAMMANTRÄDESPROTOKOLL 48 (53)",
# "Kommunstyrelsen Sida 2 av 5", "Sida 2/5" (a bare "20/399" at a line end is a Dnr).
# Furniture on sight, even in a bundle where no single paper's header repeats on enough
# pages.
PAGE_OF_RE = re.compile(
    r"(?:^|\s)(?:(?:sida\s*)?(\d{1,3})\s*\(\s*(\d{1,3})\s*\)|(?:sida\s*)?(\d{1,3})\s+av\s+(\d{1,3})"
    r"|sida\s*(\d{1,3})\s*/\s*(\d{1,3}))$",
    re.IGNORECASE,
)


def is_page_number(text: str) -> bool:
    """A page number alone, or a line ending with one that says which page of how many."""
    if PAGE_NUMBER_RE.match(text):
        return True
    m = PAGE_OF_RE.search(text)
    if not m:
        return False
    page, total = (int(g) for g in m.groups() if g is not None)
    return 1 <= page <= total


# The parts of a running header or footer that change from page to page: "Sida 2 (5)",
# "2/5", "2 av 5", and a page number alone at either end of the line.
PAGE_PARTS_RE = re.compile(
    r"(?:sida\s*)?\d+\s*(?:\(\s*\d+\s*\)|av\s+\d+|/\s*\d+)|^(?:sida\s*)?\d{1,4}(?=\s|$)|(?<=\s)\d{1,4}$"
)


def shape(text: str) -> str:
    """A line with its page numbers masked. Other numbers are kept: "§ 12 Dnr KS 2020/411"
    and "§ 14 Dnr KS 2021/17" opening two pages are two matters, not a running header."""
    return PAGE_PARTS_RE.sub("#", re.sub(r"\s+", " ", text.strip().lower()))


def furniture_lines(pages: list[list[str]]) -> set[tuple[int, int]]:
    """Return (page position, line position) of every header or footer line.

    `pages` holds each page's non-empty lines top to bottom.
    """
    if len(pages) < 2:  # nothing repeats on one page; only its page number is furniture
        return {
            (p, i)
            for p, lines in enumerate(pages)
            for i in [*range(min(ZONE, len(lines))), *range(max(0, len(lines) - ZONE), len(lines))]
            if is_page_number(lines[i].strip())
        }
    # Headers repeat at the top and footers at the bottom: count the two zones apart, so a
    # line that happens to open one page and close another is not taken for either. A
    # stack of furniture (a letterhead, a "Justerandes sign / Utdragsbestyrkande" box and a
    # page number) can run deeper than the zone: lines below a furniture line found from
    # the edge are looked at as well, up to DEEP lines.
    needed = max(2, (len(pages) + 1) // 2)
    needed_deep = max(2, math.ceil(DEEP_SHARE * len(pages)))
    near: Counter[tuple[str, str]] = Counter()  # shapes within ZONE lines of an edge
    deep: Counter[tuple[str, str]] = Counter()  # ... and within DEEP lines
    for lines in pages:
        for where, order in edges(len(lines)):
            near.update({(where, shape(lines[i])) for i in order[:ZONE]})
            deep.update({(where, shape(lines[i])) for i in order})
    # A line below the edge line that also stands in the body of a page is the paper's own
    # (a label such as "Fokusområden" under the running header of several pages). The line
    # at the very edge stays furniture: a letterhead's name often recurs in the signature.
    body = {shape(lines[i]) for lines in pages for i in range(ZONE, max(ZONE, len(lines) - ZONE))}
    found = set()
    for p, lines in enumerate(pages):
        for where, order in edges(len(lines)):
            stacked = True  # every line so far from the edge is furniture
            for k, i in enumerate(order):
                text = lines[i].strip()
                repeated = (k == 0 or shape(text) not in body) and (
                    near[(where, shape(text))] >= needed
                    if k < ZONE
                    else deep[(where, shape(text))] >= needed_deep
                )
                if repeated or is_page_number(text):
                    if k < ZONE or stacked:
                        found.add((p, i))
                    continue
                stacked = False
                if k >= ZONE:
                    break
    return found


def edges(n: int) -> list[tuple[str, list[int]]]:
    """Line positions from the top and from the bottom edge of a page of n lines, the
    nearest first, never reaching the other zone."""
    top = list(range(min(DEEP, n)))
    bottom = list(range(n - 1, max(min(ZONE, n), n - DEEP) - 1, -1))
    return [("top", top), ("bottom", bottom)]


OPEN_ENDS = (",", "-", "–")  # a line ending so has not ended its sentence
FULL_LINE = 0.6  # a line at least this share of the wrap width ran to the margin


def continues_across(
    before: str, before_width: float | None, after: str, wrap_width: float | None
) -> bool:
    """Whether the first line after a page (or column) break goes on with the paragraph
    the last line before it was in: that line ran to the margin, and the next line goes
    on in lower case or the last one broke off after a comma or a dash. (A line ending
    without a full stop is not enough: headings and goal lines carry none.)"""
    before, after = before.strip(), after.strip()
    if not before or not after:
        return False
    width = before_width if before_width is not None else len(before)
    if wrap_width and width < FULL_LINE * wrap_width:
        return False
    return after[:1].islower() or before.endswith(OPEN_ENDS)
