"""PDF: printed lines back into paragraphs, in reading order, page furniture set apart.

pypdfium2 opens the file once (it tells an encrypted file or a page without a text layer)
and gives every character with its position, size and font (`extractors.pdfium_chars`,
grouped into words as pdfplumber groups them); ruled tables are found by pdfplumber's
table finder from pdfium's path objects (`extractors.pdfium_tables`), so pdfminer
interprets a page only in the rare case pdfium cannot hand its paths over. Text that is
not upright (a signing service's reference printed along the margin) is dropped before
lines are built. Lines are read from word positions: where several lines in a row share
the same gutters, the stretch is either two columns of prose (read column by column) or
a table without ruling lines (read row by row into a table paragraph, like a ruled one).
Line joining, hyphenation and list markers are shared with the text backend
(`extractors.lines`), header and footer detection with every paged format
(`extractors.furniture`); a paragraph broken by a page break is joined again.
"""

from __future__ import annotations

import bisect
import math
import statistics
from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO

import pdfplumber
import pypdfium2 as pdfium

from extractors.furniture import continues_across, furniture_lines
from extractors.lines import (
    COMPOUND_CONTINUATIONS,
    Line,
    join_two,
    normalize_space,
    split_marker,
    wrapped_paragraphs,
)
from extractors.pdfium_chars import PageReader, drawn
from extractors.pdfium_chars import words as page_words
from extractors.pdfium_tables import find_tables, page_edges
from extractors.swedish_words import two_words
from pipeline.document import Document, Paragraph, Section
from pipeline.errors import AttsatsError, record

PARAGRAPH_GAP = 1.4  # a gap this many times the page's usual line spacing ends a paragraph
HEADING_SIZE = 1.3  # a line this much larger than the body text can be a heading
LINE_TOLERANCE = 3.0  # words whose tops differ less than this (points) share a line
GUTTER = 1.2  # a horizontal gap this many times the font size separates two cells/columns
TOUCH = 0.3  # segments closer than this many font sizes belong to the same column
ROW_GAP = 1.5  # a vertical gap this many font sizes ends a stretch of table rows
PROSE_GAP = 3.0  # ... or of two prose columns, whose paragraphs have space between them
PROSE_COLUMN = 0.3  # each prose column is at least this share of the text width
PROSE_FILL = 0.6  # ... and its lines mostly fill this share of the column
ROW_BREAK = 1.3  # inside a table, a line spacing this much above the tightest starts a row
SPACE = 0.5  # a gap this many font sizes is more than a word space
COLUMN_LINES = 3  # a left edge this many segments on a page start at is a column's
ITEM_FULL = 0.85  # a list item's line this share of the wrap width runs to the margin
EDGE = 0.5  # points: how close two cell edges must be to count as the same
BROKEN_WORDS = 3  # this many words cut inside cells show a typesetter that breaks words
EVIDENT_WORD = 3  # a shorter piece printed as a word ("en") is as often a word's ending


class Spans(list):
    """(x0, x1) spans of cell lines, looked up by their left edge: a paper's tables have
    thousands, most starting at a few column edges, and each cell asks how far the lines
    starting where it does reach."""

    def groups(self, x: float) -> list[list[float]]:
        """For each left edge within EDGE of x, the right edges of the spans starting
        there, distinct and in ascending order."""
        index = self.__dict__.get("index")
        if index is None:
            by_start: dict[float, set[float]] = {}
            for x0, x1 in self:
                by_start.setdefault(x0, set()).add(x1)
            index = {}
            for x0, ends in by_start.items():
                index.setdefault(math.floor(x0 / EDGE), []).append((x0, sorted(ends)))
            self.__dict__["index"] = index
        k = math.floor(x / EDGE)
        return [
            ends
            for key in (k - 1, k, k + 1)
            for x0, ends in index.get(key, ())
            if abs(x0 - x) < EDGE
        ]

    def farthest(self, x: float, below: float = math.inf, other_than: float | None = None):
        """The farthest right edge, short of `below` and other than `other_than`, of
        the spans starting within EDGE of x; None when there is none."""
        best = None
        for ends in self.groups(x):
            k = bisect.bisect_left(ends, below) - 1
            while k >= 0 and ends[k] == other_than:
                k -= 1
            if k >= 0 and (best is None or ends[k] > best):
                best = ends[k]
        return best


def farthest(
    spans: list[tuple[float, float]],
    x: float,
    below: float = math.inf,
    other_than: float | None = None,
) -> float | None:
    """`Spans.farthest` for any list of spans."""
    if isinstance(spans, Spans):
        return spans.farthest(x, below, other_than)
    ends = [x1 for x0, x1 in spans if abs(x0 - x) < EDGE and x1 < below and x1 != other_than]
    return max(ends, default=None)


