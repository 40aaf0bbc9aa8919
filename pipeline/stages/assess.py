"""Assess stage: every att-sats and goal against the municipality's styrmodell.

For an att-sats: which elements of the profile it is grounded in, on independent signals
each shown as evidence (shared phrases and words beyond a single word, the addressee, the
kind of clause from the trained `clause_kind` classifier), of whom it asks, and which
Agenda 2030 goals it concerns. A stance is suggested only when grounded: `avslag` on a
cited conflict, `bifall` on cited support, `besvarad` when an element already covers the
clause; otherwise attsats abstains ("[Handläggaren bedömer]"). The stances are combined
into one suggestion for the paper, which may abstain too. For a goal: SMART per
criterion with the words that show it, activity or effect goal, measurability, deadline,
Agenda 2030.

The rules read only the att-sats or goal and the profile, never the officials' own
comments, so a motionssvar gets an independent second opinion; `pipeline/evaluation/
agreement.py` measures the stances against the officials' own.
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
from pipeline.nlp.lexicon import find, find_all
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
MAX_SCORE = 0.95
MAX_ELEMENTS = 3
# Keys of `patterns/assess.yaml` that are settings, not regular expressions.
SETTINGS = (
    "organ",
    "addressee",
    "signals",
    "kind_min_score",
    "stance_min_score",
    "stance_min_signals",
    "cited_min_signals",
    "abstain",
    "covering_levels",
)


@cache
def settings() -> dict:
    """The settings of grounded matching and stances in `patterns/assess.yaml`."""
    data = load_patterns("pipeline.stages", "assess")
    return {key: data[key] for key in SETTINGS if key not in ("organ", "addressee")}


@cache
def patterns() -> dict[str, re.Pattern[str]]:
    """The single patterns of `patterns/assess.yaml`, compiled."""
    data = load_patterns("pipeline.stages", "assess")
    return {
        key: re.compile(value, re.IGNORECASE) for key, value in data.items() if key not in SETTINGS
    }


@cache
def addressee_patterns() -> list[re.Pattern[str]]:
    """The addressee patterns in order of preference, with the organ pattern filled in."""
    data = load_patterns("pipeline.stages", "assess")
    return [re.compile(p.format(organ=data["organ"]), re.IGNORECASE) for p in data["addressee"]]


def source_of(profile: Profile, element: Element) -> str:
    """'Kommunstyrelsens nämndbudget 2026 – 5 Mål, sida 21': document, section and page."""
    where = ", ".join(
        filter(
            None,
            [
                element.quote.location,
                f"sida {element.quote.page}" if element.quote.page else None,
            ],
        )
    )
    return " – ".join(filter(None, [profile.source(element.quote.source).title, where]))


def quote_of(profile: Profile, element: Element) -> str:
    source = profile.source(element.quote.source)
    where = ", ".join(
        filter(
            None,
            [
                element.quote.location,
                f"sida {element.quote.page}" if element.quote.page else None,
            ],
        )
    )
    return f"”{element.quote.text}” ({source.title}{', ' + where if where else ''})"


def subject_text(text: str) -> str:
    """The att-sats with organs' proper names blanked: they name who, not what."""
    return patterns()["organ_name"].sub(" ", text)


def _distinct(words: list[str]) -> list[str]:
    """The matched words, leaving out a match that lies inside a longer one."""
    return [w for w in words if not any(w != other and w in other for other in words)]


def _owns(element: Element, addressee: str | None) -> bool:
    """Whether the organ asked to act is one that owns the element."""
    if not addressee:
        return False
    owners = element.organs or ([element.decided_by] if element.decided_by else [])
    return any(find(addressee, owner) or find(owner, addressee) for owner in owners)


def signals_of(
    element: Element, text: str, kind: str | None, kind_score: float, addressee: str | None
) -> tuple[list[str], list[str], float]:
    """The matched words, the independent signals in Swedish, and the score they give."""
    weights = settings()["signals"]
    words = _distinct(find_all(element.terms, subject_text(text)))
    phrases = [w for w in words if " " in w]
    single = [w for w in words if " " not in w]
    signals = [f"fras: {w}" for w in phrases] + [f"ord: {w}" for w in single]
    doubt = 1.0
    for n, _ in enumerate(words):
        doubt *= 1 - (weights["phrase"] if n < len(phrases) else weights["word"])
    if (
        kind is not None
        and kind in element.clause_kinds
        and kind_score >= settings()["kind_min_score"]
    ):
        signals.append(f"slag: {KIND_NAMES[kind].split(' ', 1)[1]}")
        doubt *= 1 - weights["kind"]
    if _owns(element, addressee):
        signals.append(f"adressat: {addressee}")
        doubt *= 1 - weights["addressee"]
    return words, signals, min(MAX_SCORE, 1 - doubt)


