"""The spaCy pipeline: lookup lemmas offline, line-aware sentences and proposal cues."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from pipeline.nlp.components.cues import load_jsonl
from pipeline.nlp.language import SPANS_KEY, get_nlp


def sentences(text: str) -> list[str]:
    return [s.text.strip() for s in get_nlp()(text).sents]


def cues(text: str) -> set[tuple[str, str]]:
    doc = get_nlp()(text)
    return {(s.label_, s.text) for s in doc.spans[SPANS_KEY]}


def test_the_pipeline_is_built_once_from_a_blank_swedish_model() -> None:
    nlp = get_nlp()
    assert nlp is get_nlp()
    assert nlp.lang == "sv"
    assert nlp.pipe_names == ["attsats_sentences", "lemmatizer", "attsats_cues"]
    assert nlp.get_pipe("lemmatizer").mode == "lookup"


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("föreslår", "föreslå"),
        ("föreslås", "föreslå"),
        ("yrkade", "yrka"),
        ("hemställer", "hemställa"),
        ("beslutas", "besluta"),
        ("kommunen", "kommun"),
        ("nämnderna", "nämnd"),
    ],
)
def test_lemmas_come_from_the_installed_lookup_tables(word: str, lemma: str) -> None:
    assert get_nlp()(f"Kommunen {word} det.")[1].lemma_ == lemma


def test_the_lemma_table_is_read_offline_from_spacy_lookups_data() -> None:
    table = get_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    assert len(table) > 100_000
    assert "kommunerna" in table
    assert table.get("kommunerna", "") == "kommun"
    assert table.get("Attsatsxyz", "Attsatsxyz") == "Attsatsxyz"


SENTENCES = {
    "a line break ends a list item": (
        "Ett kommunalt pensionärsråd skulle:\nFungera som en länk\nGe föreningar en röst",
        ["Ett kommunalt pensionärsråd skulle:", "Fungera som en länk", "Ge föreningar en röst"],
    ),
    "full stop, exclamation and question mark before a capital": (
        "Motionen är besvarad. Vad händer nu? Ärendet avslutas! Beslutet expedieras.",
        ["Motionen är besvarad.", "Vad händer nu?", "Ärendet avslutas!", "Beslutet expedieras."],
    ),
    "abbreviations do not end sentences": (
        "Nämnden har bl.a. Vård & Omsorg som part, t.ex. Forum Pensionärer, resp. "
        "Testpatrullen enligt kap. 5 och nr. 12 på s. 4 m.m. Därefter fattas beslut.",
        [
            "Nämnden har bl.a. Vård & Omsorg som part, t.ex. Forum Pensionärer, resp. "
            "Testpatrullen enligt kap. 5 och nr. 12 på s. 4 m.m. Därefter fattas beslut."
        ],
    ),
    "a lower-case word after a full stop goes on": (
        "Kostnaden är ca. 3 mnkr. och ryms i ramen.",
        ["Kostnaden är ca. 3 mnkr. och ryms i ramen."],
    ),
    "a list number stays with its item": (
        "Vi föreslår att kommunfullmäktige beslutar: 1. Att inrätta ett råd. "
        "Rådet ska mötas fyra gånger per år. 2. Att avsätta medel.",
        [
            "Vi föreslår att kommunfullmäktige beslutar:",
            "1. Att inrätta ett råd.",
            "Rådet ska mötas fyra gånger per år.",
            "2. Att avsätta medel.",
        ],
    ),
    "a colon before a capital opens a sentence": (
        "Socialdemokraterna yrkar att: Kommunfullmäktige ger kommunstyrelsen i uppdrag.",
        ["Socialdemokraterna yrkar att:", "Kommunfullmäktige ger kommunstyrelsen i uppdrag."],
    ),
    "a quotation closes before the next sentence": (
        'Hon sade "Vi bifaller." Därefter ajournerades mötet.',
        ['Hon sade "Vi bifaller."', "Därefter ajournerades mötet."],
    ),
}


@pytest.mark.parametrize("case", SENTENCES, ids=list(SENTENCES))
def test_sentence_boundaries_respect_lines_lists_and_abbreviations(case: str) -> None:
    text, expected = SENTENCES[case]
    assert sentences(text) == expected


CUES = {
    "Vi föreslår att kommunfullmäktige beslutar:": {
        ("FIRST_PERSON", "Vi"),
        ("PROPOSAL", "föreslår"),
        ("DECISION", "beslutar"),
    },
    "Socialdemokraterna yrkar att:": {("PROPOSAL", "yrkar")},
    "Undertecknade hemställer att fullmäktige beslutar att bifalla motionen.": {
        ("FIRST_PERSON", "Undertecknade"),
        ("PROPOSAL", "hemställer"),
        ("DECISION", "beslutar"),
    },
    "Mot bakgrund av detta vill motionären att kommunfullmäktige beslutar:": {
        ("WISH", "vill motionären att"),
        ("REPORTED", "motionären"),
    },
    "I motionen föreslås att kommunen ska:": {("PROPOSAL", "föreslås")},
    "Jag föreslår att kommunen bygger en ramp samt att skyltningen ses över.": {
        ("SEPARATOR", "samt att"),
    },
    "att bifalla motionen, att ge nämnden i uppdrag att återkomma; att avsluta ärendet": {
        ("ATT_CLAUSE", "att"),
        ("SEPARATOR", ", att"),
        ("SEPARATOR", "; att"),
    },
    "Kommentar: ambitionen är att all verksamhet ska omfattas.": {
        ("ASSESSMENT", "Kommentar:"),
    },
    "Förvaltningens kommentar: arbetet pågår.": {("ASSESSMENT", "Förvaltningens kommentar:")},
    "Visionen uttrycker hur vi vill att kommunen utvecklas.": {
        ("SUBORDINATOR", "hur"),
        ("WISH", "vill att"),
    },
}


@pytest.mark.parametrize("text", CUES)
def test_cues_are_marked_as_labelled_spans(text: str) -> None:
    assert CUES[text] <= cues(text)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Ett kommunalt pensionärsråd skulle:", "PROPOSAL"),
        ("Joakim Bäckströms yrkande för Vår Framtid:", "PROPOSAL"),
        ("Det föreslagna beslutet antas.", "PROPOSAL"),
        ("Det är viktigt att barnen får en trygg skolväg.", "PROPOSAL"),
        ("Det är viktigt att barnen får en trygg skolväg.", "ATT_CLAUSE"),
        ("Kommunen bygger en ramp så att alla kommer fram.", "SEPARATOR"),
        ("Vi har inga kommentarer till detta.", "ASSESSMENT"),
        ("Nämnden fattade beslut i maj.", "DECISION"),
    ],
)
def test_ordinary_prose_is_not_a_cue(text: str, label: str) -> None:
    assert label not in {lbl for lbl, _ in cues(text)}


def test_cue_patterns_live_in_a_data_file() -> None:
    nlp = get_nlp()
    assert nlp.get_pipe_config("attsats_cues")["patterns"] == "attsats_cues"
    assert nlp.get_pipe_config("attsats_sentences")["patterns"] == "sentences"
    records = load_jsonl("attsats_cues")
    assert records and all(set(r) == {"label", "pattern"} for r in records)


def test_the_components_are_registered_factories() -> None:
    assert Language.has_factory("attsats_cues")
    nlp = spacy.blank("sv")
    nlp.add_pipe("attsats_sentences")
    doc = nlp("Jag yrkar bifall.\nEmma Ek (S)")
    assert [s.text for s in doc.sents] == ["Jag yrkar bifall.\n", "Emma Ek (S)"]