class Reach(Spans):
    """The (x0, x1) of every table cell line of a paper whose typesetter cuts words in
    cells, with how often the paper prints each word away from a place that looks like a
    cut: the evidence on whether a line that fills its cell is a cut word or a whole one."""

    def __init__(self, spans: list[tuple[float, float]], words: Counter[str]) -> None:
        super().__init__(spans)
        self.words = words


def bare(word: str) -> str:
    """A word lowercased, without the punctuation around it."""
    return word.strip(".,;:!?()[]\"'\u201d\u2019").lower()


def first_word(text: str) -> str:
    return bare(text.split()[0]) if text.split() else ""


def last_word(text: str) -> str:
    return bare(text.split()[-1]) if text.split() else ""


def whole_words(left: str, right: str, reach: list[tuple[float, float]] | None) -> bool:
    """A cell line that fills its cell and a lowercase word under it look the same on the
    page as a word cut without a hyphen ("arbetsutskottets | sammanträden"): they are two
    words when the paper never prints the two as one, and either prints the word below on
    its own elsewhere or both read as Swedish words that no word runs across
    (`extractors.swedish_words`)."""
    if not isinstance(reach, Reach):
        return False
    piece, below = last_word(left), first_word(right)
    if not (piece and below) or reach.words[piece + below] > 0:
        return False
    return (len(below) >= EVIDENT_WORD and reach.words[below] > 0) or two_words(piece, below)


@dataclass
class Segment:
    """Words of one line with no wide gap between them: a cell, or a column's line."""

    x0: float
    x1: float
    text: str
    lead: float = 0.0  # width of the first character, to tell whether it fit on the line above
    words: list[tuple[float, float, str, float]] = field(default_factory=list)  # x0, x1, text, lead


@dataclass
class PrintedLine:
    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    bold: bool
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Table:
    bbox: tuple[float, float, float, float]
    rows: list[list[str]]

    @property
    def top(self) -> float:
        return self.bbox[1]


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    """The document opened by pdfium; the coded error for a file it cannot open."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise AttsatsError("E105") from exc
        raise AttsatsError("E104", fmt="PDF", detail=str(exc)[:200]) from exc


def page_range(data: bytes, first: int, last: int) -> bytes:
    """Pages first..last (from 1) of a PDF as a PDF of their own."""
    source = pdfium.PdfDocument(data)
    part = pdfium.PdfDocument.new()
    try:
        part.import_pages(source, list(range(first - 1, last)))
        out = BytesIO()
        part.save(out)
        return out.getvalue()
    finally:
        part.close()
        source.close()


def ruled_tables(data: bytes, numbers: list[int]) -> dict[int, list[Table]]:
    """The ruled tables of the pages (from 0) that draw paths, read by pdfplumber: only
    those pages' content is interpreted by pdfminer."""
    if not numbers:
        return {}
    with pdfplumber.open(BytesIO(data)) as pdf:
        return {k: tables(upright(pdf.pages[k])) for k in numbers}


def upright(page):
    """The page without rotated text: margin text printed along the edge would otherwise
    come out one character per line inside the body."""
    return page.filter(lambda obj: obj.get("object_type") != "char" or obj.get("upright", True))


def segments_of(words: list[dict], size: float) -> list[Segment]:
    segments: list[Segment] = []
    for word in words:
        lead = word["lead"]
        entry = (word["x0"], word["x1"], word["text"], lead)
        if segments and word["x0"] - segments[-1].x1 < GUTTER * size:
            last = segments[-1]
            last.text, last.x1 = f"{last.text} {word['text']}", max(last.x1, word["x1"])
            last.words.append(entry)
        else:
            segments.append(
                Segment(x0=word["x0"], x1=word["x1"], text=word["text"], lead=lead, words=[entry])
            )
    return segments


def split_at_columns(lines: list[PrintedLine]) -> None:
    """A cell line that reaches so close to the next column that the gutter looks like a
    word space: split where a word starts at a left edge that other lines' segments of the
    paper start at (a column of a table), after a gap wider than a space."""
    starts = sorted(s.x0 for line in lines for s in line.segments)
    for line in lines:
        out: list[Segment] = []
        for segment in line.segments:
            piece = Segment(*segment.words[0][:2], text="", lead=segment.words[0][3], words=[])
            for k, word in enumerate(segment.words):
                gap = word[0] - piece.x1
                if k and gap > SPACE * line.size and starting_at(starts, word[0]) >= COLUMN_LINES:
                    out.append(piece)
                    piece = Segment(word[0], word[1], text="", lead=word[3], words=[])
                piece.words.append(word)
                piece.x1 = max(piece.x1, word[1])
                piece.text = f"{piece.text} {word[2]}".strip()
            out.append(piece)
        line.segments = out


