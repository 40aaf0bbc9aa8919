"""Suggested stances measured against the officials' own, on real answered motions.

A case is a motion (or medborgarförslag) with the papers that answer or decide on it,
found in the folders given: papers that print the same diarienummer belong together, and
an answer whose title names a proposal ("Svar på motion ... om X") joins the motion whose
title shares the subject. The officials' outcome is their answer (a motionssvar; several
answers by majority), else the decision. It is compared per att-sats where the officials
comment each one with a stance, per motion otherwise. A gold file beside a paper
(`<id>.gold.json`) gives its doc_type, outcome and diarienummer when present.

`agreement(folders)` returns the report; `python -m pipeline.evaluation.agreement DIR...`
prints it in Swedish (see `format_report`).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pipeline.document import Document
from pipeline.nlp.lexicon import tokens
from pipeline.resources import load_patterns
from pipeline.stages.assess import leaning
from pipeline.stages.run import analyze, assess_against
from pipeline.styrmodell.loader import load_profile, profile_for_municipality

STANCES = ("bifall", "avslag", "besvarad", "delvis_bifall")
ABSTAIN = "avstår"
PROPOSALS = ("motion", "medborgarforslag")
ANSWERS = ("motionssvar",)
UNLINKED = ("kallelse", "styrdokument")
SUFFIXES = (".txt", ".md", ".docx", ".pdf")


@cache
def _data() -> dict:
    return load_patterns("pipeline.evaluation", "agreement")


@cache
def _regex(key: str) -> re.Pattern[str]:
    return re.compile(_data()[key], re.IGNORECASE)


@dataclass
class Paper:
    """One analysed paper with what the linking needs."""

    path: Path
    doc: Document
    doc_type: str
    outcome: str | None
    keys: set[tuple[str | None, int, int]]
    title: str


@dataclass
class Case:
    papers: list[Paper] = field(default_factory=list)


def dnr_key(raw: str) -> tuple[str | None, int, int] | None:
    """('KS', 2024, 131) for 'KS-2024-00131'; the organ code upper-cased, the year in full."""
    found = _regex("diarienummer").search(raw)
    if not found:
        return None
    year = int(found.group("year"))
    year = year + 2000 if year < 100 else year
    organ = found.group("organ")
    return (organ.upper() if organ else None, year, int(found.group("number")))


def read_paper(path: Path, gold: dict | None, analysed: Mapping[Path, Document]) -> Paper:
    doc = analysed.get(path) or analyze(path)
    gold = gold or {}
    doc_type = gold.get("doc_type") or doc.doc_type
    outcome = gold.get("outcome", doc.decision.outcome if doc.decision else None)
    raws = [d.raw for d in doc.diarienummer] + list(gold.get("diarienummer") or [])
    if gold.get("att_satser") == [] and doc.att_satser:
        # The gold says the paper only paraphrases the proposals: what was read as
        # att-satser (a decision's own clauses) is not the motion's.
        doc = doc.model_copy(update={"att_satser": []})
    keys = {k for k in (dnr_key(r) for r in raws) if k is not None}
    return Paper(path, doc, doc_type, outcome, keys, gold.get("title") or doc.title or "")


def papers_in(
    folders: Iterable[Path], analysed: Mapping[Path, Document] | None = None
) -> list[Paper]:
    """Every paper in the folders, one per stem (text first), with its gold file if any.

    In a folder with gold files only the papers they describe are read (not a README).
    """
    found: list[Paper] = []
    for folder in folders:
        by_stem: dict[str, Path] = {}
        golds = {g.name.removesuffix(".gold.json") for g in folder.glob("*.gold.json")}
        for path in sorted(folder.iterdir()):
            if golds and path.stem not in golds:
                continue
            if path.suffix in SUFFIXES and not path.name.startswith((".", "~$")):
                current = by_stem.get(path.stem)
                if current is None or SUFFIXES.index(path.suffix) < SUFFIXES.index(current.suffix):
                    by_stem[path.stem] = path
        for stem, path in sorted(by_stem.items()):
            gold_path = folder / f"{stem}.gold.json"
            gold = json.loads(gold_path.read_text("utf-8")) if gold_path.is_file() else None
            found.append(read_paper(path, gold, analysed or {}))
    return found


def subject_lemmas(text: str) -> set[str]:
    stop = set(_data()["stopwords"])
    return {
        t.lemma
        for t in tokens(text)
        if len(t.form) > 2 and t.form not in stop and t.lemma not in stop
    }


def subject_link(proposal: Paper, answer: Paper) -> float:
    """How well an answer's title names the proposal's subject: shared share, 0 if unlinked."""
    found = _regex("answers_proposal").search(answer.title)
    if not found:
        return 0.0
    subject = subject_lemmas(found.group("subject"))
    own = subject_lemmas(proposal.title) | {
        lemma for a in proposal.doc.att_satser for lemma in subject_lemmas(a.text)
    }
    shared = subject & own
    if not subject or len(shared) < _data()["subject_min_shared"]:
        return 0.0
    share = len(shared) / len(subject)
    return share if share >= _data()["subject_min_share"] else 0.0


def link(papers: list[Paper]) -> list[Case]:
    """Cases: papers sharing a diarienummer, and answers joined to the motion they name."""
    linkable = [p for p in papers if p.doc_type not in UNLINKED]
    parent = list(range(len(linkable)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        parent[root(i)] = root(j)

    for i, a in enumerate(linkable):
        for j in range(i + 1, len(linkable)):
            if a.keys & linkable[j].keys:
                join(i, j)
    proposals = [i for i, p in enumerate(linkable) if p.doc_type in PROPOSALS and p.doc.att_satser]
    for j, answer in enumerate(linkable):
        if answer.doc_type in PROPOSALS:
            continue
        scored = [(subject_link(linkable[i], answer), i) for i in proposals]
        best = max(scored, default=(0.0, -1))
        if best[0] > 0 and sum(1 for s, _ in scored if s == best[0]) == 1:
            join(best[1], j)
    groups: dict[int, Case] = {}
    for i, paper in enumerate(linkable):
        groups.setdefault(root(i), Case()).papers.append(paper)
    return list(groups.values())


def majority(outcomes: list[str]) -> str | None:
    counts = Counter(outcomes).most_common()
    if not counts or (len(counts) > 1 and counts[0][1] == counts[1][1]):
        return None
    return counts[0][0]


def officials_outcome(case: Case) -> tuple[str | None, str]:
    """The officials' outcome for the case and where it comes from (answer or decision)."""
    answers = [p.outcome for p in case.papers if p.doc_type in ANSWERS and p.outcome in STANCES]
    if answers:
        return majority(answers), "svar"
    decided = [p.outcome for p in case.papers if p.outcome in STANCES]
    return majority(decided), "beslut"


