"""attsats's own spaCy components, registered as factories when this package is imported.

Each reads its patterns from `pipeline/nlp/patterns/`, named in its `default_config`, so a
pattern changes in a data file, never in code. `lemmas` registers the loader of the
Swedish lemma table (`attsats.lemma_lookups.v1`).
"""

from pipeline.nlp.components.cues import CueMarker
from pipeline.nlp.components.lemmas import WordTable, lemma_lookups
from pipeline.nlp.components.sentences import LineSentencizer

__all__ = ["CueMarker", "LineSentencizer", "WordTable", "lemma_lookups"]
