"""Att-sats stage: every clause of a proposal in the paper, once, where it was printed.

After segmentation, clauses are read from
- lists: consecutive list items (or paragraphs that begin with "att"), where the items
  begin with "att" or the paragraph before them introduces proposals ("Vi föreslår att
  kommunfullmäktige beslutar:", "I motionen föreslås att kommunen ska:"); items that are
  wraps a PDF turned into false bullets, or a nested list under a clause ending in ":",
  are joined back to their clause;
- the paragraph after "… yrkar att:", taken as printed;
- running text: the numbered clauses after such an introduction inside one paragraph,
  and inline proposals ("Jag föreslår att … samt att …") only when the proposer speaks
  (first person, the formula "föreslår … besluta att", or a motion), so that a
  paraphrase ("Motionären föreslår att …") yields nothing; a wish ("Vi vill att …")
  counts only when nothing firmer is proposed;
- table cells that begin with "att".
The same clause quoted again (a motionssvar quotes the motion, then assesses each
clause) becomes one att-sats with several locations; the "Kommentar:" or assessment
text that follows a quotation is kept as its `existing_assessment`.
The spaCy pipeline (`pipeline.nlp.language`) runs only on paragraphs that may hold a proposal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache
from typing import TYPE_CHECKING

from extractors.lines import closing_line, join_two, split_marker
from pipeline.document import AttSats, Document, Location, Paragraph
from pipeline.errors import record
from pipeline.nlp.language import SPANS_KEY, get_nlp
from pipeline.resources import load_patterns

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Span

CLAUSE_END = (".", "!", "?", ",", ";", ":")
LEAD_IN_ENDS = (":", ";")  # "Vi föreslår;" opens a list as "Vi föreslår:" does
NUMBER_RE = re.compile(r"\d{1,3}")
CELL_NUMBER_RE = re.compile(r"^\s*\(?(\d{1,3})[.)]?\s*$")
ATT_START_RE = re.compile(r"^att:?\s", re.IGNORECASE)  # "Att: …" labels its clause
ALONE_ATT_RE = re.compile(r"^\s*att:?\s*$", re.IGNORECASE)
# A bullet inside a paragraph after a finished clause: "… pensionärer. –att …".
JOINED_BULLET_RE = re.compile(r"(?<=[.;,])\s+[-–—•]\s?(?=att:?\s)", re.IGNORECASE)
ATT_WORD_RE = re.compile(r"\batt\b", re.IGNORECASE)
CELL_BREAK_RE = re.compile(r"<br\s*/?>|\n", re.IGNORECASE)
WORD_RE = re.compile(r"[^\W\d_]{2,}")
SIGNATURE_TAIL_RE = re.compile(r"[.!?]\s+[A-ZÅÄÖ][\w-]*(?:,?\s+[\w()-]+){0,5}\s*$")
# What makes a tail a signature: a name (two capitalised words) or a party label,
# or a party that signs "genom" a person named on the next line.
NAME_RE = re.compile(
    r"\b[A-ZÅÄÖ][\w-]+,?\s+[A-ZÅÄÖ][\w-]+|\([A-ZÅÄÖ]{1,3}\)|^\W*[A-ZÅÄÖ][\w-]+(?:\s+[A-ZÅÄÖ][\w-]+)*\s+genom$"
)
# How far a proposal verb may stand from its "att" ("föreslår jag kommunfullmäktige besluta
# att") and from its subject ("Vi vill därför föreslå").
CUE_REACH = 5
SUBJECT_REACH = 3
FURNITURE_CHARS = 60  # a stray page header or footer left between two items is short
FURNITURE_LINES = 3  # footer, page number, next page's header
SAME_CLAUSE_RATIO = 0.95  # two quotations of one clause that OCR or a wrap made differ
SAME_CLAUSE_MIN_CHARS = 40
PROPOSER_DOC_TYPES = ("motion", "medborgarforslag")
PROPOSER_NAMES = {"motion": "motionen", "medborgarforslag": "medborgarförslaget"}
# Verbs that put a proposal forward; a WISH ("Vi vill att …") also states aims in the
# motivation, so its clauses count only when the paper proposes nothing more firmly.
PROPOSING = ("PROPOSAL", "WISH")


@cache
def patterns() -> dict:
    return load_patterns("pipeline.stages", "attsats")


@cache
def compiled(key: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns()[key]), re.IGNORECASE)


@cache
def clause_marker_re() -> re.Pattern[str]:
    return re.compile(rf"^(?P<marker>{compiled('clause_markers').pattern})\s+(?=att\s)", re.I)


@dataclass
class Entry:
    """A body paragraph with what the stage needs to know around it."""

    paragraph: Paragraph
    heading: str | None
    section: int
    text: str  # without its list marker
    marker: str | None
    doc: SpacyDoc | None = None
    heading_doc: SpacyDoc | None = None
    continuation: bool = False  # the rest of a sentence the page before broke off

    @property
    def listed(self) -> bool:
        return self.marker is not None

    @property
    def att(self) -> bool:
        return ATT_START_RE.match(self.text) is not None

    @property
    def item(self) -> bool:
        """A list item, or a plain paragraph that begins like a clause ("att …")."""
        if self.continuation:
            return False
        return self.paragraph.kind in ("text", "list_item") and (self.listed or self.att)

    @property
    def location(self) -> Location:
        return Location(page=self.paragraph.page, paragraph=self.paragraph.index)

    def spans(self, label: str) -> list[Span]:
        if self.doc is None:
            return []
        return [s for s in self.doc.spans[SPANS_KEY] if s.label_ == label]


@dataclass
class Occurrence:
    text: str
    number: int | None
    location: Location
    entry: int | None = None  # position in the entries, for pairing its assessment
    weak: bool = False  # kept only when it quotes a clause found elsewhere
    fallback: bool = False  # kept only when the paper has no firmer clause
    prose: bool = False  # read from running text: kept only when no list proposes
    assessment: str | None = None


@dataclass
class Intro:
    """What the paragraph (or heading) before a list says about the list."""

    proposal: bool = False  # introduces proposals: every item counts as printed
    takes_paragraph: bool = False  # "… yrkar att:": the next plain paragraph is the clause
    blocked: bool = False  # introduces something else: purposes, means, examples


@dataclass
class Group:
    key: str
    occurrences: list[Occurrence] = field(default_factory=list)


def extract_att_satser(doc: Document) -> Document:
    entries = entries_of(doc)
    parse(entries, doc)
    mark_continuations(entries)
    occurrences = find_occurrences(entries, doc.doc_type)
    quoted = {o.entry for o in occurrences if o.entry is not None}
    for occurrence in occurrences:
        if occurrence.entry is not None:
            occurrence.assessment = assessment_after(entries, occurrence.entry, quoted)
    doc.att_satser = att_satser(merge(occurrences))
    if not doc.att_satser and doc.doc_type in PROPOSER_DOC_TYPES:
        # A proposal without clauses is never silently fine: the official must look.
        record(doc, "W105", kind=PROPOSER_NAMES[doc.doc_type])
    return doc


# --- reading the paragraphs ------------------------------------------------------------


def entries_of(doc: Document) -> list[Entry]:
    entries: list[Entry] = []
    for number, section in enumerate(doc.sections):
        pending: str | None = None  # an "att" printed alone, its clause on the next line
        for paragraph in section.paragraphs:
            marker, text = paragraph.marker, paragraph.text
            if paragraph.kind == "text" and ALONE_ATT_RE.match(text):
                pending = text.strip()
                continue
            if pending is not None:
                text, pending = f"{pending} {text}", None
            if paragraph.kind == "text":
                m = clause_marker_re().match(text)
                if m:
                    marker, text = m.group("marker"), text[m.end() :]
            clause, comment = split_joined_label(text)
            first, *more = (
                JOINED_BULLET_RE.split(clause) if ATT_START_RE.match(clause) else [clause]
            )
            entries.append(Entry(paragraph, section.heading, number, first, marker))
            for part in more:  # items a typesetter joined into one paragraph
                entries.append(Entry(paragraph, section.heading, number, part, marker or "-"))
            if comment:
                entries.append(Entry(paragraph, section.heading, number, comment, None))
    return entries


@cache
def joined_label_re() -> re.Pattern[str]:
    labels = "|".join(f"(?:{p})" for p in patterns()["joined_assessment_labels"])
    return re.compile(rf"(?<=[.!?])\s+(?=(?:{labels}))")


def split_joined_label(text: str) -> tuple[str, str | None]:
    """A clause and the "Kommentar: …" a typesetter joined onto its paragraph."""
    if not ATT_START_RE.match(text):
        return text, None
    m = joined_label_re().search(text)
    return (text[: m.start()], text[m.end() :]) if m else (text, None)


def mark_continuations(entries: list[Entry]) -> None:
    for previous, entry in zip(entries, entries[1:], strict=False):
        entry.continuation = continues_sentence(previous, entry)


def continues_sentence(previous: Entry, entry: Entry) -> bool:
    """A plain paragraph in lower case after running text that broke off inside a
    sentence: at a page break ("… en moralisk skyldighet" / "att lära sig språket …"), or
    after a line that introduces nothing ("Kommunstyrelsen ger X i uppdrag" / "att …")."""
    return (
        entry.marker is None
        and entry.paragraph.kind == "text"
        and entry.text[:1].islower()
        and previous.section == entry.section
        and previous.paragraph.kind == "text"
        and not previous.listed
        and not previous.att
        and not previous.text.endswith(CLAUSE_END)
        and (new_page(previous, entry) or not introduces(previous))
    )


def introduces(entry: Entry) -> bool:
    """Whether a paragraph ends as a lead-in to proposals ("Jag föreslår
    kommunfullmäktige besluta"), not merely naming a verb somewhere inside."""
    if entry.doc is None:
        return False
    if introduce(whole(entry.doc)).proposal:
        return True
    # "Centerpartiet föreslår genom denna motion": the verb phrase runs on to the end
    return any(not any(t.is_punct for t in entry.doc[s.end :]) for s in entry.spans("PROPOSAL"))


def needs_parse(entries: list[Entry], i: int) -> bool:
    entry = entries[i]
    if entry.paragraph.kind == "table":
        return False
    following = entries[i + 1] if i + 1 < len(entries) else None
    previous = entries[i - 1] if i > 0 else None
    return (
        ATT_WORD_RE.search(entry.text) is not None
        or entry.text.endswith(":")
        or any(neighbour is not None and neighbour.item for neighbour in (previous, following))
    )


def parse(entries: list[Entry], doc: Document) -> None:
    """Run the spaCy pipeline once over the paragraphs and headings that may hold or
    introduce a proposal."""
    texts = {e.text for i, e in enumerate(entries) if needs_parse(entries, i)}
    texts |= {s.heading for s in doc.sections if s.heading}
    if not texts:
        return
    ordered = sorted(texts)
    parsed = dict(zip(ordered, get_nlp().pipe(ordered), strict=True))
    for entry in entries:
        entry.doc = parsed.get(entry.text)
        entry.heading_doc = parsed.get(entry.heading) if entry.heading else None


# --- finding clauses -------------------------------------------------------------------


def find_occurrences(entries: list[Entry], doc_type: str) -> list[Occurrence]:
    found: list[Occurrence] = []
    i = 0
    while i < len(entries):
        entry = entries[i]
        if entry.paragraph.kind == "table":
            found += table_clauses(entry)
            i += 1
        elif entry.item:
            items, end = collect_run(entries, i)
            clauses = run_clauses(entries, items, intro_before(entries, i))
            found += clauses
            if all(c.weak for c in clauses) and not entry.listed:
                # a sentence that merely begins with "Att": the paragraph is running text
                for k in items:
                    found += inline_clauses(entries, k, doc_type)
            i = end
        elif introduce(whole(entry.doc)).takes_paragraph and plain_after(entries, i):
            found.append(occurrence(entries, i + 1))
            i += 2
        else:
            found += inline_clauses(entries, i, doc_type)
            i += 1
    return found


def occurrence(entries: list[Entry], i: int, weak: bool = False) -> Occurrence:
    entry = entries[i]
    return Occurrence(entry.text, printed_number(entry.marker), entry.location, i, weak)


def printed_number(marker: str | None) -> int | None:
    m = NUMBER_RE.search(marker or "")
    return int(m.group()) if m else None


def plain_after(entries: list[Entry], i: int) -> bool:
    if i + 1 >= len(entries):
        return False
    following = entries[i + 1]
    return (
        following.section == entries[i].section
        and following.paragraph.kind == "text"
        and not following.item
        and not assessment_label(following)
    )


def collect_run(entries: list[Entry], start: int) -> tuple[list[int], int]:
    """The items of one list from `start`: across the assessments written between them and
    a page header or footer left between two items of one numbered or bulleted list."""
    items = [start]
    j = start + 1
    while j < len(entries):
        entry = entries[j]
        if entry.section != entries[start].section:
            break
        if entry.item:
            items.append(j)
        elif (k := continued_after_furniture(entries, items[-1], j)) is not None:
            items.append(k)
            j = k
        elif not (assessment_label(entry) or furniture_between(entries, items[-1], j)):
            break
        j += 1
    return items, j


def furniture_between(entries: list[Entry], last: int, j: int) -> bool:
    """Whether `j` starts a few short lines (a page's footer, number and the next page's
    header) between two items of one list."""
    k = following_furniture(entries, j)
    if k == j or k >= len(entries) or entries[k].section != entries[last].section:
        return False
    if not entries[last].listed and not new_page(entries[last], entries[k]):
        return False  # between plain clauses only a page break leaves furniture
    return same_list(entries[last], entries[k])


def new_page(before: Entry, after: Entry) -> bool:
    return (
        before.paragraph.page is not None
        and after.paragraph.page is not None
        and after.paragraph.page != before.paragraph.page
    )


def following_furniture(entries: list[Entry], j: int) -> int:
    """The first entry from `j` on that is not a short furniture-like line."""
    k = j
    while k < len(entries) and k - j < FURNITURE_LINES and furniture_like(entries[k]):
        k += 1
    return k


def continued_after_furniture(entries: list[Entry], last: int, j: int) -> int | None:
    """The entry that continues the clause at `last` after a page's footer and the next
    page's header ("… ta fram en plan för" / "Sida 1 (2)" / "kollektivtrafik …")."""
    k = following_furniture(entries, j)
    if k == j or k >= len(entries) or entries[k].section != entries[last].section:
        return None
    following = entries[k]
    if following.paragraph.kind != "text" or following.item:
        return None
    if not new_page(entries[last], following):
        return None
    return k if wrapped(entries[last], following) else None


def furniture_like(entry: Entry) -> bool:
    return (
        entry.paragraph.kind == "text"
        and len(entry.text) <= FURNITURE_CHARS
        and not entry.text.endswith(CLAUSE_END)
    )


def same_list(previous: Entry, following: Entry) -> bool:
    if not (previous.listed or following.listed):  # plain clauses: "Att …" on both sides
        return previous.att and following.att and following.paragraph.kind == "text"
    if not (previous.listed and following.listed and following.item):
        return False
    before, after = printed_number(previous.marker), printed_number(following.marker)
    if before is not None and after is not None:
        return after == before + 1
    return previous.marker == following.marker


def intro_before(entries: list[Entry], i: int) -> Intro:
    if i > 0 and entries[i - 1].section == entries[i].section:
        previous = entries[i - 1]
        return Intro() if previous.item else introduce(whole(previous.doc))
    return introduce(whole(entries[i].heading_doc))


def whole(doc: SpacyDoc | None) -> Span | None:
    return doc[:] if doc is not None else None


def introduce(span: Span | None) -> Intro:
    """A proposal verb that ends the text ("Vi yrkar:") or reaches an "att" or a decision
    verb ("yrkar att:", "vill motionären att kommunfullmäktige beslutar:") introduces
    proposals when the text ends there or in a colon; "föreslås följande upplägg:" does
    not."""
    tokens = [t for t in span or () if not t.is_space]
    if span is None or not tokens:
        return Intro()
    if compiled("meeting_voices").search(span.text):
        return Intro(blocked=True)
    spans = cues_in(span)
    verbs = [s for s in spans if s.label_ in (*PROPOSING, "DECISION")]
    colon = tokens[-1].text in LEAD_IN_ENDS
    body = tokens[:-1] if colon else tokens
    if body and body[-1].lower_ == "att":
        body = body[:-1]
    last = body[-1].i if body else -1
    ends_with_verb = any(s.start <= last < s.end for s in verbs)
    proposes = any(
        s.start <= last < s.end
        or reaches_clause(span.doc, s, verbs)
        or (colon and ends_near(span.doc, s, last))
        for s in spans
        if s.label_ in PROPOSING
    )
    if proposes and (colon or ends_with_verb):
        return Intro(proposal=True, takes_paragraph=colon and ends_with_verb)
    return Intro(blocked=compiled("non_proposal_intros").search(span.text) is not None)


def ends_near(doc: SpacyDoc, cue: Span, last: int) -> bool:
    """Whether the lead-in ends a few words after its verb with the proposer as inverted
    subject ("föreslår vi:", "yrkar jag därför:"), with no punctuation between."""
    tail = doc[cue.end : last + 1]
    speaker = any(
        s.label_ == "FIRST_PERSON" and cue.end <= s.start <= last for s in doc.spans[SPANS_KEY]
    )
    return speaker and len(tail) <= SUBJECT_REACH and not any(t.is_punct for t in tail)


def cues_in(span: Span) -> list[Span]:
    return [s for s in span.doc.spans[SPANS_KEY] if span.start <= s.start < span.end]


def reaches_clause(doc: SpacyDoc, cue: Span, verbs: list[Span]) -> bool:
    """Whether an "att" or a decision verb follows the proposal verb before punctuation."""
    decisions = {s.start for s in verbs if s.label_ == "DECISION"}
    for t in doc[cue.start + 1 : cue.end + CUE_REACH]:
        if t.lower_ == "att" or t.i in decisions:
            return True
        if t.is_punct:
            return False
    return False


def run_clauses(entries: list[Entry], items: list[int], intro: Intro) -> list[Occurrence]:
    """The clauses of one list: its "att" items, or every item after an introduction of
    proposals, with nested items and false bullets joined to the clause they belong to."""
    if intro.blocked:
        return []
    run = [entries[k] for k in items]
    att_run = any(e.att for e in run)
    if not (intro.proposal or att_run):
        return []
    complete = sum(e.text.endswith(CLAUSE_END) for e in run) * 2 >= len(run)
    clauses: list[Occurrence] = []
    parent: Entry | None = None  # the item that opened the last clause
    last: Entry | None = None  # the last item joined to it
    for k, entry in zip(items, run, strict=True):
        if parent is not None and last is not None and continues(parent, last, entry, complete):
            clauses[-1].text = join_item(clauses[-1].text, entry, parent)
            last = entry
            continue
        if not (entry.att or intro.proposal):
            parent = last = None
            continue
        weak = not (
            intro.proposal
            or entry.listed
            or entry.text.startswith("att")
            or context_heading(entry)
            or any(e.listed and e.att for e in run)
            or sum(e.att for e in run) >= 2
        )
        if entry.listed or entry.doc is None:
            clauses.append(occurrence(entries, k, weak))
        else:  # clean may have joined clauses printed on lines of their own
            for text in split_clauses(entry.doc, 0, len(entry.doc)):
                clauses.append(Occurrence(text, None, entry.location, k, weak))
        parent = last = entry
    if clauses:
        clauses[-1].text = without_signature(clauses[-1].text)
    return clauses


def without_signature(text: str) -> str:
    """The last clause of a list without a signature printed right under it with no gap
    ("… budgetår. För Centerpartiet"): a few words after the final sentence end that
    open in upper case and end without punctuation."""
    m = SIGNATURE_TAIL_RE.search(text)
    if m is None:
        return text
    tail = m.group()[1:].strip()
    if NAME_RE.search(tail) is None and not closing_line(tail):
        return text
    return text[: m.start() + 1]


def continues(parent: Entry, last: Entry, entry: Entry, complete: bool) -> bool:
    """An item that belongs to the clause before it: a nested list under a clause that
    ends in ":", a deeper Word list level, or a wrapped line turned into a false bullet
    (recognisable where clauses begin with "att" or end with punctuation)."""
    if entry.att:
        return False
    if parent.text.endswith(":") or (entry.paragraph.level or 0) > (parent.paragraph.level or 0):
        return True
    return (parent.att or complete) and wrapped(last, entry)


def wrapped(last: Entry, entry: Entry) -> bool:
    return entry.text[:1].islower() and not last.text.endswith(CLAUSE_END)


def join_item(text: str, entry: Entry, parent: Entry) -> str:
    """A nested item keeps its number or letter ("a) en i Åsa"); a wrap does not."""
    nested = parent.text.endswith(":") or (entry.paragraph.level or 0) > (
        parent.paragraph.level or 0
    )
    marker = entry.marker if nested and entry.marker and entry.marker[:1].isalnum() else None
    return f"{text} {marker} {entry.text}" if marker else f"{text} {entry.text}"


def context_heading(entry: Entry) -> bool:
    return (
        entry.heading is not None
        and compiled("proposal_headings").search(entry.heading) is not None
    )


def table_clauses(entry: Entry) -> list[Occurrence]:
    rows = entry.paragraph.rows or []
    header = rows[0] if rows else []
    assessed = [i for i, cell in enumerate(header) if compiled("assessment_columns").search(cell)]
    found: list[Occurrence] = []
    for row in rows:
        row_number = next((int(m.group(1)) for c in row if (m := CELL_NUMBER_RE.match(c))), None)
        for column, cell in enumerate(row):
            if column in assessed:
                continue
            for number, text in cell_clauses(cell):
                comment = next((row[c] for c in assessed if c < len(row) and row[c]), None)
                found.append(
                    Occurrence(
                        text,
                        number if number is not None else row_number,
                        entry.location,
                        assessment=comment,
                    )
                )
    return found


def cell_clauses(cell: str) -> list[tuple[int | None, str]]:
    """The clauses of one table cell. Its lines may be wraps, so a line that begins with
    "att" opens a clause only first in the cell or after a line that ends a clause."""
    clauses: list[tuple[int | None, str]] = []
    previous = ""
    for line in (part.strip() for part in CELL_BREAK_RE.split(cell)):
        if not line:
            continue
        marker, rest = split_marker(line)
        if ATT_START_RE.match(rest) and (not previous or previous.endswith(CLAUSE_END)):
            clauses.append((printed_number(marker), rest))
        elif clauses:
            number, text = clauses[-1]
            clauses[-1] = (number, join_two(text, line))
        previous = line
    return clauses


# --- inline proposals ------------------------------------------------------------------


def inline_clauses(entries: list[Entry], i: int, doc_type: str) -> list[Occurrence]:
    """Clauses proposed in running text: after a proposal that ends in a colon inside the
    paragraph ("beslutar: 1. Att … 2. Att …"), or in the proposing sentence itself."""
    entry = entries[i]
    if entry.doc is None or entry.paragraph.kind != "text":
        return []
    doc = entry.doc
    sentences = list(doc.sents)
    found: list[Occurrence] = []
    for n, sentence in enumerate(sentences):
        intro = introduce(sentence)
        if intro.proposal:  # it introduces clauses rather than holding one
            if sentence.text.rstrip().endswith(":") and n + 1 < len(sentences):
                return found + listed_clauses(entries, i, sentences[n + 1 :], intro)
            continue
        for cue in cues_in(sentence):
            if cue.label_ not in PROPOSING:
                continue
            start, formula = clause_start(doc, cue, sentence, entry)
            if start is None or not proposer_speaks(entry, cue, sentence, formula, doc_type):
                continue
            wish = cue.label_ == "WISH" and not formula
            for text in split_clauses(doc, start, sentence.end):
                found.append(Occurrence(text, None, entry.location, i, fallback=wish, prose=True))
            break
    return found


def listed_clauses(
    entries: list[Entry], i: int, sentences: list[Span], intro: Intro
) -> list[Occurrence]:
    """The clauses printed after an introduction in the same paragraph: sentences that
    begin with "att" (after a list number), each with the sentences that follow it; after
    "… yrkar att:" the rest of the paragraph when it does not."""
    entry = entries[i]
    clauses: list[Occurrence] = []
    for sentence in sentences:
        marker, body = split_marker(sentence.text.strip())
        if ATT_START_RE.match(body):
            clauses.append(Occurrence(body, printed_number(marker), entry.location, i))
        elif clauses:
            clauses[-1].text = f"{clauses[-1].text} {sentence.text.strip()}"
        elif intro.takes_paragraph:
            rest = sentence.doc.text[sentence.start_char :].strip()
            return [Occurrence(rest, None, entry.location, i)]
        else:
            break
    return clauses


def clause_start(doc: SpacyDoc, cue: Span, sentence: Span, entry: Entry) -> tuple[int | None, bool]:
    """The "att" that opens the proposed clause, and whether the formula "… besluta att"
    led to it ("föreslår att kommunfullmäktige beslutar att …")."""
    decisions = {s.start for s in entry.spans("DECISION")}
    start = None
    for t in doc[cue.start + 1 : min(cue.end + CUE_REACH, sentence.end)]:
        if t.lower_ == "att":
            start = t.i
            break
        if t.is_punct:
            return None, False
    if start is None:
        return None, False
    formula = any(cue.end <= d < start for d in decisions)
    for t in doc[start + 1 : min(start + CUE_REACH, sentence.end)]:
        if t.is_punct:
            break
        if t.i in decisions and t.i + 1 < sentence.end and doc[t.i + 1].lower_ == "att":
            return t.i + 1, True
    return start, formula


def proposer_speaks(entry: Entry, cue: Span, sentence: Span, formula: bool, doc_type: str) -> bool:
    """Whether the sentence makes the proposal rather than reports one."""
    before = range(max(sentence.start, cue.start - SUBJECT_REACH), cue.start)
    near = {*before, *range(cue.start + 1, cue.end + 1)}  # "föreslår jag", "vill vi att"
    if any(s.start in before for s in entry.spans("SUBORDINATOR")):
        return False
    if any(s.start in near for s in entry.spans("REPORTED")):
        return False
    voice = sentence.doc[max(sentence.start, cue.start - SUBJECT_REACH) : cue.end + 1].text
    if compiled("meeting_voices").search(voice):
        return False
    first_person = [s.start for s in entry.spans("FIRST_PERSON") if s.start in near]
    return bool(first_person) or formula or doc_type in PROPOSER_DOC_TYPES


def split_clauses(doc: SpacyDoc, start: int, end: int) -> list[str]:
    """The clauses from token `start` to `end`, split at "samt att", ", att" …; the
    conjunction is dropped, punctuation stays with the clause before it."""
    from spacy.util import filter_spans

    separators = filter_spans(
        [
            s
            for s in doc.spans[SPANS_KEY]
            if s.label_ == "SEPARATOR" and start < s.start and s.end <= end
        ]
    )
    bounds = []
    begin = start
    for separator in separators:
        bounds.append((begin, separator.start + (1 if doc[separator.start].is_punct else 0)))
        begin = separator.end - 1
    bounds.append((begin, end))
    texts = [doc[a:b].text.strip() for a, b in bounds]
    return [t for t in texts if ATT_START_RE.match(t)]


# --- assessments -----------------------------------------------------------------------


def assessment_label(entry: Entry) -> int | None:
    """Where the text after a label such as "Kommentar:" begins, if it opens the paragraph."""
    return next((s.end_char for s in entry.spans("ASSESSMENT") if s.start == 0), None)


def assessment_after(entries: list[Entry], k: int, quoted: set[int]) -> str | None:
    """The officials' comment on the clause at `k`: the labelled paragraph after it
    ("Kommentar: …", or the paragraph after a bare "Kommentar:"), and under an assessment
    heading the text up to the next clause."""
    assessing = compiled("assessment_headings").search(entries[k].heading or "") is not None
    parts: list[str] = []
    labelled = False
    for j in range(k + 1, len(entries)):
        entry = entries[j]
        if entry.section != entries[k].section or j in quoted or entry.item:
            break
        label = assessment_label(entry)
        if label is not None:
            if labelled or parts:
                break
            labelled = True
            if rest := entry.text[label:].strip():
                parts.append(rest)
        elif assessing or (labelled and not parts):
            if not furniture_like(entry):
                parts.append(entry.text)
        else:
            break
    return " ".join(parts) or None


# --- one att-sats per clause -----------------------------------------------------------


def clause_key(text: str) -> str:
    text = re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip().casefold()
    return text.rstrip(".,;:!? ")


def same_clause(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < SAME_CLAUSE_MIN_CHARS:
        return False
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.quick_ratio() >= SAME_CLAUSE_RATIO and matcher.ratio() >= SAME_CLAUSE_RATIO


def merge(occurrences: Iterable[Occurrence]) -> list[Group]:
    groups: list[Group] = []
    pending_weak: list[Occurrence] = []
    for occurrence in occurrences:
        if WORD_RE.search(occurrence.text) is None:  # a stray number or colon
            continue
        if occurrence.weak:
            pending_weak.append(occurrence)
            continue
        key = clause_key(occurrence.text)
        group = next((g for g in groups if same_clause(g.key, key)), None)
        if group is None:
            groups.append(Group(key, [occurrence]))
        else:
            group.occurrences.append(occurrence)
    for occurrence in pending_weak:
        key = clause_key(occurrence.text)
        group = next((g for g in groups if same_clause(g.key, key)), None)
        if group is not None:
            group.occurrences.append(occurrence)
    # A list of clauses is the proposal; a proposal in the running text ("föreslår vi att
    # …" in the motivation) counts only when no list proposes, a wish only when nothing does.
    listed = [g for g in groups if not all(o.prose for o in g.occurrences)]
    groups = listed or groups
    firm = [g for g in groups if not all(o.fallback for o in g.occurrences)]
    return firm or groups


def trim_edges(text: str) -> str:
    """A clause without the conjunction that tied it to the next one ("…, samt")."""
    return compiled("trailing_conjunctions").sub("", text.rstrip()).rstrip()


def att_satser(groups: list[Group]) -> list[AttSats]:
    printed = [next((o.number for o in g.occurrences if o.number), None) for g in groups]
    numbered = None not in printed and len(set(printed)) == len(printed)
    result = []
    for position, (group, number) in enumerate(zip(groups, printed, strict=True), start=1):
        first = group.occurrences[0]
        locations: list[Location] = []
        for o in sorted(group.occurrences, key=lambda o: o.location.paragraph):
            if o.location not in locations:
                locations.append(o.location)
        result.append(
            AttSats(
                number=number if numbered and number is not None else position,
                text=trim_edges(first.text),
                locations=locations,
                existing_assessment=next(
                    (o.assessment for o in group.occurrences if o.assessment), None
                ),
            )
        )
    return result
