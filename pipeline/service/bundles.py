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

from extractors import read_document, read_pages
from pipeline.document import BundlePart, Document, Paragraph, Section
from pipeline.errors import CATALOGUE, record
from pipeline.resources import load_patterns
from pipeline.stages.run import assess_against, run_stages
from pipeline.styrmodell.schema import Profile

TITLE_LINES = 2  # paragraphs at the top of a page that may hold a paper's title
LABEL_LINES = 4  # ... or, below a letterhead, its document type standing alone ("Motion")
CASE_LINES = 6  # paragraphs at the top of a page that may hold a Dnr/date block
MAX_TITLE_CHARS = 120
MAX_LABEL_CHARS = 30
MAX_HEAD_CHARS = 300  # a § head is a short line, not a paragraph citing a §
PAGE_HEADER_LINES = 4  # lines at the top of a page that may be its running header
MAX_HEADER_CHARS = 60


@dataclass(frozen=True)
class Rules:
    title: re.Pattern[str]
    page_of: re.Pattern[str]
    page_alone: re.Pattern[str]
    section_head: re.Pattern[str]
    section_range: re.Pattern[str]
    case_number: re.Pattern[str]
    date: re.Pattern[str]
    protocol: re.Pattern[str]


@cache
def rules() -> Rules:
    data = load_patterns("pipeline.service", "bundle")

    def either(patterns: list[str]) -> str:
        return "|".join(f"(?:{p})" for p in patterns)

    return Rules(
        title=re.compile(rf"^\s*(?:{either(data['paper_titles'])})", re.IGNORECASE),
        page_of=re.compile(data["page_of"], re.IGNORECASE),
        page_alone=re.compile(data["page_alone"], re.IGNORECASE),
        section_head=re.compile(data["section_head"]),
        section_range=re.compile(data["section_range"], re.IGNORECASE),
        case_number=re.compile(data["case_number"], re.IGNORECASE),
        date=re.compile(data["date"]),
        protocol=re.compile(either(data["protocol_markers"]), re.IGNORECASE),
    )


def page_runs(paragraphs: list[Paragraph]) -> list[int]:
    """Index of the first paragraph of each page, in reading order."""
    return [i for i, p in enumerate(paragraphs) if i == 0 or p.page != paragraphs[i - 1].page]


@dataclass
class Numbering:
    """What the furniture of one page run prints about its place in its paper."""

    page_of: tuple[int, int] | None = None  # "2 (4)", "Sida 2 av 4"
    alone: int | None = None  # a page number printed on its own: "2", "Sida 2"


def run_furniture(
    paragraphs: list[Paragraph], runs: list[int], furniture: list[Paragraph]
) -> list[list[str]]:
    """The header and footer lines of each page run. Furniture is in reading order like
    the pages, so it is matched to runs by walking both; a printed page number that
    restarts (two papers each with a page 1) stays apart."""
    found: list[list[str]] = [[] for _ in runs]
    position = 0
    for line in furniture:
        k = position
        while k < len(runs) and paragraphs[runs[k]].page != line.page:
            k += 1
        if k == len(runs):
            continue
        position = k
        found[k].append(line.text)
    return found


def page_numbering(
    paragraphs: list[Paragraph], runs: list[int], furniture: list[Paragraph]
) -> list[Numbering]:
    """The printed numbering of each page run, read from its headers and footers."""
    found = [Numbering() for _ in runs]
    for k, lines in enumerate(run_furniture(paragraphs, runs, furniture)):
        for text in lines:
            numbering_line(found[k], text)
    return found


def numbering_line(found: Numbering, text: str) -> None:
    """Note the page number a header or footer line prints, if any."""
    m = rules().page_of.search(text)
    if m and 1 <= int(m.group(1)) <= int(m.group(2)):
        found.page_of = found.page_of or (int(m.group(1)), int(m.group(2)))
        return
    alone = rules().page_alone.match(text.strip())
    if alone and found.alone is None:
        found.alone = int(alone.group(1))


def opens_with_title(paragraphs: list[Paragraph], start: int, end: int) -> bool:
    """A paper's title at the top of the page, or its document type on a line of its own
    under a letterhead (sender, place and date)."""
    return any(
        len(p.text) <= (MAX_TITLE_CHARS if k < TITLE_LINES else MAX_LABEL_CHARS)
        and rules().title.match(p.text)
        for k, p in enumerate(paragraphs[start : min(end, start + LABEL_LINES)])
    )


