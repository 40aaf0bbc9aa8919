"""The decision stage over real Swedish decision sentences."""

from __future__ import annotations

import pytest

from pipeline.document import Document, Paragraph, Section, Source
from pipeline.stages.decision import outcome
from pipeline.stages.run import run_stages


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Anse motionen besvarad. En förnyad styrmodell är under framtagande.", "besvarad"),
        (
            "Kommunfullmäktige anser motionen besvarad med hänvisning till att kommunen redan har etablerade forum.",
            "besvarad",
        ),
        (
            "Kommunfullmäktige avslår motionen med hänvisning till att kommunen redan har etablerade forum för dialog med seniorer.",
            "avslag",
        ),
        (
            "Kommunstyrelsens arbetsutskott remitterar motionen till nämnden för Vård & Omsorg för beredning.",
            "remiss",
        ),
        ("Ärendet överlämnas till kommunstyrelsen för beredning.", "remiss"),
        ("Kommunfullmäktige bifaller motionen.", "bifall"),
        ("Nämnden tillstyrker medborgarförslaget.", "bifall"),
        ("Kommunfullmäktige bifaller motionen delvis och avslår den i övrigt.", "delvis_bifall"),
        ("Ärendet återremitteras till kommunstyrelsen.", "remiss"),
        ("Motionen avskrivs eftersom den inte har beretts inom ett år.", "avskrivning"),
        ("Motionen bifalls och kommunstyrelsen får i uppdrag att utarbeta förslag.", "bifall"),
        ("Motionen bifalles.", "bifall"),
        ("Nämnden föreslår kommunfullmäktige att bifalla motionen.", "bifall"),
        ("Medborgarförslaget avslås.", "avslag"),
        ("Nämnden avstyrker motionen.", "avslag"),
        ("Motionen anses besvarad.", "besvarad"),
        ("Motionen förklaras besvarad.", "besvarad"),
        (
            "Kommunstyrelsen föreslår kommunfullmäktige att anse medborgarförslaget vara besvarat.",
            "besvarad",
        ),
        ("Regionfullmäktige beslutar att motionen är besvarad.", "besvarad"),
        ("Motionen remitteras till tekniska nämnden.", "remiss"),
        ("Motionen överlämnas för beredning.", "remiss"),
        (
            "Kommunfullmäktige avslår motionen i den del som avser kontroller. Kommunfullmäktige "
            "bifaller motionen i de delar som avser ID-kontroll.",
            "delvis_bifall",
        ),
        (
            "Landstingsstyrelsen föreslår landstingsfullmäktige besluta att avslå motionen när det "
            "gäller ägandeförhållande samt, att anse motionen besvarad när det gäller patienterna.",
            "avslag",
        ),
        ("Kommunfullmäktige avslår Lisa Anderssons yrkande och bifaller motionen.", "bifall"),
        ("Kommunfullmäktige bifaller kommunstyrelsens förslag.", None),
        ("Kommunfullmäktige bifaller motionens förslag.", "bifall"),
        (
            "Kommunfullmäktige beslutar enligt arbetsutskottets förslag och avslår motionen.",
            "avslag",
        ),
        ("Informationen noteras.", None),
        ("Kommunstyrelsens arbetsutskott godkänner den övergripande tidsplanen.", None),
    ],
)
def test_outcome_vocabulary(text: str, expected: str | None) -> None:
    assert outcome(text) == expected


def paper(*paragraphs: Paragraph) -> Document:
    for i, p in enumerate(paragraphs):
        p.index = i
    return run_stages(
        Document(
            source=Source(path="x.txt", sha256="", format="txt", size=0),
            sections=[Section(heading=None, level=0, paragraphs=list(paragraphs))],
        )
    )


def text(value: str) -> Paragraph:
    return Paragraph(text=value, page=1, index=0)


