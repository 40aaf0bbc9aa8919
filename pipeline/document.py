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

SCHEMA_VERSION = "1.0"

SourceFormat = Literal["docx", "pdf", "txt", "md"]
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


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Problem(Model):
    """A coded error or warning; `message` is Swedish, meant for the official reading it."""

    code: str
    message: str
    page: int | None = None
    paragraph: int | None = None


class Source(Model):
    path: str
    sha256: str
    format: SourceFormat | None = Field(
        description="Format the bytes were read as; null when no extractor accepted the file."
    )
    size: int = Field(description="Size in bytes.")
    pages: int | None = Field(default=None, description="Page count where the format has pages.")


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


class AttSats(Model):
    number: int
    text: str
    locations: list[Location] = Field(default_factory=list)
    existing_assessment: str | None = None


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


class Goal(Model):
    text: str
    level: str | None = None
    target: str | None = None
    deadline: str | None = None
    indicator: str | None = None
    locations: list[Location] = Field(default_factory=list)


class KallelseItem(Model):
    nr: int
    arende: str
    beteckning: str | None = None
    forslag: str | None = None
    locations: list[Location] = Field(default_factory=list)


class Document(Model):
    schema_version: str = SCHEMA_VERSION
    source: Source
    status: Status = "ok"
    errors: list[Problem] = Field(default_factory=list)
    warnings: list[Problem] = Field(default_factory=list)
    doc_type: DocType = "okand"
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

    def paragraphs(self) -> list[Paragraph]:
        """Body paragraphs in reading order, headings excluded."""
        return [p for section in self.sections for p in section.paragraphs]
