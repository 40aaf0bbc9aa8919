"""Bundles: one file holding several papers, split so each is analysed on its own.

A meeting's handlingar, a protokoll with many §, or any PDF of several papers. Papers are
found at page level first: printed page numbers ("2 (4)", "Sida 2 av 4") say where a
paper began and how long it is, a restart of the printed numbering starts a new one, and
on pages the numbering leaves open, a paper's title at the top of the page starts one
(`patterns/bundle.yaml`). A protokoll is then split at each `§` that opens a matter. Every
part keeps the bundle as its source, with its position and page range in
`source.bundle`; a part of a protokoll inherits the meeting's organ and dates when its
own text does not repeat them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from extractors import read_document
from pipeline.document import BundlePart, Document, Paragraph, Section
from pipeline.errors import CATALOGUE
from pipeline.resources import load_patterns
from pipeline.stages.run import assess_against, run_stages
from pipeline.styrmodell.schema import Profile

TITLE_LINES = 2  # paragraphs at the top of a page that may hold a paper's title
MAX_TITLE_CHARS = 120
MAX_HEAD_CHARS = 300  # a § head is a short line, not a paragraph citing a §
PAGE_HEADER_LINES = 4  # lines at the top of a page that may be its running header
MAX_HEADER_CHARS = 60


@dataclass(frozen=True)
class Rules:
    title: re.Pattern[str]
    page_of: re.Pattern[str]
    section_head: re.Pattern[str]
    protocol: re.Pattern[str]


@cache
def rules() -> Rules:
    data = load_patterns("pipeline.service", "bundle")

    def either(patterns: list[str]) -> str:
        return "|".join(f"(?:{p})" for p in patterns)

    return Rules(
        title=re.compile(rf"^\s*(?:{either(data['paper_titles'])})", re.IGNORECASE),
        page_of=re.compile(data["page_of"], re.IGNORECASE),
        section_head=re.compile(data["section_head"]),
        protocol=re.compile(either(data["protocol_markers"]), re.IGNORECASE),
    )


def page_runs(paragraphs: list[Paragraph]) -> list[int]:
    """Index of the first paragraph of each page, in reading order."""
    return [i for i, p in enumerate(paragraphs) if i == 0 or p.page != paragraphs[i - 1].page]


def page_numbering(
    paragraphs: list[Paragraph], runs: list[int], furniture: list[Paragraph]
) -> dict[int, tuple[int, int]]:
    """(page of paper, pages in paper) per page run, read from headers and footers.

    Furniture is in reading order like the pages, so it is matched to runs by walking
    both; a printed number that restarts (two papers each with a page 1) stays apart.
    """
    found: dict[int, tuple[int, int]] = {}
    position = 0
    for line in furniture:
        k = position
        while k < len(runs) and paragraphs[runs[k]].page != line.page:
            k += 1
        if k == len(runs):
            continue
        position = k
        m = rules().page_of.search(line.text)
        if m and 1 <= int(m.group(1)) <= int(m.group(2)):
            found.setdefault(k, (int(m.group(1)), int(m.group(2))))
    return found


def opens_with_title(paragraphs: list[Paragraph], start: int, end: int) -> bool:
    return any(
        len(p.text) <= MAX_TITLE_CHARS and rules().title.match(p.text)
        for p in paragraphs[start : min(end, start + TITLE_LINES)]
    )


def paper_starts(paragraphs: list[Paragraph], furniture: list[Paragraph]) -> list[int]:
    """Paragraph indices where a paper begins (the first is always 0)."""
    runs = page_runs(paragraphs)
    if len(runs) < 2:
        return [0]
    starts: set[int] = set()
    continuing: set[int] = set()
    numbering = page_numbering(paragraphs, runs, furniture)
    for k, (n, total) in numbering.items():
        # Walk back over the pages this one says precede it in its paper, up to a page
        # whose own number says otherwise (the previous paper) or the start of the file.
        for back in range(1, n):
            j = k - back
            if j < 0:
                break
            if numbering.get(j, (n - back, total)) != (n - back, total):
                starts.add(j + 1)
                break
            continuing.add(j + 1)
        else:
            if k - (n - 1) >= 1:
                starts.add(k - (n - 1))
        following = k + (total - n) + 1
        if following < len(runs):
            starts.add(following)
    for k in range(1, len(runs)):
        if k in continuing:
            continue
        page, previous = paragraphs[runs[k]].page, paragraphs[runs[k - 1]].page
        end = runs[k + 1] if k + 1 < len(runs) else len(paragraphs)
        if (page is not None and previous is not None and page < previous) or opens_with_title(
            paragraphs, runs[k], end
        ):
            starts.add(k)
    return [0] + [runs[k] for k in sorted(starts - continuing) if k > 0]


def section_starts(paragraphs: list[Paragraph], start: int, end: int) -> list[int]:
    """Where each matter (§) of a protokoll begins; numbers must increase. A § is moved up
    to the top of its page when only the running page header (lines that open two or more
    pages of the part) stands above it."""
    tops: Counter[str] = Counter()
    for run in page_runs(paragraphs[start:end]):
        first = start + run
        page = paragraphs[first].page
        lines = {
            p.text
            for p in paragraphs[first : first + PAGE_HEADER_LINES]
            if p.page == page and len(p.text) <= MAX_HEADER_CHARS
        }
        tops.update(lines)
    header = {text for text, pages in tops.items() if pages >= 2}
    heads: list[int] = []
    last = -1
    for i in range(start, end):
        p = paragraphs[i]
        m = rules().section_head.match(p.text)
        if not m or len(p.text) > MAX_HEAD_CHARS or int(m.group(1)) <= last:
            continue
        last = int(m.group(1))
        top = i
        while (
            top > start
            and paragraphs[top - 1].page == p.page
            and paragraphs[top - 1].text in header
        ):
            top -= 1
        if top > start and paragraphs[top - 1].page == p.page:
            top = i  # the § starts mid-page: the lines above belong to the matter before
        heads.append(top)
    return heads


def is_protocol(doc: Document, paragraphs: list[Paragraph], furniture: list[Paragraph]) -> bool:
    if doc.doc_type == "protokoll":
        return True
    return any(rules().protocol.search(p.text) for p in [*furniture, *paragraphs])


def part_skeleton(template: Document, paragraphs: list[Paragraph]) -> Document:
    """A fresh extractor skeleton holding only these paragraphs of the bundle."""
    pages = {p.page for p in paragraphs}
    doc = template.model_copy(deep=True)
    doc.sections = [
        Section(heading=None, level=0, paragraphs=[p.model_copy(deep=True) for p in paragraphs])
    ]
    doc.furniture = [f for f in doc.furniture if f.page in pages]
    doc.warnings = [w for w in doc.warnings if w.page is None or w.page in pages]
    degraded = any(CATALOGUE[w.code].degrades for w in doc.warnings if w.code in CATALOGUE)
    doc.status = "partial" if degraded else "ok"
    return doc


def inherit(part: Document, meeting: Document) -> None:
    """What a protokoll states once for the meeting, for a § that does not repeat it."""
    part.municipality = part.municipality or meeting.municipality
    part.organ = part.organ or meeting.organ
    if not part.dates:
        part.dates = [d.model_copy() for d in meeting.dates]


def split_ranges(starts: list[int], end: int) -> list[tuple[int, int]]:
    bounds = [*starts, end]
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if a < b]


def analyze_file(path: Path, profile: Profile | None = None) -> list[Document]:
    """One file to its documents: itself, or one per paper when it is a bundle, each
    assessed against `profile` (by default the one of its municipality, else generisk).

    Never raises for bad input: a file that cannot be read is one failed Document.
    """
    skeleton = read_document(path)
    if skeleton.status == "failed":
        return [skeleton]
    template = skeleton.model_copy(deep=True)
    paragraphs = template.paragraphs()
    furniture = template.furniture
    ranges = split_ranges(paper_starts(paragraphs, furniture), len(paragraphs))
    found: list[tuple[tuple[int, int], Document]] = []
    for start, end in ranges:
        paper = run_stages(
            skeleton if len(ranges) == 1 else part_skeleton(template, paragraphs[start:end])
        )
        pages = {p.page for p in paragraphs[start:end]}
        heads = (
            section_starts(paragraphs, start, end)
            if is_protocol(paper, paragraphs[start:end], [f for f in furniture if f.page in pages])
            else []
        )
        if len(heads) < 2:
            found.append(((start, end), paper))
            continue
        for a, b in split_ranges(sorted({start, *heads}), end):
            matter = run_stages(part_skeleton(template, paragraphs[a:b]))
            inherit(matter, paper)
            found.append(((a, b), matter))
    found = [(bounds, assess_against(doc, profile)) for bounds, doc in found]
    if len(found) == 1:
        return [found[0][1]]
    for number, ((a, b), doc) in enumerate(found, start=1):
        pages_in_order = [p.page for p in paragraphs[a:b] if p.page is not None]
        doc.source.bundle = BundlePart(
            part=number,
            parts=len(found),
            first_page=pages_in_order[0] if pages_in_order else None,
            last_page=pages_in_order[-1] if pages_in_order else None,
        )
    return [doc for _, doc in found]
