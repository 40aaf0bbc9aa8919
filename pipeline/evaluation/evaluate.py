"""Score the analyzer against gold files (`<id>.gold.json` beside the paper it describes).

The gold format is the one of the shared corpora (see their READMEs): `file`, `doc_type`,
`diarienummer`, `title`, `att_satser`, `beslut`, `outcome`, `kallelse_items`, `goals`
(strings, or objects with a `text`). Every corpus folder is read along every route asked for
(`pipeline.evaluation.routes`: the text, the project's own PDF and DOCX, an independent
typesetter's PDF and DOCX, LibreOffice's PDF), and the result is one table of corpus x route:
a rule that only works on the layouts it was written against shows up as a weak row. Texts are
compared after whitespace normalisation.
"""

from __future__ import annotations

import fnmatch
import json
import re
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple

from extractors.lines import normalize_space
from pipeline.document import Document, Source
from pipeline.evaluation.agreement import agreement
from pipeline.evaluation.routes import ROOT, SHARED, Renderer, RenderError
from pipeline.resources import load_patterns
from pipeline.stages.run import analyze
from pipeline.styrmodell.loader import load_profile

# The routes `attsats evaluate` reads by default: the text and the own typesetter.
FORMATS = ("txt", "pdf", "docx")

# Where the corpora live when no folder is named: the samples (the seeds with gold) and the
# shared corpora beside the checkout.
SAMPLES = ROOT / "sample_docs"
CORPORA = SHARED / "corpus"


class Target(NamedTuple):
    """A promise checked in every cell (corpus x route) where the field was scored."""

    field: str
    metric: str
    value: float


# The product's promises (issues 12 and 13), per corpus and route.
TARGETS: tuple[Target, ...] = (
    Target("att_satser", "f1", 0.98),
    Target("doc_type", "accuracy", 0.95),
    Target("diarienummer", "precision", 0.95),
    Target("diarienummer", "recall", 0.95),
    Target("outcome", "accuracy", 0.9),
    Target("kallelse_items", "f1", 0.95),
    Target("motion_dates", "accuracy", 0.95),
)

# Papers whose own date is counted, and the date kinds that are the paper's own (its
# dokument date, when it came in, the date by its signature). The gold has no date field.
DATED_TYPES = ("motion", "medborgarforslag")
OWN_DATE_KINDS = ("dokument", "inkom", "motion", "medborgarforslag", "signatur", "undertecknad")

# The columns of the table: (header, field, metric); "fp:" columns count false positives.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("att P", "att_satser", "precision"),
    ("att R", "att_satser", "recall"),
    ("att F1", "att_satser", "f1"),
    ("typ", "doc_type", "accuracy"),
    ("Dnr P", "diarienummer", "precision"),
    ("Dnr R", "diarienummer", "recall"),
    ("utfall", "outcome", "accuracy"),
    ("kall F1", "kallelse_items", "f1"),
    ("titel", "title", "accuracy"),
    ("beslut", "beslut", "accuracy"),
    ("datum", "motion_dates", "accuracy"),
    ("mål-FP", "fp:goals", "found"),
    ("besl-FP", "fp:decision", "found"),
)
ALL = "alla"


