"""The one spaCy pipeline of attsats, built once per process.

No trained Swedish pipeline can be installed, so it starts from `spacy.blank("sv")`:
the lookup lemmatizer (Swedish defaults to rule mode, which needs a tagger we do not
have) with its table read offline from the installed spacy-lookups-data package by
`attsats.lemma_lookups.v1` (`pipeline/nlp/components/lemmas.py`), line-aware sentence
boundaries and the proposal cues of `pipeline/components`. spaCy is imported on first
use, so commands that never analyse a paper start fast.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

SPANS_KEY = "attsats"


def build_nlp() -> Language:
    import spacy

    import pipeline.nlp.components  # noqa: F401  (registers the attsats_* factories)

    nlp = spacy.blank("sv")
    nlp.add_pipe("attsats_sentences")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("attsats_cues", config={"spans_key": SPANS_KEY})
    nlp.config["initialize"]["components"]["lemmatizer"] = {
        "lookups": {"@misc": "attsats.lemma_lookups.v1", "lang": nlp.lang}
    }
    nlp.initialize()
    return nlp


@cache
def get_nlp() -> Language:
    """The shared pipeline, built on first use."""
    return build_nlp()
