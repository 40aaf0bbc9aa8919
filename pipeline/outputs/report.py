"""The archive report: `DIR/rapport.html` (self-contained, with charts) and `DIR/rapport.xlsx`.

Built from every `DIR/<name>/analysis.json`, so it covers the whole archive however many
batches filled it. Four parts: the goal portfolio (goals per nämnd and level, the share
that is measurable, time-bound and effect goals), the goals' Agenda 2030 coverage, the
motions with their outcomes and dates, and the motions older than one year without a
decision (kommunallagen 5 kap. 35 §). Papers of one ärende (a motion, its answer, the
protokoll that decides it) are tied together by their diarienummer. Effect goals and
Agenda 2030 come from each goal's assessment; an analysis without one counts as not
assessed, never as "no".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from pipeline.document import Diarienummer, Document
from pipeline.outputs.files import atomic_write
from pipeline.outputs.folders import ANALYSIS
from pipeline.outputs.summary import DOC_TYPE_NAMES, STATUS_NAMES
from pipeline.privacy import mask, mask_data
from pipeline.resources import load_patterns
from pipeline.styrmodell.loader import DEFAULT_PROFILE, load_profile
from pipeline.styrmodell.schema import LEVEL_NAMES

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
HTML = "rapport.html"
XLSX = "rapport.xlsx"
PROPOSALS = ("motion", "medborgarforslag")
FINAL_OUTCOMES = {"bifall", "avslag", "besvarad", "delvis_bifall", "avskrivning"}
OUTCOME_NAMES = {
    "bifall": "Bifall",
    "avslag": "Avslag",
    "besvarad": "Besvarad",
    "delvis_bifall": "Delvis bifall",
    "remiss": "Remitterad",
    "aterremiss": "Återremitterad",
    "avskrivning": "Avskriven",
}
DECISION_DATES = ("beslut", "sammantrade")
PROPOSAL_DATES = ("motion", "medborgarforslag", "inkom", "inlamnad", "dokument")
UNKNOWN_ORGAN = "Okänt organ"
UNKNOWN_LEVEL = "Okänd nivå"


@cache
def proposal_title() -> re.Pattern[str]:
    return re.compile(load_patterns("pipeline.outputs", "report")["proposal_title"], re.IGNORECASE)


@cache
def agenda2030_names() -> dict[int, str]:
    """The 17 goals' Swedish names, as the generic styrmodell profile holds them."""
    return {goal.number: goal.name for goal in load_profile(DEFAULT_PROFILE).agenda2030}


def level_name(level: str | None) -> str:
    if not level:
        return UNKNOWN_LEVEL
    return LEVEL_NAMES.get(level, level)


@dataclass
class Analysed:
    """A document as the report needs it: its body text is dropped once read (an archive
    of thousands of papers would otherwise be held in memory whole); what tells one paper
    from another is kept as a digest of its words and the hashes of their shingles."""

    folder: str
    doc: Document
    # The folders of the same paper in other formats (PDF, DOCX, text), counted once.
    copies: list[str] = field(default_factory=list)
    digest: bytes = b""  # of the body words; empty: no words (a failed or empty paper)
    shingles: array = field(default_factory=lambda: array("q"))  # sorted hashes


def load(out: Path) -> tuple[list[Analysed], list[str]]:
    """Every analysed document under `out`, and the folders whose JSON could not be read."""
    found, unreadable = [], []
    for path in sorted(out.glob(f"*/{ANALYSIS}")):
        try:
            doc = Document.model_validate_json(path.read_bytes())
        except (ValidationError, OSError):
            unreadable.append(path.parent.name)
            continue
        words = body_words(doc)
        doc.sections, doc.furniture = [], []
        found.append(
            Analysed(
                path.parent.name,
                # The report is no place for a personnummer: its strings are masked.
                Document.model_validate(mask_data(doc.model_dump())),
                digest=hashlib.blake2b("\n".join(words).encode("utf-8")).digest() if words else b"",
                shingles=array("q", sorted(map(hash, shingles(words)))),
            )
        )
    return found, unreadable


# Two renderings of one paper are the same paper when their words agree this much; what
# differs between a paper's text, PDF and DOCX is a running header taken for body text or a
# hyphenation, a few words out of hundreds.
SAME_PAPER_SIMILARITY = 0.8
SHINGLE = 3


def body_words(doc: Document) -> list[str]:
    """The paper's own words in reading order: casefolded, punctuation and furniture left out."""
    text = " ".join(p.text for s in doc.sections for p in s.paragraphs)
    return re.findall(r"\w+", text.casefold())


