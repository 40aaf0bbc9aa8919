"""Kallelse stage: one item per numbered ärende of a kallelse's agenda tables.

Agenda tables are recognised by their header (Ärende, Beteckning, Förslag: see
`patterns/kallelse.yaml`); a table split over pages repeats its header, so every
table with such a header adds its numbered rows. Unnumbered rows (section titles,
"Val av justerare") are not ärenden.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.document import Document, KallelseItem, Location
from pipeline.resources import load_patterns


@cache
def patterns() -> tuple[dict[str, re.Pattern[str]], re.Pattern[str]]:
    data = load_patterns("kallelse")
    columns = {name: re.compile(p, re.IGNORECASE) for name, p in data["columns"].items()}
    return columns, re.compile(data["item_number"])


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
    for paragraph in doc.paragraphs():
        if paragraph.kind != "table" or not paragraph.rows:
            continue
        index = column_index(paragraph.rows[0])
        if "arende" not in index:
            continue
        nr_column = index.get("nr", 0)
        for row in paragraph.rows[1:]:
            number = item_number.match(row[nr_column].strip()) if nr_column < len(row) else None
            if number is None:
                continue
            items.append(
                KallelseItem(
                    nr=int(number.group(1)),
                    arende=cell(row, index, "arende") or "",
                    beteckning=cell(row, index, "beteckning"),
                    forslag=cell(row, index, "forslag"),
                    locations=[Location(page=paragraph.page, paragraph=paragraph.index)],
                )
            )
    doc.kallelse_items = items
    doc.diarienummer = numbers_outside_items(doc)
    return doc


def numbers_outside_items(doc: Document) -> list:
    """A kallelse's case numbers belong to its items, not to the kallelse itself."""
    item_text = " ".join(
        " ".join(filter(None, (i.arende, i.beteckning, i.forslag))) for i in doc.kallelse_items
    )
    return [d for d in doc.diarienummer if d.raw not in item_text]
