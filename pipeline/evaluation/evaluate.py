"""Score the analyzer against gold files (`<id>.gold.json` beside the paper it describes).

The gold format is the one of the shared Kungsbacka corpus (see its README): `file`,
`doc_type`, `diarienummer`, `title`, `att_satser`, `beslut`, `outcome`,
`kallelse_items`, `goals`. Each paper is scored as text and, when asked, rendered to
PDF and DOCX by the project's own typesetter, so a rule that only works on one format
shows up here. Texts are compared after whitespace normalisation.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from extractors.lines import normalize_space
from pipeline.document import Document
from pipeline.stages.run import analyze
from pipeline.styrmodell.loader import load_profile

FORMATS = ("txt", "pdf", "docx")

# The product's promises; `attsats evaluate` exits non-zero below any of them.
TARGETS: dict[tuple[str, str], float] = {
    ("att_satser", "f1"): 1.0,
    ("doc_type", "accuracy"): 1.0,
    ("diarienummer", "recall"): 1.0,
    ("outcome", "accuracy"): 1.0,
    ("kallelse_items", "recall"): 1.0,
}


# Outcomes that are also stances the assessment can suggest.
STANCES = ("bifall", "avslag", "besvarad", "delvis_bifall")


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
class DocumentScore:
    id: str
    format: str
    fields: dict[str, Tally] = field(default_factory=dict)
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


def score_document(gold: dict, doc: Document, fmt: str) -> DocumentScore:
    score = DocumentScore(id=gold["id"], format=fmt)
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
    if gold.get("goals"):
        comparisons["goals"] = compare_lists(gold["goals"], [g.text for g in doc.goals])
    for name, (tally, misses) in comparisons.items():
        score.fields[name] = tally
        if any(misses.values()):
            score.misses[name] = misses
    return score


def gold_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.gold.json"))


def renderings(paper: Path, formats: Iterable[str], workdir: Path) -> dict[str, Path]:
    """The paper itself for `txt`, and the typesetter's renderings for the other formats."""
    result = {}
    base = analyze(paper) if set(formats) - {"txt"} else None
    for fmt in formats:
        if fmt == "txt":
            result[fmt] = paper
        else:
            from pipeline.outputs.typeset import (
                typeset,  # loaded only when a rendering is asked for
            )

            assert base is not None
            result[fmt] = typeset(base, fmt, workdir / f"{paper.stem}.{fmt}")
    return result


def officials_check(gold: dict, doc: Document) -> dict | None:
    """The suggested stances next to the officials' own, for a motionssvar with an outcome.

    The officials' outcome stands for each att-sats unless the gold gives them one by one
    (`outcome_per_att_sats`).
    """
    if gold.get("doc_type") != "motionssvar" or gold.get("outcome") not in STANCES:
        return None
    per_att_sats = gold.get("outcome_per_att_sats") or {}
    rows = [
        {
            "number": a.number,
            "officials": per_att_sats.get(str(a.number), gold["outcome"]),
            "suggested": a.assessment.suggested_stance if a.assessment else None,
        }
        for a in doc.att_satser
    ]
    agreeing = sum(1 for r in rows if r["officials"] == r["suggested"])
    return {
        "id": gold.get("id", Path(gold["file"]).stem),
        "styrmodell": doc.styrmodell,
        "officials": gold["outcome"],
        "suggested": doc.suggestion.stance if doc.suggestion else None,
        "att_satser": rows,
        "att_sats_agreement": round(agreeing / len(rows), 4) if rows else None,
    }


