"""Kallelse items from agenda tables, including a table split over pages."""

from __future__ import annotations

from pathlib import Path

from pipeline.stages.run import analyze

AGENDA = """<!-- sida 1 -->

KALLELSE/UNDERRÄTTELSE

Kommunstyrelsen

|  | Ärende | Beteckning | Förslag |
| --- | --- | --- | --- |
|  | Val av justerare |  | Ordinarie<br>Maria Losman (MP) |
|  | Information |  |  |
| 1. | Information om samråd och<br>viktigare pågående ärende | 2025-00014 |  |
|  | Beslutsärenden |  |  |

<!-- sida 2 -->

|  | Ärende | Beteckning | Förslag |
| --- | --- | --- | --- |
| 2. | Godkännande av exploaterings-<br>avtal för land- och<br>vattenområden | 2025-00746 | Förslag till beslut i kommunfullmäktige<br>Kommunfullmäktige godkänner avtalet. |
"""


def test_numbered_rows_of_every_agenda_table_are_items(tmp_path: Path) -> None:
    path = tmp_path / "kallelse.txt"
    path.write_text(AGENDA, encoding="utf-8")
    doc = analyze(path)
    assert doc.doc_type == "kallelse"
    assert [
        (i.nr, i.arende, i.beteckning, i.forslag, i.locations[0].page) for i in doc.kallelse_items
    ] == [
        (1, "Information om samråd och viktigare pågående ärende", "2025-00014", None, 1),
        (
            2,
            "Godkännande av exploateringsavtal för land- och vattenområden",
            "2025-00746",
            "Förslag till beslut i kommunfullmäktige Kommunfullmäktige godkänner avtalet.",
            1,  # the agenda continues on page 2: one table, which starts on page 1
        ),
    ]


def test_other_papers_have_no_kallelse_items(tmp_path: Path) -> None:
    path = tmp_path / "protokoll.txt"
    path.write_text(
        AGENDA.replace("KALLELSE/UNDERRÄTTELSE", "§ 12 Dnr KS-2025-00014"), encoding="utf-8"
    )
    assert analyze(path).kallelse_items == []


def kallelse(tmp_path: Path, text: str):
    path = tmp_path / "kallelse.txt"
    path.write_text(text, encoding="utf-8")
    return analyze(path)


PLAIN = """Sammanträde 2023-11-22

Datum
Klockan
13:00
Plats
Kommunhuset

1 Information om investeringsprojekt - Ishall, garage, avfallsterminal

Ärende 1 Diarienummer 2023/KS 0362

Kommunledningsutskottets förslag till beslut
- Informationen noteras.

Beskrivning av ärendet
Förvaltningen rapporterar uppföljningen av arbetet.

2 Återrapport - Ordförandeuppdrag om utredning

Ärende 2 Diarienummer 2021/KS 0280 013

Kommunledningsutskottets förslag till kommunstyrelsen
- Återrapporteringen noteras.

Beskrivning av ärendet
Ordföranden mottog ett mail.
"""


def test_numbered_plain_lines_with_their_number_and_proposal(tmp_path: Path) -> None:
    doc = kallelse(tmp_path, PLAIN)
    assert doc.doc_type == "kallelse"
    assert [(i.nr, i.arende, i.beteckning, i.forslag) for i in doc.kallelse_items] == [
        (
            1,
            "Information om investeringsprojekt - Ishall, garage, avfallsterminal",
            "2023/KS 0362",
            "Kommunledningsutskottets förslag till beslut - Informationen noteras.",
        ),
        (
            2,
            "Återrapport - Ordförandeuppdrag om utredning",
            "2021/KS 0280 013",
            "Kommunledningsutskottets förslag till kommunstyrelsen - Återrapporteringen noteras.",
        ),
    ]
    # The numbers belong to the items, not to the kallelse.
    assert doc.diarienummer == []


def test_a_bullet_number_with_the_title_below_and_a_number_with_an_organ(tmp_path: Path) -> None:
    doc = kallelse(
        tmp_path,
        "Regionfullmäktiges sammanträde den 12 september 2017\n\nTid:\n10:00\n\n"
        " • 1.\n\n  Inledning och justering m.m.\n\nBesvarande av interpellationer\n\n"
        " • 22.\n\n  Bordlagd motion 2016:19 av Dag Larsson (S) om akutmottagningar\n\n"
        "  LS 2016-0674\n",
    )
    assert [(i.nr, i.arende, i.beteckning) for i in doc.kallelse_items] == [
        (1, "Inledning och justering m.m.", None),
        (22, "Bordlagd motion 2016:19 av Dag Larsson (S) om akutmottagningar", "LS 2016-0674"),
    ]


