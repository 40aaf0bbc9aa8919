"""Drafts and assessment tables for one analysed document, from templates.

`build_context` turns a `Document` into plain dicts and strings with Swedish labels (the
template variables listed in the README); `write_drafts` renders them into a folder:
`utkast.docx` (a draft answer laid out like an Ånge "Förslag till svar på motion", for
motions, medborgarförslag and motionssvar), and `bedomning.csv`, `bedomning.xlsx` and
`bedomning.html` (one row per att-sats, or per goal for a goal document).

Extracted text is only ever template data, never template source: both template engines
run with autoescape (docxtpl silently drops "&" and "<" without it) and `StrictUndefined`
(a misspelt variable in a municipality's own template is an error, not an empty field),
in Jinja2's sandbox since a municipality may supply its own templates.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import FileSystemLoader, StrictUndefined, Template, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from pipeline.document import AttSats, Criterion, Document, ElementMatch, Goal
from pipeline.outputs.files import atomic_write
from pipeline.outputs.summary import DOC_TYPE_NAMES
from pipeline.privacy import drafts_keep_numbers, mask_data
from pipeline.resources import load_patterns
from pipeline.styrmodell.loader import load_profile
from pipeline.styrmodell.schema import LEVEL_NAMES, Profile, ProfileError

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
DOCX_TEMPLATE = "utkast.docx"
HTML_TEMPLATE = "bedomning.html.j2"

UTKAST = "utkast.docx"
CSV = "bedomning.csv"
XLSX = "bedomning.xlsx"
HTML = "bedomning.html"
DRAFT_FILES = (UTKAST, CSV, XLSX, HTML)
# Compiled templates kept per process (the Word template has a few parts; municipalities'
# own templates add a few more).
COMPILED_TEMPLATES = 64

# Papers that a draft answer is written for.
ANSWERED = ("motion", "medborgarforslag", "motionssvar")
FILL_IN = "[Handläggaren fyller i]"
# A stance attsats abstains from (assessment.suggested_stance is null).
ABSTAIN = "[Handläggaren bedömer]"
NO_PRECEDENTS = "Inga tidigare ärenden hittades i arkivet."
NOT_SEARCHED = (
    "Arkivet söktes inte (analyserat utan batch eller inkorg); handläggaren söker tidigare"
    " ärenden i diariet."
)
PRECEDENT_OUTCOMES = {
    "bifall": "bifall",
    "avslag": "avslag",
    "besvarad": "besvarad",
    "delvis_bifall": "delvis bifall",
    "remiss": "remitterad",
    "aterremiss": "återremitterad",
    "avskrivning": "avskriven",
}
NO_ELEMENT = "Inget i styrmodellen träffar att-satsen."
DRAFT_MARK = "UTKAST – förslag från attsats att granska"

STANCE_NAMES = {
    "bifall": "Bifall",
    "avslag": "Avslag",
    "besvarad": "Besvarad",
    "delvis_bifall": "Delvis bifall",
}
COVERAGE_NAMES = {
    "covered": "Täcks av styrmodellen",
    "partly": "Delvis täckt",
    "not_covered": "Inte täckt",
    "conflicts": "Strider mot styrmodellen",
}
CLAUSE_KIND_NAMES = {
    "uppdrag": "Uppdrag",
    "utredning": "Utredning",
    "regel": "Regel",
    "organisation": "Organisation",
    "uppfoljning": "Uppföljning",
    "tidsplan": "Tidsplan",
    "resurs": "Resurs",
    "policy": "Policy",
    "annat": "Annat",
}
GOAL_KIND_NAMES = {"aktivitetsmal": "Aktivitetsmål", "effektmal": "Effektmål"}
VERDICT_NAMES = {"yes": "Ja", "no": "Nej", "unclear": "Oklart"}
CRITERIA = {
    "specific": "Specifikt",
    "measurable": "Mätbart",
    "accepted": "Accepterat",
    "realistic": "Realistiskt",
    "time_bound": "Tidsatt",
}

CLAUSE_COLUMNS = [
    "Nr",
    "Att-sats",
    "Typ av att-sats",
    "Riktad till",
    "Styrmodellens element",
    "Täckning",
    "Föreslagen hållning (utkast)",
    "Säkerhet (%)",
    "Motivering (utkast)",
    "Förvaltningens kommentar",
    "Agenda 2030",
]
GOAL_COLUMNS = [
    "Nr",
    "Mål",
    "Nivå",
    *(f"SMART: {name}" for name in CRITERIA.values()),
    "Aktivitet eller effekt",
    "Mätbart (indikator, målvärde, utgångsvärde)",
    "Tidsatt (år eller datum)",
    "Agenda 2030",
    "Styrmodellens element",
]

# Control characters mean something to docxtpl ("\n" a line break, "\a" a new paragraph,
# "\f" a page break) and most are not allowed in XML at all: extracted text loses them.
CONTROL = re.compile(r"[\x00-\x1f\x7f\ufffe\uffff]+")


class DraftError(Exception):
    """A draft could not be rendered (usually a municipality's own template); Swedish."""


def clean(text: str | None) -> str:
    """Extracted text as template data: control characters become one space."""
    return CONTROL.sub(" ", text or "").strip()


def or_fill_in(text: str | None) -> str:
    return clean(text) or FILL_IN


def percent(value: float) -> int:
    return round(100 * value)


def join_sv(items: list[str]) -> str:
    """'a', 'a och b', 'a, b och c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


def municipality_name(name: str) -> str:
    """'Ånge' -> 'Ånge kommun', 'Mariestad' -> 'Mariestads kommun'; kept if already named."""
    if re.search(r"\b(kommun|stad|region)$", name, re.IGNORECASE):
        return name
    genitive = name if name[-1].lower() in "aeiouyåäösxz" else name + "s"
    return f"{genitive} kommun"


def proposal_kind(doc: Document) -> str:
    """'medborgarforslag' or 'motion': what the paper proposes or answers."""
    if doc.doc_type == "medborgarforslag":
        return "medborgarforslag"
    if doc.doc_type == "motionssvar" and "medborgarförslag" in (doc.title or "").lower():
        return "medborgarforslag"
    return "motion"


# Swedish forms per proposal kind ("motion" is common gender, "medborgarförslag" neuter).
NOUNS = {
    "motion": {
        "definite": "motionen",
        "indefinite": "en motion",
        "capital": "Motionen",
        "answered": "besvarad",
        "dated": "daterad",
    },
    "medborgarforslag": {
        "definite": "medborgarförslaget",
        "indefinite": "ett medborgarförslag",
        "capital": "Medborgarförslaget",
        "answered": "besvarat",
        "dated": "daterat",
    },
}


def no_clauses_notice(doc: Document, kind: str) -> str:
    """What the draft says instead of an empty table when a proposal yielded no clause."""
    if doc.att_satser or doc.doc_type not in ("motion", "medborgarforslag"):
        return ""
    return (
        f"Inga att-satser hittades i {NOUNS[kind]['definite']}. Kontrollera förslagen i "
        "originalet och för in dem för hand innan utkastet används."
    )


def decision_text(stance: str, kind: str) -> str:
    definite, answered = NOUNS[kind]["definite"], NOUNS[kind]["answered"]
    return {
        "bifall": f"Bifalla {definite}.",
        "avslag": f"Avslå {definite}.",
        "besvarad": f"Anse {definite} {answered}.",
        "delvis_bifall": f"Delvis bifalla {definite}.",
    }[stance]


def clause_refs(numbers: list[int]) -> str:
    words = [str(n) for n in numbers]
    return f"att-sats {words[0]}" if len(words) == 1 else f"att-satserna {join_sv(words)}"


def stance_breakdown(clauses: list[AttSats]) -> str:
    """'Bifall till att-sats 1; att-satserna 2 och 3 anses besvarade.' for a split proposal."""
    groups: dict[str, list[int]] = {}
    for clause in clauses:
        if clause.assessment and clause.assessment.suggested_stance:
            groups.setdefault(clause.assessment.suggested_stance, []).append(clause.number)
    parts = []
    for stance in ("bifall", "delvis_bifall", "besvarad", "avslag"):
        numbers = groups.get(stance)
        if not numbers:
            continue
        refs = clause_refs(numbers)
        parts.append(
            {
                "bifall": f"bifall till {refs}",
                "delvis_bifall": f"delvis bifall till {refs}",
                "besvarad": f"{refs} anses {'besvarad' if len(numbers) == 1 else 'besvarade'}",
                "avslag": f"avslag på {refs}",
            }[stance]
        )
    if not parts:
        return ""
    text = "; ".join(parts)
    return f"Förslag per att-sats: {text}."


def element_names(elements: Iterable[ElementMatch], limit: int = 3) -> str:
    return "; ".join(
        f"{clean(e.name)} ({LEVEL_NAMES.get(e.level, e.level)})" for e in list(elements)[:limit]
    )


def agenda_names(numbers: list[int], profile: Profile | None) -> str:
    names = {g.number: g.name for g in profile.agenda2030} if profile else {}
    return "; ".join(f"{n} {names[n]}" if n in names else f"Mål {n}" for n in numbers)


def clause_comment(clause: AttSats) -> str:
    """The draft comment: the assessment's rationale, with the best evidence if not quoted."""
    if clause.assessment is None:
        return FILL_IN
    comment = clean(clause.assessment.rationale)
    elements = clause.classification.elements if clause.classification else []
    best = next((e for e in elements if e.evidence.matched), None)
    if best and clean(best.evidence.quote) not in comment:
        comment += (
            f" Stöd i styrmodellen: ”{clean(best.evidence.quote)}” ({clean(best.evidence.source)})."
        )
    return comment


def clause_row(clause: AttSats, profile: Profile | None) -> dict[str, Any]:
    classification, assessment = clause.classification, clause.assessment
    stance = STANCE_NAMES.get(assessment.suggested_stance or "", ABSTAIN) if assessment else FILL_IN
    return {
        "nr": clause.number,
        "text": clean(clause.text),
        "kind": CLAUSE_KIND_NAMES[classification.clause_kind] if classification else "",
        "addressee": clean(classification.addressee) if classification else "",
        "elements": (element_names(classification.elements) if classification else "")
        or NO_ELEMENT,
        "coverage": COVERAGE_NAMES[assessment.coverage] if assessment else "",
        "stance": stance,
        "stance_draft": (
            f"{stance} (utkast, säkerhet {percent(assessment.confidence)} %)"
            if assessment
            else FILL_IN
        ),
        "confidence": percent(assessment.confidence) if assessment else None,
        "comment": clause_comment(clause),
        "official_comment": clean(clause.existing_assessment),
        "agenda2030": agenda_names(classification.agenda2030, profile) if classification else "",
    }


def criterion_text(criterion: Criterion) -> str:
    verdict = VERDICT_NAMES[criterion.verdict]
    evidence = ", ".join(clean(e) for e in criterion.evidence)
    return f"{verdict} ({evidence})" if evidence else verdict


def goal_row(number: int, goal: Goal, profile: Profile | None) -> dict[str, Any]:
    assessment = goal.assessment
    level = (assessment.level if assessment else None) or goal.level
    row: dict[str, Any] = {
        "nr": number,
        "text": clean(goal.text),
        "level": LEVEL_NAMES.get(level, level) if level else "",
        "smart": {key: "" for key in CRITERIA},
        "kind": "",
        "measurable": "",
        "time_bound": "",
        "agenda2030": "",
        "elements": "",
    }
    if assessment is None:
        return row
    row["smart"] = {key: criterion_text(getattr(assessment.smart, key)) for key in CRITERIA}
    row["kind"] = GOAL_KIND_NAMES[assessment.kind]
    m = assessment.measurable
    details = [
        f"{label} {clean(value)}"
        for label, value in (
            ("indikator", m.indicator),
            ("målvärde", m.number),
            ("utgångsvärde", m.baseline),
        )
        if value
    ]
    row["measurable"] = ("Ja" if m.measurable else "Nej") + (
        ": " + "; ".join(details) if details else ""
    )
    t = assessment.time_bound
    when = t.date.isoformat() if t.date else (str(t.year) if t.year else clean(t.raw))
    row["time_bound"] = ("Ja" if t.time_bound else "Nej") + (f": {when}" if when else "")
    row["agenda2030"] = agenda_names(assessment.agenda2030, profile)
    row["elements"] = element_names(assessment.elements)
    return row


CONSEQUENCE_NAMES = {
    "economic": "ekonomiska konsekvenser",
    "social": "sociala konsekvenser",
    "environmental": "miljömässiga konsekvenser",
    "children": "barnrättsperspektivet",
}
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])")


