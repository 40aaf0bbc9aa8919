"""Diarienummer as municipalities print them, and the numbers that only look like one.

The table drives the tests: every family is parsed into organ, year, number and suffix and
kept as printed, behind every label municipalities use; every trap yields nothing.
"""

from __future__ import annotations

import pytest

from pipeline.document import Document, Paragraph, Section, Source
from pipeline.stages.run import run_stages

# (printed, organ, year, number, suffix): one invented example per family seen in papers.
FAMILIES = [
    ("KS-2024-00850", "KS", 2024, "00850", None),
    ("KS 2019/123", "KS", 2019, "123", None),
    ("2021/0456 KS-2", "KS", 2021, "0456", "2"),
    ("2020/BUN 0311 610", "BUN", 2020, "0311", "610"),
    ("RS2019/77", "RS", 2019, "77", None),
    ("KS/2023:45", "KS", 2023, "45", None),
    ("KS 2019.123", "KS", 2019, "123", None),
    ("KS 2019/0123-3", "KS", 2019, "0123", "3"),
    ("KS 20/399", "KS", 2020, "399", None),
    ("KS-2014/742.912", "KS", 2014, "742", "912"),
    ("2023/KS 0362", "KS", 2023, "0362", None),
    ("KSF-2023-024-539", "KSF", 2023, "024", "539"),
    ("KK15/410", "KK", 2015, "410", None),
    ("MH 2024–01701", "MH", 2024, "01701", None),
    ("KS2006/0597-53", "KS", 2006, "0597", "53"),
    ("LJ2013/154", "LJ", 2013, "154", None),
]

# Shapes without an organ: only behind a label.
BARE = [
    ("2016-4411", None, 2016, "4411", None),
    ("2015/00034", None, 2015, "00034", None),
    ("2022-00001", None, 2022, "00001", None),
    ("2024–00122", None, 2024, "00122", None),
    ("316-856/2012", "316", 2012, "856", None),
    ("KF 2023:14", "KF", 2023, "14", None),  # the shape of "SFS 2017:725": labelled only
]

LABELS = ["Dnr", "Dnr.", "Dnr:", "Diarienr", "Diarienummer", "Vårt dnr", "Ärendenr", "Beteckning"]


def paper(*texts: str, furniture: tuple[str, ...] = ()) -> Document:
    paragraphs = [Paragraph(text=t, page=1, index=i) for i, t in enumerate(texts)]
    return run_stages(
        Document(
            source=Source(path="x.txt", sha256="", format="txt", size=0),
            sections=[Section(heading=None, level=0, paragraphs=paragraphs)],
            furniture=[Paragraph(text=t, page=1, index=i) for i, t in enumerate(furniture)],
        )
    )


def parsed(doc: Document) -> list[tuple]:
    return [(d.raw, d.organ, d.year, d.number, d.suffix) for d in doc.diarienummer]


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize("family", FAMILIES + BARE, ids=lambda f: f[0])
def test_every_family_behind_every_label(family: tuple, label: str) -> None:
    assert parsed(paper("TJÄNSTESKRIVELSE", f"{label} {family[0]}")) == [family]


@pytest.mark.parametrize("family", FAMILIES + BARE, ids=lambda f: f[0])
def test_a_label_line_above_its_value_as_in_a_header_block(family: tuple) -> None:
    assert parsed(paper("TJÄNSTESKRIVELSE", "Datum", "2025-08-12", "Diarienummer", family[0])) == [
        family
    ]


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f[0])
def test_a_number_with_an_organ_needs_no_label_in_the_top(family: tuple) -> None:
    assert parsed(paper("SAMMANTRÄDESPROTOKOLL", "§ 88", family[0], "Motion om bilpool")) == [
        family
    ]


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f[0])
def test_a_running_header_carries_the_number(family: tuple) -> None:
    doc = paper("Förslag till beslut", "Anse motionen besvarad.", furniture=(f"Dnr {family[0]}",))
    assert parsed(doc) == [family]


@pytest.mark.parametrize("family", BARE, ids=lambda f: f[0])
def test_a_bare_number_without_a_label_is_not_a_case_number(family: tuple) -> None:
    assert paper("TJÄNSTESKRIVELSE", f"Ärendet avser {family[0]} enligt ovan.").diarienummer == []