def clause_outcomes(doc: Document) -> list[str | None]:
    """The officials' stance per att-sats from their Kommentar, where it states one."""
    found: list[str | None] = []
    for att_sats in doc.att_satser:
        comment = att_sats.existing_assessment or ""
        stance = next(
            (s for s, p in _data()["per_clause"].items() if re.search(p, comment, re.IGNORECASE)),
            None,
        )
        found.append(stance)
    return found


def suggestion_source(case: Case) -> Paper | None:
    """The paper whose att-satser are assessed: the motion, else an answer quoting them,
    else any paper of the case that quotes them (a protocol, a report of the decision)."""
    for kinds in (PROPOSALS, ANSWERS, None):
        for paper in case.papers:
            if (kinds is None or paper.doc_type in kinds) and paper.doc.att_satser:
                return paper
    return None


def case_units(case: Case) -> list[dict]:
    """The case as one compared unit: the motion against the officials' outcome, with its
    att-satser, each against the officials' own stance on it where their comment gives one."""
    source = suggestion_source(case)
    outcome, basis = officials_outcome(case)
    if source is None or outcome is None:
        return []
    municipality = next((p.doc.municipality for p in case.papers if p.doc.municipality), None)
    profile = load_profile(profile_for_municipality(municipality))
    doc = assess_against(source.doc, profile)
    per_clause = clause_outcomes(doc)
    suggestion = doc.suggestion
    return [
        {
            "case": source.path.stem,
            "unit": "motion",
            "profile": profile.id,
            "papers": sorted(p.path.stem for p in case.papers),
            "officials": outcome,
            "basis": basis,
            "suggested": suggestion.stance if suggestion else None,
            "confidence": suggestion.confidence if suggestion else 0.0,
            "clauses": [
                {
                    "number": a.number,
                    "officials": stance or outcome,
                    "basis": "kommentar" if stance else basis,
                    "suggested": a.assessment.suggested_stance if a.assessment else None,
                    "confidence": a.assessment.confidence if a.assessment else 0.0,
                    "leaning": leaning(profile, a),
                }
                for a, stance in zip(doc.att_satser, per_clause, strict=True)
            ],
        }
    ]