def numbering_says(previous: Numbering, current: Numbering) -> str | None:
    """ "new" when a printed numbering restarts or changes its count between two pages,
    "same" when it goes on by one, None when the pages do not say. When the two kinds
    disagree, the page number printed alone wins: a "48 (53)" in a header can be the
    numbering of the whole protokoll an extract was taken from."""
    by_page_of = by_alone = None
    if previous.page_of and current.page_of:
        (n0, total0), (n1, total1) = previous.page_of, current.page_of
        by_page_of = "same" if (total1 == total0 and n1 == n0 + 1) else "new"
    elif current.page_of and current.page_of[0] == 1:
        by_page_of = "new"
    if previous.alone is not None and current.alone is not None:
        by_alone = "same" if current.alone == previous.alone + 1 else "new"
    return by_alone or by_page_of


def case_block(
    paragraphs: list[Paragraph], start: int, end: int, furniture: list[str]
) -> str | None:
    """The diarienummer of a Dnr/date block at the top of a page ("Datum 2024-05-07",
    "Diarienummer KS 2024/12"), the way a paper's head opens (in a bundle of like papers
    it can look like a running header, so the page's furniture is read as well); None when
    the page has none, or opens with a § (a matter of a protokoll, split later)."""
    top = paragraphs[start : min(end, start + CASE_LINES)]
    if not top or rules().section_head.match(top[0].text):
        return None
    text = " ".join([*furniture, *(p.text for p in top)])
    dnr = rules().case_number.search(text)
    if dnr is None or not rules().date.search(text):
        return None
    # Its digits: "Dnr BN 2024–00122" and "Diarienummer 2024-00122" name one case.
    return re.sub(r"\D", "", dnr.group(1)) or None


def paper_starts(paragraphs: list[Paragraph], furniture: list[Paragraph]) -> list[int]:
    """Paragraph indices where a paper begins (the first is always 0).

    Page by page: a printed numbering that restarts or changes its count starts a paper,
    one that goes on by one continues it; where the pages say nothing, a page printed
    with a lower number than the one before (a text bundle's own page markers), a paper's
    title at the top of the page, a Dnr/date block naming another case than the last one,
    or a page after one printed "n (n)" starts a paper."""
    runs = page_runs(paragraphs)
    if len(runs) < 2:
        return [0]
    numbering = page_numbering(paragraphs, runs, furniture)
    lines = run_furniture(paragraphs, runs, furniture)
    case = case_block(paragraphs, 0, runs[1], lines[0])
    starts = []
    last_numbered: tuple[int, int] | None = None  # the last "n (N)" of the current paper
    for k in range(1, len(runs)):
        verdict = numbering_says(numbering[k - 1], numbering[k])
        current = numbering[k].page_of
        if verdict is None and current is not None and numbering[k - 1].page_of is None:
            # Numbered after unnumbered pages: the same paper when its numbering goes on
            # from its last numbered page (or this is its page 2 after an unnumbered first
            # page), else a new paper that starts mid-numbering (an extract).
            if last_numbered is not None:
                same = last_numbered[1] == current[1] and last_numbered[0] < current[0]
            else:
                same = current[0] == 2
            verdict = "same" if same else "new"
        end = runs[k + 1] if k + 1 < len(runs) else len(paragraphs)
        block = case_block(paragraphs, runs[k], end, lines[k])
        if verdict != "same":
            page, previous = paragraphs[runs[k]].page, paragraphs[runs[k - 1]].page
            last = numbering[k - 1].page_of
            if (
                verdict == "new"
                or (page is not None and previous is not None and page < previous)
                or opens_with_title(paragraphs, runs[k], end)
                or (block is not None and case is not None and block != case)
                or (last is not None and last[0] == last[1] and current is None)
            ):
                starts.append(runs[k])
                last_numbered = None
        case = block or case
        last_numbered = current or last_numbered
    return [0, *starts]


# What the text before a protokoll's first § is when it is not the meeting's head.
OTHER_PAPERS = ("motion", "medborgarforslag", "motionssvar", "tjansteskrivelse", "kallelse")
INDEX_GAP = 2  # § lines at most this many paragraphs apart, on one page, are an index
INDEX_SIZE = 3  # ... when there are at least this many of them


@dataclass
class Sections:
    """A protokoll's matters: where each § begins, its number, and the §§ its own index
    (the list on the first page) names."""

    starts: list[int]
    numbers: list[int]
    index: list[int]


def index_numbers(paragraph: Paragraph) -> list[int]:
    """§ numbers of an index printed as a table: the first cell of each row."""
    found = []
    for row in paragraph.rows or []:
        m = rules().section_head.match(row[0]) if row else None
        if m:
            found.append(int(m.group(1)))
    return found


def index_range(text: str) -> list[int]:
    """§ numbers named as a range: "Paragrafer 190–215", "§§ 12-14"."""
    m = rules().section_range.search(text)
    if not m or int(m.group(2)) < int(m.group(1)):
        return []
    return list(range(int(m.group(1)), int(m.group(2)) + 1))