def grounded(words: list[str], signals: list[str]) -> bool:
    """A match rests on shared words and on more than one independent signal.

    One shared word is not enough, nor the kind of clause alone: a phrase, two distinct
    words, or a word together with the clause's kind or addressee.
    """
    return bool(words) and (len(signals) >= 2 or any(" " in w for w in words))


def match_elements(
    profile: Profile,
    text: str,
    kind: str | None,
    kind_score: float = 0.0,
    addressee: str | None = None,
) -> list[ElementMatch]:
    """The profile's elements that `text` is grounded in, best first, with their evidence."""
    matches = []
    for order, element in enumerate(profile.elements):
        words, signals, score = signals_of(element, text, kind, kind_score, addressee)
        if not grounded(words, signals):
            continue
        evidence = Evidence(
            quote=element.quote.text,
            source=source_of(profile, element),
            profile=f"{profile.id}#{element.id}",
            matched=words,
            page=element.quote.page,
            signals=signals,
        )
        match = ElementMatch(
            id=element.id,
            name=element.name,
            level=element.level,
            score=round(score, 3),
            evidence=evidence,
        )
        matches.append((-score, order, match))
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
        elements=match_elements(profile, att_sats.text, kind, kind_score, addressee),
        clause_kind=kind,
        clause_kind_score=round(kind_score, 3),
        addressee=addressee,
        agenda2030=agenda2030_goals(profile, att_sats.text),
    )


def _strong(match: ElementMatch) -> bool:
    """A match firm enough to carry a stance."""
    s = settings()
    return (
        match.score >= s["stance_min_score"]
        and len(match.evidence.signals) >= s["stance_min_signals"]
    )


def _opening(c: Classification) -> str:
    kind = KIND_NAMES[c.clause_kind]
    if c.addressee:
        # "ett uppdrag riktat", "en regel riktad": the participle agrees with the noun.
        participle = "riktat" if kind.startswith("ett ") else "riktad"
        return f"Att-satsen är {kind} {participle} till {c.addressee.lower()}."
    return f"Att-satsen är {kind}."


def assess_att_sats(profile: Profile, att_sats: AttSats, c: Classification) -> Assessment:
    """A stance only where the styrmodell grounds one, with the elements cited; else abstain.

    `avslag` on a cited conflict, `bifall` on cited support, `besvarad` when a governing
    element already covers the clause on several signals; otherwise no stance.
    """
    opening = _opening(c)
    strong = [
        m
        for m in c.elements
        if _strong(m) and profile.element(m.id).level in settings()["covering_levels"]
    ]
    for element in profile.elements:
        for found, label in ((element.conflicts, "strider"), (element.supports, "stöd")):
            words = find_all(found, subject_text(att_sats.text))
            if not words:
                continue
            _, signals, score = signals_of(
                element, att_sats.text, c.clause_kind, c.clause_kind_score, c.addressee
            )
            # The conflicting or supported words are one signal each; with one more
            # (another such word, a term, the kind or the addressee) the stance is grounded.
            signals = [f"{label}: {w}" for w in words] + signals
            if len(signals) < settings()["cited_min_signals"]:
                continue
            cited = quote_of(profile, element)
            doubt = (1 - settings()["signals"]["cited"]) ** len(words)
            if label == "strider":
                stance: Stance = "avslag"
                reason = f"Förslaget går emot {element.name} i {profile.name}"
                close = "Avslag föreslås."
            else:
                stance = "bifall"
                reason = f"Styrmodellen efterfrågar det som föreslås: {element.name}"
                close = "Bifall kan övervägas, vägt mot kostnader och andra prioriteringar."
            return Assessment(
                coverage="conflicts" if stance == "avslag" else "partly",
                suggested_stance=stance,
                rationale=f"{opening} {reason} ({'; '.join(signals)}): {cited}. {close}",
                # Each cited word removes doubt as a shared phrase does; the element's other
                # signals (terms, kind, addressee) have already removed theirs in `score`.
                confidence=round(min(MAX_SCORE, 1 - doubt * (1 - score)), 3),
                cited=[f"{profile.id}#{element.id}"],
            )
    if strong:
        best = strong[0]
        element = profile.element(best.id)
        level = LEVEL_NAMES[element.level].lower()
        if element.status == "under_framtagande":
            reason = (
                f"{element.name} är under framtagande, och det som föreslås kan hanteras i "
                "det arbetet. Att-satsen kan anses besvarad."
            )
        else:
            reason = "Det som föreslås finns redan i styrmodellen. Att-satsen kan anses besvarad."
        return Assessment(
            coverage="covered",
            suggested_stance="besvarad",
            rationale=(
                f"{opening} Den berör {element.name} ({level}) på flera grunder "
                f"({'; '.join(best.evidence.signals)}): {quote_of(profile, element)}. {reason}"
            ),
            confidence=round(best.score, 3),
            cited=[m.evidence.profile for m in strong],
        )
    abstain = settings()["abstain"]
    if c.elements:
        best = c.elements[0]
        element = profile.element(best.id)
        return Assessment(
            coverage="partly",
            suggested_stance=None,
            rationale=(
                f"{opening} Den berör {element.name} ({'; '.join(best.evidence.signals)}): "
                f"{quote_of(profile, element)}, men styrmodellen ger inte stöd nog för ett "
                f"förslag till ställningstagande. {abstain}"
            ),
            confidence=0.0,
        )
    return Assessment(
        coverage="not_covered",
        suggested_stance=None,
        rationale=(
            f"{opening} {profile.name} säger inget som täcker, stöder eller hindrar det som "
            f"föreslås. {abstain}"
        ),
        confidence=0.0,
    )