@dataclass
class Tally:
    """Counts for one field: true positives, predictions, gold items (or hits and trials)."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.predicted += other.predicted
        self.gold += other.gold

    def scores(self) -> dict[str, float]:
        precision = self.tp / self.predicted if self.predicted else 1.0
        recall = self.tp / self.gold if self.gold else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "accuracy": round(recall, 4),
        }


@dataclass
class FalsePositives:
    """Things found where the gold has none: `found` items in `papers` of `eligible` papers."""

    found: int = 0
    papers: int = 0
    eligible: int = 0

    def add(self, other: FalsePositives) -> None:
        self.found += other.found
        self.papers += other.papers
        self.eligible += other.eligible

    def scores(self) -> dict[str, int]:
        return {"found": self.found, "papers": self.papers, "eligible": self.eligible}


@dataclass
class DocumentScore:
    id: str
    format: str
    corpus: str = ""
    fields: dict[str, Tally] = field(default_factory=dict)
    false_positives: dict[str, FalsePositives] = field(default_factory=dict)
    misses: dict[str, dict[str, list]] = field(default_factory=dict)


def norm(text: str | None) -> str:
    return normalize_space(text or "")


def compare_lists(gold: Iterable[str], predicted: Iterable[str]) -> tuple[Tally, dict[str, list]]:
    gold_counts, predicted_counts = Counter(map(norm, gold)), Counter(map(norm, predicted))
    tp = sum((gold_counts & predicted_counts).values())
    tally = Tally(tp=tp, predicted=sum(predicted_counts.values()), gold=sum(gold_counts.values()))
    misses = {
        "missing": sorted((gold_counts - predicted_counts).elements()),
        "extra": sorted((predicted_counts - gold_counts).elements()),
    }
    return tally, misses


def compare_value(gold: object, predicted: object) -> tuple[Tally, dict[str, list]]:
    hit = gold == predicted
    misses = {} if hit else {"expected": [gold], "got": [predicted]}
    return Tally(tp=int(hit), predicted=1, gold=1), misses


def kallelse_key(item: dict) -> str:
    return " | ".join(
        norm(str(item.get(k))) if item.get(k) is not None else "-"
        for k in ("nr", "arende", "beteckning", "forslag")
    )


def goal_text(goal: str | dict) -> str:
    """A gold goal is a string (kungsbacka) or an object with its `text` (later corpora)."""
    return goal["text"] if isinstance(goal, dict) else goal


@cache
def date_like() -> tuple[list[re.Pattern[str]], list[re.Pattern[str]], int]:
    """(full-date patterns, part-date patterns, words of a short line), from
    patterns/motion_dates.yaml."""
    data = load_patterns("pipeline.evaluation", "motion_dates")
    months = "|".join(sorted(data["months"], key=len, reverse=True))

    def compiled(patterns: list[str]) -> list[re.Pattern[str]]:
        return [re.compile(p.replace("{months}", months), re.IGNORECASE) for p in patterns]

    return compiled(data["full_dates"]), compiled(data["part_dates"]), data["short_line_words"]


def paper_lines(doc: Document) -> list[str]:
    """Every line a paper prints: running headers and footers, headings, paragraphs, cells."""
    lines = [p.text for p in doc.furniture]
    for section in doc.sections:
        lines += [section.heading] if section.heading else []
        for p in section.paragraphs:
            lines += [p.text, *(cell for row in p.rows or [] for cell in row)]
    return [line for line in lines if line]


def prints_a_date(doc: Document) -> bool:
    """Whether a paper prints a date-like string of its own: a full date anywhere, or a
    month and year or a day and month on a short line (signature, letterhead, heading).
    A paper that prints none cannot be dated and is left out of `motion_dates`."""
    full, part, short = date_like()
    return any(
        any(p.search(line) for p in full)
        or (len(line.split()) <= short and any(p.search(line) for p in part))
        for line in paper_lines(doc)
    )


def own_dates(doc: Document) -> list[str]:
    """The dates the paper gives as its own (dokument, inkom, signature), as printed."""
    return [d.raw for d in doc.dates if d.kind in OWN_DATE_KINDS]


def score_document(gold: dict, doc: Document, fmt: str, corpus: str = "") -> DocumentScore:
    score = DocumentScore(id=gold["id"], format=fmt, corpus=corpus)
    decision = doc.decision
    comparisons = {
        "status": compare_value("ok", doc.status),
        "doc_type": compare_value(gold["doc_type"], doc.doc_type),
        "diarienummer": compare_lists(gold["diarienummer"], [d.raw for d in doc.diarienummer]),
        "title": compare_value(norm(gold.get("title")), norm(doc.title)),
        "att_satser": compare_lists(gold["att_satser"], [a.text for a in doc.att_satser]),
        "outcome": compare_value(gold.get("outcome"), decision.outcome if decision else None),
    }
    if gold.get("beslut") is not None:
        comparisons["beslut"] = compare_value(
            norm(gold["beslut"]), norm(decision and decision.text)
        )
    if gold.get("kallelse_items"):
        comparisons["kallelse_items"] = compare_lists(
            map(kallelse_key, gold["kallelse_items"]),
            (kallelse_key(i.model_dump()) for i in doc.kallelse_items),
        )
    gold_goals = [goal_text(g) for g in gold.get("goals") or []]
    if gold_goals:
        comparisons["goals"] = compare_lists(gold_goals, [g.text for g in doc.goals])
    else:
        spurious = [g.text for g in doc.goals]
        score.false_positives["goals"] = FalsePositives(len(spurious), int(bool(spurious)), 1)
        if spurious:
            score.misses["fp:goals"] = {"extra": spurious}
    if gold.get("beslut") is None and gold.get("outcome") is None:
        found = decision is not None
        score.false_positives["decision"] = FalsePositives(int(found), int(found), 1)
        if found:
            score.misses["fp:decision"] = {"extra": [decision.text]}
    if gold["doc_type"] in DATED_TYPES and prints_a_date(doc):
        dates = own_dates(doc)
        comparisons["motion_dates"] = (
            Tally(tp=int(bool(dates)), predicted=1, gold=1),
            {}
            if dates
            else {"missing": ["(eget datum)"], "found": [f"{d.raw} ({d.kind})" for d in doc.dates]},
        )
    for name, (tally, misses) in comparisons.items():
        score.fields[name] = tally
        if any(misses.values()):
            score.misses[name] = misses
    return score


def gold_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.gold.json"))


def default_folders() -> list[Path]:
    """Every corpus there is: the samples and each folder of gold files in ../shared/corpus."""
    shared = sorted(p for p in CORPORA.iterdir() if p.is_dir()) if CORPORA.is_dir() else []
    return [f for f in [SAMPLES, *shared] if gold_files(f)]


def corpus_names(folders: Iterable[Path]) -> dict[Path, str]:
    """A short, unique name per folder: its own name, with its parent's when two clash."""
    folders = list(folders)
    names: dict[Path, str] = {}
    counts = Counter(f.resolve().name for f in folders)
    for folder in folders:
        name = folder.resolve().name
        names[folder] = name if counts[name] == 1 else f"{folder.resolve().parent.name}/{name}"
    return names


