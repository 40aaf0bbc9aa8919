"""Kallelse stage: one item per numbered ärende of a kallelse's agenda.

Agenda tables are recognised by their header (Ärende, Beteckning, Förslag: see
`patterns/kallelse.yaml`); a table split over pages repeats its header, so every
table with such a header adds its numbered rows, and so does a table without one that
has as many columns and comes after an agenda table (its header lost with a page).
Unnumbered rows (section titles, "Val av justerare") are not ärenden. An agenda without
such a table is read from its numbered plain lines: each numbered line opens an item,
numbers rising.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline.document import Document, KallelseItem, Location, Paragraph
from pipeline.resources import load_patterns


@cache
def patterns() -> tuple[dict[str, re.Pattern[str]], re.Pattern[str]]:
    data = load_patterns("pipeline.stages", "kallelse")
    columns = {name: re.compile(p, re.IGNORECASE) for name, p in data["columns"].items()}
    return columns, re.compile(data["item_number"])


@cache
def line_patterns() -> dict[str, re.Pattern[str]]:
    data = load_patterns("pipeline.stages", "kallelse")
    return {
        "plain_item": re.compile(data["plain_item"]),
        "proposal_line": re.compile(data["proposal_line"], re.IGNORECASE),
        "time_slot": re.compile(data["time_slot"]),
    }


def without_time_slot(text: str) -> str:
    return line_patterns()["time_slot"].sub("", text).strip()


def column_index(header: list[str]) -> dict[str, int]:
    columns, _ = patterns()
    index: dict[str, int] = {}
    for i, cell in enumerate(header):
        for name, pattern in columns.items():
            if name not in index and pattern.match(cell.strip()):
                index[name] = i
                break
    return index


def cell(row: list[str], index: dict[str, int], name: str) -> str | None:
    i = index.get(name)
    return (row[i].strip() or None) if i is not None and i < len(row) else None


def extract_kallelse_items(doc: Document) -> Document:
    if doc.doc_type != "kallelse":
        return doc
    _, item_number = patterns()
    items: list[KallelseItem] = []
    agenda: dict[str, int] | None = None  # the columns of the last agenda table
    width = 0
    for paragraph in doc.paragraphs():
        if paragraph.kind != "table" or not paragraph.rows:
            continue
        index = column_index(paragraph.rows[0])
        body = paragraph.rows[1:]
        if "arende" not in index:
            # The agenda going on without its header (a page laid out apart from the
            # table): as many columns as the agenda, and its own rows all body rows.
            if agenda is None or len(paragraph.rows[0]) != width:
                continue
            index, body = agenda, paragraph.rows
        agenda, width = index, len(paragraph.rows[0])
        nr_column = index.get("nr", 0)
        for row in body:
            number = item_number.match(row[nr_column].strip()) if nr_column < len(row) else None
            if number is None:
                continue
            items.append(
                KallelseItem(
                    nr=int(number.group(1)),
                    arende=without_time_slot(cell(row, index, "arende") or ""),
                    beteckning=cell(row, index, "beteckning"),
                    forslag=cell(row, index, "forslag"),
                    locations=[Location(page=paragraph.page, paragraph=paragraph.index)],
                )
            )
    doc.kallelse_items = items or plain_items(doc)
    doc.diarienummer = numbers_outside_items(doc)
    return doc


@dataclass
class Line:
    """A paragraph or a section heading, in reading order."""

    text: str
    paragraph: Paragraph
    heading: bool = False

    @property
    def printed(self) -> str:
        """The line as printed, a list item's dash or bullet kept ("- Informationen noteras.")."""
        p = self.paragraph
        if not self.heading and p.kind == "list_item" and p.marker:
            return f"{p.marker} {p.text}"
        return self.text


def lines(doc: Document) -> list[Line]:
    found: list[Line] = []
    for section in doc.sections:
        if section.heading:
            anchor = Paragraph(text=section.heading, page=section.page, index=section.index or 0)
            found.append(Line(section.heading, anchor, heading=True))
        found += [Line(p.text, p) for p in section.paragraphs if p.kind != "table"]
    return found


def item_start(line: Line, following: Line | None) -> tuple[int, str] | None:
    """(number, title) when the line opens an agenda item."""
    p = line.paragraph
    if line.heading:
        return None
    if p.kind == "list_item" and p.marker and re.fullmatch(r"\d{1,3}[.)]?", p.marker.strip()):
        return int(re.sub(r"\D", "", p.marker)), p.text
    bare = re.fullmatch(r"(\d{1,3})\.?", p.text.strip())
    if bare and following is not None and not following.heading:
        return int(bare.group(1)), following.text
    m = line_patterns()["plain_item"].match(p.text.strip())
    return (int(m.group("nr")), m.group("title")) if m else None


