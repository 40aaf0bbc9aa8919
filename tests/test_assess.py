"""Assessment against a styrmodell: matching, classification, stances, goals.

Parametrized over real att-satser and goals from the seeds and the corpus, plus authored
ones where a rule needs a case the real papers do not have.
"""

from __future__ import annotations

import json

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.document import (
    Assessment,
    AttSats,
    Decision,
    Document,
    Goal,
    Source,
    Stance,
)
from pipeline.nlp.lexicon import find
from pipeline.stages.assess import addressee_of, assess, assess_goal, combine
from pipeline.stages.run import analyze
from pipeline.styrmodell.loader import load_profile

SEED_001 = SAMPLES / "001_fb57b98de66bfb1d.txt"
runner = CliRunner()


def blank(**fields) -> Document:
    return Document(source=Source(path="prov.txt", sha256="0" * 64, size=0, format="txt"), **fields)


@pytest.mark.parametrize(
    ("term", "text", "found"),
    [
        (
            "målstyrning",
            "att kommunstyrelsen får i uppdrag att utarbeta en årlig process för målstyrningsarbetet.",
            "målstyrningsarbetet",
        ),
        (
            "mål",
            "ha sitt avslut i kommunfullmäktiges fastställande av verksamhetsmål.",
            "verksamhetsmål",
        ),
        (
            "följa upp",
            "hur måluppfyllelsen regelbundet skall följas upp under verksamhetsåret",
            "följas upp",
        ),
        (
            "alla nivåer",
            "att sagda process skall inkludera alla nivåer av den kommunala verksamheten.",
            "alla nivåer",
        ),
        ("vision", "Ett visionärt ledarskap", None),
        # "skall" has the lookup lemma "skola" (a school): an auxiliary matches only as written.
        ("skola", "att sagda process skall innehålla regler", None),
        (
            "pensionärsråd",
            "Att inrätta ett kommunalt pensionärsråd för att förbättra dialogen",
            "pensionärsråd",
        ),
    ],
)
def test_terms_match_on_lemmas_and_compounds(term: str, text: str, found: str | None) -> None:
    assert find(term, text) == found


@pytest.mark.parametrize(
    ("text", "organ"),
    [
        (
            "att kommunstyrelsen får i uppdrag att utarbeta en årlig process för målstyrningsarbetet.",
            "Kommunstyrelsen",
        ),
        (
            "att kommunstyrelsen under 2021 återkommer till kommunfullmäktige för fastställande av ny målstyrningsprocess.",
            "Kommunstyrelsen",
        ),
        (
            "Att kommunstyrelsen ges i uppdrag att ta fram riktlinjer och en modell för hur ett kommunalt pensionärsråd ska organiseras",
            "Kommunstyrelsen",
        ),
        # The arbetsutskott gives the assignment; the office carries it out.
        (
            "Kommunstyrelsens arbetsutskott uppdrar till kommunledningskontoret att färdigställa en aktivitetsplan",
            "Kommunledningskontoret",
        ),
        (
            "att kommunstyrelsen ska ge kultur- och fritidsnämnden i uppdrag att utreda frågan",
            "Kultur- och fritidsnämnden",
        ),
        ("att tekniska nämnden får i uppdrag att anlägga en lekplats", "Tekniska nämnden"),
        (
            "att barn- och utbildningsnämnden ges i uppdrag att utreda skolskjutsarna",
            "Barn- och utbildningsnämnden",
        ),
        ("Att inrätta ett kommunalt pensionärsråd för att förbättra dialogen", None),
    ],
)
def test_the_addressee_is_the_organ_asked_to_act(text: str, organ: str | None) -> None:
    assert addressee_of(text) == organ


@pytest.fixture(scope="module")
def seed_001_under_ange() -> Document:
    return analyze(SEED_001, load_profile("ange"))


def test_seed_001_under_ange_agrees_with_the_officials(seed_001_under_ange: Document) -> None:
    doc = seed_001_under_ange
    assert doc.styrmodell == "ange"
    assert len(doc.att_satser) == 6
    assert [a.assessment.suggested_stance for a in doc.att_satser] == ["besvarad"] * 6
    assert doc.suggestion is not None and doc.suggestion.stance == "besvarad"
    assert "besvarad: att-sats 1, 2, 3, 4, 5, 6" in doc.suggestion.rationale


def test_every_att_sats_cites_the_profile_it_was_matched_to(seed_001_under_ange: Document) -> None:
    profile = load_profile("ange")
    for att_sats in seed_001_under_ange.att_satser:
        classification = att_sats.classification
        assert classification is not None and classification.elements
        best = classification.elements[0]
        element = profile.element(best.id)
        assert best.evidence.quote == element.quote.text
        assert best.evidence.profile == f"ange#{element.id}"
        assert best.evidence.matched, "the best element is matched on the att-sats' own words"
        assert all(m.lower() in att_sats.text.lower() for m in best.evidence.matched)
        assert element.quote.text in att_sats.assessment.rationale
        assert classification.addressee == "Kommunstyrelsen"