def starting_at(starts: list[float], x: float) -> int:
    """How many of the sorted left edges lie within EDGE of x."""
    low = bisect.bisect_left(starts, x - EDGE)
    high = bisect.bisect_right(starts, x + EDGE)
    return sum(1 for start in starts[low:high] if abs(start - x) < EDGE)


def printed_lines(
    words: list[dict], exclude: list[tuple[float, float, float, float]]
) -> list[PrintedLine]:
    words = [
        w
        for w in words
        if w["text"].strip()
        and not any(
            x0 <= (w["x0"] + w["x1"]) / 2 <= x1 and top <= (w["top"] + w["bottom"]) / 2 <= bottom
            for x0, top, x1, bottom in exclude
        )
    ]
    words.sort(key=lambda w: (w["top"], w["x0"]))
    groups: list[list[dict]] = []
    for word in words:
        if groups and abs(word["top"] - groups[-1][0]["top"]) <= LINE_TOLERANCE:
            groups[-1].append(word)
        else:
            groups.append([word])
    lines = []
    for group in groups:
        group.sort(key=lambda w: w["x0"])
        size = statistics.median(w["size"] for w in group)
        lines.append(
            PrintedLine(
                text=" ".join(w["text"] for w in group),
                top=min(w["top"] for w in group),
                bottom=max(w["bottom"] for w in group),
                x0=group[0]["x0"],
                x1=max(w["x1"] for w in group),
                size=size,
                bold=all("bold" in w["fontname"].lower() for w in group),
                segments=segments_of(group, size),
            )
        )
    lines.sort(key=lambda line: line.top)
    return lines


def cell_text(cell: str | None) -> str:
    parts = [normalize_space(p) for p in (cell or "").split("\n") if p.strip()]
    text = parts[0] if parts else ""
    for part in parts[1:]:
        text = join_two(text, part)
    return text


def tables(page) -> list[Table]:
    """Ruled tables; only looked for on pages that have ruling lines."""
    if not (page.lines or page.rects):
        return []
    return read_tables(page.find_tables())


def read_tables(finds) -> list[Table]:
    """The rows of pdfplumber's tables, each cell's lines joined."""
    found = []
    for table in finds:
        rows = [[cell_text(c) for c in row] for row in table.extract()]
        rows = [r for r in rows if any(r)]
        if rows:
            found.append(Table(bbox=table.bbox, rows=rows))
    return found


def line_spacing(pages: list[list[PrintedLine]], body_size: float) -> float:
    """The spacing of lines inside a paragraph: the tightest usual one in the paper (lines
    of one paragraph sit closer than paragraphs; on a page of one-line paragraphs the
    median would be the paragraph spacing, so the whole paper is measured)."""
    spacings = [
        b.top - a.top
        for lines in pages
        for a, b in zip(lines, lines[1:], strict=False)
        if b.top - a.top >= 0.9 * body_size
    ]
    return min(spacings) if spacings else 0.0


# --- columns and tables without ruling lines -------------------------------------------


def overlapping(segment: Segment, columns: list[list[float]], size: float) -> list[int]:
    pad = TOUCH * size
    return [
        k for k, (x0, x1) in enumerate(columns) if segment.x0 < x1 + pad and segment.x1 > x0 - pad
    ]


def add_to_columns(columns: list[list[float]], line: PrintedLine) -> list[list[float]] | None:
    """The columns with this line's segments added; None when a segment bridges a gutter."""
    result = [list(c) for c in columns]
    for segment in line.segments:
        hits = overlapping(segment, result, line.size)
        if len(hits) > 1:
            return None
        if hits:
            column = result[hits[0]]
            column[0], column[1] = min(column[0], segment.x0), max(column[1], segment.x1)
            # A widened column may now touch its neighbour: that is a bridge as well.
            if any(
                k != hits[0] and column[0] < other[1] and column[1] > other[0]
                for k, other in enumerate(result)
            ):
                return None
        else:
            result.append([segment.x0, segment.x1])
    return sorted(result)


def column_of(segment: Segment, columns: list[list[float]], size: float) -> int:
    hits = overlapping(segment, columns, size)
    return hits[0] if hits else 0


@dataclass
class Grid:
    """A stretch of lines sharing gutters: `columns` are (x0, x1) ranges."""

    start: int
    end: int
    columns: list[list[float]]