def test_a_protokoll_decision_with_its_vote_count() -> None:
    doc = paper(
        text("2025-09-23"),
        text("§ 197 Dnr KS-2024-00850"),
        text("Svar på motion om ett kommunalt pensionärsråd"),
        text("Beslut – Förslag till kommunfullmäktige"),
        text("Kommunfullmäktige anser motionen besvarad med hänvisning till befintliga forum."),
        text("Omröstningsresultat"),
        Paragraph(
            text="",
            page=1,
            index=0,
            kind="table",
            rows=[
                ["Ledamot", "Ja-röst", "Nej-röst", "Avstår från att rösta"],
                ["A (M)", "X", "", ""],
                ["B (S)", "", "X", ""],
                ["C (M)", "X", "", ""],
            ],
        ),
    )
    assert doc.decision is not None
    assert (
        doc.decision.text
        == "Kommunfullmäktige anser motionen besvarad med hänvisning till befintliga forum."
    )
    assert doc.decision.outcome == "besvarad"
    assert (doc.decision.votes.ja, doc.decision.votes.nej, doc.decision.votes.avstar) == (2, 1, 0)


def test_a_tjansteskrivelse_proposal_in_several_sentences() -> None:
    doc = paper(
        text("TJÄNSTESKRIVELSE"),
        text("Mål för mandatperioden 2019-2022"),
        text("Förslag till beslut"),
        text("Kommunstyrelsens arbetsutskott godkänner tidsplanen."),
        text(
            "Kommunstyrelsens arbetsutskott uppdrar till kommunledningskontoret att ta fram en plan."
        ),
        text("Sammanfattning av ärendet"),
        text("Inför budget 2020 ska varje nämnd ta fram mål."),
    )
    assert doc.decision.text == (
        "Kommunstyrelsens arbetsutskott godkänner tidsplanen. "
        "Kommunstyrelsens arbetsutskott uppdrar till kommunledningskontoret att ta fram en plan."
    )
    assert doc.decision.outcome is None


def test_no_decision_heading_no_decision() -> None:
    assert (
        paper(
            text("Motion om cykelbanor"), text("Jag föreslår att kommunen bygger cykelbanor.")
        ).decision
        is None
    )


def test_counter_proposals_reservations_and_a_counted_vote() -> None:
    doc = paper(
        text("§ 197 Dnr KS-2024-00850"),
        text("Svar på motion om ett kommunalt pensionärsråd"),
        text("Beslut"),
        text("Kommunfullmäktige anser motionen besvarad."),
        text("Yrkanden"),
        text("Lisa Andersson (M) yrkar bifall till arbetsutskottets förslag."),
        text(
            "Patrik Jervne Henestam (V), Magdalena Sundqvist (S) och Johan Tolinsson (S) yrkar bifall till att-satserna 1 och 2 i motionen."
        ),
        text(
            "Ordföranden finner att kommunstyrelsen, med 11 ja-röster mot 4 nej-röster, beslutar enligt arbetsutskottets förslag."
        ),
        text("Reservation"),
        text(
            "Ermin Škorić (S) och Eva Tingström (S) reserverar sig mot beslutet till förmån för eget förslag."
        ),
    )
    decision = doc.decision
    assert [c.who for c in decision.counter_proposals] == [
        "Patrik Jervne Henestam (V), Magdalena Sundqvist (S) och Johan Tolinsson (S)"
    ]
    assert (decision.votes.ja, decision.votes.nej) == (11, 4)
    assert decision.reservations == [
        "Ermin Škorić (S) och Eva Tingström (S) reserverar sig mot beslutet till förmån för eget förslag."
    ]


def test_outcomes_per_att_sats_where_the_decision_states_them() -> None:
    doc = paper(
        text("Förslag till beslut"),
        text("Kommunfullmäktige bifaller att-sats 1 och avslår att-satserna 2 och 3."),
    )
    assert doc.decision.per_att_sats == {1: "bifall", 2: "avslag", 3: "avslag"}


