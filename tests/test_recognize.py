"""Recognition of document type and metadata, over real Swedish phrasing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import CORPUS, SAMPLES, needs_corpus

from pipeline.document import Document, Paragraph, Section, Source
from pipeline.resources import load_patterns
from pipeline.stages.recognize import ascii_fold, find_dnr, printed_kind, recognize, rules
from pipeline.stages.run import analyze, run_stages


def paper(*texts: str, furniture: tuple[str, ...] = ()) -> Document:
    paragraphs = [Paragraph(text=t, page=1, index=i) for i, t in enumerate(texts)]
    doc = Document(
        source=Source(path="x.txt", sha256="", format="txt", size=0),
        sections=[Section(heading=None, level=0, paragraphs=paragraphs)],
        furniture=[Paragraph(text=t, page=1, index=i) for i, t in enumerate(furniture)],
    )
    return run_stages(doc)


@pytest.mark.parametrize(
    ("text", "raw", "organ", "year", "number", "suffix"),
    [
        ("Dnr KS 20/399", "KS 20/399", "KS", 2020, "399", None),
        ("Diarienummer: KS 2019/017", "KS 2019/017", "KS", 2019, "017", None),
        ("Vårt dnr KS-2014/742.912", "KS-2014/742.912", "KS", 2014, "742", "912"),
        ("Dnr 2023/KS 0362", "2023/KS 0362", "KS", 2023, "0362", None),
        (
            "Ärende KSF-2023-024-539 i kommunstyrelsen",
            "KSF-2023-024-539",
            "KSF",
            2023,
            "024",
            "539",
        ),
        ("Beslut i ärende KS/2019:73", "KS/2019:73", "KS", 2019, "73", None),
        ("Dnr KK15/410", "KK15/410", "KK", 2015, "410", None),
        ("§ 79 Dnr VO-2025-00035", "VO-2025-00035", "VO", 2025, "00035", None),
    ],
)
def test_diarienummer_forms_are_parsed(text, raw, organ, year, number, suffix) -> None:
    [dnr] = paper(text).diarienummer
    assert (dnr.raw, dnr.organ, dnr.year, dnr.number, dnr.suffix) == (
        raw,
        organ,
        year,
        number,
        suffix,
    )


@pytest.mark.parametrize(
    ("text", "raw"),
    [("Dnr 2015/00034", "2015/00034"), ("Diarienummer 2022-00001", "2022-00001")],
)
def test_bare_numbers_count_only_after_a_label(text: str, raw: str) -> None:
    assert [d.raw for d in paper(text).diarienummer] == [raw]
    assert find_dnr(text.split()[-1], labelled=False) == []


@pytest.mark.parametrize(
    "text",
    [
        "Sammanträdet hölls 2025-08-12 i Kungsbackarummet.",
        "Tel. 0690-250 324",
        "enligt kommunallagen (SFS 2017:725)",
        "KSAU 16/1 Dialog plan och process nya mål mandatperiod",
        "KS 6/2, KF 25/2 Godkännande av förslag plan och process",
        "Kostnaden beräknas till 2 500 000 kronor år 2026.",
    ],
)
def test_dates_phone_numbers_and_laws_are_not_diarienummer(text: str) -> None:
    assert paper(text).diarienummer == []


def test_the_papers_own_number_comes_first() -> None:
    doc = paper(
        "Kommunstyrelsen beslutade 2015-11-16 Ks § 216 i ärende KS 2015/112.",
        "Diarienummer",
        "KS-2024-00850",
    )
    assert [d.raw for d in doc.diarienummer] == ["KS-2024-00850", "KS 2015/112"]


@pytest.mark.parametrize(
    ("texts", "doc_type"),
    [
        (
            (
                "Motion till kommunfullmäktige",
                "Motion om fler cykelbanor",
                "Vi föreslår att kommunen bygger fler cykelbanor.",
            ),
            "motion",
        ),
        (
            (
                "Medborgarförslag om en tillgänglig lekplats",
                "Jag föreslår att kommunen bygger om lekplatsen.",
            ),
            "medborgarforslag",
        ),
        (
            (
                "Förslag till svar på motion om strukturerat målstyrningsarbete",
                "Förslag till beslut",
                "Anse motionen besvarad.",
            ),
            "motionssvar",
        ),
        (
            (
                "TJÄNSTESKRIVELSE",
                "Mål för mandatperioden",
                "Förslag till beslut",
                "Nämnden godkänner tidsplanen.",
            ),
            "tjansteskrivelse",
        ),
        (
            (
                "TJÄNSTESKRIVELSE",
                "Fler cykelbanor",
                "Förslag till beslut",
                "Kommunfullmäktige avslår motionen.",
            ),
            "motionssvar",
        ),
        (
            ("2025-09-23", "§ 197 Dnr KS-2024-00850", "Svar på motion om ett pensionärsråd"),
            "protokoll",
        ),
        (
            (
                "KALLELSE/UNDERRÄTTELSE",
                "Kommunstyrelsen",
                "Sammanträde tisdagen den 25 november 2025",
            ),
            "kallelse",
        ),
        (
            ("Förslag till justerad målstyrningsmodell", "Bakgrund", "Modellen togs fram 2009."),
            "styrdokument",
        ),
        (("Anteckningar från studiebesöket", "Vi besökte biblioteket."), "okand"),
        (("Interpellation till kommunstyrelsens ordförande om skolskjutsar",), "okand"),
        (("Svar på interpellation om skolskjutsar", "Vi föreslår att"), "okand"),
        (("Enkel fråga till kommunalrådet", "Jag vill att"), "okand"),
        (("Norrvik 2025-02-04", "Begäran om återremiss av ärende KS § 40"), "okand"),
        (("2025-01-15 Norrvik", "Initiativärende i Kommunstyrelsen", "Vi föreslår att"), "okand"),
        (("Reservation", "Vi reserverar oss mot beslutet."), "okand"),
        (("Solpaneler på kommunens tak", "Centerpartiet föreslår genom denna motion"), "motion"),
        (("Drogtester i skolan", "Med hänvisning till ovanstående föreslår vi:"), "motion"),
        (
            ("Bakgrund:", "Förslag till beslut:", "Sverigedemokraterna föreslår kommunfullmäktige"),
            "motion",
        ),
        (("Sammanträde 2023-11-22", "Datum", "Klockan", "13:00"), "kallelse"),
        (("Regionfullmäktiges sammanträde den 12 september 2017", "Tid:"), "kallelse"),
        (("Utdrag ur protokoll", "Kommunstyrelsen"), "protokoll"),
        (("Kommunstyrelsen Protokoll 2021-11-15", "Motion om cykelbanor"), "protokoll"),
        (("KS § 88", "Motion. Inrättande av bilpool"), "protokoll"),
        (("Motion om protokoll från nämnderna", "Vi föreslår att"), "motion"),
        (("Motion om digitala protokoll", "Vi föreslår att"), "motion"),
        (
            (
                "Föredras förvaltningsutskottets förslag.",
                "Ordföranden ställer förslagen under proposition och finner bifall.",
            ),
            "protokoll",
        ),
        (("E-förslag: fler papperskorgar i parken", "Jag vill att kommunen"), "medborgarforslag"),
        (("Fler bänkar i parken", "Jag vill därför se fler bänkar."), "medborgarforslag"),
        (("Yttrande över motion om fler bänkar", "Nämnden avstyrker."), "motionssvar"),
        (
            ("MISSIV", "Förslag till beslut", "Styrelsen föreslår att avslå motionen."),
            "motionssvar",
        ),
        (("Övergripande mål", "Strategiområde 1 – hållbar utveckling"), "styrdokument"),
        (
            ("TJÄNSTESKRIVELSE", "Parkering", "Vi föreslår att nämnden godkänner planen."),
            "tjansteskrivelse",
        ),
    ],
)
def test_doc_type(texts: tuple[str, ...], doc_type: str) -> None:
    assert paper(*texts).doc_type == doc_type


def test_swedish_long_dates_and_their_kinds() -> None:
    doc = paper("Inkom 2024-03-18", "Norrvik den 4 februari 2025", "Sammanträdesdatum 2025-09-23")
    assert [(d.kind, d.date) for d in doc.dates] == [
        ("inkom", dt.date(2024, 3, 18)),
        ("dokument", dt.date(2025, 2, 4)),  # a place and date in the letterhead
        ("sammantrade", dt.date(2025, 9, 23)),
    ]


def test_impossible_dates_are_ignored() -> None:
    assert paper("Datum 2025-02-30").dates == []


@pytest.mark.parametrize(
    ("text", "name", "party"),
    [
        ("Svar på motion från Roger Larsson (KB) om ett pensionärsråd", "Roger Larsson", "KB"),
        (
            "Joakim Bäckström, VF, har lämnat en motion angående kommunens målstyrning.",
            "Joakim Bäckström",
            "VF",
        ),
        (
            "Ermin Škorić (S) m.fl. har inkommit med en motion om ett seniorråd.",
            "Ermin Škorić",
            "S",
        ),
    ],
)
def test_motion_authors_and_parties(text: str, name: str, party: str) -> None:
    [author] = paper("TJÄNSTESKRIVELSE", text).authors
    assert (author.name, author.party) == (name, party)


def test_municipality_organ_and_handlaggare() -> None:
    doc = paper(
        "Mariestads kommun",
        "Kommunstyrelsen",
        "Elin Rapp",
        "Tel. 0690-250 324 elin.rapp@example.se",
        "Förslag till justerad målstyrningsmodell",
    )
    assert (doc.municipality, doc.organ, doc.handlaggare) == (
        "Mariestad",
        "Kommunstyrelsen",
        "Elin Rapp",
    )
    assert paper("Ånge kommun").municipality == "Ånge"
    assert paper("Borås kommun").municipality == "Borås"
    assert paper("Idag saknar vår kommun ett sådant forum.").municipality is None


def test_the_list_of_kommuner_is_complete() -> None:
    kommuner = load_patterns("pipeline.stages", "kommuner")["kommuner"]
    assert all(isinstance(name, str) and name.strip() == name for name in kommuner)
    assert len(kommuner) == 290
    assert len(set(kommuner)) == 290
    assert {"Ånge", "Upplands Väsby", "Upplands-Bro", "Malung-Sälen", "Dals-Ed", "Gotland"} <= set(
        kommuner
    )


def test_every_domain_label_names_a_listed_kommun() -> None:
    kommuner = set(load_patterns("pipeline.stages", "kommuner")["kommuner"])
    regioner = {f"Region {r}" for r in load_patterns("pipeline.stages", "kommuner")["regioner"]}
    labels = rules().municipality_domains
    assert set(labels.values()) == kommuner | regioner
    assert all(label == ascii_fold(label) and " " not in label for label in labels)
    assert (labels["ange"], labels["upplandsvasby"], labels["malung-salen"]) == (
        "Ånge",
        "Upplands Väsby",
        "Malung-Sälen",
    )


@pytest.mark.parametrize(
    ("texts", "municipality"),
    [
        (("Kommunstyrelsen", "Elin Rapp", "Tel. 0690-250 324, elin.rapp@ange.se"), "Ånge"),
        (("Kontakt: kommun@upplandsvasby.se",), "Upplands Väsby"),
        (("Läs mer på www.malung-salen.se/bygga-bo",), "Malung-Sälen"),
        (("Handlingarna finns på https://www.dalsed.se/politik.",), "Dals-Ed"),
        (("Region Gotland, registrator@gotland.se",), "Gotland"),
        (("Besök https://kommun.varnamo.se/ eller ring växeln.",), "Värnamo"),
        (("Frågor besvaras av ANNA.BERG@ENGELHOLM.SE",), "Ängelholm"),
        (
            (
                "Kopia till lars.holm@skr.se och kommun@timra.se",
                "Handläggare: karin.ek@ange.se",
                "Svar till ange.kansli@ange.se senast 1 mars.",
            ),
            "Ånge",
        ),
        (("Svar skickas till per.svensson@gmail.com",), None),
        (("Kopia till SKR, lars.holm@skr.se",), None),
        (("Se www.lansstyrelsen.se och www.riksdagen.se",), None),
        (("Synpunkter till info@ange.se.example.com",), None),
        (("Timrå kommun", "Kontakt: elin.rapp@ange.se"), "Timrå"),
        (("Till: Regionfullmäktige", "Kontakt: anna.berg@regionhalland.se"), "Region Halland"),
    ],
)
def test_municipality_from_its_own_domain(texts: tuple[str, ...], municipality: str | None) -> None:
    assert paper(*texts).municipality == municipality


def gold_files() -> list[Path]:
    corpus = sorted(CORPUS.glob("*.gold.json")) if CORPUS.is_dir() else []
    return corpus + sorted(SAMPLES.glob("*.gold.json"))


@pytest.mark.parametrize("gold_path", gold_files(), ids=lambda p: p.name.split(".")[0])
def test_doc_type_diarienummer_and_title_match_the_gold(gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    doc = analyze(gold_path.parent / gold["file"])
    assert doc.doc_type == gold["doc_type"]
    assert [d.raw for d in doc.diarienummer] == gold["diarienummer"]
    assert doc.title == gold["title"]


@needs_corpus
def test_the_corpus_is_present_for_the_gold_comparison() -> None:
    assert len(list(CORPUS.glob("*.gold.json"))) == 12


def test_recognize_is_a_pure_stage() -> None:
    doc = paper("Motion om fler cykelbanor i Norrvik")
    assert recognize(doc).doc_type == "motion"


@pytest.mark.parametrize(
    ("texts", "date"),
    [
        (("Motion om fler bänkar", "Vi föreslår att", "Norrvik den 4 februari 2025"), "2025-02-04"),
        (("Motion om fler bänkar", "Datum 2025-02-04", "Vi föreslår att"), "2025-02-04"),
        (("Motion om fler bänkar", "Vi föreslår att", "Norrvik 4/2 2025"), "2025-02-04"),
        (("Motion om fler bänkar", "Vi föreslår att", "Lidköping 2014-06-16"), "2014-06-16"),
        (("080331:", "Motion om åtgärder mot drogsamhället"), "2008-03-31"),
        (("Motion 2024-09-09", "Ökat samarbete för barns hälsa"), "2024-09-09"),
        (("Motion till fullmäktige om ID-kontroller Kungsbacka 230928",), "2023-09-28"),
        (("Motion om fler bänkar", "Vi föreslår att", "Norrvik den 4 feb. 2025"), "2025-02-04"),
    ],
)
def test_a_motions_own_date_wherever_it_is_printed(texts: tuple[str, ...], date: str) -> None:
    doc = paper(*texts)
    assert doc.doc_type == "motion"
    assert [str(d.date) for d in doc.dates if d.kind == "motion"] == [date]


def test_dates_the_motion_mentions_are_not_its_own() -> None:
    doc = paper(
        "Motion om trygghet",
        "Kommunstyrelsen beslutade den 6 oktober 2020 om en plan, antagen av KS 2023-06-20.",
        "Vi föreslår att planen ses över.",
    )
    assert [d for d in doc.dates if d.kind == "motion"] == []
    assert len(doc.dates) == 2


@pytest.mark.parametrize(
    ("texts", "name", "party"),
    [
        (
            ("Motion om ordningsvakter", "Vi yrkar att", "Taisto Tikkanen, Sverigedemokraterna"),
            "Taisto Tikkanen",
            "SD",
        ),
        (
            ("Motion om solel", "Vi föreslår att", "Ingela Nilsson", "Centerpartiet i Vimmerby"),
            "Ingela Nilsson",
            "C",
        ),
        (
            ("Motion om solel", "Vi föreslår att", "Inga Jonasson, för Vänsterpartiet i Älmhult"),
            "Inga Jonasson",
            "V",
        ),
        (
            ("Motion om drogtester", "Vi föreslår att", "Markus Wiechel (SD)"),
            "Markus Wiechel",
            "SD",
        ),
    ],
)
def test_signatures_with_the_party_written_out(
    texts: tuple[str, ...], name: str, party: str
) -> None:
    assert [(a.name, a.party) for a in paper(*texts).authors] == [(name, party)]


@pytest.mark.parametrize(
    ("texts", "municipality"),
    [
        (
            ("Motion om solel", "Vi föreslår att", "Ingela Nilsson", "Centerpartiet i Vimmerby"),
            "Vimmerby",
        ),
        (("Motion om solel", "Vi föreslår att", "Lidköping 2014-06-16"), "Lidköping"),
        (("Till Lidköpings kommunfullmäktige", "Motion om ett ungdomsråd"), "Lidköping"),
        (("Motion", "Till Kommunfullmäktige i Lekebergs Kommun"), "Lekeberg"),
        (("Sverigedemokraterna Kungsbacka genom", "Stefan Jägnert (SD)"), "Kungsbacka"),
        (("Motion", "Till: Regionfullmäktige", "Region Jönköpings län"), "Region Jönköpings län"),
        (("Region Gotland", "Motion om bilpool"), "Gotland"),
        (("Motion om solel", "Vi föreslår att", "Norrvik den 4 februari 2025"), None),
    ],
)
def test_municipality_from_signature_address_or_region(
    texts: tuple[str, ...], municipality: str | None
) -> None:
    assert paper(*texts).municipality == municipality


@pytest.mark.parametrize(
    ("texts", "title"),
    [
        (
            (
                "2024-01-30",
                "Motion till kommunfullmäktige om tolkavgift i Norrviks kommun:",
                "Tolkavgift",
            ),
            "Motion till kommunfullmäktige om tolkavgift i Norrviks kommun",
        ),
        (
            ("Till Norrviks kommunfullmäktige", "Motion angående ett ungdomsråd."),
            "Motion angående ett ungdomsråd",
        ),
        (
            ("Motion till fullmäktige om ID-kontroller Norrvik 230928", "Vi föreslår att"),
            "Motion till fullmäktige om ID-kontroller",
        ),
        (
            ("Kr . eS Socialdemokraterna", "Motion 2024-09-09", "Ökat samarbete för barns hälsa"),
            "Ökat samarbete för barns hälsa",
        ),
        (
            ("Norrvik den 24 september 2023", "Motion", "Fler bänkar i parken"),
            "Fler bänkar i parken",
        ),
        (
            (
                "2025-01-15 Norrvik",
                "Initiativärende i Kommunstyrelsen",
                "Ansökan om investeringsstöd",
            ),
            "Ansökan om investeringsstöd",
        ),
        (
            ("Reservation", "Reservation mot beslut fattat av Kommunfullmäktige 2020-08-27;"),
            "Reservation mot beslut fattat av Kommunfullmäktige 2020-08-27",
        ),
        (
            ("Norrvik 2018-02-27", "Begäran om återremiss av ärende KS § 40 KS 2017.0361"),
            "Begäran om återremiss av ärende KS § 40 KS 2017.0361",
        ),
        (
            ("Dnr KS 2019/389", "§ 257 Besvarande av motion om måltider", "Beslut"),
            "§ 257 Besvarande av motion om måltider",
        ),
        (
            ("SAMMANTRÄDESPROTOKOLL", "KS § 88", "Motion. Inrättande av bilpool"),
            "Motion. Inrättande av bilpool",
        ),
        (("Övergripande mål 2024", "Kommunen ska vara trygg"), "Övergripande mål 2024"),
        (("Sammanträde 2023-11-22", "Datum", "Klockan"), "Sammanträde 2023-11-22"),
    ],
)
def test_titles_as_printed(texts: tuple[str, ...], title: str) -> None:
    assert paper(*texts).title == title


def test_a_title_set_as_a_word_heading() -> None:
    paragraphs = [
        Paragraph(text="Motion", page=1, index=0),
        Paragraph(text="Fler cykelbanor i Norrvik", page=1, index=1, kind="heading", level=1),
        Paragraph(text="Vi föreslår att kommunen bygger fler.", page=1, index=2),
        Paragraph(text="Bakgrund", page=1, index=3, kind="heading", level=1),
        Paragraph(text="Det saknas cykelbanor i hela kommunen idag.", page=1, index=4),
    ]
    doc = run_stages(
        Document(
            source=Source(path="x.docx", sha256="", format="docx", size=0),
            sections=[Section(heading=None, level=0, paragraphs=paragraphs)],
        )
    )
    assert doc.title == "Fler cykelbanor i Norrvik"


@pytest.mark.parametrize(
    ("texts", "kind"),
    [
        (("Interpellation till kommunstyrelsens ordförande om skolskjutsar",), "Interpellation"),
        (
            ("Norrvik 2018-02-27", "Begäran om återremiss av ärende KS § 40"),
            "Begäran om återremiss",
        ),
        (("Motion om fler bänkar", "Vi föreslår att"), None),
        (("2025-01-15", "Initiativärende i Kommunstyrelsen", "Robust kommun"), "Initiativärende"),
        (("Reservation mot beslut fattat av Kommunfullmäktige 2020-08-27",), "Reservation"),
    ],
)
def test_the_printed_kind_of_a_paper_the_schema_has_no_type_for(
    texts: tuple[str, ...], kind: str | None
) -> None:
    doc = paper(*texts)
    assert printed_kind(doc) == kind
    # The contract carries it for the papers the schema has no type for.
    assert doc.printed_kind == (kind if doc.doc_type == "okand" else None)
    if kind is not None:
        assert doc.doc_type == "okand"


def test_the_date_an_answer_cites_for_its_motion() -> None:
    doc = paper(
        "Tjänsteskrivelse",
        "2024-05-12",
        "Svar på motion om laddstolpar",
        "Lena Holm (MP) har i en motion daterad 2023-11-02 föreslagit laddstolpar.",
    )
    assert [(d.kind, str(d.date)) for d in doc.dates] == [
        ("dokument", "2024-05-12"),
        ("motion", "2023-11-02"),
    ]


def test_a_paragraph_line_with_its_number_and_subject() -> None:
    doc = paper("PROTOKOLL", "§ 45 Dnr KS 2022/0811 Motion om fler cykelställ i centrum", "Beslut")
    assert (doc.doc_type, doc.title) == ("protokoll", "Motion om fler cykelställ i centrum")


def test_a_forms_title_label_is_not_part_of_the_title() -> None:
    doc = paper(
        "MEDBORGARFÖRSLAG", "Förslagets rubrik: Hundrastgård i Västra Ängen", "Jag föreslår att"
    )
    assert (doc.doc_type, doc.title) == ("medborgarforslag", "Hundrastgård i Västra Ängen")


def test_a_date_whose_kind_follows_it() -> None:
    doc = paper(
        "Svar på motion om återvinning",
        "Karin Ek (C) har den 12 januari 2024 inkommit med en motion.",
    )
    assert [(d.kind, str(d.date)) for d in doc.dates] == [("inkom", "2024-01-12")]


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        # A date in the heading line names the paper's date.
        (
            (
                "Medborgarförslag att behandlas av kommunfullmäktige i Norrvik onsdagen "
                "12 dec 2018 kl. 18.30",
                "Vi föreslår att kommunen bygger en gångbro.",
            ),
            ("medborgarforslag", "2018-12-12", "12 dec 2018"),
        ),
        # A signature with the month and year only.
        (
            (
                "Motion om fler bänkar",
                "Vi föreslår att kommunen ställer ut bänkar.",
                "Norrvik i mars 2014",
                "Anna Berg (C)",
            ),
            ("motion", "2014-03-01", "mars 2014"),
        ),
        # A year-less signature date takes the year of the paper's own Dnr.
        (
            (
                "Motion om fler bänkar",
                "Dnr KS 2025/112",
                "Vi föreslår att kommunen ställer ut bänkar.",
                "Norrvik den 4 februari",
                "Anna Berg (C)",
            ),
            ("motion", "2025-02-04", "4 februari"),
        ),
    ],
)
def test_a_proposal_dated_in_its_heading_or_in_part(
    texts: tuple[str, ...], expected: tuple[str, str, str]
) -> None:
    doc = paper(*texts)
    assert expected in [(d.kind, str(d.date), d.raw) for d in doc.dates]


@pytest.mark.parametrize(
    "texts",
    [
        # A month and year in running prose refers to something else.
        (
            "Motion om fartdämpning",
            "Vi uttryckte redan i januari 2017 ett förslag om fartdämpande åtgärder.",
            "Vi föreslår att kommunen sätter upp farthinder.",
        ),
        # A year-less day and month with no year anywhere in the paper stays undated.
        (
            "Motion om fler bänkar",
            "Vi föreslår att kommunen ställer ut bänkar.",
            "Norrvik den 4 februari",
        ),
        # A sentence among the first lines is no heading.
        (
            "Motion om laddplatser",
            "Kommunfullmäktige beslutade den 12 mars 2019 om en plan för laddplatser.",
            "Vi föreslår att planen följs upp.",
        ),
    ],
)
def test_a_proposal_without_a_date_of_its_own(texts: tuple[str, ...]) -> None:
    doc = paper(*texts)
    assert [d for d in doc.dates if d.kind == doc.doc_type] == []


def test_a_follow_up_report_is_named_by_its_running_header() -> None:
    doc = paper(
        "Uppföljning mål",
        "Kommunens främsta styrdokument är visionen.",
        "Övergripande mål",
        "Beslutats av",
        "Kommunfullmäktige",
        furniture=("Kommunstyrelsen Norrviks kommun", "Delårsrapport augusti 2024"),
    )
    assert doc.doc_type == "styrdokument"
    assert doc.title == "Delårsrapport augusti 2024"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "MISSIV 1(1) LJ2013/154 Förvaltningsnamn Landstingsfullmäktige Motion: Hur har "
            "jämställdheten påverkats av vårdval? I en motion till landstingsfullmäktige "
            "föreslår Inga Jonasson att det genomförs jämställdhetsanalyser inom alla enheter "
            "inom vårdvalet. Allmänpolitiska utskottet har avgivit yttrande. Förslag till beslut "
            "Landstingsstyrelsen föreslår landstingsfullmäktige besluta att avslå motionen.",
            "Motion: Hur har jämställdheten påverkats av vårdval?",
        ),
        # No stop within a title's length: no title guessed from the flattened page.
        (
            "MISSIV 1(1) Landstingsfullmäktige Motion om fler bänkar i parken I en motion till "
            "landstingsfullmäktige föreslår Inga Jonasson att det ställs ut bänkar i alla parker "
            "och att bänkarna målas gröna och att de ses över varje vår och höst av förvaltningen "
            "som ansvarar. Landstingsstyrelsen föreslår landstingsfullmäktige besluta att avslå.",
            None,
        ),
    ],
)
def test_the_title_inside_a_flattened_page(line: str, expected: str | None) -> None:
    assert paper(line).title == expected


def test_a_bare_kind_line_and_its_address_name_a_paper_without_a_subject() -> None:
    doc = paper(
        "Motion",
        "Till Kommunfullmäktige i Norrviks kommun",
        "Vi socialdemokrater värnar om demokrati.",
        "Vi föreslår fullmäktige besluta",
        "att motionen bereds i styrelsen.",
        "För den socialdemokratiska gruppen",
    )
    assert doc.title == "Motion till Kommunfullmäktige i Norrviks kommun"


def test_a_subject_line_under_the_address_is_the_title() -> None:
    doc = paper(
        "Medborgarförslag",
        "Till Kommunfullmäktige i Norrviks kommun",
        "Inkom 2024-03-18",
        "Medborgarförslag om en tillgänglig lekplats i Strandparken",
        "Lekplatsen i Strandparken är i dag svår att använda för barn som använder rullstol.",
    )
    assert doc.title == "Medborgarförslag om en tillgänglig lekplats i Strandparken"