def leaning(profile: Profile, att_sats: AttSats) -> tuple[Stance, float] | None:
    """The stance the evidence leans to and how strongly, whether or not it is firm enough
    to suggest: the suggested stance and its confidence, else `besvarad` at the score of
    the best grounded match with a covering element, else None. The evaluation bins these
    to show whether stronger evidence agrees more often with the officials."""
    a = att_sats.assessment
    if a is not None and a.suggested_stance is not None:
        return a.suggested_stance, a.confidence
    c = att_sats.classification
    covering = [
        m
        for m in (c.elements if c else [])
        if profile.element(m.id).level in settings()["covering_levels"]
    ]
    return ("besvarad", covering[0].score) if covering else None


def motion_grounding(profile: Profile, att_satser: list[AttSats]) -> ElementMatch | None:
    """The element the motion as a whole is firmly grounded in, or None.

    Officials decide on the motion: its att-satser often spell out one proposal clause by
    clause ("att sagda process ska ..."), each touching the same element on one signal.
    Here an element's signals are pooled over the att-satser (each term of the element
    once, the kind and the addressee once) and held to the same thresholds as one
    att-sats's match, and more than half of the att-satser (two at least) must share its
    words. Only an element that governs what is done (`covering_levels`: goals, processes,
    activities, not a vision or a principle) can answer a motion.
    """
    s = settings()
    weights = s["signals"]
    best: tuple[float, int, ElementMatch] | None = None
    for order, element in enumerate(profile.elements):
        if element.level not in s["covering_levels"]:
            continue
        # The element's terms found anywhere in the motion: a term found in several
        # att-satser, in whatever form, is one signal ("målen", "verksamhetsmål": "mål").
        terms: dict[str, str] = {}
        touched = 0
        kind = addressee = None
        for att_sats in att_satser:
            c = att_sats.classification
            if c is None:
                continue
            text = subject_text(att_sats.text)
            found = {t: w for t in element.terms if (w := find(t, text)) is not None}
            touched += bool(found)
            for term, word in found.items():
                terms.setdefault(term, word)
            _, signals, _ = signals_of(
                element, att_sats.text, c.clause_kind, c.clause_kind_score, c.addressee
            )
            kind = kind or next((x for x in signals if x.startswith("slag: ")), None)
            addressee = addressee or next((x for x in signals if x.startswith("adressat: ")), None)
        # Pooling needs several att-satser, and most of them, on the element's terms.
        if touched < 2 or 2 * touched <= len(att_satser):
            continue
        words = [terms[t] for t in _distinct(list(terms))]
        phrases = [w for w in words if " " in w]
        single = [w for w in words if " " not in w]
        signals = [f"fras: {w}" for w in phrases] + [f"ord: {w}" for w in single]
        doubt = (1 - weights["phrase"]) ** len(phrases) * (1 - weights["word"]) ** len(single)
        if kind:
            signals.append(kind)
            doubt *= 1 - weights["kind"]
        if addressee:
            signals.append(addressee)
            doubt *= 1 - weights["addressee"]
        score = min(MAX_SCORE, 1 - doubt)
        if score < s["stance_min_score"] or len(signals) < s["stance_min_signals"]:
            continue
        # Confidence: the pooled score, in the share of att-satser that share the words.
        confidence = score * touched / len(att_satser)
        match = ElementMatch(
            id=element.id,
            name=element.name,
            level=element.level,
            score=round(confidence, 3),
            evidence=Evidence(
                quote=element.quote.text,
                source=source_of(profile, element),
                profile=f"{profile.id}#{element.id}",
                matched=words,
                page=element.quote.page,
                signals=signals + [f"att-satser: {touched} av {len(att_satser)}"],
            ),
        )
        if best is None or (confidence, -order) > (best[0], -best[1]):
            best = (confidence, order, match)
    return best[2] if best else None