def evaluate(folders: Iterable[Path], formats: Iterable[str] = FORMATS) -> dict:
    """Score every gold file in `folders` in every format; returns the JSON report."""
    formats = tuple(formats)
    scores: list[DocumentScore] = []
    officials: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="attsats-evaluate-") as tmp:
        for folder in folders:
            for gold_path in gold_files(folder):
                gold = json.loads(gold_path.read_text(encoding="utf-8"))
                paper = gold_path.parent / gold["file"]
                # A gold file may name the profile to assess under (`styrmodell`); otherwise
                # the paper's own municipality decides, as in `attsats analyze`.
                profile = load_profile(gold["styrmodell"]) if gold.get("styrmodell") else None
                docs = {
                    fmt: analyze(path, profile)
                    for fmt, path in renderings(paper, formats, Path(tmp)).items()
                }
                scores += [score_document(gold, doc, fmt) for fmt, doc in docs.items()]
                check = officials_check(gold, next(iter(docs.values())))
                if check is not None:
                    officials.append(check)
    result = report(scores, formats)
    agreeing = sum(1 for c in officials if c["suggested"] == c["officials"])
    result["officials"] = {
        "papers": officials,
        "agreement": round(agreeing / len(officials), 4) if officials else None,
    }
    return result


def report(scores: list[DocumentScore], formats: tuple[str, ...]) -> dict:
    by_format: dict[str, dict[str, Tally]] = {fmt: {} for fmt in formats}
    overall: dict[str, Tally] = {}
    for score in scores:
        for name, tally in score.fields.items():
            for bucket in (by_format[score.format], overall):
                bucket.setdefault(name, Tally()).add(tally)
    below = [
        {
            "field": name,
            "metric": metric,
            "target": target,
            "format": fmt,
            "value": by_format[fmt][name].scores()[metric],
        }
        for fmt in formats
        for (name, metric), target in TARGETS.items()
        if name in by_format[fmt] and by_format[fmt][name].scores()[metric] < target
    ]
    return {
        "formats": list(formats),
        "overall": {name: t.scores() for name, t in sorted(overall.items())},
        "by_format": {
            fmt: {name: t.scores() for name, t in sorted(fields.items())}
            for fmt, fields in by_format.items()
        },
        "documents": [
            {
                "id": s.id,
                "format": s.format,
                "fields": {name: t.scores() for name, t in s.fields.items()},
                "misses": s.misses,
            }
            for s in scores
        ],
        "targets": [{"field": f, "metric": m, "target": t} for (f, m), t in TARGETS.items()],
        "below_target": below,
    }


def render_table(result: dict) -> str:
    """The report as a plain-text table: one row per field, P/R/F1 per format."""
    lines = []
    header = f"{'fält':<16}" + "".join(f"{fmt:>24}" for fmt in result["formats"])
    lines.append(header)
    lines.append(" " * 16 + "".join(f"{'P    R    F1':>24}" for _ in result["formats"]))
    for name in result["overall"]:
        row = f"{name:<16}"
        for fmt in result["formats"]:
            s = result["by_format"][fmt].get(name)
            row += (
                f"{s['precision']:>10.2f}{s['recall']:>7.2f}{s['f1']:>7.2f}" if s else f"{'-':>24}"
            )
        lines.append(row)
    lines.append("")
    for doc in result["documents"]:
        if doc["misses"]:
            lines.append(f"{doc['id']} ({doc['format']}): fel i {', '.join(doc['misses'])}")
    officials = result.get("officials", {}).get("papers", [])
    if officials:
        lines.append("")
        lines.append("Föreslagen hållning jämförd med tjänstepersonernas (motionssvar):")
        for check in officials:
            same = "lika" if check["suggested"] == check["officials"] else "olika"
            share = check["att_sats_agreement"]
            per = f", att-satser {share:.0%} lika" if share is not None else ", inga att-satser"
            lines.append(
                f"  {check['id']} ({check['styrmodell']}): tjänstepersoner {check['officials']}, "
                f"förslag {check['suggested'] or '–'} ({same}{per})"
            )
    if result["below_target"]:
        lines.append("")
        lines += [
            f"UNDER MÅL: {b['field']} {b['metric']} = {b['value']:.2f} "
            f"< {b['target']:.2f} ({b['format']})"
            for b in result["below_target"]
        ]
    return "\n".join(lines)