def failed_document(paper: Path) -> Document:
    """A rendering that could not be made scores as a paper read as nothing: every miss counts
    (the reason goes to the paper's misses under `rendering`)."""
    return Document(source=Source(path=str(paper), sha256="", format=None, size=0), status="failed")


@dataclass
class Paper:
    corpus: str
    gold: dict
    path: Path


def load_papers(folders: Iterable[Path]) -> list[Paper]:
    folders = list(folders)
    names = corpus_names(folders)
    papers = []
    for folder in folders:
        for gold_path in gold_files(folder):
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            papers.append(Paper(names[folder], gold, gold_path.parent / gold["file"]))
    return papers


def evaluate(
    folders: Iterable[Path],
    routes: Iterable[str] = FORMATS,
    *,
    renderer: Renderer | None = None,
    enforce: Iterable[str] = (),
) -> dict:
    """Score every gold paper in `folders` along every route; returns the JSON report.

    A route whose tool is missing is skipped (listed under `skipped`); a paper whose
    rendering failed scores as read as nothing. `enforce` names the cells whose targets
    must hold (see `enforced`); `below_target` lists every cell under target either way.
    """
    routes = tuple(routes)
    folders = list(folders)
    renderer = renderer or Renderer()
    papers = load_papers(folders)
    corpora = list(dict.fromkeys(corpus_names(folders).values()))
    scores: list[DocumentScore] = []
    texts: dict[Path, Document] = {}  # the txt route's reading, for the officials' agreement
    skipped: dict[str, str] = {}
    timings: dict[str, dict] = {}
    profiles = {
        id(p): load_profile(p.gold["styrmodell"]) if p.gold.get("styrmodell") else None
        for p in papers
    }
    for route in routes:
        reason = renderer.unavailable(route)
        if reason:
            skipped[route] = reason
            continue
        started = time.perf_counter()
        rendered = renderer.render([p.path for p in papers], route)
        render_seconds = time.perf_counter() - started
        started = time.perf_counter()
        failures = 0
        for paper in papers:
            target = rendered[paper.path]
            if isinstance(target, RenderError):
                failures += 1
                doc = failed_document(paper.path)
            else:
                # A gold file may name the profile to assess under (`styrmodell`); otherwise
                # the paper's own municipality decides, as in `attsats analyze`.
                doc = analyze(target, profiles[id(paper)])
            score = score_document(paper.gold, doc, route, paper.corpus)
            if isinstance(target, RenderError):
                score.misses["rendering"] = {"error": [str(target)]}
            scores.append(score)
            if route == "txt" and profiles[id(paper)] is None:
                texts[paper.path] = doc
        counts = renderer.counts.get(route, {})
        timings[route] = {
            "papers": len(papers),
            "render_seconds": round(render_seconds, 2),
            "analyze_seconds": round(time.perf_counter() - started, 2),
            "cached": counts.get("cached", 0),
            "made": counts.get("made", 0),
            "failed": failures,
        }
    done = tuple(r for r in routes if r not in skipped)
    result = report(scores, done, corpora, enforce)
    result["skipped"] = skipped
    result["timings"] = timings
    result["agreement"] = agreement(folders, texts)
    return result