def score(units: list[dict]) -> dict:
    """Accuracy where attsats answers, abstentions, confusion, baseline, reliability."""
    answered = [u for u in units if u["suggested"] is not None]
    correct = sum(1 for u in answered if u["suggested"] == u["officials"])
    counts = Counter(u["officials"] for u in units)
    base_stance, base_n = counts.most_common(1)[0] if counts else (None, 0)
    confusion: dict[str, dict[str, int]] = {}
    for u in units:
        row = confusion.setdefault(u["officials"], {})
        key = u["suggested"] or ABSTAIN
        row[key] = row.get(key, 0) + 1
    bins = []
    lower = 0.0
    for upper in _data()["bins"]:
        inside = [
            u
            for u in answered
            if lower <= u["confidence"] < upper or (upper == 1.0 and u["confidence"] == 1.0)
        ]
        hits = sum(1 for u in inside if u["suggested"] == u["officials"])
        bins.append(
            {
                "bin": f"{lower:.1f}–{upper:.1f}",
                "n": len(inside),
                "mean_confidence": round(sum(u["confidence"] for u in inside) / len(inside), 3)
                if inside
                else None,
                "agreement": round(hits / len(inside), 3) if inside else None,
            }
        )
        lower = upper
    # Expected calibration error: the answered units' mean gap between confidence and
    # agreement, bin by bin, weighted by the bin's size.
    gap = (
        sum(b["n"] * abs(b["mean_confidence"] - b["agreement"]) for b in bins if b["n"])
        / len(answered)
        if answered
        else None
    )
    return {
        "units": len(units),
        "answered": len(answered),
        "correct": correct,
        "precision": round(correct / len(answered), 4) if answered else None,
        "abstained": len(units) - len(answered),
        "accuracy_all": round(correct / len(units), 4) if units else None,
        "baseline": {
            "stance": base_stance,
            "accuracy": round(base_n / len(units), 4) if units else None,
        },
        "confusion": confusion,
        "reliability": bins,
        "calibration_gap": round(gap, 3) if gap is not None else None,
    }


def agreement(folders: Iterable[Path], analysed: Mapping[Path, Document] | None = None) -> dict:
    """The officials' agreement report over the papers in `folders`; `analysed` holds papers
    already read as text (by `evaluate`), so they are not analysed a second time."""
    cases = link(papers_in(folders, analysed))
    units = [u for case in cases for u in case_units(case)]
    # Every att-sats against the officials' comment on it, else the motion's outcome.
    clauses = [
        {"case": u["case"], "unit": f"att-sats {c['number']}", **c}
        for u in units
        for c in u["clauses"]
    ]
    # Every att-sats at the stance its evidence leans to, suggested or not: does stronger
    # evidence agree more often? (What the thresholds of a suggestion rest on.)
    leanings = [
        {**c, "suggested": c["leaning"][0], "confidence": c["leaning"][1]}
        for c in clauses
        if c["leaning"] is not None
    ]
    return {
        "cases": units,
        **score(units),
        "att_satser": score(clauses),
        "leanings": score(leanings),
    }