def shingles(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + SHINGLE]) for i in range(max(len(words) - SHINGLE + 1, 1))}


def distinct_papers(docs: list[Analysed]) -> list[Analysed]:
    """One entry per paper, however many formats it came in: the same words (or nearly, for
    renderings of one paper with the same type and title) are the same paper. The first
    folder in name order stands for the paper, the others are kept as its `copies`."""
    papers: list[Analysed] = []
    seen: dict[tuple[str, str], list[Analysed]] = {}
    by_text: dict[bytes, Analysed] = {}
    for analysed in docs:
        doc = analysed.doc
        if doc.status == "failed" or not analysed.digest:
            papers.append(analysed)
            continue
        same = by_text.get(analysed.digest)
        bucket = seen.setdefault((doc.doc_type, (doc.title or "").casefold()), [])
        if same is None and bucket:
            own = set(analysed.shingles)
            same = next(
                (
                    other
                    for other in bucket
                    if len(own.intersection(other.shingles)) / len(own.union(other.shingles))
                    >= SAME_PAPER_SIMILARITY
                ),
                None,
            )
        if same is not None:
            same.copies.append(analysed.folder)
            continue
        kept = Analysed(analysed.folder, doc, digest=analysed.digest, shingles=analysed.shingles)
        papers.append(kept)
        bucket.append(kept)
        by_text[analysed.digest] = kept
    return papers


def first_date(doc: Document, kinds: Iterable[str]) -> dt.date | None:
    """The earliest date of one of `kinds`, in the order the kinds are preferred."""
    for kind in kinds:
        dates = sorted(d.date for d in doc.dates if d.kind == kind)
        if dates:
            return dates[0]
    return None


def case_key(number: Diarienummer) -> str:
    """One ärende, however its number is printed: parsed parts, else the raw text."""
    if number.year and number.number:
        organ = (number.organ or "").upper()
        return f"{organ}|{number.year % 100}|{number.number.lstrip('0')}"
    return re.sub(r"[\s\-/:.]", "", number.raw.upper())


@dataclass
class Goal:
    folder: str
    title: str
    organ: str
    level: str
    text: str
    target: str | None
    deadline: str | None
    indicator: str | None
    effect: bool | None = None  # an effect goal (not an activity); None: not assessed
    agenda2030: tuple[int, ...] = ()

    @property
    def kind_name(self) -> str:
        return {True: "Effektmål", False: "Aktivitetsmål"}.get(self.effect, "")

    @property
    def measurable(self) -> bool:
        return bool(self.indicator or self.target)

    @property
    def time_bound(self) -> bool:
        return bool(self.deadline)


@dataclass
class PortfolioRow:
    organ: str
    level: str
    goals: int
    measurable: int
    time_bound: int
    assessed: int = 0  # goals with an assessment, which says effect or activity
    effect: int = 0

    def share(self, count: int) -> str:
        return f"{round(100 * count / self.goals)} %" if self.goals else "–"

    def effect_share(self) -> str:
        return f"{round(100 * self.effect / self.assessed)} %" if self.assessed else "–"


@dataclass
class AgendaRow:
    number: int
    name: str
    goals: int
    organs: list[str]


@dataclass
class Motion:
    key: str
    dnr: str
    title: str
    authors: str
    submitted: dt.date | None
    outcome: str | None
    decided: dt.date | None
    decided_by: str | None
    folders: list[str] = field(default_factory=list)

    @property
    def outcome_name(self) -> str:
        return OUTCOME_NAMES.get(self.outcome or "", "Inget beslut funnet")

    @property
    def open(self) -> bool:
        return self.outcome not in FINAL_OUTCOMES


@dataclass
class Report:
    today: dt.date
    documents: list[Analysed]  # one per paper, its other formats in `copies`
    files: int  # analysed files, every format counted
    unreadable: list[str]
    goals: list[Goal]
    portfolio: list[PortfolioRow]
    agenda2030: list[AgendaRow]
    motions: list[Motion]
    overdue: list[Motion]
    doc_types: list[tuple[str, int]]