def plain_items(doc: Document) -> list[KallelseItem]:
    """Items of an agenda printed as numbered plain lines, numbers rising."""
    from pipeline.stages.recognize import find_dnr, labelled_numbers, rules

    all_lines = lines(doc)
    starts: list[tuple[int, int, str]] = []
    for i, line in enumerate(all_lines):
        following = all_lines[i + 1] if i + 1 < len(all_lines) else None
        start = item_start(line, following)
        if start and (not starts or start[0] > starts[-1][1]):
            starts.append((i, *start))
    columns = column_header(all_lines[: starts[0][0]] if starts else [])
    items = []
    for k, (i, nr, title) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(all_lines)
        body = all_lines[i + 1 : end]
        if body and body[0].text == title:
            body = body[1:]
        forslag_cell = None
        if columns:
            title, beteckning, forslag_cell = split_columns(title, "forslag" in columns)
        else:
            title, beteckning = split_title(title)
        # A title broken by a page break goes on in lower case.
        while body and not body[0].heading and body[0].text[:1].islower():
            title, body = f"{title} {body[0].text}", body[1:]
        texts = [line.text for line in body]
        numbers = labelled_numbers(texts) or [
            d for text in texts for _, d in find_dnr(rules().dnr_merge_field.sub("", text), False)
        ]
        items.append(
            KallelseItem(
                nr=nr,
                arende=without_time_slot(title),
                beteckning=beteckning or (numbers[0].raw if numbers else None),
                forslag=forslag_cell or proposal(body),
                locations=[
                    Location(
                        page=all_lines[i].paragraph.page, paragraph=all_lines[i].paragraph.index
                    )
                ],
            )
        )
    return items


def column_header(before: list[Line]) -> set[str]:
    """The columns an unruled agenda's header line names ("Nr Ärende Beteckning Förslag"),
    when its cells were flattened into one line of text."""
    columns, _ = patterns()
    for line in before:
        words = line.text.split()
        named = {name for word in words for name, pattern in columns.items() if pattern.match(word)}
        if {"arende", "beteckning"} <= named and len(words) <= 6:
            return named
    return set()


def split_columns(row: str, has_proposal: bool) -> tuple[str, str | None, str | None]:
    """A flattened row of an unruled agenda: the ärende, then the case number (the
    Beteckning column labels it), then the proposal."""
    from pipeline.stages.recognize import find_dnr

    numbers = find_dnr(row, labelled=True)
    if not numbers:
        return row, None, None
    position, number = numbers[0]
    after = row[position + len(number.raw) :].strip()
    return row[:position].strip(), number.raw, (after or None) if has_proposal else None


def split_title(title: str) -> tuple[str, str | None]:
    """A title that carries its case number ("Svar på motion om ... Dnr KS 2024/0123")."""
    from pipeline.stages.recognize import find_dnr, labelled_numbers, rules

    label = rules().dnr_label.search(title)
    if label is None:
        # A number with an organ ending the title: its own line, joined to the title.
        numbers = find_dnr(title, labelled=False)
        if numbers and title.rstrip().endswith(numbers[-1][1].raw):
            position, number = numbers[-1]
            return title[:position].rstrip(" ,;–-"), number.raw
        return title, None
    numbers = labelled_numbers([title[label.start() :]])
    if not numbers:
        return title, None
    return title[: label.start()].rstrip(" ,;–-"), numbers[0].raw


def proposal(body: list[Line]) -> str | None:
    """A line naming a proposal, joined with the lines below it up to the next heading."""
    for j, line in enumerate(body):
        if line_patterns()["proposal_line"].search(line.text):
            parts = [line.text]
            for later in body[j + 1 :]:
                if later.heading:
                    break
                parts.append(later.printed)
            return " ".join(parts)
    return None


def numbers_outside_items(doc: Document) -> list:
    """A kallelse's case numbers belong to its items, not to the kallelse itself."""
    item_text = " ".join(
        " ".join(filter(None, (i.arende, i.beteckning, i.forslag))) for i in doc.kallelse_items
    )
    return [d for d in doc.diarienummer if d.raw not in item_text]