def test_a_proposal_heading_run_into_its_first_sentence() -> None:
    doc = paper(
        text("TJÄNSTESKRIVELSE"),
        text(
            "Nämnden för Individ & Familjeomsorgs förslag till Kommunfullmäktige "
            "Kommunfullmäktige avslår motionen med hänvisning till pågående arbete."
        ),
        text("Sammanfattning av ärendet"),
        text("En motion har inkommit."),
    )
    assert doc.decision.text == (
        "Kommunfullmäktige avslår motionen med hänvisning till pågående arbete."
    )
    assert doc.decision.outcome == "avslag"


def test_a_decision_in_the_organs_own_voice_without_a_heading() -> None:
    doc = paper(
        text("Svar på medborgarförslag om fler lekplatser"),
        text("Kommunfullmäktige 28 januari 2021"),
        text(
            "Kommunstyrelsen föreslår kommunfullmäktige att anse medborgarförslaget vara besvarat."
        ),
        text("Ett medborgarförslag har inkommit om lekplatser."),
    )
    assert doc.decision.text == (
        "Kommunstyrelsen föreslår kommunfullmäktige att anse medborgarförslaget vara besvarat."
    )
    assert doc.decision.outcome == "besvarad"


def test_a_flattened_page_with_the_proposal_heading_mid_line() -> None:
    doc = paper(
        text(
            "MISSIV 1(1) Landstingsfullmäktige Motion om vårdval Allmänpolitiska utskottet har "
            "avgivit yttrande. Förslag till beslut Landstingsstyrelsen föreslår "
            "landstingsfullmäktige besluta att avslå motionen. LANDSTINGSSTYRELSEN Anna Berg"
        )
    )
    assert doc.decision.text == (
        "Landstingsstyrelsen föreslår landstingsfullmäktige besluta att avslå motionen."
    )
    assert doc.decision.outcome == "avslag"


def test_a_decision_that_adopts_the_proposal_put_to_the_meeting() -> None:
    item = Paragraph(text="att motionen därmed anses besvarad.", page=1, index=0, kind="list_item")
    doc = paper(
        text("Föredras förvaltningsutskottets förslag angående motion om representation."),
        text("Under överläggningen yrkar Kurt Jansson bifall till förvaltningsutskottets förslag"),
        item,
        text("Henrik Lindström yrkar bifall till motionen."),
        text("Ordföranden ställer förslagen under proposition och finner förslaget bifallet."),
        text("Landstinget beslutar i enlighet härmed."),
        text(
            "Mot beslutet anmäler Sverker Ågren och Karin Lindmark reservation till förmån för motionen."
        ),
    )
    assert doc.doc_type == "protokoll"
    assert doc.decision.text == "Landstinget beslutar i enlighet härmed."
    assert doc.decision.outcome == "besvarad"
    assert len(doc.decision.reservations) == 1


def test_numbered_decision_points_keep_their_numbers_up_to_the_next_label() -> None:
    doc = paper(
        text("Fullmäktige bifaller motionen om solel"),
        text("Fullmäktiges beslut:"),
        Paragraph(
            text="Kommunfullmäktige bifaller motionen.",
            page=1,
            index=0,
            kind="list_item",
            marker="1.",
        ),
        Paragraph(
            text="Förvaltningen får i uppdrag.", page=1, index=0, kind="list_item", marker="2."
        ),
        text("Motionens att-satser:"),
        Paragraph(text="Att kommunen investerar", page=1, index=0, kind="list_item", marker="–"),
    )
    assert doc.decision.text == (
        "1. Kommunfullmäktige bifaller motionen. 2. Förvaltningen får i uppdrag."
    )
    assert doc.decision.outcome == "bifall"


