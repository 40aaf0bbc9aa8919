"""Assess stage: every att-sats and goal against the municipality's styrmodell.

For an att-sats: which elements of the profile it touches (their terms in its words, or
its kind of decision), what it asks (the trained `clause_kind` classifier), of whom, and
which Agenda 2030 goals it concerns; then how far the styrmodell already covers it and
the stance that suggests, with Swedish reasons that quote the profile. The stances are
combined into one suggestion for the paper. For a goal: SMART per criterion with the
words that show it, activity or effect goal, measurability, deadline, Agenda 2030.

The rules read only the att-sats or goal and the profile, never the officials' own
comments, so a motionssvar gets an independent second opinion.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from functools import cache

from pipeline.document import (
    Assessment,
    AttSats,
    Classification,
    Coverage,
    Criterion,
    Document,
    ElementMatch,
    Evidence,
    Goal,
    GoalAssessment,
    Measurability,
    Smart,
    Stance,
    Suggestion,
    TimeBound,
)
from pipeline.nlp.lexicon import find_all
from pipeline.nlp.textcat import predict_clause_kind, predict_goal_kind
from pipeline.resources import load_patterns
from pipeline.styrmodell.schema import LEVEL_NAMES, Element, Profile

KIND_NAMES = {
    "uppdrag": "ett uppdrag",
    "utredning": "en utredning",
    "regel": "en regel",
    "organisation": "en organisationsfråga",
    "uppfoljning": "en uppföljning",
    "tidsplan": "en tidsplan",
    "resurs": "en resursfråga",
    "policy": "ett ställningstagande",
    "annat": "ett förslag",
}
STANCE_NAMES = {
    "bifall": "bifall",
    "avslag": "avslag",
    "besvarad": "besvarad",
    "delvis_bifall": "delvis bifall",
}
GOAL_LEVELS = ("vision", "fokusomrade", "overgripande_mal", "namndmal", "verksamhetsmal")
# An element matched only by the kind of att-sats is a weak link; by terms, each distinct
# term halves the remaining doubt (1 term 0.5, 2 terms 0.75, 3 terms 0.875).
KIND_ONLY_SCORE = 0.3
MAX_SCORE = 0.95
# Two distinct terms make a match strong enough to call the att-sats covered.
COVERED_SCORE = 0.75
MAX_ELEMENTS = 3


@cache
def patterns() -> dict[str, re.Pattern[str]]:
    """The single patterns of `patterns/assess.yaml`, compiled."""
    data = load_patterns("pipeline.stages", "assess")
    return {
        key: re.compile(value, re.IGNORECASE)
        for key, value in data.items()
        if key not in ("organ", "addressee")
    }


@cache
def addressee_patterns() -> list[re.Pattern[str]]:
    """The addressee patterns in order of preference, with the organ pattern filled in."""
    data = load_patterns("pipeline.stages", "assess")
    return [re.compile(p.format(organ=data["organ"]), re.IGNORECASE) for p in data["addressee"]]


def quote_of(profile: Profile, element: Element) -> str:
    source = profile.source(element.quote.source)
    where = f", {element.quote.location}" if element.quote.location else ""
    return f"”{element.quote.text}” ({source.title}{where})"


def match_elements(profile: Profile, text: str, kind: str | None) -> list[ElementMatch]:
    """The profile's elements that `text` touches, best first, with their evidence."""
    matches = []
    for order, element in enumerate(profile.elements):
        words = find_all(element.terms, text)
        by_kind = kind is not None and kind in element.clause_kinds
        if not words and not by_kind:
            continue
        score = min(MAX_SCORE, 1 - 0.5 ** len(words)) if words else 0.0
        if by_kind:
            score = min(MAX_SCORE, score + KIND_ONLY_SCORE * (1 - score))
        evidence = Evidence(
            quote=element.quote.text,
            source=" – ".join(
                filter(None, [profile.source(element.quote.source).title, element.quote.location])
            ),
            profile=f"{profile.id}#{element.id}",
            matched=words,
        )
        matches.append(
            (
                -score,
                order,
                ElementMatch(
                    id=element.id,
                    name=element.name,
                    level=element.level,
                    score=round(score, 3),
                    evidence=evidence,
                ),
            )
        )
    return [m for _, _, m in sorted(matches, key=lambda item: item[:2])][:MAX_ELEMENTS]


def agenda2030_goals(profile: Profile, text: str) -> list[int]:
    return [goal.number for goal in profile.agenda2030 if find_all(goal.terms, text)]


def addressee_of(text: str) -> str | None:
    for pattern in addressee_patterns():
        found = pattern.search(text)
        if found:
            organ = " ".join(found.group("organ").split())
            return organ[:1].upper() + organ[1:]
    return None


