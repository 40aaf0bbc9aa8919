"""Marks the words that make a paragraph a proposal, as labelled spans.

Like spaCy's `span_ruler`, but the patterns ship with attsats as JSONL
(`pipeline/nlp/patterns/<name>.jsonl`, one `{"label", "pattern"}` per line; a pattern is a
phrase or a list of token patterns). Labels used by the att-sats stage:
PROPOSAL (a proposing verb: "föreslår", "yrkar", "hemställer"), WISH ("vill … att"),
DECISION ("beslutar"), ATT_CLAUSE (an "att" that opens a sentence), SEPARATOR ("samt att",
", att"), ASSESSMENT ("Kommentar:"), FIRST_PERSON, REPORTED (a subject that reports
someone else's proposal: "motionären") and SUBORDINATOR ("hur", "som").
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span


@cache
def load_jsonl(name: str) -> tuple[dict[str, Any], ...]:
    """The records of `pipeline/nlp/patterns/<name>.jsonl`."""
    text = resources.files("pipeline.nlp").joinpath("patterns", f"{name}.jsonl").read_text("utf-8")
    return tuple(json.loads(line) for line in text.splitlines() if line.strip())


class CueMarker:
    def __init__(self, nlp: Language, patterns: tuple[dict[str, Any], ...], spans_key: str):
        self.spans_key = spans_key
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        for number, record in enumerate(patterns):
            key = f"{record['label']}#{number}"
            if isinstance(record["pattern"], str):
                self.phrases.add(key, [nlp.make_doc(record["pattern"])])
            else:
                self.matcher.add(key, [record["pattern"]])

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        found = {
            (start, end, strings[match_id].split("#")[0])
            for match_id, start, end in [*self.matcher(doc), *self.phrases(doc)]
        }
        doc.spans[self.spans_key] = [
            Span(doc, start, end, label=label) for start, end, label in sorted(found)
        ]
        return doc


@Language.factory(
    "attsats_cues", default_config={"patterns": "attsats_cues", "spans_key": "attsats"}
)
def make_cue_marker(nlp: Language, name: str, patterns: str, spans_key: str) -> CueMarker:
    return CueMarker(nlp, load_jsonl(patterns), spans_key)
