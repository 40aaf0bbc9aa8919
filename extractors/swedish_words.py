"""Whether two pieces of text at a line break in a narrow cell are two Swedish words.

A typesetter that cuts words too wide for a table cell without a hyphen (LibreOffice)
leaves "arbetsutskot" over "tets"; a word that just fills its cell, with the next word
below, looks the same on the page ("kompletterande" over "bestämmelser"). The paper's
own words settle most cases (`extractors.pdf.whole_words`); this is the language's say
when the paper prints one of the words nowhere else: both pieces are Swedish words (a
word form of spacy-lookups-data's Swedish lemma table, or a compound of such words), the
upper piece is no compound's first part ("arbetsmarknads" over "departementets" is one
word), and no Swedish word runs across the break ("kommundirektör" over "ens" is one
word, "kommundirektörens").

The table (660 000 word forms, installed with spacy-lookups-data; nothing is downloaded)
is read the first time a paper needs it.
"""

from __future__ import annotations

import gzip
import importlib.resources
import json
from functools import cache, lru_cache

PART = 3  # a compound's first parts have at least this many letters
LAST = 4  # ... and its last part at least this many (short endings make anything a word)


@cache
def lexicon() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Every word form of the Swedish lemma table, the lemmas among them, and the forms
    that are only inflections (never a lemma)."""
    path = importlib.resources.files("spacy_lookups_data") / "data" / "sv_lemma_lookup.json.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        table: dict[str, str] = json.load(text)
    lemmas = frozenset(table.values())
    inflected = frozenset(table) - lemmas
    return inflected | lemmas, lemmas, inflected


@lru_cache(maxsize=65536)
def first_part(word: str) -> bool:
    """A compound's first part: a lemma, a lemma with a linking s ("arbetsmarknads"), or
    a compound of such parts ending in a lemma."""
    _, lemmas, _ = lexicon()
    if word in lemmas or (word.endswith("s") and word[:-1] in lemmas):
        return True
    return any(
        first_part(word[:k]) and first_part(word[k:]) for k in range(PART, len(word) - LAST + 1)
    )


@lru_cache(maxsize=65536)
def is_word(word: str) -> bool:
    """A word form of the table, or a compound ending in one."""
    forms, _, _ = lexicon()
    if word in forms:
        return True
    return any(
        first_part(word[:k]) and is_word(word[k:]) for k in range(PART, len(word) - LAST + 1)
    )


def runs_across(upper: str, lower: str) -> bool:
    """A word form starts in the upper piece (at its start, or after a compound's first
    part) and ends in the lower: the break is inside that word."""
    forms, _, _ = lexicon()
    joined = upper + lower
    return any(
        (k == 0 or first_part(joined[:k])) and joined[k:] in forms for k in range(len(upper))
    )


def two_words(upper: str, lower: str) -> bool:
    """Whether `upper` over `lower` (lowercase, bare) reads as two Swedish words rather
    than one word cut in two."""
    if len(lower) < PART or not upper:
        return False
    _, _, inflected = lexicon()
    # "arbetsmarknads" is a first part; "fastighetsrättens" (a definite form's genitive)
    # is not
    linking = upper.endswith("s") and first_part(upper[:-1]) and upper[:-1] not in inflected
    return is_word(upper) and is_word(lower) and not linking and not runs_across(upper, lower)
