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
is read the first time a paper needs it, and shared with the lemmatizer
(`pipeline.resources.lemma_table`).
"""

from __future__ import annotations

from functools import cache, lru_cache

from pipeline.resources import lemma_table

PART = 3  # a compound's first parts have at least this many letters
LAST = 4  # ... and its last part at least this many (short endings make anything a word)


@cache
def lemmas() -> frozenset[str]:
    """The lemmas of the Swedish lemma table (its values)."""
    return frozenset(lemma_table("sv").values())


def is_form(word: str) -> bool:
    """A word form of the table: a form it lemmatizes, or a lemma."""
    return word in lemma_table("sv") or word in lemmas()


def is_inflection(word: str) -> bool:
    """A form of the table that is never a lemma ("rätten", "fastighetsrätten")."""
    return word in lemma_table("sv") and word not in lemmas()


@lru_cache(maxsize=65536)
def first_part(word: str) -> bool:
    """A compound's first part: a lemma, a lemma with a linking s ("arbetsmarknads"), or
    a compound of such parts ending in a lemma."""
    known = lemmas()
    if word in known or (word.endswith("s") and word[:-1] in known):
        return True
    return any(
        first_part(word[:k]) and first_part(word[k:]) for k in range(PART, len(word) - LAST + 1)
    )


@lru_cache(maxsize=65536)
def is_word(word: str) -> bool:
    """A word form of the table, or a compound ending in one."""
    if is_form(word):
        return True
    return any(
        first_part(word[:k]) and is_word(word[k:]) for k in range(PART, len(word) - LAST + 1)
    )


def runs_across(upper: str, lower: str) -> bool:
    """A word form starts in the upper piece (at its start, or after a compound's first
    part) and ends in the lower: the break is inside that word."""
    joined = upper + lower
    return any(
        (k == 0 or first_part(joined[:k])) and is_form(joined[k:]) for k in range(len(upper))
    )


def two_words(upper: str, lower: str) -> bool:
    """Whether `upper` over `lower` (lowercase, bare) reads as two Swedish words rather
    than one word cut in two."""
    if len(lower) < PART or not upper:
        return False
    # "arbetsmarknads" is a first part; "fastighetsrättens" (a definite form's genitive)
    # is not
    linking = upper.endswith("s") and first_part(upper[:-1]) and not is_inflection(upper[:-1])
    return is_word(upper) and is_word(lower) and not linking and not runs_across(upper, lower)