def grid_at(
    lines: list[PrintedLine], i: int, floor: int = 0, row_gap: float = ROW_GAP
) -> Grid | None:
    """The stretch of lines from `i` whose segments keep to common columns, if it has at
    least two lines with two or more segments (a lone wide-spaced line is not a grid)."""
    if len(lines[i].segments) < 2:
        return None
    columns = sorted([s.x0, s.x1] for s in lines[i].segments)
    j = i + 1
    while j < len(lines):
        previous, line = lines[j - 1], lines[j]
        if line.top - previous.bottom > row_gap * line.size:
            break
        widened = add_to_columns(columns, line)
        if widened is None:
            break
        columns, j = widened, j + 1
    start = i
    # Cells above the first full row (a bottom-aligned row): lines that keep clear of the
    # first column, so a paragraph above the stretch is never taken in.
    while start > floor:
        line = lines[start - 1]
        if lines[start].top - line.bottom > row_gap * line.size:
            break
        widened = add_to_columns(columns, line)
        if widened is None or any(column_of(s, widened, line.size) == 0 for s in line.segments):
            break
        columns, start = widened, start - 1
    if sum(1 for line in lines[start:j] if len(line.segments) >= 2) < 2:
        return None
    if stray(lines[i], lines[i + 1 : j]):
        return None
    return Grid(start=start, end=j, columns=columns)


def stray(line: PrintedLine, below: list[PrintedLine]) -> bool:
    """A line that only seems to open a table (a signature block right above it): short of
    a full row, with a segment starting where no full row below starts a cell."""
    full = [s.x0 for other in below if len(other.segments) >= 3 for s in other.segments]
    if len(line.segments) >= 3 or not full:
        return False
    return any(all(abs(s.x0 - x) > TOUCH * line.size for x in full) for s in line.segments)


def is_prose(grid: Grid, lines: list[PrintedLine], text_width: float) -> bool:
    """Two columns of running text: both wide, and their lines mostly fill them."""
    if len(grid.columns) != 2 or text_width <= 0:
        return False
    for k, (x0, x1) in enumerate(grid.columns):
        if x1 - x0 < PROSE_COLUMN * text_width:
            return False
        widths = [
            s.x1 - s.x0
            for line in lines[grid.start : grid.end]
            for s in line.segments
            if column_of(s, grid.columns, line.size) == k
        ]
        if not widths or statistics.median(widths) < PROSE_FILL * (x1 - x0):
            return False
    return True


def table_rows(
    grid: Grid, lines: list[PrintedLine], reach: list[tuple[float, float]] | None = None
) -> list[list[str]]:
    """The rows' cell texts. `reach` holds the (x0, x1) of every table cell line in the
    document when its typesetter breaks words inside cells (how far a column's text
    reaches on any page measures its right edge), else None."""
    return [cell_texts(row, grid.columns, reach) for row in segment_rows(grid, lines)]


def segment_rows(grid: Grid, lines: list[PrintedLine]) -> list[list[list[Segment]]]:
    """Rows of a table without ruling lines: a wider line spacing starts a row; where the
    spacing is even, a line with its first column filled does."""
    stretch = lines[grid.start : grid.end]
    pitches = [b.top - a.top for a, b in zip(stretch, stretch[1:], strict=False)]
    tight = min(pitches) if pitches else 0.0
    spaced = any(p > ROW_BREAK * tight for p in pitches)
    width = len(grid.columns)
    rows: list[list[list[Segment]]] = []
    firsts = [
        k for k, ln in enumerate(stretch) if column_of(ln.segments[0], grid.columns, ln.size) == 0
    ]
    if not spaced and firsts == [len(stretch) - 1] and len(stretch) > 1:
        # Evenly spaced, the first column filled on the last line only: one row whose
        # cells sit at its foot (a row aligned to the bottom, its number last).
        spaced, pitches = True, [0.0] * len(pitches)
    for k, line in enumerate(stretch):
        cells = {column_of(s, grid.columns, line.size): s for s in line.segments}
        new_row = (
            not rows
            or (spaced and pitches[k - 1] > ROW_BREAK * tight)
            or (not spaced and (0 in cells or len(cells) * 2 >= width))
        )
        if new_row:
            rows.append([[] for _ in range(width)])
        for column, text in cells.items():
            rows[-1][column].append(text)
    return rows


def cell_texts(
    row: list[list[Segment]], columns: list[list[float]], reach: list[tuple[float, float]] | None
) -> list[str]:
    """A row's cells from the segments printed in each: wrapped lines joined, a hyphen at
    a line end repaired, a word cut inside a narrow cell made whole."""
    texts = []
    for k, parts in enumerate(row):
        edge = cell_edge(columns, k, reach or [])
        text = parts[0].text if parts else ""
        for above, part in zip(parts, parts[1:], strict=False):
            cut = (
                broken_word(above, part, edge) and not whole_words(text, part.text, reach)
            ) or printed_hyphen(text, part.text)
            if reach is not None and cut:
                text += part.text
            else:
                text = join_two(text, part.text)
        texts.append(normalize_space(text))
    return texts


def join_cut(
    left: str,
    right: str,
    above: Segment | None,
    below: Segment | None,
    edge: tuple[float, float],
    reach: list[tuple[float, float]] | None,
) -> str:
    """A cell's text going on over a page break, a word cut there made whole as inside
    a page."""
    if not left:
        return right
    if reach is not None and (
        (
            above is not None
            and below is not None
            and broken_word(above, below, edge)
            and not whole_words(left, right, reach)
        )
        or printed_hyphen(left, right)
    ):
        return left + right
    return join_two(left, right)