def test_numbered_lines_carrying_their_dnr_and_continuing_on_the_next_page(
    tmp_path: Path,
) -> None:
    doc = kallelse(
        tmp_path,
        "KALLELSE\n\nKommunfullmäktige\n\n"
        "11. Val av justerare\n\n"
        "12. Svar på motion om fler cykelbanor Dnr KS 2024/0123\n\n"
        "13. Svar på medborgarförslag om en ny lekplats vid\n\n<!-- sida 2 -->\n\n"
        "skolan i Norrvik\n\n"
        "14. Information 13.00–13.30 Anna Berg\n",
    )
    assert [(i.nr, i.arende, i.beteckning) for i in doc.kallelse_items] == [
        (11, "Val av justerare", None),
        (12, "Svar på motion om fler cykelbanor", "KS 2024/0123"),
        (13, "Svar på medborgarförslag om en ny lekplats vid skolan i Norrvik", None),
        (14, "Information", None),
    ]


def test_numbers_that_do_not_rise_are_not_items(tmp_path: Path) -> None:
    doc = kallelse(
        tmp_path,
        "KALLELSE\n\n1. Information om budgeten\n\n2. Svar på motion om parker\n\n"
        "1 Ledamöter kallas härmed till sammanträde\n",
    )
    assert [i.nr for i in doc.kallelse_items] == [1, 2]


def test_an_unruled_agenda_whose_header_line_names_the_columns(tmp_path: Path) -> None:
    doc = kallelse(
        tmp_path,
        "KALLELSE\n\nKommunstyrelsen\n\n"
        "Nr   Ärende                                   Beteckning     Förslag\n\n"
        "1.   Information om samråd                    2025-00014\n\n"
        "2.   Svar på motion om fler cykelbanor        KS 2024/0123   Kommunstyrelsen avslår motionen.\n",
    )
    assert [(i.nr, i.arende, i.beteckning, i.forslag) for i in doc.kallelse_items] == [
        (1, "Information om samråd", "2025-00014", None),
        (
            2,
            "Svar på motion om fler cykelbanor",
            "KS 2024/0123",
            "Kommunstyrelsen avslår motionen.",
        ),
    ]


def test_a_case_number_on_the_line_below_the_title_and_no_decision_of_its_own(
    tmp_path: Path,
) -> None:
    doc = kallelse(
        tmp_path,
        "KALLELSE\nBarn- och utbildningsnämnden\nTid: 2024-11-12 kl. 13.00\n\n"
        "1. Information från förvaltningschefen\n\n"
        "2. Svar på medborgarförslag om skolgårdar\nBUN 2024/0017\n\n"
        "3. Delårsrapport 2024\nBUN 2024/0123\nFörslag till beslut\n"
        "Nämnden godkänner delårsrapporten.\n",
    )
    assert [(i.nr, i.arende, i.beteckning) for i in doc.kallelse_items] == [
        (1, "Information från förvaltningschefen", None),
        (2, "Svar på medborgarförslag om skolgårdar", "BUN 2024/0017"),
        (3, "Delårsrapport 2024", "BUN 2024/0123"),
    ]
    assert doc.decision is None
    assert doc.organ == "Barn- och utbildningsnämnden"
    assert [(d.kind, str(d.date)) for d in doc.dates] == [("sammantrade", "2024-11-12")]


def test_the_agenda_going_on_after_text_without_its_header(tmp_path: Path) -> None:
    """A page laid out apart from the table (a long proposal printed as text) leaves the
    rest of the agenda without its header: same columns, same numbering, same items."""
    text = AGENDA + (
        "\nKommunstyrelsen överlämnar ärendet till byggnadsnämnden.\n\n"
        "| 3. | Svar på remiss om vindkraft | 2025-00738 | Förslag till beslut<br>"
        "Kommunstyrelsen antar yttrandet. |\n| --- | --- | --- | --- |\n"
        "| 4. | Taxa för VA 2026 | 2025-00664 |  |\n"
    )
    doc = kallelse(tmp_path, text)
    assert [(i.nr, i.arende, i.beteckning) for i in doc.kallelse_items][2:] == [
        (3, "Svar på remiss om vindkraft", "2025-00738"),
        (4, "Taxa för VA 2026", "2025-00664"),
    ]
    other = kallelse(tmp_path, text.replace("| 4. | Taxa för VA 2026 | 2025-00664 |  |", ""))
    assert len(other.kallelse_items) == 3