def enforced(
    patterns: Iterable[str], corpus: str, route: str, field_name: str = "", metric: str = ""
) -> bool:
    """Whether a target is a requirement in this cell.

    A pattern is `corpus[:route[:field]]`; each part is a shell wildcard or several joined
    by `|` (`sample_docs|kungsbacka:txt|pdf:att_satser|doc_type`), a missing part is `*`, and
    the field part may name a metric (`diarienummer.precision`).
    """
    fields = {field_name or "*", f"{field_name}.{metric}" if metric else field_name or "*"}
    for pattern in patterns:
        wanted = (pattern.split(":") + ["*", "*"])[:3]
        if (
            _matches(corpus, wanted[0])
            and _matches(route, wanted[1])
            and any(_matches(f, wanted[2]) for f in fields)
        ):
            return True
    return False


def _matches(value: str, part: str) -> bool:
    return any(fnmatch.fnmatchcase(value, alternative) for alternative in part.split("|"))


def read_enforce(spec: str) -> list[str]:
    """`--enforce` patterns, comma-separated, or `@FILE` with one pattern a line (`#` comments)."""
    if spec.startswith("@"):
        lines = Path(spec[1:]).read_text(encoding="utf-8").splitlines()
        return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]
    return [p.strip() for p in spec.split(",") if p.strip()]


def report(
    scores: list[DocumentScore],
    routes: tuple[str, ...],
    corpora: list[str] | None = None,
    enforce: Iterable[str] = (),
) -> dict:
    corpora = corpora or list(dict.fromkeys(s.corpus for s in scores))
    enforce = list(enforce)
    cells: dict[str, dict[str, dict[str, Tally]]] = {}
    fps: dict[str, dict[str, dict[str, FalsePositives]]] = {}
    for score in scores:
        for corpus in (score.corpus, ALL):
            bucket = cells.setdefault(corpus, {}).setdefault(score.format, {})
            for name, tally in score.fields.items():
                bucket.setdefault(name, Tally()).add(tally)
            fp_bucket = fps.setdefault(corpus, {}).setdefault(score.format, {})
            for name, count in score.false_positives.items():
                fp_bucket.setdefault(name, FalsePositives()).add(count)
    below = []
    for corpus in corpora:
        for route in routes:
            fields = cells.get(corpus, {}).get(route, {})
            for target in TARGETS:
                if target.field not in fields:
                    continue
                value = fields[target.field].scores()[target.metric]
                if value < target.value:
                    below.append(
                        {
                            "corpus": corpus,
                            "route": route,
                            "field": target.field,
                            "metric": target.metric,
                            "target": target.value,
                            "value": value,
                            "enforced": enforced(
                                enforce, corpus, route, target.field, target.metric
                            ),
                        }
                    )
    return {
        "routes": list(routes),
        "corpora": corpora,
        "cells": {
            corpus: {
                route: {
                    **{name: t.scores() for name, t in sorted(fields.items())},
                    **{
                        f"fp:{name}": f.scores()
                        for name, f in sorted(fps.get(corpus, {}).get(route, {}).items())
                    },
                }
                for route, fields in by_route.items()
            }
            for corpus, by_route in cells.items()
        },
        "documents": [
            {
                "corpus": s.corpus,
                "id": s.id,
                "route": s.format,
                "fields": {name: t.scores() for name, t in s.fields.items()},
                "false_positives": {n: f.scores() for n, f in s.false_positives.items()},
                "misses": s.misses,
            }
            for s in scores
        ],
        "targets": [t._asdict() for t in TARGETS],
        "enforce": enforce,
        "below_target": below,
        "failed": [b for b in below if b["enforced"]],
    }