def goals_of(docs: list[Analysed]) -> list[Goal]:
    return [
        Goal(
            folder=a.folder,
            title=a.doc.title or a.folder,
            organ=a.doc.organ or UNKNOWN_ORGAN,
            level=level_name(g.level),
            text=g.text,
            target=g.target,
            deadline=g.deadline,
            indicator=g.indicator,
            effect=g.assessment.kind == "effektmal" if g.assessment else None,
            agenda2030=tuple(sorted(set(g.assessment.agenda2030))) if g.assessment else (),
        )
        for a in docs
        for g in a.doc.goals
    ]


def portfolio_of(goals: list[Goal]) -> list[PortfolioRow]:
    groups: dict[tuple[str, str], list[Goal]] = defaultdict(list)
    for goal in goals:
        groups[(goal.organ, goal.level)].append(goal)
    return [
        PortfolioRow(
            organ,
            level,
            len(group),
            sum(g.measurable for g in group),
            sum(g.time_bound for g in group),
            sum(g.effect is not None for g in group),
            sum(bool(g.effect) for g in group),
        )
        for (organ, level), group in sorted(groups.items())
    ]


def agenda2030_of(goals: list[Goal]) -> list[AgendaRow]:
    """Every Agenda 2030 goal, with how many of the archive's goals touch it and where."""
    return [
        AgendaRow(
            number,
            name,
            sum(number in g.agenda2030 for g in goals),
            sorted({g.organ for g in goals if number in g.agenda2030}),
        )
        for number, name in sorted(agenda2030_names().items())
    ]


def is_about_proposal(doc: Document) -> bool:
    return doc.doc_type in (*PROPOSALS, "motionssvar") or bool(
        doc.title and proposal_title().search(doc.title)
    )


def motions_of(docs: list[Analysed]) -> list[Motion]:
    """One row per motion or medborgarförslag ärende, with its latest decision."""
    cases: dict[str, list[Analysed]] = defaultdict(list)
    for a in docs:
        if a.doc.status == "failed" or not is_about_proposal(a.doc):
            continue
        key = case_key(a.doc.diarienummer[0]) if a.doc.diarienummer else f"mapp:{a.folder}"
        cases[key].append(a)
    motions = []
    for key, members in cases.items():
        proposals = [a.doc for a in members if a.doc.doc_type in PROPOSALS]
        main = proposals[0] if proposals else members[0].doc
        decisions = sorted(
            (
                (first_date(a.doc, DECISION_DATES) or dt.date.min, a.doc)
                for a in members
                if a.doc.decision and a.doc.decision.outcome
            ),
            key=lambda pair: pair[0],
        )
        finals = [pair for pair in decisions if pair[1].decision.outcome in FINAL_OUTCOMES]
        decided_on, decision_doc = (finals or decisions or [(None, None)])[-1]
        submitted = (
            first_date(main, PROPOSAL_DATES)
            if proposals
            else min(
                (d for a in members if (d := first_date(a.doc, ("motion", "medborgarforslag")))),
                default=None,
            )
        )
        motions.append(
            Motion(
                key=key,
                dnr=main.diarienummer[0].raw if main.diarienummer else "",
                title=main.title or members[0].folder,
                authors=", ".join(
                    f"{p.name} ({p.party})" if p.party else p.name for p in main.authors
                ),
                submitted=submitted,
                outcome=decision_doc.decision.outcome if decision_doc else None,
                decided=decided_on if decided_on and decided_on != dt.date.min else None,
                decided_by=decision_doc.organ if decision_doc else None,
                folders=sorted(a.folder for a in members),
            )
        )
    return sorted(motions, key=lambda m: (m.submitted or dt.date.max, m.title))


def overdue_of(motions: list[Motion], today: dt.date) -> list[Motion]:
    """Motions submitted more than a year ago with no final decision (KL 5 kap. 35 §)."""
    try:
        limit = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        limit = today.replace(year=today.year - 1, day=28)
    return [m for m in motions if m.open and m.submitted is not None and m.submitted < limit]


def build(out: Path, today: dt.date | None = None) -> Report:
    files, unreadable = load(out)
    docs = distinct_papers(files)
    goals = goals_of(docs)
    motions = motions_of(docs)
    today = today or dt.date.today()
    return Report(
        today=today,
        documents=docs,
        files=len(files),
        unreadable=unreadable,
        goals=goals,
        portfolio=portfolio_of(goals),
        agenda2030=agenda2030_of(goals) if any(g.effect is not None for g in goals) else [],
        motions=motions,
        overdue=overdue_of(motions, today),
        doc_types=[
            (DOC_TYPE_NAMES[t], n)
            for t, n in Counter(
                a.doc.doc_type for a in docs if a.doc.status != "failed"
            ).most_common()
        ],
    )