def consequences(doc: Document) -> dict[str, dict[str, Any]]:
    """Each consequence heading: what the paper's own consequence text says about it, or the
    fill-in marker.

    The paper is quoted sentence by sentence, under each heading a sentence speaks to (by
    its words or its section's heading). A sentence that speaks to several headings is
    quoted under the first and referred to under the others, so one quote never fills
    every heading."""
    patterns = load_patterns("pipeline.outputs", "drafts")
    grounds = [s.lower() for s in patterns["sections"]]
    terms = {
        key: re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + ")", re.IGNORECASE)
        for key, words in patterns["consequences"].items()
    }
    quotes: dict[str, list[str]] = {key: [] for key in terms}
    together: dict[str, list[str]] = {key: [] for key in terms}  # quoted under another heading
    quoted_under: dict[str, str] = {}
    for section in doc.sections:
        heading = (section.heading or "").lower()
        if not any(g in heading for g in grounds):
            continue
        in_heading = {key for key, rx in terms.items() if rx.search(heading)}
        for paragraph in section.paragraphs:
            page = f" (s. {paragraph.page})" if paragraph.page else ""
            for sentence in filter(None, SENTENCE_END.split(clean(paragraph.text))):
                for key, rx in terms.items():
                    if not (key in in_heading or rx.search(sentence)):
                        continue
                    first = quoted_under.setdefault(sentence, key)
                    if first == key and len(quotes[key]) < 2:
                        quotes[key].append(f"”{sentence}”{page}")
                    elif first != key and CONSEQUENCE_NAMES[first] not in together[key]:
                        together[key].append(CONSEQUENCE_NAMES[first])
    return {key: consequence_text(quotes[key], together[key]) for key in terms}