def target_of(field_name: str, metric: str) -> float | None:
    return next((t.value for t in TARGETS if (t.field, t.metric) == (field_name, metric)), None)


def cell_text(values: dict, field_name: str, metric: str) -> str:
    """One cell: the score ("0.95", "0.62*" under target, "-" not scored) or the count of
    false positives ("2" things found in papers whose gold has none)."""
    if field_name.startswith("fp:"):
        fp = values.get(field_name)
        return str(fp["found"]) if fp else "-"
    scores = values.get(field_name)
    if scores is None:
        return "-"
    value = scores[metric]
    target = target_of(field_name, metric)
    below = target is not None and value < target
    return f"{value:.2f}{'*' if below else ''}"


def render_table(result: dict) -> str:
    """The report as text: one row per corpus and route, then the cells under target, the
    per-document misses, the skipped routes and the time each route took."""
    corpora = [*result["corpora"], ALL] if len(result["corpora"]) > 1 else result["corpora"]
    docs = Counter((d["corpus"], d["route"]) for d in result["documents"])
    width = max([len(c) for c in corpora] + [6]) + 2
    route_width = max([len(r) for r in result["routes"]] + [3]) + 2
    header = f"{'korpus':<{width}}{'väg':<{route_width}}{'dok':>4}" + "".join(
        f"{h:>8}" for h, _, _ in COLUMNS
    )
    lines = [header, "-" * len(header)]
    for corpus in corpora:
        for route in result["routes"]:
            values = result["cells"].get(corpus, {}).get(route)
            if values is None:
                continue
            count = sum(n for (c, r), n in docs.items() if r == route and corpus in (c, ALL))
            row = f"{corpus:<{width}}{route:<{route_width}}{count:>4}"
            row += "".join(f"{cell_text(values, f, m):>8}" for _, f, m in COLUMNS)
            lines.append(row)
    lines.append(
        "* under mål. Mål: "
        + ", ".join(f"{t.field} {t.metric} ≥ {t.value:.2f}" for t in TARGETS)
        + ". mål-FP/besl-FP: mål eller beslut funna där facit saknar dem. "
        "datum: andel motioner och medborgarförslag vars eget datum hittas, bland dem som "
        "trycker ett datum (ett fullständigt datum var som helst i texten, eller månad och år "
        "eller dag och månad på en kort rad); papper utan något datum räknas inte."
    )
    misses: dict[tuple[str, str], dict[str, list[str]]] = {}
    for doc in result["documents"]:
        for name in doc["misses"]:
            per_field = misses.setdefault((doc["corpus"], doc["id"]), {})
            per_field.setdefault(name, []).append(doc["route"])
    if misses:
        lines.append("")
        lines.append("Fel per dokument (fält: vägar):")
        for (corpus, doc_id), per_field in misses.items():
            fields = "; ".join(f"{name}: {','.join(rs)}" for name, rs in per_field.items())
            lines.append(f"  {corpus}/{doc_id}: {fields}")
    if result.get("skipped"):
        lines.append("")
        lines += [f"Överhoppad väg: {reason}" for reason in result["skipped"].values()]
    if result.get("timings"):
        lines.append("")
        lines.append("Tid per väg:")
        for route, t in result["timings"].items():
            lines.append(
                f"  {route:<{route_width}}{t['render_seconds'] + t['analyze_seconds']:>7.1f} s "
                f"(rendering {t['render_seconds']:.1f} s: {t['made']} nya, {t['cached']} ur "
                f"cachen, {t['failed']} misslyckade; analys {t['analyze_seconds']:.1f} s, "
                f"{t['papers']} dokument)"
            )
    if result["below_target"]:
        lines.append("")
        for b in result["below_target"]:
            mark = "UNDER MÅL" if b["enforced"] else "under mål (ej krav)"
            lines.append(
                f"{mark}: {b['corpus']} {b['route']}: {b['field']} {b['metric']} = "
                f"{b['value']:.2f} < {b['target']:.2f}"
            )
    return "\n".join(lines)