def classify(
    profile: Profile, att_sats: AttSats, previous: Classification | None
) -> Classification:
    kind, kind_score = predict_clause_kind(att_sats.text)
    addressee = addressee_of(att_sats.text)
    if (
        addressee is None
        and previous is not None
        and patterns()["refers_back"].search(att_sats.text)
    ):
        addressee = previous.addressee
    return Classification(
        elements=match_elements(profile, att_sats.text, kind),
        clause_kind=kind,
        clause_kind_score=round(kind_score, 3),
        addressee=addressee,
        agenda2030=agenda2030_goals(profile, att_sats.text),
    )


def _conflict(profile: Profile, text: str) -> tuple[Element, list[str]] | None:
    for element in profile.elements:
        words = find_all(element.conflicts, text)
        if words:
            return element, words
    return None


def assess_att_sats(profile: Profile, att_sats: AttSats, c: Classification) -> Assessment:
    """Coverage by the styrmodell and the stance it suggests, with reasons quoting it."""
    opening = f"Att-satsen är {KIND_NAMES[c.clause_kind]}" + (
        f" riktat till {c.addressee.lower()}." if c.addressee else "."
    )
    conflict = _conflict(profile, att_sats.text)
    if conflict is not None:
        element, words = conflict
        return Assessment(
            coverage="conflicts",
            suggested_stance="avslag",
            rationale=(
                f"{opening} Förslaget ({', '.join(words)}) går emot principen "
                f"{element.name} i {profile.name}: {quote_of(profile, element)}. "
                "Avslag föreslås."
            ),
            confidence=0.6,
        )
    by_terms = [m for m in c.elements if m.evidence.matched]
    if not by_terms:
        return Assessment(
            coverage="not_covered",
            suggested_stance="bifall",
            rationale=(
                f"{opening} {profile.name} säger inget om det som föreslås, och inget i "
                "styrmodellen hindrar det. Bifall kan övervägas, men förslaget behöver vägas "
                "mot kostnader och andra prioriteringar."
            ),
            confidence=0.35,
        )
    best = by_terms[0]
    element = profile.element(best.id)
    cited = f"{element.name} ({LEVEL_NAMES[element.level].lower()}): {quote_of(profile, element)}"
    in_progress = next(
        (
            profile.element(m.id)
            for m in by_terms
            if profile.element(m.id).status == "under_framtagande"
        ),
        None,
    )
    coverage: Coverage
    stance: Stance
    if in_progress is not None:
        coverage, stance = "partly", "besvarad"
        reason = (
            f"{in_progress.name} är under framtagande, och det som föreslås kan hanteras i "
            "det arbetet. Att-satsen kan anses besvarad."
        )
        confidence = 0.45 + 0.3 * best.score
    elif best.score >= COVERED_SCORE:
        coverage, stance = "covered", "besvarad"
        reason = "Det som föreslås finns redan i styrmodellen. Att-satsen kan anses besvarad."
        confidence = 0.5 + 0.4 * best.score
    else:
        # One shared word: the styrmodell touches the subject but does not already do
        # what is proposed, so it neither answers the att-sats nor stands in its way.
        coverage, stance = "partly", "bifall"
        reason = (
            "Styrmodellen berör ämnet men innehåller inte det som föreslås. Bifall kan "
            "övervägas, men förslaget behöver vägas mot kostnader och andra prioriteringar."
        )
        confidence = 0.35 + 0.2 * best.score
    words = ", ".join(best.evidence.matched)
    return Assessment(
        coverage=coverage,
        suggested_stance=stance,
        rationale=f"{opening} Den berör ({words}) {cited}. {reason}",
        confidence=round(min(confidence, 0.95), 3),
    )


def combine(att_satser: list[AttSats]) -> Suggestion | None:
    """One stance for the paper from the att-satser's stances, with its reasons."""
    assessed = [a for a in att_satser if a.assessment is not None]
    if not assessed:
        return None
    stances = [a.assessment.suggested_stance for a in assessed]  # type: ignore[union-attr]
    counts = Counter(stances)
    stance: Stance
    if len(counts) == 1:
        stance = stances[0]
    elif counts["bifall"] or counts["delvis_bifall"]:
        stance = "delvis_bifall"
    else:
        stance = "besvarad" if counts["besvarad"] >= counts["avslag"] else "avslag"
    groups = "; ".join(
        f"{STANCE_NAMES[s]}: att-sats "
        + ", ".join(str(a.number) for a in assessed if a.assessment.suggested_stance == s)  # type: ignore[union-attr]
        for s in counts
    )
    agreeing = counts[stance] if stance in counts else len(stances) - counts["avslag"]
    confidence = sum(a.assessment.confidence for a in assessed) / len(assessed)  # type: ignore[union-attr]
    confidence *= agreeing / len(assessed)
    cited = Counter(
        a.classification.elements[0].name
        for a in assessed
        if a.classification
        and a.classification.elements
        and a.classification.elements[0].evidence.matched
    )
    ground = f" Mest berört i styrmodellen: {cited.most_common(1)[0][0]}." if cited else ""
    return Suggestion(
        stance=stance,
        rationale=(
            f"Sammantaget föreslås {STANCE_NAMES[stance]} ({len(assessed)} att-satser: "
            f"{groups}).{ground} Förslaget är ett utkast som handläggaren ska pröva."
        ),
        confidence=round(confidence, 3),
    )