def printed_hyphen(text: str, right: str) -> bool:
    """A typesetter that cuts words without a hyphen does not hyphenate either: a hyphen
    or dash ending a cell line is printed ("VA-taxa", "Kungsbacka-Posten", "2025–2029"),
    unless it is a suspended hyphen before "och"/"eller" ("Klimat- och"). Between two
    lowercase letters it is read as a hyphenation, as everywhere else."""
    return (
        text[-1:] in ("-", "\u2013")
        and text[-2:-1].isalnum()
        and right[:1].isalnum()
        and not f"{right} ".startswith(COMPOUND_CONTINUATIONS)
        and not (text[-1] == "-" and text[-2].islower() and right[0].islower())
    )


def cell_edge(
    columns: list[list[float]], k: int, reach: list[tuple[float, float]]
) -> tuple[float, float]:
    """Column `k`'s left edge and its right edge: how far the cell lines starting at the
    same left edge reach on any page (short of the next column)."""
    left = columns[k][0]
    limit = columns[k + 1][0] if k + 1 < len(columns) else float("inf")
    far = farthest(reach, left, below=limit)
    return left, columns[k][1] if far is None else max(columns[k][1], far)


def broken_word(above: Segment, below: Segment, edge: tuple[float, float]) -> bool:
    """A word the typesetter broke without a hyphen because it is wider than its cell: the
    piece above is alone on its line, starts at the cell's left edge and fills the cell so
    far that not even the next piece's first letter would have fitted after it; the piece
    below goes on at the left edge with a lowercase letter."""
    left, right = edge
    return (
        " " not in above.text
        and above.text[-1:].isalpha()
        and below.text[:1].islower()
        and above.x0 - left < EDGE
        and below.x0 - left < EDGE
        and above.x1 <= right + EDGE
        and above.x1 + below.lead > right
    )


def breaks_words(
    pages: list[list[PrintedLine]], in_tables: list[set[int]], reach: list[tuple[float, float]]
) -> bool:
    """Whether the typesetter cuts words too wide for a cell (LibreOffice) rather than let
    them overflow (then the widest word reaches past every other line of its column): a
    few cell lines must be cut that way, as one may be a whole word that just fits. Each
    piece is measured against the lines of its column that end elsewhere, so an
    overflowing word (however often it is printed) never sets the edge it is measured
    against."""
    found = 0
    for lines, rows in zip(pages, in_tables, strict=True):
        for i in sorted(rows):
            if i + 1 not in rows:
                continue
            for a in lines[i].segments:
                far = farthest(reach, a.x0, other_than=a.x1)
                edge = (a.x0, 0.0 if far is None else far)
                found += sum(
                    broken_word(a, b, edge)
                    for b in lines[i + 1].segments
                    if abs(a.x0 - b.x0) < EDGE
                )
    return found >= BROKEN_WORDS


def printed_words(pages: list[tuple[list[PrintedLine], list[Table]]]) -> Counter[str]:
    """How often the paper prints each word, leaving out both pieces at every place that
    looks like a word cut in a cell when measured against the farthest any line starting
    at the same left edge reaches (on the next page too): a cut word's pieces are no
    evidence of words."""
    lines = [line for page, _ in pages for line in page]
    words = Counter(
        bare(w)
        for text in [s.text for line in lines for s in line.segments]
        + [cell or "" for _, found in pages for t in found for row in t.rows for cell in row]
        for w in text.split()
    )
    far: dict[float, float] = {}
    for line in lines:
        for s in line.segments:
            key = round(s.x0)
            far[key] = max(far.get(key, 0.0), s.x1)
    words.subtract(
        w
        for above, below in zip(lines, lines[1:], strict=False)
        for a in above.segments
        for b in below.segments
        if abs(a.x0 - b.x0) < EDGE and broken_word(a, b, (a.x0, far[round(a.x0)]))
        for w in (last_word(a.text), first_word(b.text))
    )
    return words


@dataclass
class Rows:
    """A table without ruling lines: its rows and the x ranges of its columns."""

    rows: list[list[str]]
    columns: list[list[float]]
    first: list[Segment | None] = field(default_factory=list)  # each column's first line
    last: list[Segment | None] = field(default_factory=list)  # ... and its last line


def edges_of(
    rows: list[list[list[Segment]]],
) -> tuple[list[Segment | None], list[Segment | None]]:
    """The first line of each cell of the first row and the last of the last row: where a
    page break may have cut a word."""
    if not rows:
        return [], []
    return [c[0] if c else None for c in rows[0]], [c[-1] if c else None for c in rows[-1]]