def combine(att_satser: list[AttSats], grounding: ElementMatch | None = None) -> Suggestion | None:
    """One stance for the paper: the grounded stance the att-satser share, else abstain.

    The paper gets a stance when every grounded att-sats suggests the same one and they
    are at least half of the att-satser, or `delvis_bifall` when every att-sats is grounded
    and some are granted and some not. Failing that, `besvarad` when the motion as a whole
    is grounded in one element (`motion_grounding`) and no att-sats is granted or refused.
    """
    assessed = [a for a in att_satser if a.assessment is not None]
    if not assessed:
        return None
    stances = [a.assessment.suggested_stance for a in assessed]  # type: ignore[union-attr]
    given = [s for s in stances if s is not None]
    counts = Counter(given)
    groups = "; ".join(
        f"{STANCE_NAMES[s]}: att-sats "
        + ", ".join(str(a.number) for a in assessed if a.assessment.suggested_stance == s)  # type: ignore[union-attr]
        for s in counts
    )
    open_ = [str(a.number) for a, s in zip(assessed, stances, strict=True) if s is None]
    if open_:
        groups = "; ".join(filter(None, [groups, f"utan förslag: att-sats {', '.join(open_)}"]))
    cited = Counter(
        name
        for a in assessed
        for name in (a.assessment.cited[:1] if a.assessment else [])  # type: ignore[union-attr]
    )
    stance: Stance | None = None
    if len(counts) == 1 and 2 * len(given) >= len(assessed):
        stance = given[0]
    elif len(counts) > 1 and len(given) == len(assessed) and counts["bifall"]:
        # Every att-sats grounded, some granted and some not: a split proposal.
        stance = "delvis_bifall"
    if stance is None and grounding is not None and set(counts) <= {"besvarad"}:
        return Suggestion(
            stance="besvarad",
            rationale=(
                f"Sammantaget föreslås besvarad: motionen berör som helhet {grounding.name} "
                f"på flera grunder ({'; '.join(grounding.evidence.signals)}): "
                f"”{grounding.evidence.quote}” ({grounding.evidence.source}). Det som "
                f"föreslås hanteras redan där ({len(assessed)} att-satser: {groups}). "
                "Förslaget är ett utkast som handläggaren ska pröva."
            ),
            confidence=grounding.score,
        )
    if stance is not None:
        # The backing att-satser's mean confidence, in their share of the paper: those
        # with the stance itself, or for delvis bifall every grounded one.
        backing = [
            a.assessment.confidence  # type: ignore[union-attr]
            for a in assessed
            if a.assessment.suggested_stance in ({stance} if stance in counts else set(counts))  # type: ignore[union-attr]
        ]
        confidence = sum(backing) / len(assessed)
        ground = f" Stöd i styrmodellen: {cited.most_common(1)[0][0]}." if cited else ""
        text = (
            f"Sammantaget föreslås {STANCE_NAMES[stance]} ({len(assessed)} att-satser: "
            f"{groups}).{ground} Förslaget är ett utkast som handläggaren ska pröva."
        )
    else:
        confidence = 0.0
        text = (
            f"Styrmodellen ger inte ett gemensamt grundat förslag för motionen "
            f"({len(assessed)} att-satser: {groups}). {settings()['abstain']}"
        )
    return Suggestion(stance=stance, rationale=text, confidence=round(confidence, 3))


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
            "suggestion": combine(att_satser, motion_grounding(profile, att_satser)),
        }
    )