def _time_bound(text: str, deadline: str | None) -> TimeBound:
    p = patterns()
    for source in (deadline, text):
        if not source:
            continue
        date = p["date"].search(source)
        if date:
            value = dt.date.fromisoformat(date.group("date"))
            return TimeBound(time_bound=True, year=value.year, date=value, raw=date.group(0))
        years = list(p["year"].finditer(source))
        if years:
            last = years[-1]
            return TimeBound(time_bound=True, year=int(last.group("year")), raw=last.group(0))
    return TimeBound(time_bound=False)


def _measurability(goal: Goal) -> Measurability:
    p = patterns()
    text = goal.text
    indicator = goal.indicator or (
        m.group(0).strip() if (m := p["indicator"].search(text)) else None
    )
    # The target comes last ("från 82 till 90 procent"), the baseline first.
    numbers = [m.group(0).strip() for m in p["number"].finditer(text)]
    number = goal.target or (numbers[-1] if numbers else None)
    baseline = m.group("value").strip() if (m := p["baseline"].search(text)) else None
    return Measurability(
        measurable=bool(number or indicator),
        indicator=indicator,
        number=number,
        baseline=baseline,
    )


def _smart(doc: Document, goal: Goal, measure: Measurability, when: TimeBound) -> Smart:
    p = patterns()
    shown = [w for w in (measure.indicator, measure.number) if w]
    vague = [m.group(0) for m in p["vague"].finditer(goal.text)]
    change = [m.group(0) for m in p["change"].finditer(goal.text)]
    if shown:
        specific = Criterion(verdict="yes", evidence=shown)
    elif vague:
        specific = Criterion(verdict="no", evidence=vague)
    else:
        specific = Criterion(verdict="unclear", evidence=change)
    if shown:
        measurable = Criterion(verdict="yes", evidence=shown)
    elif change:
        measurable = Criterion(verdict="unclear", evidence=change)
    else:
        measurable = Criterion(verdict="no")
    decision = doc.decision.text if doc.decision else ""
    adopted = p["adopted"].search(decision)
    accepted = (
        Criterion(verdict="yes", evidence=[adopted.group(0)])
        if adopted
        else Criterion(verdict="unclear")
    )
    time_bound = (
        Criterion(verdict="yes", evidence=[when.raw] if when.raw else [])
        if when.time_bound
        else Criterion(verdict="no")
    )
    return Smart(
        specific=specific,
        measurable=measurable,
        accepted=accepted,
        # Whether a goal can be reached with the resources at hand is not in its words.
        realistic=Criterion(verdict="unclear"),
        time_bound=time_bound,
    )


def assess_goal(profile: Profile, doc: Document, goal: Goal) -> GoalAssessment:
    kind, kind_score = predict_goal_kind(goal.text)
    measure = _measurability(goal)
    when = _time_bound(goal.text, goal.deadline)
    elements = match_elements(profile, goal.text, None)
    level = goal.level or next((m.level for m in elements if m.level in GOAL_LEVELS), None)
    return GoalAssessment(
        level=level,
        kind=kind,
        kind_score=round(kind_score, 3),
        smart=_smart(doc, goal, measure, when),
        measurable=measure,
        time_bound=when,
        agenda2030=agenda2030_goals(profile, goal.text),
        elements=elements,
    )


def assess(doc: Document, profile: Profile) -> Document:
    """Classify and assess every att-sats and goal of `doc` against `profile`."""
    att_satser = []
    previous: Classification | None = None
    for att_sats in doc.att_satser:
        classification = classify(profile, att_sats, previous)
        assessment = assess_att_sats(profile, att_sats, classification)
        att_satser.append(
            att_sats.model_copy(update={"classification": classification, "assessment": assessment})
        )
        previous = classification
    goals = [
        goal.model_copy(update={"assessment": assess_goal(profile, doc, goal)})
        for goal in doc.goals
    ]
    return doc.model_copy(
        update={
            "styrmodell": profile.id,
            "att_satser": att_satser,
            "goals": goals,
            "suggestion": combine(att_satser),
        }
    )