def reading_order(
    lines: list[PrintedLine], text_width: float, reach: list[tuple[float, float]] | None = None
) -> list[list[PrintedLine] | Rows]:
    """The page's body as flows of lines (a column of prose is a flow of its own) and
    tables without ruling lines (their rows), in reading order. A column's lines are
    widened to the page's text width, so a line that fills its column reads as full."""
    out: list = []
    flow: list[PrintedLine] = []
    i = 0
    while i < len(lines):
        grid = grid_at(lines, i, i - len(flow))
        if grid is not None and is_prose(grid, lines, text_width):
            wider = grid_at(lines, i, i - len(flow), PROSE_GAP)
            grid = wider if wider is not None and is_prose(wider, lines, text_width) else grid
        if grid is None or not (len(grid.columns) >= 3 or is_prose(grid, lines, text_width)):
            flow.append(lines[i])
            i += 1
            continue
        del flow[len(flow) - (i - grid.start) :]
        if flow:
            out.append(flow)
        flow = []
        stretch = lines[grid.start : grid.end]
        if len(grid.columns) >= 3:
            found = segment_rows(grid, lines)
            first, last = edges_of(found)
            texts = [cell_texts(row, grid.columns, reach) for row in found]
            out.append(Rows(rows=texts, columns=grid.columns, first=first, last=last))
        else:
            for k, (x0, x1) in enumerate(grid.columns):
                scale = text_width / max(x1 - x0, 1.0)
                column = [
                    PrintedLine(
                        text=s.text,
                        top=line.top,
                        bottom=line.bottom,
                        x0=s.x0,
                        x1=s.x0 + (s.x1 - s.x0) * scale,
                        size=line.size,
                        bold=line.bold,
                        segments=[s],
                    )
                    for line in stretch
                    for s in line.segments
                    if column_of(s, grid.columns, line.size) == k
                ]
                if column:
                    out.append(column)
        i = grid.end
    if flow:
        out.append(flow)
    return out


def table_lines(lines: list[PrintedLine]) -> set[int]:
    """Lines of tables without ruling lines: never running headers, even when a table's
    header row opens every page."""
    found: set[int] = set()
    i = 0
    while i < len(lines):
        grid = grid_at(lines, i, i)
        if grid is not None and len(grid.columns) >= 3:
            found.update(range(grid.start, grid.end))
            i = grid.end
        else:
            i += 1
    return found


def continue_table(
    flow: list[PrintedLine],
    table: Paragraph,
    columns: list[list[float]],
    tail: list[Segment | None] | None = None,
    reach: list[tuple[float, float]] | None = None,
) -> list[PrintedLine]:
    """A table going on at the top of the next page in lines too few to be seen as a grid
    of their own: the lines that keep to the table's columns (and not only its first)
    finish the row the page break cut, and start new rows where the table does (a wider
    line spacing; where the spacing is even, a line that fills the first column and
    another: a row whose number sits on its last line is spaced). Returns the rest."""
    taken = 0
    for line in flow:
        hits = [overlapping(s, columns, line.size) for s in line.segments]
        if any(len(h) != 1 for h in hits) or outside(line, columns):
            break
        taken += 1
    cont = flow[:taken]
    if not cont or all(column_of(s, columns, ln.size) == 0 for ln in cont for s in ln.segments):
        return flow
    assert table.rows is not None
    pitches = [b.top - a.top for a, b in zip(cont, cont[1:], strict=False)]
    tight = min(pitches) if pitches else 0.0
    spaced = any(p > ROW_BREAK * tight for p in pitches)
    rows: list[list[list[Segment]]] = [[[] for _ in columns]]
    for k, line in enumerate(cont):
        cells = {column_of(s, columns, line.size): s for s in line.segments}
        if k and (pitches[k - 1] > ROW_BREAK * tight if spaced else 0 in cells and len(cells) >= 2):
            rows.append([[] for _ in columns])
        for column, segment in cells.items():
            rows[-1][column].append(segment)
    first, last_lines = edges_of(rows)
    finish_row(table, columns, cell_texts(rows[0], columns, reach), first, tail or [], reach)
    table.rows.extend(cell_texts(row, columns, reach) for row in rows[1:])
    table.text = "\n".join(" | ".join(r) for r in table.rows)
    if tail is not None:
        new_tail(tail, last_lines, len(rows) == 1)
    return flow[taken:]


def finish_row(
    table: Paragraph,
    columns: list[list[float]],
    texts: list[str],
    first: list[Segment | None],
    tail: list[Segment | None],
    reach: list[tuple[float, float]] | None,
) -> None:
    """The row a page break cut, finished by the cells at the top of the next page."""
    assert table.rows is not None
    last = table.rows[-1]
    for k, text in enumerate(texts):
        if text and k < len(last):
            above = tail[k] if k < len(tail) else None
            below = first[k] if k < len(first) else None
            edge = cell_edge(columns, k, reach or [])
            last[k] = join_cut(last[k], text, above, below, edge, reach)


