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