def consequence_text(quotes: list[str], together: list[str]) -> dict[str, Any]:
    parts = [f"Enligt underlaget: {' '.join(quotes)}"] if quotes else []
    if together:
        parts.append(f"Underlaget behandlar detta tillsammans med {join_sv(together)} (se ovan).")
    return {"text": " ".join(parts) or FILL_IN, "grounded": bool(parts)}


def subject(title: str | None) -> str:
    """'Motion om X' -> 'om X': what the proposal is about, as its title says."""
    match = re.search(r"\b(om|angående|gällande|rörande)\s+(.+)$", clean(title), re.IGNORECASE)
    return f"{match.group(1).lower()} {match.group(2)}" if match else ""


def proposers(doc: Document) -> list[str]:
    return [
        f"{clean(a.name)} ({clean(a.party)})" if a.party else clean(a.name) for a in doc.authors
    ]


def summary_lines(doc: Document, kind: str, profile_name: str) -> list[str]:
    """Ärendet i korthet: who proposed what, when, and what this draft is based on."""
    nouns = NOUNS[kind]
    what = f"{nouns['indefinite']} {subject(doc.title)}".strip()
    who = join_sv(proposers(doc))
    lines = [f"{who} har lämnat {what}." if who else f"{what[0].upper()}{what[1:]} har lämnats."]
    for date in doc.dates:
        if date.kind == "inkom":
            lines.append(f"{nouns['capital']} inkom {date.date.isoformat()}.")
            break
        if date.kind in ("motion", "dokument", "ovrigt") and doc.doc_type != "motionssvar":
            lines.append(f"{nouns['capital']} är {nouns['dated']} {date.date.isoformat()}.")
            break
    count = len(doc.att_satser)
    if count:
        lines.append(
            f"{nouns['capital']} innehåller {count} "
            f"{'att-satser' if count > 1 else 'att-sats'}, citerade nedan."
        )
    if any(c.existing_assessment for c in doc.att_satser):
        lines.append(
            "Förvaltningen har kommenterat varje att-sats; attsats bedömning står bredvid "
            "som en andra bedömning."
        )
    lines.append(f"Utkastet är bedömt mot styrmodellen {profile_name}.")
    return lines


