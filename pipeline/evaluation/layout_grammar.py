"""A layout grammar: papers written from parts, with the att-satser they must yield.

A `Spec` picks one option per part (lead-in, list marker, casing of "att", clause ends,
line width and continuation indent, page break with running header and footer, place and
date, signature, motivation prose holding "att" that is not a proposal) and `write`
returns the paper as text in the corpus format (`<!-- sida N -->` page markers) together
with the exact clauses a reader must return. Property tests feed it to every extractor
route; the same generator can feed training. Deterministic: a spec is plain integers.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

# --- the parts -------------------------------------------------------------------------

TOPICS = (
    "gratis kollektivtrafik för pensionärer",
    "belysning längs gång- och cykelvägen mellan skolan och idrottshallen",
    "fler laddplatser för elbilar vid kommunens förskolor",
    "ett kommunalt ungdomsråd med egen budget",
    "bättre snöröjning av trottoarer i centrum",
    "solceller på kommunens fastigheter",
    "en fritidsbank där barn kan låna utrustning",
    "läxhjälp på biblioteken under skolloven",
)
# Clause bodies after "att": {topic} is filled in. None begins with a list-marker shape.
BODIES = (
    "kommunstyrelsen får i uppdrag att utreda {topic}",
    "kommunen inför {topic} senast under nästa budgetår",
    "tekniska nämnden ges i uppdrag att ta fram en plan för {topic}",
    "en utredning görs om kostnaderna för {topic}",
    "kommunfullmäktige beslutar att införa {topic}",
    "resultatet av arbetet med {topic} redovisas för kommunfullmäktige",
)
# Bodies without "att" for lists that a lead-in ending in "ska:" or "yrkar att:" opens.
BARE_BODIES = (
    "utreda {topic}",
    "ta fram en plan för {topic}",
    "Kommunfullmäktige ger kommunstyrelsen i uppdrag att utreda {topic}",
    "redovisa kostnaderna för {topic}",
)
# (lead-in, whether its items begin with "att")
LEAD_INS = (
    ("Vi föreslår att kommunfullmäktige beslutar:", True),
    ("Jag yrkar därför att kommunfullmäktige beslutar", True),
    ("Med hänvisning till ovanstående föreslår vi:", True),
    ("Mot bakgrund av detta föreslår vi;", True),
    ("Jag föreslår kommunfullmäktige besluta", True),
    ("Vi föreslår därför att kommunen ska:", False),
    ("Vi yrkar att:", False),
    ("Jag föreslår kommunfullmäktige besluta", True),  # with "att" alone on its line
    ("Jag föreslår därför", True),  # inline: "… att A, att B samt att C." in one sentence
)
ATT_ALONE = len(LEAD_INS) - 2
INLINE = len(LEAD_INS) - 1
# Markers; "" is a plain paragraph, a trailing "|" means no space before the clause.
MARKERS = ("", "-", "–", "•", "*", "1.", "1)", "a)", "-|", "–|")
CASINGS = ("att", "Att", "ATT", "Att:")
# How a clause that is not the last ends; the last one ends in "." or nothing.
ENDS = (".", ",", ";", ", samt", "; och", "")
PROSE = (
    "Det är viktigt att kommunen tar ansvar för {topic} och att arbetet kommer i gång.",
    "Vi vill att fler invånare ska kunna ta del av {topic}, och vi tror att det går.",
    "Att förebygga olyckor är en fråga som berör många, och {topic} är ett sätt att göra det.",
    "I en tidigare motion har det föreslagits att kommunen ska se över {topic}.",
    "Många kommuner har redan valt att satsa på {topic}, vilket visar att det är möjligt.",
)
PLACES_AND_DATES = (
    "Kungsbacka 2025-03-04",
    "Ort den 12 mars 2025",
    "Borås, 2024-11-20",
    "",
)
SIGNATURES = (
    ("Anna Berg (S)",),
    ("För Centerpartiet", "Erik Lund"),
    ("Karin Holm (V)", "Per Svensson (V)"),
    ("Vänsterpartiet genom", "Lisa Ek, gruppledare"),
)
HEADERS = ("Motion till kommunfullmäktige", "MOTION · {party}")
PARTIES = ("Socialdemokraterna", "Miljöpartiet", "Kristdemokraterna", "Liberalerna")


@dataclass(frozen=True)
class Spec:
    """One choice per part; every field indexes its part (taken modulo its length)."""

    lead_in: int = 0
    marker: int = 0
    casing: int = 0
    ends: int = 0
    clauses: int = 2  # 1..4
    topic: int = 0
    width: int = 90  # characters per line; wide enough for no wrap at 200
    indent: bool = False  # wrapped lines of an item indented under its text
    page_break: int = 0  # 0 none, 1 between two items, 2 inside a clause
    place_date: int = 0
    signature: int = 0
    prose: int = 0
    blank_between: bool = True  # a blank line between items
    blank_before_signature: bool = True
    doc_type: int = 0  # 0 motion, 1 medborgarförslag


@dataclass
class Paper:
    text: str
    clauses: list[str]
    doc_type: str


def pick(options: tuple, index: int):
    return options[index % len(options)]


def numbered(marker: str, n: int) -> str:
    if marker[:1].isdigit():
        return f"{n + 1}{marker[1:]}"
    if marker[:1] == "a":
        return f"{'abcdefgh'[n]}{marker[1:]}"
    return marker


def wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


def write(spec: Spec) -> Paper:
    """The paper and the exact clauses it proposes."""
    lead_in, with_att = pick(LEAD_INS, spec.lead_in)
    alone = spec.lead_in % len(LEAD_INS) == ATT_ALONE
    inline = spec.lead_in % len(LEAD_INS) == INLINE
    marker = pick(MARKERS, spec.marker)
    tight = marker.endswith("|")
    marker = marker.rstrip("|")
    casing = pick(CASINGS, spec.casing)
    end = pick(ENDS, spec.ends)
    if not end and not pick(MARKERS, spec.marker) and not spec.blank_between:
        end = "."  # unmarked clauses without end or gap cannot be told from a wrap
    count = 1 if alone else 1 + (spec.clauses - 1) % 4
    if not with_att and not marker:
        marker = "-"  # a list without "att" is recognisable by its markers only
    if tight and not with_att:
        tight = False
    doc_type = ("motion", "medborgarforslag")[spec.doc_type % 2]
    party = pick(PARTIES, spec.topic)

    clauses: list[tuple[str, str]] = []  # (printed clause, expected clause)
    for n in range(count):
        topic = pick(TOPICS, spec.topic + n)
        body = pick(BODIES, spec.topic + 2 * n) if with_att else pick(BARE_BODIES, spec.topic + n)
        if ("besluta" in lead_in or inline) and body.startswith("kommunfullmäktige beslutar"):
            body = BODIES[0]  # "… besluta att kommunfullmäktige beslutar att" is no Swedish
        body = body.format(topic=topic)
        text = f"{casing} {body}" if with_att else body[:1].upper() + body[1:]
        last = n == count - 1
        printed = text + ("." if last and spec.ends % 2 == 0 else "" if last else end)
        expected = printed.removesuffix(" samt").removesuffix(" och")
        clauses.append((printed, expected))

    lines: list[str] = []
    title = "Motion om" if doc_type == "motion" else "Medborgarförslag om"
    lines += [f"{title} {pick(TOPICS, spec.topic)}", ""]
    for k in range(1 + spec.prose % 3):
        prose = pick(PROSE, spec.prose + k).format(topic=pick(TOPICS, spec.topic + k))
        lines += wrap(prose, spec.width)
        lines.append("")
    if inline:
        return inline_paper(spec, lines, lead_in, clauses, doc_type)
    lines += wrap(lead_in, spec.width)
    if not alone:
        lines.append("")

    item_lines: list[list[str]] = []
    for n, (printed, _) in enumerate(clauses):
        if alone:
            first, body = printed.split(" ", 1)
            item_lines.append([first, *wrap(body, spec.width)])
            continue
        mark = numbered(marker, n)
        if not mark:
            item_lines.append(wrap(printed, spec.width))
            continue
        head = f"{mark}" if tight else f"{mark} "
        hang = " " * len(head) if spec.indent else ""
        item_lines.append(wrap(printed, spec.width, head, hang))

    body_lines: list[str] = []
    for n, item in enumerate(item_lines):
        if n and spec.blank_between:
            body_lines.append("")
        body_lines += item
    # where the page breaks, as a position in body_lines
    page_break = spec.page_break % 3
    at = None
    if page_break == 1 and count > 1:
        at = len(item_lines[0]) + (1 if spec.blank_between else 0)
    elif page_break == 2 and any(len(i) > 1 for i in item_lines):
        k = next(n for n, i in enumerate(item_lines) if len(i) > 1)
        at = sum(len(i) + (1 if spec.blank_between else 0) for i in item_lines[:k]) + 1
    if at is not None:
        header = pick(HEADERS, spec.topic).format(party=party)
        lines_before = lines + body_lines[:at]
        pages = 2
        page_one = [header, "", *lines_before, "", "Sida 1 (2)"]
        page_two = [header, "", *body_lines[at:]]
        text_lines = ["<!-- sida 1 -->", *page_one, "<!-- sida 2 -->", *page_two]
    else:
        pages = 1
        text_lines = lines + body_lines

    tail: list[str] = []
    # A signature right under a clause is told apart by the clause's final full stop.
    if spec.blank_before_signature or not clauses[-1][0].endswith("."):
        tail.append("")
    place = pick(PLACES_AND_DATES, spec.place_date)
    if place:
        tail += [place, ""]
    tail += list(pick(SIGNATURES, spec.signature))
    if pages == 2:
        tail += ["", "Sida 2 (2)"]
    text_lines += tail
    return Paper("\n".join(text_lines) + "\n", [e for _, e in clauses], doc_type)


def inline_paper(
    spec: Spec, lines: list[str], lead_in: str, clauses: list[tuple[str, str]], doc_type: str
) -> Paper:
    """One proposing sentence: "Jag föreslår därför att A, att B samt att C." Each "att"
    opens a clause; the comma stays with the clause before it, "samt" with neither."""
    bodies = [printed.split(" ", 1)[1].rstrip(".,;") for printed, _ in clauses]
    bodies = [b.removesuffix(" samt").removesuffix(" och").rstrip(".,;") for b in bodies]
    expected = []
    sentence = lead_in
    for n, body in enumerate(bodies):
        if n == 0:
            sentence += f" att {body}"
        elif n == len(bodies) - 1:
            sentence += f" samt att {body}"
        else:
            sentence += f", att {body}"
        followed = n + 1 < len(bodies) and n + 1 != len(bodies) - 1
        expected.append(f"att {body}" + ("," if followed else ""))
    sentence += "."
    expected[-1] += "."
    text_lines = [*lines, *wrap(sentence, spec.width), ""]
    place = pick(PLACES_AND_DATES, spec.place_date)
    if place:
        text_lines += [place, ""]
    text_lines += list(pick(SIGNATURES, spec.signature))
    return Paper("\n".join(text_lines) + "\n", expected, doc_type)


# --- papers whose att-lists are no att-satser -------------------------------------------

ORGANS = (
    "Kommunstyrelsen",
    "Tekniska nämnden",
    "Landstingsstyrelsen",
    "Kommunstyrelsens arbetsutskott",
)
# Lead-ins in a meeting's voice: the organ's own förslag till beslut, a member's yrkande in
# the debate, a yrkande for bifall to another's proposal.
DECISION_LEAD_INS = (
    "{organ} föreslår kommunfullmäktige besluta",
    "{organ} beslutar föreslå kommunfullmäktige besluta att:",
    "{member} yrkar att kommunstyrelsen beslutar föreslå kommunfullmäktige besluta att:",
    "Under överläggningen yrkar {member} bifall till utskottets förslag att fullmäktige beslutar",
)
MEMBERS = ("Anna Berg (L)", "Per Lund (M)", "Karin Holm (S)", "Ordföranden")


def write_decision(spec: Spec) -> Paper:
    """A protokollsutdrag or tjänsteskrivelse whose att-lists are the decision or a
    member's yrkande, and whose motion is only paraphrased: it proposes no att-sats."""
    marker = pick(MARKERS, spec.marker).rstrip("|")
    casing = pick(CASINGS, spec.casing)
    organ, member = pick(ORGANS, spec.topic), pick(MEMBERS, spec.signature)
    lead_in = pick(DECISION_LEAD_INS, spec.lead_in).format(organ=organ, member=member)
    topic = pick(TOPICS, spec.topic)
    lines = [
        f"§ {10 + spec.topic % 90}   Dnr KS 2024/{100 + spec.prose % 800}",
        f"Svar på motion om {topic}",
        "",
        "Sammanfattning av ärendet",
        *wrap(
            f"Motionären har i en motion föreslagit att kommunen utreder {topic}. "
            "Förvaltningen bedömer att frågan redan hanteras.",
            spec.width,
        ),
        "",
        "Förslag till beslut" if spec.lead_in % len(DECISION_LEAD_INS) < 2 else "Yrkanden",
        "",
        *wrap(lead_in, spec.width),
        "",
    ]
    count = 1 + (spec.clauses - 1) % 3
    for n in range(count):
        body = ("bifalla motionen", "anse motionen besvarad", "avslå motionen")[
            (spec.topic + n) % 3
        ]
        ending = "." if n == count - 1 else ","
        mark = numbered(marker, n)
        text = f"{casing} {body}{ending}"
        lines += wrap(text, spec.width, f"{mark} " if mark else "", "")
        if spec.blank_between:
            lines.append("")
    lines += ["", "Justerandes sign", "", "Utdragsbestyrkande"]
    return Paper("\n".join(lines) + "\n", [], "protokoll")
