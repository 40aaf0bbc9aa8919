"""Decision stage: the decision of a protokoll, or the proposal of a tjänsteskrivelse.

A protokoll's own "Beslut" comes before a proposal it quotes; any other paper's
"Förslag till beslut" is its decision text. The outcome is read from the decision's
own verbs (`patterns/decision.yaml`), and a vote table is counted where there is one.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.document import Decision, Document, Location, Section, Votes
from pipeline.resources import load_patterns


@cache
def patterns() -> dict:
    data = load_patterns("decision")
    flags = re.IGNORECASE
    return {
        "decision": re.compile(data["decision_headings"], flags),
        "proposal": re.compile(data["proposal_headings"], flags),
        "outcomes": [(name, re.compile(p, flags)) for name, p in data["outcomes"].items()],
        "votes": {name: re.compile(p, flags) for name, p in data["votes"].items()},
    }


def decision_section(doc: Document) -> Section | None:
    """The first non-empty section under a decision heading (a proposal heading after)."""
    kinds = ("decision", "proposal") if doc.doc_type == "protokoll" else ("proposal", "decision")
    for kind in kinds:
        for section in doc.sections:
            body = [p for p in section.paragraphs if p.kind in ("text", "list_item")]
            if section.heading and patterns()[kind].search(section.heading) and body:
                return section
    return None


def outcome(text: str) -> str | None:
    for name, pattern in patterns()["outcomes"]:
        if pattern.search(text):
            return name
    return None


def votes(doc: Document) -> Votes | None:
    """Count the X marks per column of a vote table (Ja / Nej / Avstår)."""
    columns = patterns()["votes"]
    for paragraph in doc.paragraphs():
        if paragraph.kind != "table" or not paragraph.rows:
            continue
        header = paragraph.rows[0]
        index = {
            name: i
            for name in ("ja", "nej", "avstar")
            for i, cell in enumerate(header)
            if columns[name].search(cell.strip())
        }
        if "ja" in index and "nej" in index:
            counts = {
                name: sum(
                    1
                    for row in paragraph.rows[1:]
                    if i < len(row) and columns["mark"].match(row[i].strip())
                )
                for name, i in index.items()
            }
            return Votes(**counts)
    return None


def extract_decision(doc: Document) -> Document:
    section = decision_section(doc)
    if section is None:
        return doc
    body = [p for p in section.paragraphs if p.kind in ("text", "list_item")]
    text = " ".join(p.text for p in body)
    doc.decision = Decision(
        text=text,
        outcome=outcome(text),
        votes=votes(doc),
        locations=[Location(page=p.page, paragraph=p.index) for p in body],
    )
    return doc
