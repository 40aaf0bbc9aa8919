"""Sentence boundaries that respect line and list structure.

spaCy's stock sentencizer ignores line breaks, but in decision papers a line break ends a
list item or a heading. This component starts a sentence after a line break; after ".",
"!" or "?" followed by a capital letter, except after an abbreviation ("bl.a.", "kap.",
from `patterns/sentences.yaml`); after a colon followed by a capital letter ("yrkar
att: Kommunfullmäktige …"); and at a list number ("1.", "a)") that follows a sentence end or a
colon, which stays with its item: "beslutar: 1. Att … 2. Att …".
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.resources import load_patterns

ENDS = {".", "!", "?"}
COLON = ":"
CLOSERS = {'"', "”", "’", "»", ")", "]"}
NUMBER_CLOSERS = {".", ")"}
MAX_NUMBER_DIGITS = 2


class LineSentencizer:
    def __init__(self, abbreviations: set[str]) -> None:
        self.abbreviations = abbreviations

    def __call__(self, doc: Doc) -> Doc:
        start = 0  # the token that opened the current sentence
        for i, token in enumerate(doc):
            is_start = i == 0 or self.starts_sentence(doc, i, start)
            token.is_sent_start = is_start
            if is_start:
                start = i
        return doc

    def starts_sentence(self, doc: Doc, i: int, start: int) -> bool:
        token = doc[i]
        if token.is_space:
            return False
        previous = doc[i - 1]
        if previous.is_space:
            return "\n" in previous.text
        number = list_number(doc, i)
        if not (number or token.text[:1].isupper()):
            return False
        j = i - 1
        while j > start and doc[j].text in CLOSERS:
            j -= 1
        return self.ends_sentence(doc, j, start) or doc[j].text == COLON

    def ends_sentence(self, doc: Doc, j: int, start: int) -> bool:
        token = doc[j]
        if token.text not in ENDS:
            # A word with its stop attached: "etc." ends, "bl.a." and "A." do not.
            return (
                token.text[-1:] in ENDS
                and len(token.text) > 2
                and token.lower_ not in self.abbreviations
            )
        if j == start:
            return False
        if f"{doc[j - 1].lower_}." in self.abbreviations:
            return False
        # The stop of a list number that opened the sentence ("1. Att") ends nothing.
        return not (j - 1 == start and list_number(doc, start))


def list_number(doc: Doc, i: int) -> bool:
    """A list number or letter: "1" or "a" followed by "." or ")"."""
    text = doc[i].text
    numbered = (text.isdigit() and len(text) <= MAX_NUMBER_DIGITS) or (
        len(text) == 1 and text.isalpha()
    )
    return numbered and i + 1 < len(doc) and doc[i + 1].text in NUMBER_CLOSERS


@Language.factory("attsats_sentences", default_config={"patterns": "sentences"})
def make_line_sentencizer(nlp: Language, name: str, patterns: str) -> LineSentencizer:
    return LineSentencizer(
        {a.lower() for a in load_patterns("pipeline.nlp", patterns)["abbreviations"]}
    )