def bar_chart(
    title: str, bars: list[tuple[str, float]], unit: str = "", full: float | None = None
) -> Markup:
    """A horizontal bar chart as inline SVG: no script, no external file. `full` is the
    value of a full-length bar (100 for shares), else the largest value."""
    if not bars:
        return Markup("")
    row, label_width, width = 26, 230, 540
    top = full or max(value for _, value in bars) or 1
    height = row * len(bars) + 36
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}">',
        f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(bars):
        y = 28 + i * row
        length = (width - label_width - 70) * value / top
        shown = f"{value:g}{unit}"
        parts += [
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end">'
            f"{escape(label[:34])}</text>",
            f'<rect x="{label_width}" y="{y + 2}" width="{length:.1f}" height="18" '
            'fill="#2f6f9f"/>',
            f'<text x="{label_width + length + 6:.1f}" y="{y + 15}">{escape(shown)}</text>',
        ]
    parts.append("</svg>")
    return Markup("".join(parts))


def charts(report: Report) -> list[Markup]:
    by_organ: Counter[str] = Counter()
    measurable: Counter[str] = Counter()
    time_bound: Counter[str] = Counter()
    for goal in report.goals:
        by_organ[goal.organ] += 1
        measurable[goal.organ] += goal.measurable
        time_bound[goal.organ] += goal.time_bound
    by_level = Counter(g.level for g in report.goals)
    assessed: Counter[str] = Counter()
    effect: Counter[str] = Counter()
    for goal in report.goals:
        if goal.effect is not None:
            assessed[goal.organ] += 1
            effect[goal.organ] += goal.effect
    outcomes = Counter(m.outcome_name for m in report.motions)
    return [
        chart
        for chart in (
            bar_chart("Dokument per typ", [(k, v) for k, v in report.doc_types]),
            bar_chart("Mål per organ", sorted(by_organ.items())),
            bar_chart("Mål per nivå", sorted(by_level.items())),
            bar_chart(
                "Andel mätbara mål per organ",
                [(k, round(100 * measurable[k] / n)) for k, n in sorted(by_organ.items())],
                " %",
                100,
            ),
            bar_chart(
                "Andel tidsatta mål per organ",
                [(k, round(100 * time_bound[k] / n)) for k, n in sorted(by_organ.items())],
                " %",
                100,
            ),
            bar_chart(
                "Andel effektmål per organ",
                [(k, round(100 * effect[k] / n)) for k, n in sorted(assessed.items())],
                " %",
                100,
            ),
            bar_chart(
                "Mål per Agenda 2030-mål",
                [(f"{r.number} {r.name}", r.goals) for r in report.agenda2030 if r.goals],
            ),
            bar_chart("Motioner per utfall", sorted(outcomes.items())),
        )
        if chart
    ]


def render_html(report: Report, templates: Path = TEMPLATES) -> str:
    env = Environment(
        loader=FileSystemLoader(templates),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
    )
    return env.get_template("rapport.html.j2").render(
        report=report, charts=charts(report), type_names=DOC_TYPE_NAMES, status_names=STATUS_NAMES
    )


def sheet(workbook: Workbook, title: str, header: list[str], rows: list[list[object]]) -> None:
    """A sheet with a bold, frozen header row, filters and widths that fit the text."""
    ws = workbook.create_sheet(title)
    ws.append(header)
    for row in rows:
        ws.append(row)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, len(rows) + 1)}"
    for index, name in enumerate(header, start=1):
        longest = max([len(name), *(len(str(r[index - 1] or "")) for r in rows)])
        ws.column_dimensions[get_column_letter(index)].width = min(60, longest + 2)


def motion_row(m: Motion) -> list[object]:
    return [
        m.dnr,
        m.title,
        m.authors,
        m.submitted,
        m.outcome_name,
        m.decided,
        m.decided_by or "",
        ", ".join(m.folders),
    ]


MOTION_HEADER = [
    "Dnr",
    "Rubrik",
    "Förslagsställare",
    "Inlämnad",
    "Utfall",
    "Beslutsdatum",
    "Beslutande organ",
    "Mappar",
]


