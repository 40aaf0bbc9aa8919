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
    ("sentence", "target"),
    [
        ("Samtliga nämnder ska upprätta fem mål.", "fem"),
        (
            "Ambitionsnivån för nya övergripande fullmäktigemål är 4-5 mål som kan hålla över två mandatperioder.",
            "4-5",
        ),
        ("Kommunfullmäktige beslutar om 3-5 fokusområden för att nå visionen.", "3-5"),
    ],
)
def test_ambitions_for_the_goals_themselves(tmp_path: Path, sentence: str, target: str) -> None:
    [goal] = goals_of(tmp_path, f"Styrmodell\n\n{sentence}\n")
    assert (goal.text, goal.target) == (sentence, target)


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
