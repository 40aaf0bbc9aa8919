"""The one data type that flows through attsats: a paper, what was read from it, and how.

Extractors build the skeleton (source, sections with provenance); pipeline stages fill
in the rest. `Document.model_dump_json()` is the public JSON contract, versioned by
`SCHEMA_VERSION` and described by `Document.model_json_schema()` (`attsats schema`).
Bump the minor version when a field is added, the major version when one changes meaning
or disappears.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.2"

SourceFormat = Literal["docx", "pdf", "txt", "md", "doc", "odt", "rtf"]
Status = Literal["ok", "partial", "failed"]
DocType = Literal[
    "motion",
    "medborgarforslag",
    "motionssvar",
    "tjansteskrivelse",
    "protokoll",
    "kallelse",
    "styrdokument",
    "okand",
]
ParagraphKind = Literal["text", "heading", "list_item", "table"]
Outcome = Literal[
    "bifall", "avslag", "besvarad", "delvis_bifall", "remiss", "aterremiss", "avskrivning"
]


ClauseKind = Literal[
    "uppdrag",
    "utredning",
    "regel",
    "organisation",
    "uppfoljning",
    "tidsplan",
    "resurs",
    "policy",
    "annat",
]
GoalKind = Literal["aktivitetsmal", "effektmal"]
Coverage = Literal["covered", "partly", "not_covered", "conflicts"]
Stance = Literal["bifall", "avslag", "besvarad", "delvis_bifall"]
Verdict = Literal["yes", "no", "unclear"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Problem(Model):
    """A coded error or warning; `message` is Swedish, meant for the official reading it."""

    code: str
    message: str
    page: int | None = None
    paragraph: int | None = None


class BundlePart(Model):
    """Where a document split out of a bundle sits in it; `Source` then names the bundle."""

    part: int = Field(description="Position among the bundle's documents, from 1.")
    parts: int = Field(description="How many documents the bundle was split into.")
    first_page: int | None = Field(description="First page of this document in the bundle.")
    last_page: int | None = Field(description="Last page of this document in the bundle.")


class Source(Model):
    path: str
    sha256: str
    format: SourceFormat | None = Field(
        description="The file's own format (a .doc read through LibreOffice says doc); null"
        " when no extractor accepted the file."
    )
    size: int = Field(description="Size in bytes.")
    pages: int | None = Field(default=None, description="Page count where the format has pages.")
    bundle: BundlePart | None = Field(
        default=None,
        description="Set when this document is one of several papers in one file (a bundle).",
    )


class OcrPage(Model):
    """How sure the OCR was of one page: the mean of its words' confidences."""

    page: int
    confidence: float = Field(ge=0, le=1)
    words: int = Field(description="Words recognised on the page.")


class Location(Model):
    """Where something was found: `paragraph` is a `Paragraph.index`."""

    page: int | None
    paragraph: int


class Paragraph(Model):
    text: str = Field(description="The paragraph's text: wraps joined, markers removed.")
    page: int | None = Field(description="Page number as printed or counted; null if unknown.")
    index: int = Field(description="Position in reading order, counted over the whole body.")
    kind: ParagraphKind = "text"
    level: int | None = Field(
        default=None, description="Heading level (1 = top) or list nesting level (0 = top)."
    )
    marker: str | None = Field(
        default=None, description="A list item's rendered number or bullet, e.g. '1.', 'a)', '•'."
    )
    rows: list[list[str]] | None = Field(
        default=None, description="A table's cells, row by row; `text` joins them with ' | '."
    )


class Section(Model):
    heading: str | None = Field(description="Null for the text before the first heading.")
    level: int = Field(description="0 for the text before the first heading, else 1, 2, ...")
    page: int | None = None
    index: int | None = Field(default=None, description="`Paragraph.index` of the heading line.")
    paragraphs: list[Paragraph] = Field(default_factory=list)


class DateMention(Model):
    kind: str = Field(description="What the date is: dokument, sammantrade, beslut, motion, ...")
    date: dt.date
    raw: str


class Author(Model):
    name: str
    party: str | None = None
    role: str | None = None


class Diarienummer(Model):
    raw: str = Field(description="As printed, without the word 'Dnr'.")
    organ: str | None = None
    year: int | None = None
    number: str | None = Field(default=None, description="Serial number as printed (zeros kept).")
    suffix: str | None = None


class Evidence(Model):
    """Why an element was matched: the profile's own words, where they come from, and ours."""

    quote: str = Field(description="The styrmodell's words for the element, as quoted in it.")
    source: str = Field(description="Where the profile took the quote from (document, section).")
    profile: str = Field(description="The profile and element: `<profile id>#<element id>`.")
    matched: list[str] = Field(
        default_factory=list,
        description="The words of the att-sats or goal that matched the element's terms.",
    )
    page: int | None = Field(default=None, description="The page of the quote in its source.")
    signals: list[str] = Field(
        default_factory=list,
        description="The independent signals the match rests on, in Swedish: the shared "
        "phrases and words (`fras: …`, `ord: …`), the addressee (`adressat: …`) and the kind "
        "of clause (`slag: …`). A match needs more than one shared word.",
    )


class ElementMatch(Model):
    id: str = Field(description="The element's id in the styrmodell profile.")
    name: str
    level: str = Field(description="vision, fokusomrade, overgripande_mal, namndmal, ...")
    score: float = Field(ge=0, le=1)
    evidence: Evidence


