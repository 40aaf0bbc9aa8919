"""Decision stage: the decision of a protokoll, or the proposal of a tjänsteskrivelse.

A protokoll's own "Beslut" comes before a proposal it quotes; any other paper's
"Förslag till beslut" is its decision text. The outcome is read from the decision's
own verbs (`patterns/decision.yaml`), and a vote table is counted where there is one.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.document import (
    CounterProposal,
    Decision,
    Document,
    Location,
    Paragraph,
    Section,
    Votes,
)
from pipeline.resources import load_patterns


@cache
def patterns() -> dict:
    data = load_patterns("pipeline.stages", "decision")
    flags = re.IGNORECASE
    return {
        "decision": re.compile(data["decision_headings"], flags),
        "proposal": re.compile(data["proposal_headings"], flags),
        "outcomes": [(name, re.compile(p, flags)) for name, p in data["outcomes"].items()],
        "votes": {name: re.compile(p, flags) for name, p in data["votes"].items()},
        "vote_text": re.compile(data["vote_text"], flags),
        "counter_proposal": re.compile(data["counter_proposal"].format(member=data["member"])),
        "supports_proposal": re.compile(data["supports_proposal"], flags),
        "reservation": re.compile(data["reservation"], flags),
        "per_att_sats": re.compile(data["per_att_sats"], flags),
        "per_att_sats_passive": re.compile(data["per_att_sats_passive"], flags),
        "proposal_noun": re.compile(data["proposal_noun"], flags),
        "proposal_noun_words": data["proposal_noun_words"],
        "decision_sentence": re.compile(data["decision_sentence"], flags | re.MULTILINE),
        "decision_sentence_paragraphs": data["decision_sentence_paragraphs"],
        "adopts_proposal": re.compile(data["adopts_proposal"], flags),
        "adopts_organ_proposal": re.compile(data["adopts_organ_proposal"], flags),
    }


# Papers with no organ's voice in them: what they put forward is never a decision.
PROPOSING_TYPES = ("motion", "medborgarforslag", "kallelse")


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
    """The outcome a decision text states; parts decided differently combine. Adopting
    an organ's proposal ("bifaller kommunstyrelsens förslag") is not bifall of the motion."""
    p = patterns()
    text = p["adopts_organ_proposal"].sub(" ", text)
    matches = [(name, m) for name, pattern in p["outcomes"] for m in pattern.finditer(text)]
    words = p["proposal_noun_words"]
    about = [
        name
        for name, m in matches
        if p["proposal_noun"].search(
            " ".join(text[: m.start()].split()[-words:] + text[m.end() :].split()[:words])
        )
    ]
    found = list(dict.fromkeys(about or [name for name, _ in matches]))
    found.sort(key=[name for name, _ in p["outcomes"]].index)
    if "bifall" in found and ("avslag" in found or "besvarad" in found):
        return "delvis_bifall"
    if "avslag" in found and "besvarad" in found and "delvis_bifall" not in found:
        return "avslag"
    return found[0] if found else None


def decision_sentence(doc: Document) -> tuple[str, list[Paragraph], str | None] | None:
    """A decision stated in the organ's own voice where no heading announces it:
    (text, its paragraphs, the outcome of a proposal it adopts without restating)."""
    if doc.doc_type in ("motion", "medborgarforslag", "kallelse", "styrdokument"):
        return None
    p = patterns()
    paragraphs = doc.paragraphs()
    for i, paragraph in enumerate(paragraphs[: p["decision_sentence_paragraphs"]]):
        if paragraph.kind not in ("text", "list_item"):
            continue
        m = p["decision_sentence"].search(paragraph.text)
        if m is None:
            continue
        sentence = m.group("sentence")
        adopted = None
        if adopts(sentence):
            quoted = [q.text for q in paragraphs[:i] if q.kind == "list_item"]
            adopted = outcome(" ".join(quoted))
        return sentence, [paragraph], adopted
    return None