def draft_heading(doc: Document, kind: str) -> str:
    title = clean(doc.title)
    if title.lower().startswith("förslag till svar"):
        return title
    noun = "medborgarförslag" if kind == "medborgarforslag" else "motion"
    about = subject(title)
    return f"Förslag till svar på {noun} {about}".strip()


def send_to(doc: Document) -> list[str]:
    receivers = [clean(c.classification.addressee) for c in doc.att_satser if c.classification]
    receivers += proposers(doc)
    unique = list(dict.fromkeys(r for r in receivers if r))
    return unique or [FILL_IN]


def resolve_profile(doc: Document) -> Profile | None:
    if not doc.styrmodell:
        return None
    try:
        return load_profile(doc.styrmodell)
    except ProfileError:
        return None


def build_context(
    doc: Document,
    profile: Profile | None = None,
    today: dt.date | None = None,
    precedents: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The template variables for one document: plain dicts, lists and strings (Swedish).

    `profile` defaults to the document's own styrmodell; `today`, the draft's date, to the
    fill-in marker (so the function stays pure). `precedents` are the archive's closest
    earlier papers (`pipeline.service.precedents`), None when no archive was searched.
    """
    profile = profile or resolve_profile(doc)
    profile_name = clean(profile.name) if profile else clean(doc.styrmodell) or FILL_IN
    kind = proposal_kind(doc)
    municipality = clean(doc.municipality) or (clean(profile.municipality) if profile else "")
    suggestion = doc.suggestion
    definite = NOUNS[kind]["definite"]
    if suggestion and suggestion.stance:
        proposal = {
            "decision": decision_text(suggestion.stance, kind),
            "details": stance_breakdown(doc.att_satser)
            if suggestion.stance == "delvis_bifall"
            else "",
            "rationale": clean(suggestion.rationale),
            "confidence": percent(suggestion.confidence),
        }
        verb = {
            "bifall": "bifallas",
            "avslag": "avslås",
            "besvarad": f"anses {NOUNS[kind]['answered']}",
            "delvis_bifall": "bifallas delvis",
        }[suggestion.stance]
        conclusion = (
            f"Den sammantagna bedömningen i detta utkast är att {definite} bör {verb}. "
            f"{clean(suggestion.rationale)}"
        )
    elif suggestion:
        # attsats abstains: the styrmodell grounds no stance for the paper.
        proposal = {
            "decision": ABSTAIN,
            "details": "",
            "rationale": clean(suggestion.rationale),
            "confidence": 0,
        }
        conclusion = ABSTAIN
    else:
        proposal = {"decision": FILL_IN, "details": "", "rationale": FILL_IN, "confidence": 0}
        conclusion = FILL_IN
    clauses = [clause_row(c, profile) for c in doc.att_satser]
    goals = [goal_row(n, g, profile) for n, g in enumerate(doc.goals, start=1)]
    return {
        "draft_mark": DRAFT_MARK,
        "fill_in": FILL_IN,
        "municipality": municipality_name(municipality) if municipality else FILL_IN,
        "organ": or_fill_in(doc.organ),
        "dnr": or_fill_in(doc.diarienummer[0].raw if doc.diarienummer else None),
        "date": today.isoformat() if today else FILL_IN,
        "handlaggare": or_fill_in(doc.handlaggare),
        "title": or_fill_in(doc.title),
        "heading": draft_heading(doc, kind) if doc.doc_type in ANSWERED else or_fill_in(doc.title),
        "doc_type": DOC_TYPE_NAMES[doc.doc_type],
        "source": Path(doc.source.path).name,
        "profile": profile_name,
        "proposal": proposal,
        "summary": summary_lines(doc, kind, profile_name),
        "clause_intro": f"{NOUNS[kind]['capital']} föreslår:",
        "no_clauses": no_clauses_notice(doc, kind),
        "clauses": clauses,
        "has_official_comments": any(c["official_comment"] for c in clauses),
        "goals": goals,
        "consequences": consequences(doc),
        "conclusion": conclusion,
        "send_to": send_to(doc),
        "tables": tables(clauses, goals),
        "precedents": [precedent_row(p) for p in precedents or []],
        "precedents_note": NOT_SEARCHED
        if precedents is None
        else ("" if precedents else NO_PRECEDENTS),
    }


def precedent_row(found: dict[str, Any]) -> dict[str, Any]:
    """One earlier paper as the draft cites it: "Motion om … (Dnr KS 2024/123,
    2024-05-02): avslag"."""
    kind = DOC_TYPE_NAMES.get(found.get("doc_type", ""), "")
    title = clean(found.get("title")) or kind or FILL_IN
    where = ", ".join(
        part
        for part in (
            kind if kind and kind.lower() not in title.lower() else "",
            f"Dnr {found['dnr']}" if found.get("dnr") else "",
            found.get("date") or "",
        )
        if part
    )
    outcome = PRECEDENT_OUTCOMES.get(found.get("outcome") or "", "inget beslut i handlingen")
    text = f"{title} ({where}): {outcome}" if where else f"{title}: {outcome}"
    return {**found, "title": title, "outcome_text": outcome, "text": text}


