"""Joining printed lines into paragraphs (shared by the text and PDF backends)."""

from __future__ import annotations

import pytest

from extractors.lines import Line, join_two, join_wrapped, split_marker


@pytest.mark.parametrize(
    ("line", "marker", "rest"),
    [
        (
            "- att kommunstyrelsen får i uppdrag att utarbeta en årlig process.",
            "-",
            "att kommunstyrelsen får i uppdrag att utarbeta en årlig process.",
        ),
        (
            "• att sagda process skall inkludera alla nivåer",
            "•",
            "att sagda process skall inkludera alla nivåer",
        ),
        (
            "\uf0b7 att sagda process skall inkludera alla nivåer",
            "•",
            "att sagda process skall inkludera alla nivåer",
        ),
        (
            "– Styrningen utgår från verksamheternas grunduppdrag.",
            "–",
            "Styrningen utgår från verksamheternas grunduppdrag.",
        ),
        (
            "1. Att inrätta ett kommunalt pensionärsråd",
            "1.",
            "Att inrätta ett kommunalt pensionärsråd",
        ),
        ("2) att kommunen arbetar för att stärka", "2)", "att kommunen arbetar för att stärka"),
        ("b) att uppdraget redovisas 2026", "b)", "att uppdraget redovisas 2026"),
        ("(3) att frågan utreds", "(3)", "att frågan utreds"),
    ],
)
def test_markers_are_split_off(line: str, marker: str, rest: str) -> None:
    assert split_marker(line) == (marker, rest)


@pytest.mark.parametrize(
    "line",
    [
        "2025-08-12 Kommunstyrelsen",
        "Kommunfullmäktige beslutade den 12 december 2024.",
        "-2 grader",
        "1990-talet var annorlunda.",
        "KS 2019/017",
    ],
)
def test_ordinary_lines_have_no_marker(line: str) -> None:
    assert split_marker(line) == (None, line)


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        (
            "beslut om kommun-",
            "fullmäktiges sammanträde",
            "beslut om kommunfullmäktiges sammanträde",
        ),
        ("stöd till barn-", "och utbildningsnämnden", "stöd till barn- och utbildningsnämnden"),
        ("enligt KS-", "2024-00850", "enligt KS-2024-00850"),
        (
            "för att förbättra dialogen och samverkan",
            "mellan kommunen",
            "för att förbättra dialogen och samverkan mellan kommunen",
        ),
    ],
)
def test_wrapped_lines_join_and_hyphens_are_repaired(left: str, right: str, joined: str) -> None:
    assert join_two(left, right) == joined


def lines(*texts: str, gap_after: tuple[int, ...] = ()) -> list[Line]:
    return [Line(text=t, page=1, gap_before=i - 1 in gap_after) for i, t in enumerate(texts)]


def test_a_wrapped_numbered_clause_is_one_paragraph() -> None:
    blocks = join_wrapped(
        lines(
            "Vi föreslår att kommunfullmäktige beslutar:",
            "1. Att inrätta ett kommunalt pensionärsråd för att förbättra dialogen och samverkan",
            "mellan kommunen och dess äldre invånare.",
            "2. Att kommunstyrelsen ges i uppdrag att ta fram riktlinjer och en modell för hur ett",
            "kommunalt pensionärsråd ska organiseras och fungera.",
        )
    )
    assert [(b.marker, b.text) for b in blocks] == [
        (None, "Vi föreslår att kommunfullmäktige beslutar:"),
        (
            "1.",
            "Att inrätta ett kommunalt pensionärsråd för att förbättra dialogen och samverkan mellan kommunen och dess äldre invånare.",
        ),
        (
            "2.",
            "Att kommunstyrelsen ges i uppdrag att ta fram riktlinjer och en modell för hur ett kommunalt pensionärsråd ska organiseras och fungera.",
        ),
    ]


def test_a_label_line_and_short_letterhead_lines_open_paragraphs() -> None:
    blocks = join_wrapped(
        lines(
            "Kommunstyrelsen",
            "Elin Rapp",
            "- att sagda process skall inkludera alla nivåer av den kommunala verksamheten och vara klar i tid.",
            "Kommentar: ambitionen är att all verksamhet ska omfattas av styrmodellen och följas upp.",
        )
    )
    assert [b.text for b in blocks] == [
        "Kommunstyrelsen",
        "Elin Rapp",
        "att sagda process skall inkludera alla nivåer av den kommunala verksamheten och vara klar i tid.",
        "Kommentar: ambitionen är att all verksamhet ska omfattas av styrmodellen och följas upp.",
    ]


def test_a_gap_separates_paragraphs() -> None:
    blocks = join_wrapped(
        lines(
            "Anse motionen besvarad.", "En förnyad styrmodell är under framtagande.", gap_after=(0,)
        )
    )
    assert len(blocks) == 2


def test_clause_lines_after_a_short_proposal_line_stay_apart() -> None:
    blocks = join_wrapped(
        lines(
            "Med anledning av ovanstående föreslår jag att kommunfullmäktige beslutar om följande åtgärder för skolvägarna",
            "yrkar jag",
            "att kommunstyrelsen får i uppdrag att kartlägga skolvägarna",
            "att åtgärdsplanen redovisas för kommunfullmäktige",
        ),
        wrap_width=110,
    )
    assert [b.text for b in blocks][-2:] == [
        "att kommunstyrelsen får i uppdrag att kartlägga skolvägarna",
        "att åtgärdsplanen redovisas för kommunfullmäktige",
    ]
