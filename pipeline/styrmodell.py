"""Governance models (styrmodeller) as data: one YAML profile per municipality.

A profile lists the parts of a municipality's styrmodell (vision, fokusområden, mål,
indikatorer, processer, principer), its årshjul, its goal criteria and the Agenda 2030
goals, each part with the words that point to it and the quote it was written from.
Profiles live in `pipeline/styrmodeller/`; a new municipality is a new file. A profile may
`extend` another (usually `generisk`): it then inherits what it does not state itself.
`load_profile` validates a profile against the schema below and resolves `extends`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipeline.document import ClauseKind

PROFILE_DIR = Path(str(resources.files("pipeline").joinpath("styrmodeller")))
DEFAULT_PROFILE = "generisk"
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

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
CriterionId = Literal["specific", "measurable", "accepted", "realistic", "time_bound"]


class ProfileError(ValueError):
    """A profile that cannot be found, read or validated; the message is Swedish."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceRef(Strict):
    id: str
    title: str
    reference: str = Field(description="Who issued it, when, and its diarienummer if any.")


class Quote(Strict):
    text: str = Field(min_length=1)
    source: str = Field(description="The id of one of the profile's `sources`.")
    location: str | None = Field(default=None, description="Section or page in the source.")


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


def _merge(child: Profile, parent: Profile) -> Profile:
    """The child's own parts first, then what it inherits from its parent."""
    own = {e.id for e in child.elements}
    own_sources = {s.id for s in child.sources}
    return child.model_copy(
        update={
            "sources": [*child.sources, *(s for s in parent.sources if s.id not in own_sources)],
            "elements": [*child.elements, *(e for e in parent.elements if e.id not in own)],
            "calendar": child.calendar or parent.calendar,
            "goal_criteria": child.goal_criteria or parent.goal_criteria,
            "agenda2030": child.agenda2030 or parent.agenda2030,
        }
    )


def read_profile(path: Path) -> Profile:
    """One profile file, validated but with `extends` not yet resolved."""
    try:
        # libyaml's loader when installed: the pure-Python one takes ~50 ms per profile.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except OSError as error:
        raise ProfileError(f"Styrmodellen {path} kan inte läsas: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise ProfileError(f"Styrmodellen {path} är inte giltig YAML: {error}") from error
    if not isinstance(data, dict):
        raise ProfileError(f"Styrmodellen {path} ska vara en YAML-mappning.")
    try:
        return Profile.model_validate(data)
    except ValidationError as error:
        details = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'profil'}: {e['msg']}" for e in error.errors()
        )
        raise ProfileError(f"Styrmodellen {path} följer inte schemat: {details}") from error


def profile_paths() -> dict[str, Path]:
    """The shipped profiles by id (the file name without `.yaml`)."""
    return {path.stem: path for path in sorted(PROFILE_DIR.glob("*.yaml"))}


def _resolve(profile: Profile, seen: tuple[str, ...] = ()) -> Profile:
    if profile.extends is None:
        return profile
    if profile.extends in (*seen, profile.id):
        raise ProfileError(f"Styrmodellen {profile.id} ärver av sig själv via {profile.extends}.")
    parent_path = profile_paths().get(profile.extends)
    if parent_path is None:
        raise ProfileError(f"Styrmodellen {profile.id} ärver av okänd profil {profile.extends}.")
    parent = _resolve(read_profile(parent_path), (*seen, profile.id))
    return _merge(profile, parent)


@cache
def load_profile(name_or_path: str) -> Profile:
    """A shipped profile by id, or a profile file by path, with `extends` resolved."""
    path = profile_paths().get(name_or_path)
    if path is None:
        candidate = Path(name_or_path)
        if not candidate.is_file():
            known = ", ".join(profile_paths())
            raise ProfileError(f"Okänd styrmodell {name_or_path!r}; kända: {known}.")
        path = candidate
    profile = read_profile(path)
    if path.parent == PROFILE_DIR and profile.id != path.stem:
        raise ProfileError(f"Styrmodellen i {path.name} har id {profile.id!r}; de ska vara lika.")
    return _resolve(profile)


def _municipality_key(name: str) -> str:
    return name.casefold().removesuffix(" kommun").strip()


@cache
def _profiles_by_municipality() -> dict[str, str]:
    """Shipped profile ids by municipality, read once per process."""
    found = {}
    for profile_id, path in profile_paths().items():
        named = read_profile(path).municipality
        if named:
            found[_municipality_key(named)] = profile_id
    return found


def profile_for_municipality(municipality: str | None) -> str:
    """The id of the profile for a municipality, or the generic default."""
    if not municipality:
        return DEFAULT_PROFILE
    return _profiles_by_municipality().get(_municipality_key(municipality), DEFAULT_PROFILE)