def test_outcomes_per_att_sats_in_the_passive() -> None:
    doc = paper(
        text("Förslag till beslut"),
        text("Att-sats 1 bifalls, att-satserna 2 och 3 avslås och att-sats 4 anses besvarad."),
    )
    assert doc.decision.per_att_sats == {1: "bifall", 2: "avslag", 3: "avslag", 4: "besvarad"}
    assert doc.decision.outcome == "delvis_bifall"


def test_a_decision_that_adopts_the_proposal_of_another_section() -> None:
    doc = paper(
        text("§ 12 Dnr KS 2024/17"),
        text("Svar på motion om cykelbanor"),
        text("Beslut"),
        text("Kommunfullmäktige bifaller kommunstyrelsens förslag."),
        text("Kommunstyrelsens förslag till beslut"),
        text("Kommunfullmäktige avslår motionen."),
    )
    assert doc.decision.text == "Kommunfullmäktige bifaller kommunstyrelsens förslag."
    assert doc.decision.outcome == "avslag"


@pytest.mark.parametrize(
    ("sentence", "counts"),
    [
        (
            "Ordföranden finner att kommunstyrelsen, med 11 ja-röster mot 4 nej-röster, beslutar.",
            (11, 4, None),
        ),
        ("Omröstningsresultat: 9 ja, 4 nej, 2 avstår.", (9, 4, 2)),
        (
            "Med 30 ja mot 21 nej och 2 avstående beslutar fullmäktige enligt förslaget.",
            (30, 21, 2),
        ),
    ],
)
def test_votes_counted_in_the_text(sentence: str, counts: tuple) -> None:
    doc = paper(text("Beslut"), text("Kommunfullmäktige avslår motionen."), text(sentence))
    votes = doc.decision.votes
    assert (votes.ja, votes.nej, votes.avstar) == counts


def test_a_short_decision_run_into_its_heading() -> None:
    doc = paper(
        text("PROTOKOLL"),
        text("§ 45 Dnr KS 2022/0811 Motion om fler cykelställ i centrum"),
        text("Kommunfullmäktiges beslut Motionen avslås."),
    )
    assert (doc.decision.text, doc.decision.outcome) == ("Motionen avslås.", "avslag")


def test_the_decision_ends_at_the_signature_headings() -> None:
    doc = paper(
        text("PROTOKOLL"),
        text("§ 12 Motion om skolskjuts Dnr KF 2023:14"),
        text("Beslut"),
        text("Motionen remitteras till barn- och utbildningsnämnden för yttrande."),
        text("Justerare"),
        text("Anna Berg"),
    )
    assert (
        doc.decision.text == "Motionen remitteras till barn- och utbildningsnämnden för yttrande."
    )
    assert doc.decision.outcome == "remiss"
    assert doc.title == "§ 12 Motion om skolskjuts"


@pytest.mark.parametrize(
    ("lines", "printed_kind"),
    [
        (
            (
                "Motion till Kommunfullmäktige: Inrättande av ett pensionärsråd",
                "Förslag till beslut:",
                "Vi föreslår att kommunfullmäktige beslutar:",
                "Att inrätta ett kommunalt pensionärsråd.",
            ),
            None,
        ),
        (
            (
                "2025-01-15",
                "Initiativärende i Kommunstyrelsen",
                "Ansökan om investeringsstöd för kommunal beredskap",
                "Förslag till beslut:",
                "Kommunstyrelsen skickar in intresseanmälan till Länsstyrelsen.",
            ),
            "Initiativärende",
        ),
        (
            (
                "Medborgarförslag om en lekplats i Norrvik",
                "Förslag till beslut",
                "Kommunen bygger en lekplats vid skolan.",
            ),
            None,
        ),
    ],
)
def test_a_paper_that_proposes_decides_nothing(
    lines: tuple[str, ...], printed_kind: str | None
) -> None:
    """The proposal heading of a motion or a member's initiative is its own proposal."""
    doc = paper(*map(text, lines))
    assert doc.printed_kind == printed_kind
    assert doc.decision is None
