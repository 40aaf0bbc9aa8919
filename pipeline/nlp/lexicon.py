"""Match a profile's terms against Swedish text on lemmas, compounds included.

Swedish writes new concepts as compounds ("målstyrningsprocess", "verksamhetsmål"), so a
term also matches as the head or the tail of a longer word: "målstyrning" finds
"målstyrningsprocessen", "mål" finds "verksamhetsmålen". Both sides are lemmatized with the
shared pipeline's lookup lemmatizer, so "följas upp" finds the term "följa upp".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from pipeline.nlp.language import get_nlp

# A term matches the start of a longer word only when it is this long ("process" finds
# "processledare") and the rest is an inflection the lemma table missed
# ("målformuleringarna") or a word of its own, at least REST characters ("visionärt" is
# neither). It matches the end of a compound when it is TAIL_MIN long ("mål" finds
# "nämndmål").
HEAD_MIN = 5
TAIL_MIN = 3
REST = 4
INFLECTIONS = frozenset(
    [
        "n",
        "en",
        "et",
        "t",
        "s",
        "ns",
        "ens",
        "ets",
        "ar",
        "er",
        "or",
        "na",
        "arna",
        "erna",
        "orna",
        "ars",
        "ers",
        "ors",
        "arnas",
        "ernas",
        "ornas",
    ]
)
# Auxiliaries whose lookup lemma is also a noun ("skall" -> "skola", a school): they match
# a term only as written.
AUXILIARIES = frozenset(
    [
        "ska",
        "skall",
        "skulle",
        "kan",
        "kunde",
        "får",
        "fick",
        "måste",
        "bör",
        "borde",
        "vill",
        "ville",
        "har",
        "hade",
        "är",
        "var",
        "blir",
        "blev",
    ]
)


@dataclass(frozen=True)
class Token:
    form: str
    lemma: str


@lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[Token, ...]:
    """Lower-cased word forms and lemmas of a text, punctuation left out."""
    nlp = get_nlp()
    doc = nlp.get_pipe("lemmatizer")(nlp.make_doc(text))
    return tuple(
        Token(t.lower_, (t.lemma_ or t.text).lower()) for t in doc if not (t.is_punct or t.is_space)
    )


def _word_matches(word: Token, token: Token, last: bool) -> bool:
    """Whether a term's word matches a token of the text.

    The term's own form counts as much as its lemma: terms are written in base form, and
    the lookup table may lemmatize a noun as a verb ("mål" -> "måla").
    """
    if token.form in AUXILIARIES:
        return word.form == token.form
    if {word.form, word.lemma} & {token.form, token.lemma}:
        return True
    if not last:
        return False
    term = word.form
    for candidate in (token.lemma, token.form):
        rest = candidate[len(term) :]
        if (
            len(term) >= HEAD_MIN
            and candidate.startswith(term)
            and (rest in INFLECTIONS or len(rest) >= REST)
        ):
            return True
        if len(term) >= TAIL_MIN and candidate.endswith(term) and len(candidate) - len(term) >= 3:
            return True
    return False


@lru_cache(maxsize=8192)
def haystack(text: str) -> str:
    """Every form and lemma of a text in one string, to rule terms out before matching."""
    return " ".join(f"{t.form} {t.lemma}" for t in tokens(text))


def find(term: str, text: str) -> str | None:
    """The words of `text` that `term` matches, as written; None if it does not occur."""
    words = tokens(term)
    n = len(words)
    # Every way a word can match (form, lemma, compound head or tail) leaves its form or
    # lemma inside some form or lemma of the text: most terms end here.
    if n == 0 or any(w.form not in haystack(text) and w.lemma not in haystack(text) for w in words):
        return None
    found = tokens(text)
    for start in range(len(found) - n + 1):
        window = found[start : start + n]
        if all(
            _word_matches(word, token, i == n - 1)
            for i, (word, token) in enumerate(zip(words, window, strict=True))
        ):
            return " ".join(t.form for t in window)
    return None


def find_all(terms: Iterable[str], text: str) -> list[str]:
    """The distinct matches in `text` of the terms that occur, in the terms' order."""
    matches: list[str] = []
    for term in terms:
        match = find(term, text)
        if match is not None and match not in matches:
            matches.append(match)
    return matches
