"""Swedish lookup lemmas from the installed spacy-lookups-data package, loaded fast.

spaCy's own loader turns the 660 000 word forms of `sv_lemma_lookup` into a hashed,
Bloom-filtered `Table` one entry at a time, which takes seconds. The lookup lemmatizer
only ever asks `table.get(word, word)`, so a table that answers from the dict the JSON
file parses into gives the same lemmas in a fraction of the time. The file is found
through the `spacy_lookups` entry point of spacy-lookups-data: nothing is downloaded.
Used as `[initialize.components.lemmatizer.lookups]`.
"""

from __future__ import annotations

from typing import Any

from spacy.lookups import Lookups, Table
from spacy.util import registry

from pipeline.resources import lemma_table

TABLE = "lemma_lookup"


class WordTable(Table):
    """A lookup table keyed by the word itself rather than by its hash."""

    def __init__(self, name: str, words: dict[str, str]) -> None:
        super().__init__(name=name)
        self.words = words

    def get(self, key: Any, default: Any = None) -> Any:
        return self.words.get(key, default) if isinstance(key, str) else default

    def __getitem__(self, key: Any) -> Any:
        return self.words[key]

    def __contains__(self, key: Any) -> bool:
        return key in self.words

    def __len__(self) -> int:
        return len(self.words)


@registry.misc("attsats.lemma_lookups.v1")
def lemma_lookups(lang: str) -> Lookups:
    lookups = Lookups()
    lookups.set_table(TABLE, WordTable(TABLE, lemma_table(lang)))
    return lookups