def format_section(title: str, report: dict) -> list[str]:
    """One level (motions or att-satser): answered and abstained, precision, the majority
    baseline, the confusion table and the reliability table."""
    precision = report["precision"]
    base = report["baseline"]
    lines = [
        f"  {title}: {report['units']}, med förslag {report['answered']}, "
        f"avstår {report['abstained']}",
        "    träffsäkerhet där attsats föreslår: "
        + (
            f"{precision:.2f} ({report['correct']} av {report['answered']})"
            if precision is not None
            else "–"
        ),
        f"    majoritetsbaslinje ({base['stance']}): "
        + (f"{base['accuracy']:.2f}" if base["accuracy"] is not None else "–"),
        "    förväxlingstabell (rad: tjänstepersoner, kolumn: attsats):",
    ]
    columns = [*STANCES, ABSTAIN]
    lines.append("      " + " " * 14 + "".join(f"{c:>14}" for c in columns))
    for official, row in sorted(report["confusion"].items()):
        lines.append(f"      {official:<14}" + "".join(f"{row.get(c, 0):>14}" for c in columns))
    lines.append("    tillförlitlighet (säkerhet: antal förslag, medelsäkerhet, andel rätt):")
    for b in report["reliability"]:
        if b["n"]:
            lines.append(
                f"      {b['bin']}: {b['n']:>3}, {b['mean_confidence']:.2f}, {b['agreement']:.2f}"
            )
        else:
            lines.append(f"      {b['bin']}: {0:>3}, –, –")
    if report["calibration_gap"] is not None:
        lines.append(
            f"      kalibreringsfel (vägt medel av |säkerhet − andel rätt|): "
            f"{report['calibration_gap']:.2f}"
        )
    return lines


def format_report(report: dict) -> str:
    """The report in Swedish, as `attsats evaluate` prints it."""
    lines = ["Förslag till ställningstagande jämfört med tjänstepersonernas"]
    for u in report["cases"]:
        given = sum(1 for c in u["clauses"] if c["suggested"])
        lines.append(
            f"  {u['case']} {u['unit']} ({u['profile']}): tjänstepersoner {u['officials']} "
            f"({u['basis']}), attsats {u['suggested'] or ABSTAIN}"
            + (f" ({u['confidence']:.2f})" if u["suggested"] else "")
            + f"; att-satser med förslag {given} av {len(u['clauses'])}"
        )
    lines += format_section("motioner", report)
    per_clause = report.get("att_satser")
    if per_clause and per_clause["units"]:
        lines += format_section(
            "att-satser (mot tjänstepersonernas kommentar, annars motionens utfall)", per_clause
        )
    leanings = report.get("leanings")
    if leanings and leanings["units"]:
        # The same table, read as the evidence's leaning rather than a suggestion.
        section = format_section("att-satser med grundat underlag", leanings)
        section[0] = (
            f"  underlagets styrka: {leanings['units']} att-satser har ett grundat element; "
            "vid det ställningstagande underlaget pekar mot, också där attsats avstår:"
        )
        section[1] = section[1].replace("där attsats föreslår", "om attsats föreslog alla")
        lines += [line for line in section if "majoritetsbaslinje" not in line]
    return "\n".join(lines)


def meets_targets(report: dict) -> bool:
    """Precision >= 0.8 where attsats answers, and never below the majority baseline."""
    precision, base = report["precision"], report["baseline"]["accuracy"]
    if precision is None:
        return True
    return precision >= 0.8 and (base is None or precision >= base)