@pytest.mark.parametrize(
    ("text", "coverage", "stance"),
    [
        # Ånge's renewed styrmodell is under way: asking for it is answered by that work.
        (
            "att kommunstyrelsen får i uppdrag att utarbeta en årlig process för målstyrningsarbetet.",
            "partly",
            "besvarad",
        ),
        # In force and matched on several terms: already there.
        ("att måluppfyllelsen regelbundet ska följas upp med fasta rutiner", "covered", "besvarad"),
        # Against the principle of tillit.
        (
            "att nämnderna ska detaljstyra skolornas arbete genom tätare kontroller",
            "conflicts",
            "avslag",
        ),
        # Nothing in the profile: a proposal to weigh.
        ("att en hundrastgård anläggs i centralorten", "not_covered", "bifall"),
        # One shared word: the profile touches the subject but does not do what is asked.
        ("att en hundrastgård anläggs i centralorten till en låg kostnad", "partly", "bifall"),
    ],
)
def test_coverage_and_stance_follow_the_profile(text: str, coverage: str, stance: str) -> None:
    doc = assess(blank(att_satser=[AttSats(number=1, text=text)]), load_profile("ange"))
    assessment = doc.att_satser[0].assessment
    assert (assessment.coverage, assessment.suggested_stance) == (coverage, stance)
    assert 0 < assessment.confidence <= 1
    assert assessment.rationale.startswith("Att-satsen är ")


def with_stances(*stances: Stance) -> list[AttSats]:
    return [
        AttSats(
            number=n,
            text="att något görs",
            assessment=Assessment(
                coverage="covered", suggested_stance=s, rationale="Skäl.", confidence=0.8
            ),
        )
        for n, s in enumerate(stances, start=1)
    ]


@pytest.mark.parametrize(
    ("stances", "combined"),
    [
        (("besvarad", "besvarad"), "besvarad"),
        (("bifall", "bifall", "bifall"), "bifall"),
        (("bifall", "avslag"), "delvis_bifall"),
        (("besvarad", "bifall"), "delvis_bifall"),
        (("besvarad", "besvarad", "avslag"), "besvarad"),
        (("avslag", "avslag", "besvarad"), "avslag"),
    ],
)
def test_the_combined_suggestion(stances: tuple[Stance, ...], combined: Stance) -> None:
    suggestion = combine(with_stances(*stances))
    assert suggestion is not None and suggestion.stance == combined
    assert suggestion.confidence <= 0.8
    assert "utkast" in suggestion.rationale


def test_a_paper_without_att_satser_gets_no_suggestion() -> None:
    assert combine([]) is None
    assert assess(blank(), load_profile("generisk")).suggestion is None


@pytest.mark.parametrize(
    ("text", "smart", "kind"),
    [
        (
            "Andelen elever som är behöriga till gymnasiet ska öka från 82 procent 2022 till 90 procent senast 2026.",
            {"specific": "yes", "measurable": "yes", "time_bound": "yes"},
            "effektmal",
        ),
        (
            "Kungsbackas ekonomi ska vara långsiktigt hållbar.",
            {"specific": "no", "measurable": "no", "time_bound": "no"},
            "effektmal",
        ),
        (
            "Invånarnas nöjdhet med kollektivtrafiken ska öka.",
            {"measurable": "unclear", "time_bound": "no"},
            "effektmal",
        ),
        (
            "Genomföra en utbildning i klimatanpassning för alla chefer under 2024.",
            {"measurable": "no", "time_bound": "yes"},
            "aktivitetsmal",
        ),
    ],
)
def test_goals_get_smart_per_criterion(text: str, smart: dict[str, str], kind: str) -> None:
    assessment = assess_goal(load_profile("generisk"), blank(), Goal(text=text))
    assert {k: getattr(assessment.smart, k).verdict for k in smart} == smart
    assert assessment.kind == kind
    assert assessment.smart.realistic.verdict == "unclear"


def test_a_measurable_goal_names_its_indicator_target_baseline_and_year() -> None:
    goal = Goal(
        text="Andelen elever som är behöriga till gymnasiet ska öka från 82 procent 2022 till 90 procent senast 2026."
    )
    assessment = assess_goal(load_profile("generisk"), blank(), goal)
    assert assessment.measurable.indicator == "Andelen elever som är behöriga till gymnasiet"
    assert assessment.measurable.number == "90 procent"
    assert assessment.measurable.baseline == "82 procent 2022"
    assert assessment.time_bound.year == 2026
    assert 4 in assessment.agenda2030


def test_goals_adopted_by_the_paper_are_accepted() -> None:
    doc = blank(decision=Decision(text="Kommunfullmäktige antar målen för mandatperioden."))
    assessment = assess_goal(
        load_profile("generisk"), doc, Goal(text="Fler invånare ska ha arbete.")
    )
    assert assessment.smart.accepted.verdict == "yes"
    assert assessment.smart.accepted.evidence == ["antar"]
    assert 8 in assessment.agenda2030


def test_cli_analyze_with_a_styrmodell_prints_the_assessment() -> None:
    result = runner.invoke(app, ["analyze", str(SEED_001), "--styrmodell", "ange", "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["styrmodell"] == "ange"
    assert data["suggestion"]["stance"] == "besvarad"
    for att_sats in data["att_satser"]:
        assert att_sats["classification"]["elements"][0]["evidence"]["quote"]


def test_cli_refuses_an_unknown_styrmodell_before_reading_anything() -> None:
    result = runner.invoke(app, ["analyze", str(SEED_001), "--styrmodell", "atlantis"])
    assert result.exit_code == 2
    assert "Okänd styrmodell 'atlantis'" in result.stderr