def section_starts(paragraphs: list[Paragraph], start: int, end: int) -> Sections:
    """Where each matter (§) of a protokoll begins; numbers must increase. A § is moved up
    to the top of its page when only the running page header (lines that open two or more
    pages of the part) stands above it. § lines close together on one page are the
    protokoll's index of its matters, not matters."""
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
    candidates: list[tuple[int, int]] = []
    index: list[int] = []
    for i in range(start, end):
        p = paragraphs[i]
        if p.kind == "table":
            index += index_numbers(p)
            continue
        if not index and len(p.text) <= MAX_HEAD_CHARS:
            index += index_range(p.text)
        m = rules().section_head.match(p.text)
        if m and len(p.text) <= MAX_HEAD_CHARS:
            candidates.append((i, int(m.group(1))))
    clusters: list[list[tuple[int, int]]] = []
    for i, number in candidates:
        last = clusters[-1][-1][0] if clusters else None
        if (
            last is not None
            and i - last <= INDEX_GAP
            and paragraphs[i].page == paragraphs[last].page
        ):
            clusters[-1].append((i, number))
        else:
            clusters.append([(i, number)])
    heads: list[int] = []
    numbers: list[int] = []
    for cluster in clusters:
        if len(cluster) >= INDEX_SIZE:
            index += [number for _, number in cluster]
            continue
        for i, number in cluster:
            if numbers and number <= numbers[-1]:
                continue
            p = paragraphs[i]
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
            numbers.append(number)
    return Sections(starts=heads, numbers=numbers, index=sorted(set(index)))


def index_problem(sections: Sections) -> str | None:
    """What differs between a protokoll's index of §§ and the §§ found, in Swedish."""
    if not sections.index:
        return None
    missing = sorted(set(sections.index) - set(sections.numbers))
    extra = sorted(set(sections.numbers) - set(sections.index))
    parts = []
    if missing:
        parts.append("saknas " + ", ".join(f"§ {n}" for n in missing))
    if extra:
        parts.append("finns inte i förteckningen " + ", ".join(f"§ {n}" for n in extra))
    return "; ".join(parts) or None


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


def inherit(part: Document, meeting: Document, dates: bool = True) -> None:
    """What a protokoll states once for the meeting (organ, meeting and justering dates),
    for a § that does not repeat it."""
    part.municipality = part.municipality or meeting.municipality
    part.organ = part.organ or meeting.organ
    if not dates:
        return
    known = {(d.kind, d.date) for d in part.dates}
    part.dates += [d.model_copy() for d in meeting.dates if (d.kind, d.date) not in known]


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
    ranges = split_ranges(paper_starts(paragraphs, template.furniture), len(paragraphs))
    found: list[tuple[list[Paragraph], Document]] = []
    for start, end in ranges:
        if len(ranges) == 1:
            base = template
        else:
            pages = [p.page for p in paragraphs[start:end] if p.page is not None]
            base = (read_pages(template, pages[0], pages[-1]) if pages else None) or part_skeleton(
                template, paragraphs[start:end]
            )
        own = base.paragraphs()
        paper = run_stages(skeleton if len(ranges) == 1 else base.model_copy(deep=True))
        sections = (
            section_starts(own, 0, len(own))
            if is_protocol(paper, own, base.furniture)
            else Sections(starts=[], numbers=[], index=[])
        )
        if len(sections.starts) < 2:
            found.append((own, paper))
            continue
        # The meeting's head (place and time, members, justering, the index of §§) is
        # not a matter: each § inherits what it states.
        meeting = paper
        if sections.starts[0] > 0:
            meeting = run_stages(part_skeleton(base, own[: sections.starts[0]]))
            inherit(meeting, paper, dates=False)  # the other §§' dates are not the meeting's
            if meeting.doc_type in OTHER_PAPERS:
                # Not the meeting's head but a paper the bundle's pages did not set apart.
                found.append((own[: sections.starts[0]], meeting))
        problem = index_problem(sections)
        for number, (a, b) in enumerate(split_ranges(sections.starts, len(own))):
            matter = run_stages(part_skeleton(base, own[a:b]))
            inherit(matter, meeting)
            if problem and number == 0:
                record(matter, "W110", detail=problem)
            found.append((own[a:b], matter))
    found = [(part, assess_against(doc, profile)) for part, doc in found]
    if len(found) == 1:
        return [found[0][1]]
    for number, (part, doc) in enumerate(found, start=1):
        pages_in_order = [p.page for p in part if p.page is not None]
        doc.source.bundle = BundlePart(
            part=number,
            parts=len(found),
            first_page=pages_in_order[0] if pages_in_order else None,
            last_page=pages_in_order[-1] if pages_in_order else None,
        )
    return [doc for _, doc in found]