def votes(doc: Document) -> Votes | None:
    """The vote as the text counts it, else the X marks per column of a vote table
    (Ja / Nej / Avstår), including its continuation on the next page."""
    for paragraph in doc.paragraphs():
        m = patterns()["vote_text"].search(paragraph.text)
        if m:
            return Votes(**{k: int(v) for k, v in m.groupdict().items() if v is not None})
    columns = patterns()["votes"]
    tables = [p for p in doc.paragraphs() if p.kind == "table" and p.rows]
    for position, table in enumerate(tables):
        header = table.rows[0]
        index = {
            name: i
            for name in ("ja", "nej", "avstar")
            for i, cell in enumerate(header)
            if columns[name].search(cell.strip())
        }
        if "ja" not in index or "nej" not in index:
            continue
        rows = table.rows[1:]
        for continuation in tables[position + 1 :]:
            if len(continuation.rows[0]) != len(header) or any(
                columns[name].search(continuation.rows[0][i]) for name, i in index.items()
            ):
                break
            rows += continuation.rows
        counts = {
            name: sum(1 for row in rows if i < len(row) and columns["mark"].match(row[i].strip()))
            for name, i in index.items()
        }
        return Votes(**counts)
    return None


def counter_proposals(doc: Document) -> list[CounterProposal]:
    p = patterns()
    found = []
    for paragraph in doc.paragraphs():
        for m in p["counter_proposal"].finditer(paragraph.text):
            if not p["supports_proposal"].search(m.group("text")):
                found.append(CounterProposal(who=m.group("who"), text=m.group(0)))
    return found


def reservations(doc: Document) -> list[str]:
    return [p.text for p in doc.paragraphs() if patterns()["reservation"].search(p.text)]


def per_att_sats(text: str) -> dict[int, str]:
    result: dict[int, str] = {}
    matches = [*patterns()["per_att_sats"].finditer(text)]
    matches += patterns()["per_att_sats_passive"].finditer(text)
    for m in matches:
        verdict = outcome(m.group("verb"))
        if verdict:
            for number in re.findall(r"\d+", m.group("numbers")):
                result[int(number)] = verdict
    return result


def is_label_line(paragraph: Paragraph) -> bool:
    """A short line ending in a colon that names what follows ("Motionens att-satser:"),
    unlike a decision's own lead-in ("... besluta att:")."""
    text = paragraph.text.strip()
    return (
        paragraph.kind == "text"
        and text.endswith(":")
        and len(text.split()) <= 4
        and not re.search(r"\batt\s*:$", text)
    )


def decision_body(section: Section) -> list[Paragraph]:
    """The decision's paragraphs, up to a label line that opens another part."""
    body: list[Paragraph] = []
    for paragraph in section.paragraphs:
        if paragraph.kind not in ("text", "list_item"):
            continue
        if body and is_label_line(paragraph):
            break
        body.append(paragraph)
    return body


NUMBER_MARKER = re.compile(r"^\(?\d{1,2}[.)]$")


def numbered(paragraph: Paragraph) -> str:
    """A decision point as printed: its number kept ("1. Kommunfullmäktige bifaller
    motionen."), a bullet dropped."""
    marker = paragraph.marker or ""
    if paragraph.kind == "list_item" and NUMBER_MARKER.match(marker):
        return f"{marker} {paragraph.text}"
    return paragraph.text


def adopts(text: str) -> bool:
    p = patterns()
    return bool(p["adopts_proposal"].search(text) or p["adopts_organ_proposal"].search(text))


def adopted_outcome(doc: Document, decision: Section) -> str | None:
    """The outcome of the proposal a decision adopts without restating it: a proposal
    section of the same paper ("Arbetsutskottets förslag till beslut")."""
    for section in doc.sections:
        if section is decision or not section.heading:
            continue
        if patterns()["proposal"].search(section.heading):
            found = outcome(" ".join(p.text for p in decision_body(section)))
            if found:
                return found
    return None


def decides_nothing(doc: Document) -> bool:
    """A paper that only proposes or comments: a motion or medborgarförslag (its own
    "Förslag till beslut" is its att-satser), a member's paper printed as its own kind
    (initiativärende, interpellation, reservation: `printed_kind`), and an agenda, whose
    proposals belong to its items (kallelse stage)."""
    return doc.doc_type in PROPOSING_TYPES or doc.printed_kind is not None


def extract_decision(doc: Document) -> Document:
    if decides_nothing(doc):
        return doc
    section = decision_section(doc)
    adopted = None
    if section is not None:
        body = decision_body(section)
        text = " ".join(numbered(p) for p in body)
    elif found := decision_sentence(doc):
        text, body, adopted = found
    else:
        return doc
    if adopted is None and section is not None and adopts(text):
        adopted = adopted_outcome(doc, section)
    doc.decision = Decision(
        text=text,
        outcome=outcome(text) or adopted,
        per_att_sats=per_att_sats(text),
        votes=votes(doc),
        counter_proposals=counter_proposals(doc),
        reservations=reservations(doc),
        locations=[Location(page=p.page, paragraph=p.index) for p in body],
    )
    return doc