class Classification(Model):
    """Which parts of the styrmodell an att-sats touches, what it asks and of whom."""

    elements: list[ElementMatch] = Field(default_factory=list, description="Best first.")
    clause_kind: ClauseKind
    clause_kind_score: float = Field(ge=0, le=1)
    addressee: str | None = Field(default=None, description="The organ asked to act.")
    agenda2030: list[int] = Field(default_factory=list, description="Agenda 2030 goal numbers.")


class Assessment(Model):
    """A suggestion for the case officer to review, never a decision."""

    coverage: Coverage
    suggested_stance: Stance | None = Field(
        description="null when the styrmodell gives no grounds for a stance: attsats abstains "
        "and the official decides ([Handläggaren bedömer])."
    )
    rationale: str = Field(description="Swedish sentences that cite the styrmodell.")
    confidence: float = Field(
        ge=0, le=1, description="Expected agreement with the officials; 0 when abstaining."
    )
    cited: list[str] = Field(
        default_factory=list,
        description="The elements the stance rests on, as `<profile id>#<element id>`.",
    )


class Suggestion(Model):
    """The att-satser's stances combined into one proposal for the whole paper."""

    stance: Stance | None = Field(
        description="null when the att-satser give no common grounded stance (abstains)."
    )
    rationale: str
    confidence: float = Field(ge=0, le=1)


class AttSats(Model):
    number: int
    text: str
    locations: list[Location] = Field(default_factory=list)
    existing_assessment: str | None = None
    classification: Classification | None = None
    assessment: Assessment | None = None


class Votes(Model):
    ja: int | None = None
    nej: int | None = None
    avstar: int | None = None


class CounterProposal(Model):
    who: str
    text: str


class Decision(Model):
    text: str
    outcome: Outcome | None = None
    per_att_sats: dict[int, Outcome] = Field(default_factory=dict)
    votes: Votes | None = None
    counter_proposals: list[CounterProposal] = Field(default_factory=list)
    reservations: list[str] = Field(default_factory=list)
    locations: list[Location] = Field(default_factory=list)


class Criterion(Model):
    verdict: Verdict
    evidence: list[str] = Field(
        default_factory=list, description="The goal's words that show the verdict."
    )


class Smart(Model):
    """SMART per criterion, as the profile's goal criteria define them."""

    specific: Criterion
    measurable: Criterion
    accepted: Criterion
    realistic: Criterion
    time_bound: Criterion


class Measurability(Model):
    measurable: bool
    indicator: str | None = None
    number: str | None = Field(default=None, description="The target value as written.")
    baseline: str | None = Field(default=None, description="The starting value as written.")


class TimeBound(Model):
    time_bound: bool
    year: int | None = None
    date: dt.date | None = None
    raw: str | None = None


class GoalAssessment(Model):
    level: str | None = Field(
        default=None, description="The styrmodell level the goal sits at, when it can be told."
    )
    kind: GoalKind
    kind_score: float = Field(ge=0, le=1)
    smart: Smart
    measurable: Measurability
    time_bound: TimeBound
    agenda2030: list[int] = Field(default_factory=list)
    elements: list[ElementMatch] = Field(default_factory=list)


class Goal(Model):
    text: str
    level: str | None = None
    target: str | None = None
    deadline: str | None = None
    indicator: str | None = None
    locations: list[Location] = Field(default_factory=list)
    assessment: GoalAssessment | None = None


class KallelseItem(Model):
    nr: int
    arende: str
    beteckning: str | None = None
    forslag: str | None = None
    locations: list[Location] = Field(default_factory=list)


class Document(Model):
    schema_version: str = SCHEMA_VERSION
    source: Source
    ocr: bool = Field(
        default=False, description="True when the text was read by OCR from page images."
    )
    ocr_pages: list[OcrPage] = Field(
        default_factory=list, description="Per-page OCR confidence; empty without OCR."
    )
    status: Status = "ok"
    errors: list[Problem] = Field(default_factory=list)
    warnings: list[Problem] = Field(default_factory=list)
    doc_type: DocType = "okand"
    printed_kind: str | None = Field(
        default=None,
        description=(
            "What an `okand` paper calls itself, as printed (Interpellation, Initiativärende,"
            " Reservation); null otherwise. Since 1.2."
        ),
    )
    title: str | None = None
    municipality: str | None = None
    organ: str | None = None
    dates: list[DateMention] = Field(default_factory=list)
    authors: list[Author] = Field(default_factory=list)
    handlaggare: str | None = None
    diarienummer: list[Diarienummer] = Field(
        default_factory=list, description="The document's own number first."
    )
    sections: list[Section] = Field(default_factory=list)
    furniture: list[Paragraph] = Field(
        default_factory=list,
        description="Running headers and footers, kept out of the body.",
    )
    att_satser: list[AttSats] = Field(default_factory=list)
    decision: Decision | None = None
    goals: list[Goal] = Field(default_factory=list)
    kallelse_items: list[KallelseItem] = Field(default_factory=list)
    styrmodell: str | None = Field(
        default=None, description="Id of the styrmodell profile the paper was assessed against."
    )
    suggestion: Suggestion | None = Field(
        default=None, description="The combined suggested stance on the paper's att-satser."
    )

    def paragraphs(self) -> list[Paragraph]:
        """Body paragraphs in reading order, headings excluded."""
        return [p for section in self.sections for p in section.paragraphs]
