"""Goals stage: goal statements and what their own text says about them.

Three general shapes (`patterns/goals.yaml`): items of a list introduced as goals
("Fokusområden", "Kommunens övergripande mål för …"), numbered sub-headings under a
goals heading ("5 Mål" / "5.1 En attraktiv kommun"), and sentences that state an
ambition for the goals themselves ("Samtliga nämnder ska upprätta fem mål.").
Directives, activities and motivation lists have no goal words in their introduction;
a wrapped line that goes on in lower case introduces nothing; an att-sats is never a
goal; and papers that only quote goals (motions, answers, minutes, agendas) set none.
A count of goals ("4–5 mål") is what the ambition is about, not a target of a goal.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.document import Document, Goal, Location, Paragraph
from pipeline.resources import load_patterns

SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])")


@cache
def patterns() -> dict:
    data = load_patterns("pipeline.stages", "goals")
    flags = re.IGNORECASE
    return {
        "goal_words": re.compile(data["goal_words"], flags),
        "intro_max_chars": data["intro_max_chars"],
        "levels": [(name, re.compile(p, flags)) for name, p in data["levels"].items()],
        "numbered_heading": re.compile(data["numbered_heading"]),
        "ambitions": [re.compile(p.format(count=data["count"]), flags) for p in data["ambitions"]],
        "deadline": re.compile(data["deadline"], flags),
        "quoting_types": frozenset(data["quoting_types"]),
        "proposal_clause": re.compile(data["proposal_clause"], flags),
        "labelled_goal": re.compile(data["labelled_goal"]),
        "measure_label": re.compile(data["measure_label"], flags),
    }


def level_of(context: str) -> str | None:
    for name, pattern in patterns()["levels"]:
        if pattern.search(context):
            return name
    return None


def is_goal_intro(text: str) -> bool:
    """A heading or lead-in whose last sentence (the one that opens the list) names goals."""
    p = patterns()
    last_sentence = SENTENCE_RE.split(text)[-1]
    return (
        not text[:1].islower()
        and bool(p["goal_words"].search(last_sentence))
        and (len(text) <= p["intro_max_chars"] or text.endswith(":"))
    )


def goal(text: str, paragraph: Paragraph, context: str, target: str | None = None) -> Goal:
    deadline = patterns()["deadline"].search(text)
    return Goal(
        text=text,
        level=level_of(context),
        target=target,
        deadline=deadline.group(0) if deadline else None,
        locations=[Location(page=paragraph.page, paragraph=paragraph.index)],
    )


def list_goals(doc: Document, goal_headings: set[str]) -> list[tuple[int, Goal]]:
    """Items of lists whose introduction (the paragraph or heading before) names goals,
    or is itself a goal heading (a mål's fokusområden listed right under it)."""
    found = []
    for section in doc.sections:
        intro = section.heading or ""
        for paragraph in section.paragraphs:
            if paragraph.kind == "list_item":
                if (is_goal_intro(intro) or intro in goal_headings) and not patterns()[
                    "proposal_clause"
                ].match(paragraph.text):
                    found.append((paragraph.index, goal(paragraph.text, paragraph, intro)))
            elif not patterns()["measure_label"].match(paragraph.text.strip()):
                intro = paragraph.text
    return found


def labelled_goals(doc: Document) -> list[tuple[int, Goal]]:
    """Goals behind a numbered goal-area label, on its line or on the next."""
    p = patterns()
    found = []
    paragraphs = doc.paragraphs()
    for i, paragraph in enumerate(paragraphs):
        m = p["labelled_goal"].match(paragraph.text.strip())
        if paragraph.kind != "text" or m is None:
            continue
        label = m.group("label")
        if m.group("text"):
            text, where = m.group("text"), paragraph
        elif i + 1 < len(paragraphs) and paragraphs[i + 1].kind == "text":
            where = paragraphs[i + 1]
            if p["labelled_goal"].match(where.text.strip()):
                continue
            text = where.text
        else:
            continue
        found.append((where.index, goal(text, where, label)))
        found[-1][1].level = found[-1][1].level or label.lower()
    return found


def heading_goals(doc: Document) -> list[tuple[int, Goal]]:
    """Numbered sub-headings whose parent numbered heading is about goals."""
    p = patterns()
    found = []
    parents: dict[int, str] = {}
    previous_text = ""
    for paragraph in doc.paragraphs():
        m = p["numbered_heading"].match(paragraph.text)
        if paragraph.kind == "text" and m and not paragraph.text.endswith("."):
            depth = m.group("number").count(".") + 1
            parents = {d: t for d, t in parents.items() if d < depth}
            parent = parents.get(depth - 1, "")
            if depth > 1 and p["goal_words"].search(parent):
                context = f"{parent} {previous_text}"
                found.append((paragraph.index, goal(m.group("text"), paragraph, context)))
            parents[depth] = m.group("text")
        previous_text = paragraph.text
    return found


def ambition_goals(doc: Document) -> list[tuple[int, Goal]]:
    found = []
    for paragraph in doc.paragraphs():
        if paragraph.kind != "text":
            continue
        for sentence in SENTENCE_RE.split(paragraph.text):
            for pattern in patterns()["ambitions"]:
                m = pattern.search(sentence)
                if m:
                    found.append((paragraph.index, goal(sentence, paragraph, sentence)))
                    break
    return found


def extract_goals(doc: Document) -> Document:
    if doc.doc_type in patterns()["quoting_types"]:
        doc.goals = []
        return doc
    clauses = {loc.paragraph for a in doc.att_satser for loc in a.locations}
    headings = heading_goals(doc)
    numbered = {p.text for p in doc.paragraphs() for index, _ in headings if p.index == index}
    found = [
        (index, g)
        for index, g in list_goals(doc, numbered)
        + labelled_goals(doc)
        + headings
        + ambition_goals(doc)
        if index not in clauses
    ]
    doc.goals = [g for _, g in sorted(found, key=lambda pair: pair[0])]
    return doc