def tables(clauses: list[dict[str, Any]], goals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The assessment tables, att-satser first, then goals: `{title, sheet, columns, rows,
    wide}`, where `wide` lists the indexes of the columns that hold running text."""
    result = []
    if clauses:
        result.append(
            {
                "title": "Bedömning per att-sats",
                "sheet": "Att-satser",
                "columns": CLAUSE_COLUMNS,
                "wide": [1, 8, 9],
                "rows": [
                    [
                        c["nr"],
                        c["text"],
                        c["kind"],
                        c["addressee"],
                        c["elements"],
                        c["coverage"],
                        c["stance"],
                        c["confidence"],
                        c["comment"],
                        c["official_comment"],
                        c["agenda2030"],
                    ]
                    for c in clauses
                ],
            }
        )
    if goals:
        result.append(
            {
                "title": "Målbedömning",
                "sheet": "Mål",
                "columns": GOAL_COLUMNS,
                "wide": [1, 12],
                "rows": [
                    [
                        g["nr"],
                        g["text"],
                        g["level"],
                        *g["smart"].values(),
                        g["kind"],
                        g["measurable"],
                        g["time_bound"],
                        g["agenda2030"],
                        g["elements"],
                    ]
                    for g in goals
                ],
            }
        )
    return result


def assessment_records(doc: Document) -> list[dict[str, Any]]:
    """The first assessment table (att-satser, else goals) as one dict per row, by column;
    personnummer masked (it is published as a Prefect artifact)."""
    found = mask_data(build_context(doc)["tables"])
    if not found:
        return []
    return [dict(zip(found[0]["columns"], row, strict=True)) for row in found[0]["rows"]]


def template_path(name: str, templates_dir: Path | None) -> Path:
    """A municipality's own template when its folder has one, else the shipped one."""
    if templates_dir is not None and (templates_dir / name).is_file():
        return templates_dir / name
    return TEMPLATES / name


class TemplateEnvironment(SandboxedEnvironment):
    """The sandboxed environment, compiling each template source once per process.

    docxtpl hands every part of the Word template to `from_string` on every render;
    compiling them anew took more time than the rest of writing a document's outputs.
    """

    def __init__(self, loader: FileSystemLoader | None = None) -> None:
        super().__init__(loader=loader, autoescape=True, undefined=StrictUndefined)
        self.compiled: dict[str, Template] = {}

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if source not in self.compiled:
            if len(self.compiled) >= COMPILED_TEMPLATES:
                self.compiled.clear()
            self.compiled[source] = super().from_string(source)
        return self.compiled[source]


@functools.lru_cache(maxsize=8)
def environment(folders: tuple[str, ...] = ()) -> TemplateEnvironment:
    """One environment per template search path, kept for the process (templates are
    reloaded when their files change)."""
    return TemplateEnvironment(FileSystemLoader(list(folders)) if folders else None)


def render_docx(context: dict[str, Any], template: Path) -> bytes:
    """The Word draft. docxtpl's autoescape escapes every value, "&" and "<" included."""
    tpl = DocxTemplate(template)
    tpl.render(context, environment(), autoescape=True)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return buffer.getvalue()


def render_html(context: dict[str, Any], templates_dir: Path | None = None) -> str:
    folders = [templates_dir, TEMPLATES] if templates_dir is not None else [TEMPLATES]
    return environment(tuple(str(f) for f in folders)).get_template(HTML_TEMPLATE).render(context)


def csv_cell(value: object) -> str:
    """Text a spreadsheet must not run: Excel executes a cell starting with = + - @ as a
    formula, so such text gets a leading apostrophe (OWASP's advice for CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def render_csv(table: dict[str, Any]) -> bytes:
    # Swedish Excel reads a CSV file by the locale's list separator, which is ";" because
    # "," is the decimal comma, and it only takes the file as UTF-8 (not Windows-1252,
    # which would garble å, ä and ö) when it starts with a byte order mark: hence
    # "utf-8-sig" and ";".
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(table["columns"])
    for row in table["rows"]:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def render_xlsx(all_tables: list[dict[str, Any]]) -> bytes:
    """One sheet per table: bold frozen header, filters, widths that fit, wrapped text."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in all_tables:
        ws = workbook.create_sheet(table["sheet"])
        columns, rows = table["columns"], table["rows"]
        ws.append(columns)
        for row in rows:
            ws.append(row)
        for cells in ws.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, str):
                    # openpyxl stores text starting with "=" as a formula; it is text.
                    cell.data_type = "s"
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
        last = get_column_letter(len(columns))
        ws.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
        for index, name in enumerate(columns, start=1):
            longest = max([len(name), *(len(str(r[index - 1] or "")) for r in rows)])
            ws.column_dimensions[get_column_letter(index)].width = max(6, min(60, longest + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_drafts(
    doc: Document,
    folder: Path,
    templates_dir: Path | None = None,
    today: dt.date | None = None,
    precedents: list[dict[str, Any]] | None = None,
) -> list[Path]:
    """Write the draft and tables that apply to `doc` into `folder`; return the files.

    `utkast.docx` for motions, medborgarförslag and motionssvar; the tables for every
    document with att-satser or goals. File names are fixed, never taken from the text,
    and every file is written under a temporary name and renamed into place.
    """
    full = build_context(doc, today=today or dt.date.today(), precedents=precedents)
    context = mask_data(full)  # the tables never carry a personnummer
    draft = full if drafts_keep_numbers() else context
    outputs: list[tuple[str, Callable[[], bytes]]] = []
    if doc.doc_type in ANSWERED:
        docx_template = template_path(DOCX_TEMPLATE, templates_dir)
        outputs.append((UTKAST, lambda: render_docx(draft, docx_template)))
    if context["tables"]:
        outputs.append((CSV, lambda: render_csv(context["tables"][0])))
        outputs.append((XLSX, lambda: render_xlsx(context["tables"])))
        outputs.append((HTML, lambda: render_html(context, templates_dir).encode("utf-8")))
    if not outputs:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, render in outputs:
        try:
            data = render()
        # A municipality's own template can fail in any of these ways: bad Jinja2, a
        # variable that does not exist, a file that is not a Word document.
        except (TemplateError, zipfile.BadZipFile, etree.LxmlError, KeyError, ValueError) as error:
            raise DraftError(f"{name} kunde inte skapas ur mallen: {error}") from error
        path = folder / name
        atomic_write(path, data)
        written.append(path)
    return written