def test_a_table_column_headed_by_a_label() -> None:
    table = Paragraph(
        text="Datum | Diarienummer",
        page=1,
        index=1,
        kind="table",
        rows=[["Datum", "Diarienummer"], ["2025-08-12", "2024-00850"]],
    )
    doc = run_stages(
        Document(
            source=Source(path="x.txt", sha256="", format="txt", size=0),
            sections=[
                Section(
                    heading=None,
                    level=0,
                    paragraphs=[Paragraph(text="TJÄNSTESKRIVELSE", page=1, index=0), table],
                )
            ],
        )
    )
    assert [d.raw for d in doc.diarienummer] == ["2024-00850"]


def test_a_value_broken_after_its_dash_and_a_merge_field_left_in() -> None:
    doc = paper("TJÄNSTESKRIVELSE", "Diarienummer", "MH 2024–", "01701«Diarienr»")
    assert [d.raw for d in doc.diarienummer] == ["MH 2024–01701"]


def test_label_residue_before_the_number_is_dropped() -> None:
    assert [d.raw for d in paper("Diarienummer", "IF IF-2024-00017").diarienummer] == [
        "IF-2024-00017"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Dnr 2024-06-12",  # a date
        "Datum 2025-08-12 Dnr",
        "KS 2023-06-20",  # a date behind an organ
        "Dnr KS 25/10",  # day/month behind an organ
        "Tel. 0300-83 40 00",  # phone numbers
        "Telefon 0300–834039",
        "Telefon: 08-508 290 00",
        "Organisationsnummer 212000-1355",
        "Dnr: se organisationsnummer 212000-1355",
        "enligt kommunallagen (SFS 2017:725)",
        "Dnr SFS 2017:725",
        "Kommunfullmäktige 2021-04-26 § 97",
        "Dnr § 97",
        "Sida 2 (5)",
        "1 (3)",
        "434 81 Kungsbacka",
        "Bilaga 2 – JO 2003/04 s. 174",  # a riksmöte
        "prop. 2008/09:21",
        "Dnr 2019-2023",  # a period of years
        "Index KPI 2024-03 används",  # a year and a month
        "investerar 8 miljoner under perioden 2019-2023",
        "Bordlagd motion 2016:19 av Dag Larsson (S)",
        "Personnummer 19800101-1234",
        "KSAU 16/1 Dialog plan och process nya mål mandatperiod",
        "Kostnaden beräknas till 2 500 000 kronor år 2026.",
    ],
)
def test_traps_are_never_case_numbers(text: str) -> None:
    assert paper("TJÄNSTESKRIVELSE", text).diarienummer == []


def test_numbers_the_body_cites_are_not_the_papers_own() -> None:
    body = [f"Stycke {i} om ärendets bakgrund." for i in range(12)]
    doc = paper(
        "Diarienummer",
        "KS-2024-00850",
        *body,
        "Kommunfullmäktige beslutade 2015-11-16 i ärende KS 2015/112.",
        "Bilaga 1 – JO protokoll, dnr 759–2022.",
    )
    assert [d.raw for d in doc.diarienummer] == ["KS-2024-00850"]


def test_the_addressees_number_is_not_the_papers_own() -> None:
    assert [d.raw for d in paper("Ert dnr 2024-00123", "Vårt dnr KS 2024/17").diarienummer] == [
        "KS 2024/17"
    ]


@pytest.mark.parametrize(
    ("labels", "values", "raw"),
    [
        ("Datum Diarienummer", "2025-08-12 KS-2024-00850", "KS-2024-00850"),
        ("Handläggare Datum Dnr", "Anna Berg 2025-08-12 2024-00850", "2024-00850"),
        ("Datum Vårt dnr Sida", "2025-08-12 KS 2024/17 1 (3)", "KS 2024/17"),
    ],
)
def test_an_unruled_header_row_flattened_under_its_labels(
    labels: str, values: str, raw: str
) -> None:
    assert [d.raw for d in paper("TJÄNSTESKRIVELSE", labels, values).diarienummer] == [raw]
