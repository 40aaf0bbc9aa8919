"""Goal statements: lists introduced as goals, numbered goal headings, ambitions."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.stages.run import analyze


def goals_of(tmp_path: Path, text: str) -> list:
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    return analyze(path).goals


def test_list_items_under_a_goal_introduction_are_goals(tmp_path: Path) -> None:
    goals = goals_of(
        tmp_path,
        "Nämndbudget 2026\n\nKommunens övergripande mål för arbetsmiljöarbetet\n\n"
        "• Ingen ska drabbas av ohälsa eller skadas på grund av sitt arbete.\n"
        "• Sjukfrånvaron ska minska.\n\n"
        "Nämnderna får i uppdrag att öka tempot genom att:\n\n"
        "• skala upp nya arbetssätt och säkerställa att nyttan realiseras\n",
    )
    assert [(g.text, g.level) for g in goals] == [
        ("Ingen ska drabbas av ohälsa eller skadas på grund av sitt arbete.", "overgripande_mal"),
        ("Sjukfrånvaron ska minska.", "overgripande_mal"),
    ]


def test_numbered_headings_under_a_goals_heading_and_their_focus_areas(tmp_path: Path) -> None:
    goals = goals_of(
        tmp_path,
        "5 Mål\n\nDe fem kommunövergripande målen är:\n\n"
        "5.1 En attraktiv kommun att bo, verka och vistas i\n\nFokusområden\n\n"
        "- Kungsbacka har välkomnande och trygga miljöer.\n\n"
        "6 Direktiv\n\n6.1 Direktiv från kommunfullmäktige\n",
    )
    assert [(g.text, g.level) for g in goals] == [
        ("En attraktiv kommun att bo, verka och vistas i", "overgripande_mal"),
        ("Kungsbacka har välkomnande och trygga miljöer.", "fokusomrade"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Samtliga nämnder ska upprätta fem mål.",
        "Ambitionsnivån för nya övergripande fullmäktigemål är 4-5 mål som kan hålla över två mandatperioder.",
        "Kommunfullmäktige beslutar om 3-5 fokusområden för att nå visionen.",
    ],
)
def test_ambitions_for_the_goals_themselves(tmp_path: Path, sentence: str) -> None:
    [goal] = goals_of(tmp_path, f"Styrmodell\n\n{sentence}\n")
    # "4-5 mål" counts goals: it is no target of a goal.
    assert (goal.text, goal.target) == (sentence, None)


@pytest.mark.parametrize(
    "sentence",
    [
        "Utöver bolagens mål finns 72 nämndmål som skall följas upp med vardera 1-3 indikatorer.",
        "År 2017 innebar fullmäktiges 10 övergripande mål 87 nämnd och styrelsemål.",
        "Målen är ett tydligt riktmärke för utvecklingen av kommunen som helhet.",
    ],
)
def test_reports_about_goals_are_not_goals(tmp_path: Path, sentence: str) -> None:
    assert goals_of(tmp_path, f"Uppföljning\n\n{sentence}\n") == []


def test_a_deadline_in_the_goal_text_is_read(tmp_path: Path) -> None:
    [goal] = goals_of(tmp_path, "Nämndens mål:\n\n- Andelen resor med cykel ska öka till 2030.\n")
    assert goal.deadline == "2030"


def test_an_att_sats_is_never_a_goal(tmp_path: Path) -> None:
    goals = goals_of(
        tmp_path,
        "Förslag till styrmodell\n\nVi föreslår följande om målen:\n\n"
        "- att sagda process skall innehålla rutiner för hur måluppfyllelsen följs upp.\n",
    )
    assert goals == []


def test_a_wrapped_line_mentioning_goals_introduces_no_list(tmp_path: Path) -> None:
    goals = goals_of(
        tmp_path,
        "Styrmodell\n\nFör att förenkla styrningen föreslås följande upplägg:\n\n"
        "• Utgå från visionen och följ upp den genom att precisera\n\n"
        "ett fåtal mål/inriktningar\n\n"
        "• Avveckla samtliga mål för god ekonomisk hushållning\n",
    )
    assert goals == []


@pytest.mark.parametrize("kind", ["Motion", "Svar på motion", "SAMMANTRÄDESPROTOKOLL"])
def test_papers_that_quote_goals_set_none(tmp_path: Path, kind: str) -> None:
    goals = goals_of(
        tmp_path,
        f"{kind} om medarbetarundersökning\n\nKommunens fem övergripande arbetsmiljömål:\n\n"
        "• Ingen ska drabbas av ohälsa eller skadas på grund av sitt arbete.\n"
        "• Sjukfrånvaron ska minska.\n",
    )
    assert goals == []


def test_goals_named_before_the_sentence_that_opens_the_list_do_not_count(tmp_path: Path) -> None:
    goals = goals_of(
        tmp_path,
        "Styrmodell\n\nI dag styr fullmäktige på 17 mål för god ekonomisk hushållning. "
        "För att förenkla styrningen föreslås följande upplägg:\n\n"
        "• Utgå från visionen och följ upp den\n"
        "• Uppdra till nämnderna att precisera verksamheten\n",
    )
    assert goals == []


def test_goals_behind_numbered_goal_area_labels(tmp_path: Path) -> None:
    goals = goals_of(
        tmp_path,
        "Övergripande mål\n\nStrategiområde 1 – hållbar utveckling\n\nMålområde 1:1\n\n"
        "Förenkling leder till att fler kan göra det som är långsiktigt hållbart.\n\n"
        "Målområde 1:2\n\nGod utbildning ges.\n",
    )
    assert [(g.text, g.level) for g in goals] == [
        ("hållbar utveckling", "strategiområde"),
        ("Förenkling leder till att fler kan göra det som är långsiktigt hållbart.", "målområde"),
        ("God utbildning ges.", "målområde"),
    ]


def test_a_measure_label_between_goals_opens_no_new_list(tmp_path: Path) -> None:
    goals = goals_of(
        tmp_path,
        "Övergripande mål 2024\n\n"
        "  • Kommunen ska vara en attraktiv arbetsgivare\n\n"
        "   • Medarbetarna är nöjda med sin arbetsplats\n\n    Målvärde\n"
        "   • Sjukfrånvaron minskar\n\n    Målvärde\n",
    )
    assert [g.text for g in goals] == [
        "Kommunen ska vara en attraktiv arbetsgivare",
        "Medarbetarna är nöjda med sin arbetsplats",
        "Sjukfrånvaron minskar",
    ]