def outside(line: PrintedLine, columns: list[list[float]]) -> bool:
    """A line starting left of the table's first column (a signature block under the
    table) is no cell of it."""
    return line.x0 < columns[0][0] - TOUCH * line.size


def same_columns(a: list[list[float]], b: list[list[float]], size: float = 10.0) -> bool:
    """Two tables' columns overlap one by one."""
    if len(a) != len(b):
        return False
    pad = TOUCH * size
    return all(x0 < y1 + pad and y0 < x1 + pad for (x0, x1), (y0, y1) in zip(a, b, strict=True))


def join_table(
    table: Paragraph,
    columns: list[list[float]],
    part: Rows,
    tail: list[Segment | None] | None = None,
    reach: list[tuple[float, float]] | None = None,
) -> bool:
    """A table that goes on at the top of the next page without repeating its header:
    its rows are added to the table (a first row with no first cell finishes the row the
    page break cut). Returns False when `part` is a table of its own."""
    assert table.rows is not None
    if not part.rows or part.rows[0] == table.rows[0] or not same_columns(columns, part.columns):
        return False
    rows = part.rows
    if not rows[0][0]:
        finish_row(table, columns, rows[0], part.first, tail or [], reach)
        rows = rows[1:]
    table.rows.extend(rows)
    table.text = "\n".join(" | ".join(r) for r in table.rows)
    if tail is not None:
        new_tail(tail, part.last, not rows)
    return True


def new_tail(tail: list[Segment | None], last: list[Segment | None], same_row: bool) -> None:
    """The last line of each cell of the table's last row, after rows were added (when
    they only finished the last row, a cell with nothing new keeps its line)."""
    old = tail + [None] * max(0, len(last) - len(tail))
    tail[:] = [new or (old[k] if same_row else None) for k, new in enumerate(last)]


def table_paragraph(rows: list[list[str]], page: int) -> Paragraph:
    text = "\n".join(" | ".join(r) for r in rows)
    return Paragraph(text=text, page=page, index=0, kind="table", rows=rows)


Item = Paragraph | list[Line]


def flow_items(flow: list[PrintedLine], page: int, body_size: float, leading: float) -> list[Item]:
    """One flow of lines as headings and runs of lines (a run becomes paragraphs)."""
    items: list[Item] = []
    run: list[Line] = []
    previous: PrintedLine | None = None
    for line in flow:
        heading = (line.bold or line.size > body_size * HEADING_SIZE) and len(line.text) < 120
        gap = previous is None or line.top - previous.top > PARAGRAPH_GAP * leading
        last = items[-1] if items else None
        continues_heading = (
            heading
            and previous is not None
            and not run
            and isinstance(last, Paragraph)
            and last.kind == "heading"
            and line.top - previous.top <= 1.5 * line.size
        )
        if continues_heading:
            assert isinstance(last, Paragraph)
            last.text = f"{last.text} {normalize_space(line.text)}"
        elif heading:
            if run:
                items.append(run)
                run = []
            items.append(
                Paragraph(
                    text=normalize_space(line.text), page=page, index=0, kind="heading", level=1
                )
            )
        else:
            run.append(
                Line(
                    text=line.text,
                    page=page,
                    gap_before=gap or (previous is not None and previous.bold),
                    width=line.x1 - line.x0,
                )
            )
        previous = line
    if run:
        items.append(run)
    return items


def append_items(items: list[Item], new: list[Item], wrap_width: float | None) -> None:
    """Add a page's (or a column's) items; a run that a page or column break cut in two
    is joined again."""
    if new and items and isinstance(items[-1], list) and isinstance(new[0], list):
        before, after = items[-1][-1], new[0][0]
        if continues_across(before.text, before.width, after.text, wrap_width) or item_goes_on(
            items[-1], new[0], wrap_width
        ):
            after.gap_before = False
            items[-1].extend(new[0])
            new = new[1:]
    items.extend(new)


def item_goes_on(run: list[Line], after: list[Line], wrap_width: float | None) -> bool:
    """A numbered or bulleted item whose last line before the page break runs to the
    margin, followed at the top of the next page by running text (its first line full
    too, more lines after it) and no marker: the item's text goes on, even with a new
    sentence. A new paragraph after a list would not open a page in mid-run."""
    if not wrap_width or len(after) < 2 or not run:
        return False
    opens = [k for k, ln in enumerate(run) if ln.gap_before or split_marker(ln.text)[0]]
    start = max(opens, default=0)
    full = ITEM_FULL * wrap_width
    return (
        split_marker(run[start].text)[0] is not None
        and split_marker(after[0].text)[0] is None
        and (run[-1].width or 0.0) >= full
        and (after[0].width or 0.0) >= full
        and not after[1].gap_before
    )