def render_xlsx(report: Report, path: Path) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheet(
        workbook,
        "Målportfölj",
        [
            "Organ",
            "Nivå",
            "Antal mål",
            "Mätbara",
            "Andel mätbara",
            "Tidsatta",
            "Andel tidsatta",
            "Bedömda",
            "Effektmål",
            "Andel effektmål",
        ],
        [
            [
                r.organ,
                r.level,
                r.goals,
                r.measurable,
                r.share(r.measurable),
                r.time_bound,
                r.share(r.time_bound),
                r.assessed,
                r.effect,
                r.effect_share(),
            ]
            for r in report.portfolio
        ],
    )
    sheet(
        workbook,
        "Mål",
        [
            "Organ",
            "Nivå",
            "Mål",
            "Målvärde",
            "Tidpunkt",
            "Indikator",
            "Mätbart",
            "Tidsatt",
            "Typ av mål",
            "Agenda 2030",
            "Dokument",
            "Mapp",
        ],
        [
            [
                g.organ,
                g.level,
                g.text,
                g.target,
                g.deadline,
                g.indicator,
                "ja" if g.measurable else "nej",
                "ja" if g.time_bound else "nej",
                g.kind_name,
                ", ".join(map(str, g.agenda2030)),
                g.title,
                g.folder,
            ]
            for g in report.goals
        ],
    )
    sheet(
        workbook,
        "Agenda 2030",
        ["Mål", "Namn", "Antal mål som berör det", "Organ"],
        [[r.number, r.name, r.goals, ", ".join(r.organs)] for r in report.agenda2030],
    )
    sheet(workbook, "Motioner", MOTION_HEADER, [motion_row(m) for m in report.motions])
    sheet(
        workbook,
        "Ej beslutade efter ett år",
        MOTION_HEADER,
        [motion_row(m) for m in report.overdue],
    )
    sheet(
        workbook,
        "Dokument",
        [
            "Mapp",
            "Fil",
            "Typ",
            "Status",
            "Rubrik",
            "Organ",
            "Dnr",
            "Del av samlingsfil",
            "Samma handling i andra format",
        ],
        [
            [
                a.folder,
                a.doc.source.path,
                DOC_TYPE_NAMES[a.doc.doc_type],
                a.doc.status,
                a.doc.title,
                a.doc.organ,
                ", ".join(d.raw for d in a.doc.diarienummer),
                (
                    f"{a.doc.source.bundle.part} av {a.doc.source.bundle.parts}"
                    if a.doc.source.bundle
                    else ""
                ),
                ", ".join(a.copies),
            ]
            for a in report.documents
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    atomic_write(path, buffer.getvalue())  # a crash never leaves a half workbook


def write_report(out: Path, today: dt.date | None = None) -> list[Path]:
    """Write `rapport.html` and `rapport.xlsx` for every analysed document under `out`."""
    report = build(out, today)
    html = out / HTML
    atomic_write(html, render_html(report).encode("utf-8"))
    xlsx = out / XLSX
    render_xlsx(report, xlsx)
    return [html, xlsx]


def document_table(doc: Document) -> list[dict[str, str]]:
    """One document as a two-column table (Uppgift, Värde): what an official checks first."""
    rows = [
        ("Fil", doc.source.path),
        ("Typ", DOC_TYPE_NAMES[doc.doc_type]),
        ("Status", STATUS_NAMES[doc.status]),
        ("Rubrik", doc.title or ""),
        ("Organ", doc.organ or ""),
        ("Dnr", ", ".join(d.raw for d in doc.diarienummer)),
        ("Datum", ", ".join(f"{d.date.isoformat()} ({d.kind})" for d in doc.dates)),
    ]
    if doc.source.bundle:
        part = doc.source.bundle
        pages = f", sidorna {part.first_page}–{part.last_page}" if part.first_page else ""
        rows.append(("Del av samlingsfil", f"{part.part} av {part.parts}{pages}"))
    decided = doc.decision.per_att_sats if doc.decision else {}
    for clause in doc.att_satser:
        stance = f" [{OUTCOME_NAMES[decided[clause.number]]}]" if clause.number in decided else ""
        rows.append((f"Att-sats {clause.number}", clause.text + stance))
    if doc.decision:
        outcome = OUTCOME_NAMES.get(doc.decision.outcome or "", "")
        rows.append(("Beslut", f"{doc.decision.text} {f'[{outcome}]' if outcome else ''}".strip()))
    rows += [(f"Mål ({level_name(g.level)})", g.text) for g in doc.goals]
    rows += [(f"Fel {e.code}", e.message) for e in doc.errors]
    rows += [(f"Varning {w.code}", w.message) for w in doc.warnings]
    return [{"Uppgift": label, "Värde": mask(value)} for label, value in rows if value]
