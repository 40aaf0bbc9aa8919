"""The schema of a governance model (styrmodell): what a profile may say, validated by pydantic.

A profile lists the parts of a municipality's styrmodell (vision, fokusområden, mål,
indikatorer, processer, principer), its årshjul, its goal criteria and the Agenda 2030
goals, each part with the words that point to it and the quote it was written from.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pipeline.document import ClauseKind
from pipeline.resources import load_patterns

Level = Literal[
    "vision",
    "fokusomrade",
    "overgripande_mal",
    "namndmal",
    "verksamhetsmal",
    "indikator",
    "aktivitet",
    "process",
    "princip",
]
# How a level code is shown to officials; `inriktningsmal` is a level the goals stage
# reads from a paper's own words ("inriktningsmål") though no profile uses it.
LEVEL_NAMES = {
    "vision": "Vision",
    "fokusomrade": "Fokusområde",
    "overgripande_mal": "Övergripande mål",
    "inriktningsmal": "Inriktningsmål",
    "namndmal": "Nämndmål",
    "verksamhetsmal": "Verksamhetsmål",
    "indikator": "Indikator",
    "aktivitet": "Aktivitet",
    "process": "Process",
    "princip": "Princip",
}
ElementStatus = Literal["gallande", "under_framtagande"]
# The kinds of governance document a profile may quote. An answer to a motion is not one.
SourceKind = Literal[
    "styrmodell",
    "vision",
    "mal",
    "fokusomraden",
    "indikatorer",
    "riktlinjer",
    "tidsplan",
    "budget",
    "plan",
    "uppfoljning",
    "lag",
    "praxis",
]
CriterionId = Literal["specific", "measurable", "accepted", "realistic", "time_bound"]


class ProfileError(ValueError):
    """A profile that cannot be found, read or validated; the message is Swedish."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@cache
def _answer_pattern() -> re.Pattern[str]:
    return re.compile(
        load_patterns("pipeline.styrmodell", "sources")["answer_to_proposal"], re.IGNORECASE
    )


class SourceRef(Strict):
    id: str
    title: str
    reference: str = Field(description="Who issued it, when, and its diarienummer if any.")
    kind: SourceKind = Field(
        default="styrmodell",
        description="The kind of governance document; answers to motions are refused.",
    )

    @model_validator(mode="after")
    def _governance_only(self) -> SourceRef:
        found = _answer_pattern().search(f"{self.title} {self.reference}")
        if found:
            raise ValueError(
                f"källan {self.id!r} är ett svar eller beslut på ett förslag "
                f"(”{found.group(0)}”); en styrmodell får bara citera styrdokument"
            )
        return self


class Quote(Strict):
    text: str = Field(min_length=1)
    source: str = Field(description="The id of one of the profile's `sources`.")
    location: str | None = Field(default=None, description="Section in the source.")
    page: int | None = Field(default=None, ge=1, description="Page in the source, if paged.")


class Element(Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    level: Level
    description: str
    decided_by: str | None = None
    cadence: str | None = None
    status: ElementStatus = "gallande"
    parent: str | None = None
    terms: list[str] = Field(
        default_factory=list,
        description="Words and phrases that point to the element; matched on lemmas, "
        "also as the head or tail of a compound.",
    )
    clause_kinds: list[ClauseKind] = Field(
        default_factory=list,
        description="Kinds of att-sats that touch the element whatever their words.",
    )
    conflicts: list[str] = Field(
        default_factory=list,
        description="For principles: words of a proposal that would go against it.",
    )
    supports: list[str] = Field(
        default_factory=list,
        description="Words of a proposal the element explicitly calls for but does not yet "
        "do (a direktiv, an activity planned): grounds for bifall.",
    )
    organs: list[str] = Field(
        default_factory=list,
        description="Organs that own the element; an att-sats addressed to one of them "
        "is one more signal that it concerns the element.",
    )
    quote: Quote


class CalendarEntry(Strict):
    period: str
    activity: str
    organ: str | None = None


class CriterionDef(Strict):
    id: CriterionId
    name: str
    description: str


class GoalCriteria(Strict):
    framework: str = Field(description="SMART, or the municipality's own name for its criteria.")
    criteria: list[CriterionDef]
    exceptions: list[str] = Field(
        default_factory=list, description="Where the profile says the criteria need not hold."
    )
    max_goals: int | None = Field(default=None, description="Most goals per organ, if stated.")
    quote: Quote | None = None


class AgendaGoal(Strict):
    number: int = Field(ge=1, le=17)
    name: str
    terms: list[str] = Field(min_length=1)


class Profile(Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    municipality: str | None = Field(
        default=None, description="The municipality's name as papers print it; null if generic."
    )
    extends: str | None = None
    description: str
    sources: list[SourceRef] = Field(default_factory=list)
    elements: list[Element] = Field(default_factory=list)
    calendar: list[CalendarEntry] = Field(default_factory=list, description="The årshjul.")
    goal_criteria: GoalCriteria | None = None
    agenda2030: list[AgendaGoal] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references_resolve(self) -> Profile:
        sources = {s.id for s in self.sources}
        ids = [e.id for e in self.elements]
        duplicates = {i for i in ids if ids.count(i) > 1}
        if duplicates:
            raise ValueError(f"element-id förekommer flera gånger: {sorted(duplicates)}")
        quotes = [e.quote for e in self.elements]
        if self.goal_criteria and self.goal_criteria.quote:
            quotes.append(self.goal_criteria.quote)
        unknown = sorted({q.source for q in quotes} - sources)
        if unknown:
            raise ValueError(f"citat hänvisar till okända källor: {unknown}")
        unlocated = [e.id for e in self.elements if not e.quote.location and e.quote.page is None]
        if unlocated:
            raise ValueError(
                f"citat utan avsnitt (location) eller sida (page) i källan: {unlocated}"
            )
        parents = sorted({e.parent for e in self.elements if e.parent} - set(ids))
        if parents:
            raise ValueError(f"okända överordnade element: {parents}")
        numbers = [g.number for g in self.agenda2030]
        if len(numbers) != len(set(numbers)):
            raise ValueError("ett Agenda 2030-mål förekommer flera gånger")
        return self

    def element(self, element_id: str) -> Element:
        return next(e for e in self.elements if e.id == element_id)

    def source(self, source_id: str) -> SourceRef:
        return next(s for s in self.sources if s.id == source_id)