def extract(data: bytes, doc: Document) -> None:
    pdf = open_pdf(data)
    try:
        reader = PageReader()
        read: list[list[dict]] = []
        has_text: list[bool | None] = []
        with_paths: list[int] = []
        ruled: dict[int, list[Table]] = {}
        for k in range(len(pdf)):
            page = pdf[k]
            try:
                chars, text = reader.chars(page)
                anything, paths = drawn(page)
                edges = page_edges(page) if paths else (False, [])
                if edges is None:  # paths pdfium cannot hand over as pdfminer reads them
                    with_paths.append(k)
                elif edges[0]:
                    bbox = (0.0, 0.0, page.get_width(), page.get_height())
                    ruled[k] = read_tables(find_tables(edges[1], chars, bbox))
            finally:
                page.close()
            has_text.append(True if text else (False if anything else None))
            read.append(page_words(chars))
    finally:
        pdf.close()
    if not any(has_text):
        raise AttsatsError("E106")
    for number, ok in enumerate(has_text, start=1):
        if ok is False:  # a page with something drawn but no text: a scanned page
            record(doc, "W103", page=number)
    ruled.update(ruled_tables(data, with_paths))
    pages = []
    for k, words in enumerate(read):
        found = ruled.get(k, [])
        pages.append((printed_lines(words, [t.bbox for t in found]), found))
    doc.source.pages = len(pages)
    split_at_columns([line for lines, _ in pages for line in lines])
    # Table rows are never running headers, even when a table's header row repeats.
    in_tables = [table_lines(lines) for lines, _ in pages]
    candidates = [
        [i for i in range(len(lines)) if i not in in_tables[p]]
        for p, (lines, _) in enumerate(pages)
    ]
    reach = Spans(
        (s.x0, s.x1)
        for p, (lines, _) in enumerate(pages)
        for i in in_tables[p]
        for s in lines[i].segments
    )
    if breaks_words([lines for lines, _ in pages], in_tables, reach):
        reach = Reach(reach, printed_words(pages))
    else:
        reach = None
    furniture = {
        (p, candidates[p][k])
        for p, k in furniture_lines(
            [[lines[i].text for i in candidates[p]] for p, (lines, _) in enumerate(pages)]
        )
    }
    body_sizes = [line.size for lines, _ in pages for line in lines]
    body_size = statistics.median(body_sizes) if body_sizes else 0.0
    widths = sorted(line.x1 - line.x0 for lines, _ in pages for line in lines)
    wrap_width = widths[int(0.9 * (len(widths) - 1))] if widths else None
    left = min((line.x0 for lines, _ in pages for line in lines), default=0.0)
    right = max((line.x1 for lines, _ in pages for line in lines), default=0.0)

    leading = line_spacing([lines for lines, _ in pages], body_size)
    items: list[Item] = []
    # A table a page may go on: its paragraph, columns and the last line of each cell.
    open_table: tuple[Paragraph, list[list[float]], list[Segment | None]] | None = None
    for page_index, (lines, page_tables) in enumerate(pages):
        page_number = page_index + 1
        body = []
        for i, line in enumerate(lines):
            if (page_index, i) in furniture:
                doc.furniture.append(
                    Paragraph(
                        text=normalize_space(line.text), page=page_number, index=len(doc.furniture)
                    )
                )
            else:
                body.append(line)
        # Ruled tables cut the page: the lines between two of them are read on their own.
        ruled = sorted(page_tables, key=lambda t: t.top)
        pieces: list[list[PrintedLine]] = [[] for _ in range(len(ruled) + 1)]
        for line in body:
            pieces[sum(1 for t in ruled if t.top < line.top)].append(line)
        for k, piece in enumerate(pieces):
            if k:
                items.append(table_paragraph(ruled[k - 1].rows, page_number))
            for part in reading_order(piece, right - left, reach):
                if isinstance(part, Rows):
                    if not (
                        open_table is not None
                        and items
                        and items[-1] is open_table[0]
                        and join_table(open_table[0], open_table[1], part, open_table[2], reach)
                    ):
                        items.append(table_paragraph(part.rows, page_number))
                        open_table = (items[-1], part.columns, list(part.last))
                    continue
                if open_table is not None and items and items[-1] is open_table[0]:
                    part = continue_table(part, *open_table, reach=reach)
                    if not part:  # the whole flow went into the table: it may go on
                        continue
                open_table = None
                if part:
                    append_items(
                        items, flow_items(part, page_number, body_size, leading), wrap_width
                    )
    paragraphs: list[Paragraph] = []
    for item in items:
        if isinstance(item, Paragraph):
            paragraphs.append(item)
        else:
            paragraphs.extend(wrapped_paragraphs(item, wrap_width))
    for index, paragraph in enumerate(paragraphs):
        paragraph.index = index
    doc.sections = [Section(heading=None, level=0, paragraphs=paragraphs)]
