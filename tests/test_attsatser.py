"""The att-sats stage: every shape of proposal clause, the traps around them, and the corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CORPUS, SAMPLES, corpus_files, needs_corpus

from extractors import text as text_backend
from pipeline.document import Document, Paragraph, Section, Source
from pipeline.stages.attsatser import extract_att_satser
from pipeline.stages.clean import clean
from pipeline.stages.run import analyze
from pipeline.stages.segment import segment


def document(text: str, doc_type: str = "okand") -> Document:
    """A paper read from plain text through the real extractor, clean and segment stages."""
    data = text.encode("utf-8")
    doc = Document(
        source=Source(path="test.txt", sha256="0" * 64, format="txt", size=len(data)),
        doc_type=doc_type,
    )
    text_backend.extract(data, doc)
    return extract_att_satser(segment(clean(doc)))


def texts(text: str, doc_type: str = "okand") -> list[str]:
    return [a.text for a in document(text, doc_type).att_satser]


# --- one case per shape ----------------------------------------------------------------

POSITIVE = {
    "'Att:' labels each clause": (
        "Vi föreslår att kommunfullmäktige beslutar\n\n"
        "Att: kommunen inför bättre snöröjning.\n\nAtt: arbetet redovisas.\n",
        ["Att: kommunen inför bättre snöröjning.", "Att: arbetet redovisas."],
    ),
    "a typesetter's joined 'Kommentar:' stays out of the clause": (
        "Motionen föreslår:\n\n"
        "- att kommunen inför läxhjälp. Kommentar: det pågår redan ett arbete.\n"
        "- att läxhjälpen utvärderas. Kommentar: det görs årligen.\n",
        ["att kommunen inför läxhjälp.", "att läxhjälpen utvärderas."],
    ),
    "a sentence that begins with 'Att' and a proposal after it": (
        "Att sats 2 bör bifallas är vår tolkning. Vi yrkar därför att ärendet återremitteras.\n",
        ["att ärendet återremitteras."],
    ),
    "'föreslår genom denna motion' with the clause below": (
        "Centerpartiet föreslår genom denna motion\n\n"
        "att kommunen investerar i solceller på kommunala byggnader.\n",
        ["att kommunen investerar i solceller på kommunala byggnader."],
    ),
    "plain 'Att' paragraphs after a lead-in ending in ';'": (
        "Vi i partiet föreslår;\n\n"
        "Att en utredning inleds om kostnaderna för åtgärderna.\n\n"
        "Att en tidsplan upprättas för förbättringarna\n",
        [
            "Att en utredning inleds om kostnaderna för åtgärderna.",
            "Att en tidsplan upprättas för förbättringarna",
        ],
    ),
    "one 'Att' clause after 'föreslår vi:' with the formula inside it": (
        "Med hänvisning till ovanstående föreslår vi:\n\n"
        "Att kommunfullmäktige beslutar att drogtester kan få förekomma i skolorna.\n",
        ["Att kommunfullmäktige beslutar att drogtester kan få förekomma i skolorna."],
    ),
    "dashes printed against the clause ('-Att', '–att')": (
        "Vi yrkar:\n\n-Att kommunen inför läxhjälp.\n–att läxhjälpen utvärderas.\n",
        ["Att kommunen inför läxhjälp.", "att läxhjälpen utvärderas."],
    ),
    "'att' alone on its line with the clause below": (
        "Jag föreslår kommunfullmäktige besluta\n\natt\n\nkommunen inför en fritidsbank.\n",
        ["att kommunen inför en fritidsbank."],
    ),
    "a doubled bullet and a clause without 'att' after 'yrkar att:'": (
        "Socialdemokraterna yrkar att:\n\n"
        "- - Kommunfullmäktige ger nämnden i uppdrag att inrätta ett forum.\n",
        ["Kommunfullmäktige ger nämnden i uppdrag att inrätta ett forum."],
    ),
    "trailing 'samt' and 'och' and a signature with no gap": (
        "Vi föreslår att kommunfullmäktige beslutar:\n\n"
        "- att kommunen inför gratis kollektivtrafik för pensionärer, samt\n"
        "- att kostnaden ryms inom befintlig ram; och\n"
        "- att arbetet redovisas.\n"
        "Kungsbacka 2025-03-04\n"
        "Anna Berg (S)\n",
        [
            "att kommunen inför gratis kollektivtrafik för pensionärer,",
            "att kostnaden ryms inom befintlig ram;",
            "att arbetet redovisas.",
        ],
    ),
    "numbered 'Att' after a proposal with colon": (
        "Vi föreslår att kommunfullmäktige beslutar:\n\n"
        "1. Att inrätta ett ungdomsråd för att stärka ungas inflytande.\n\n"
        "2. Att kommunstyrelsen ges i uppdrag att ta fram riktlinjer för rådet.\n",
        [
            "Att inrätta ett ungdomsråd för att stärka ungas inflytande.",
            "Att kommunstyrelsen ges i uppdrag att ta fram riktlinjer för rådet.",
        ],
    ),
    "numbered '1)' after an introduction without colon": (
        "Med anledning av ovanstående föreslår jag kommunfullmäktige besluta\n\n"
        "1) att kommunstyrelsen får i uppdrag att kartlägga skolvägarna,\n"
        "2) att åtgärderna redovisas för kommunfullmäktige senast i december 2026.\n",
        [
            "att kommunstyrelsen får i uppdrag att kartlägga skolvägarna,",
            "att åtgärderna redovisas för kommunfullmäktige senast i december 2026.",
        ],
    ),
    "lettered": (
        "Jag yrkar därför att kommunfullmäktige beslutar\n\n"
        "a) att utreda förutsättningarna för en simhall i Frillesås,\n"
        "b) att utredningen redovisas under 2026.\n",
        [
            "att utreda förutsättningarna för en simhall i Frillesås,",
            "att utredningen redovisas under 2026.",
        ],
    ),
    "bullets •": (
        "Vår Framtid yrkar:\n\n"
        "• att kommunen inför gratis kollektivtrafik för pensionärer.\n"
        "• att kostnaden ryms inom befintlig ram.\n",
        [
            "att kommunen inför gratis kollektivtrafik för pensionärer.",
            "att kostnaden ryms inom befintlig ram.",
        ],
    ),
    "bullets - under a possessive introduction": (
        "Anna Berglunds yrkande för Centerpartiet:\n\n"
        "- att kommunstyrelsen får i uppdrag att se över lokalförsörjningen.\n"
        "- att arbetet redovisas till kommunfullmäktige.\n",
        [
            "att kommunstyrelsen får i uppdrag att se över lokalförsörjningen.",
            "att arbetet redovisas till kommunfullmäktige.",
        ],
    ),
    "bullets – (en dash)": (
        "Vi yrkar att kommunfullmäktige beslutar:\n\n"
        "– att bifalla motionen,\n"
        "– att uppdra åt nämnden att återkomma med en handlingsplan.\n",
        ["att bifalla motionen,", "att uppdra åt nämnden att återkomma med en handlingsplan."],
    ),
    "bullets U+F0B7 from a symbol font": (
        "Jag föreslår att fullmäktige beslutar:\n\n"
        "\uf0b7 att belysningen längs Kungsvägen förbättras,\n"
        "\uf0b7 att trafiknämnden får i uppdrag att sänka hastigheten vid skolan.\n",
        [
            "att belysningen längs Kungsvägen förbättras,",
            "att trafiknämnden får i uppdrag att sänka hastigheten vid skolan.",
        ],
    ),
    "inline 'föreslår att … samt att …'": (
        "Jag föreslår att kommunen planterar fler träd i Stadsparken så att det blir "
        "mer skugga samt att kommunen ställer ut fler papperskorgar.\n",
        [
            "att kommunen planterar fler träd i Stadsparken så att det blir mer skugga",
            "att kommunen ställer ut fler papperskorgar.",
        ],
    ),
    "inline 'föreslår att …, att …' keeps the comma": (
        "Därför föreslår vi att badplatsen får en tillgänglig ramp, att det byggs en "
        "handikapptoalett och att skyltningen ses över.\n",
        [
            "att badplatsen får en tillgänglig ramp,",
            "att det byggs en handikapptoalett och att skyltningen ses över.",
        ],
    ),
    "inline enumeration after 'beslutar:' in one paragraph": (
        "Vi föreslår att kommunfullmäktige beslutar: 1. Att inrätta ett näringslivsråd. "
        "Rådet ska träffas fyra gånger per år. 2. Att kommunstyrelsen tar fram ett reglemente.\n",
        [
            "Att inrätta ett näringslivsråd. Rådet ska träffas fyra gånger per år.",
            "Att kommunstyrelsen tar fram ett reglemente.",
        ],
    ),
    "'yrkar att:' then a paragraph that does not begin with att": (
        "Miljöpartiet yrkar att:\n\n"
        "Kommunfullmäktige ger kommunstyrelsen i uppdrag att ta fram en klimatplan senast 2027.\n\n"
        "Eva Ek (MP)\n",
        ["Kommunfullmäktige ger kommunstyrelsen i uppdrag att ta fram en klimatplan senast 2027."],
    ),
    "'yrkar att:' and the clause in one paragraph": (
        "Miljöpartiet yrkar att: Kommunfullmäktige ger kommunstyrelsen i uppdrag att ta fram "
        "en klimatplan.\n",
        ["Kommunfullmäktige ger kommunstyrelsen i uppdrag att ta fram en klimatplan."],
    ),
    "'yrkar att:' followed by a list": (
        "Socialdemokraterna yrkar att:\n\n"
        "- kommunen inför fria skolluncher under loven\n"
        "- kostnaden finansieras ur kommunstyrelsens oförutsedda medel\n",
        [
            "kommunen inför fria skolluncher under loven",
            "kostnaden finansieras ur kommunstyrelsens oförutsedda medel",
        ],
    ),
    "'yrkar:' followed by a list of sentences": (
        "Vänsterpartiet yrkar:\n\n"
        "1. Kommunfullmäktige inför avgiftsfri kollektivtrafik för unga.\n"
        "2. Kommunstyrelsen får i uppdrag att finansiera reformen.\n",
        [
            "Kommunfullmäktige inför avgiftsfri kollektivtrafik för unga.",
            "Kommunstyrelsen får i uppdrag att finansiera reformen.",
        ],
    ),
    "a reported list of proposals counts, each item as printed": (
        "I motionen föreslås att kommunen ska:\n\n"
        "1. inrätta ett pensionärsråd,\n"
        "2. avsätta medel för rådets arbete,\n"
        "3. utvärdera rådet efter två år.\n",
        [
            "inrätta ett pensionärsråd,",
            "avsätta medel för rådets arbete,",
            "utvärdera rådet efter två år.",
        ],
    ),
    "'vill att kommunfullmäktige beslutar:' quoted in a tjänsteskrivelse": (
        "Mot bakgrund av detta vill motionären att kommunfullmäktige beslutar:\n\n"
        "1. Att införa en fritidsbank.\n\n"
        "2. Att fritidsbanken placeras centralt.\n",
        ["Att införa en fritidsbank.", "Att fritidsbanken placeras centralt."],
    ),
    "att-satser on lines of their own, joined by the line wrapper": (
        "Därför yrkar jag att kommunfullmäktige beslutar\n"
        "att kommunen inför en fritidsbank.\n"
        "att fritidsbanken drivs i samverkan med föreningslivet.\n",
        [
            "att kommunen inför en fritidsbank.",
            "att fritidsbanken drivs i samverkan med föreningslivet.",
        ],
    ),
    "a wrapped line turned into a false bullet is joined back": (
        "Vårt yrkande:\n\n"
        "• att kommunstyrelsen får i uppdrag att utarbeta en årlig process för\n"
        "• målstyrningsarbetet.\n"
        "• att processen omfattar alla nämnder.\n",
        [
            "att kommunstyrelsen får i uppdrag att utarbeta en årlig process för målstyrningsarbetet.",
            "att processen omfattar alla nämnder.",
        ],
    ),
    "a nested list belongs to its clause": (
        "Jag föreslår att kommunfullmäktige beslutar:\n\n"
        "1. att kommunen inför tre nya fritidsgårdar:\n"
        "a) en i Åsa,\n"
        "b) en i Onsala.\n"
        "2. att verksamheten utvärderas efter ett år.\n",
        [
            "att kommunen inför tre nya fritidsgårdar: a) en i Åsa, b) en i Onsala.",
            "att verksamheten utvärderas efter ett år.",
        ],
    ),
    "a list split by a page break and a stray page header": (
        "<!-- sida 3 -->\n\nVi föreslår att kommunfullmäktige beslutar:\n\n"
        "1. Att kommunen inrättar en jourverksamhet för barn.\n\n"
        "2. Att verksamheten bemannas dygnet runt.\n\n"
        "<!-- sida 4 -->\n\nDnr KS 2024/117\n\n"
        "3. Att kostnaden redovisas i budgeten för 2026.\n",
        [
            "Att kommunen inrättar en jourverksamhet för barn.",
            "Att verksamheten bemannas dygnet runt.",
            "Att kostnaden redovisas i budgeten för 2026.",
        ],
    ),
    "a proposal list without att split by a page break": (
        "<!-- sida 3 -->\n\nI motionen föreslås att nämnden ska:\n\n"
        "1. inventera alla lekplatser,\n\n"
        "<!-- sida 4 -->\n\nSida 4 av 7\n\n"
        "2. prioritera upprustningen efter behov.\n",
        ["inventera alla lekplatser,", "prioritera upprustningen efter behov."],
    ),
    "OCR: misread numbers '1,' and a bullet read as 'e'": (
        "Socialdemokraterna yrkar att kommunfullmäktige beslutar\n\n"
        "1, Att utreda behovet av ett seniorboende i Kullavik.\n\n"
        "2, Att utredningen redovisas senast 2026.\n\n"
        "e att kommunstyrelsen får ansvar för uppföljningen.\n",
        [
            "Att utreda behovet av ett seniorboende i Kullavik.",
            "Att utredningen redovisas senast 2026.",
            "att kommunstyrelsen får ansvar för uppföljningen.",
        ],
    ),
    "clauses labelled 'Att-sats 1:'": (
        "Bedömning i respektive att-sats\n\n"
        "Att-sats 1: att kommunen tar fram en strategi för psykisk hälsa.\n\n"
        "Kommentar: en strategi tas fram under 2026.\n\n"
        "Att-sats 2: att strategin följs upp årligen.\n",
        [
            "att kommunen tar fram en strategi för psykisk hälsa.",
            "att strategin följs upp årligen.",
        ],
    ),
}


@pytest.mark.parametrize("case", POSITIVE, ids=list(POSITIVE))
def test_proposal_clauses_are_found_verbatim(case: str) -> None:
    text, expected = POSITIVE[case]
    assert texts(text) == expected


NEGATIVE = {
    "a sentence broken before its 'att' by a re-wrapping typesetter": (
        "Med hänvisning till detta vill motionärerna att nämnderna, var för sig, ska få i "
        "uppdrag\n\n"
        "att inrätta stående forum för samarbete.\n"
    ),
    "a decision broken after its verb": (
        "Kommunstyrelsen beslutar\n\natt finansiering sker inom ramen.\n"
    ),
    # An organ's förslag till beslut and a member's yrkande are the decision, not
    # att-satser (the corpus gold: w14, w15, w16).
    "an organ's förslag till beslut inline": (
        "Förslag till beslut\n\n"
        "Kommunstyrelsen föreslår kommunfullmäktige besluta att bifalla motionen.\n"
    ),
    "an organ's förslag till beslut as att-lines": (
        "Förslag till beslut\n\n"
        "Kommunstyrelsen föreslår kommunfullmäktige besluta\n\n"
        "att bifalla motionen,\n\n"
        "att ge kultur- och fritidsnämnden i uppdrag att genomföra motionens förslag.\n"
    ),
    "an organ's förslag till beslut after a colon": (
        "Kommunstyrelsen föreslår kommunfullmäktige besluta:\n\n"
        "att bifalla motionen,\n\n"
        "att ge servicenämnden i uppdrag att genomföra motionens förslag.\n"
    ),
    "a member's yrkande in a protocol's debate": (
        "Yrkanden\n\n"
        "Anna Berg (L) yrkar att kommunstyrelsen beslutar föreslå kommunfullmäktige "
        "besluta att:\n\n"
        "Motionen bifalles.\n"
    ),
    "a yrkande for bifall to another's proposal": (
        "Under överläggningen yrkar Per Lund bifall till utskottets förslag att "
        "landstinget beslutar\n\n"
        "• att ändra reglerna i enlighet med vad som ovan anförts; samt\n"
        "• att motionen därmed anses besvarad.\n"
    ),
    "a proposal only reported in the perfect": (
        "Två ledamöter har i en motion föreslagit att regionstyrelsen får i uppdrag att "
        "ta initiativ till ett utökat samarbete.\n"
    ),
    "'att' as an infinitive marker in prose": (
        "Kommunen har beslutat att bygga en ny skola i Vallda. Det är viktigt att "
        "barnen får en trygg skolväg och att föräldrarna känner sig delaktiga.\n"
    ),
    "a motivation list after 'skulle:'": (
        "Ett kommunalt ungdomsråd skulle:\n\n"
        "- Fungera som en länk mellan kommunen och unga invånare.\n"
        "- Ge föreningar en röst i frågor som rör unga.\n"
    ),
    "a list of principles": (
        "Några prioriterade utgångspunkter i det pågående arbetet är:\n\n"
        "- Styrningen utgår från verksamheternas grunduppdrag.\n"
        "- Mål används inom prioriterade frågor.\n"
    ),
    "a paraphrase of the motion": (
        "Motionären föreslår att kommunen inrättar ett pensionärsråd för att stärka dialogen.\n"
    ),
    "a paraphrase with 'vill motionärerna att'": (
        "Mot bakgrund av detta vill motionärerna att kommunstyrelsen ska få i uppdrag att "
        "utreda hur ett seniorråd ska inrättas.\n"
    ),
    "a counter-proposal in a protokoll": (
        "Beslutsgång\n\nEmma Nilsson (M) yrkar att motionen endast remitteras till nämnden.\n"
    ),
    "'vill att' inside a subordinate clause": (
        "Visionen ska uttrycka hur vi vill att kommunen ska utvecklas de kommande åren.\n"
    ),
    "a plan introduced by 'föreslås följande upplägg:'": (
        "För att förenkla styrningen föreslås följande upplägg:\n\n"
        "• Utgå från visionen och följ upp den i fullmäktige\n"
        "• Avveckla de finansiella målen på fullmäktigenivå\n"
    ),
    "an 'e.g.' list whose items begin with att": (
        "Arbetet omfattar bl.a.:\n\n- att inventera lokalerna,\n- att ta fram en tidsplan.\n"
    ),
    "a purpose list whose items begin with att": (
        "Syftet med satsningen är:\n\n- att öka tryggheten i centrum,\n- att minska nedskräpningen.\n"
    ),
    "a directive 'genom att:' list": (
        "Nämnderna får i uppdrag att förnya verksamheten genom att:\n\n"
        "• bygga en kultur som tillåter experimenterande\n"
        "• utgå från digitalt först\n"
    ),
    "a prose paragraph that begins with 'Att' as its subject": (
        "Bakgrund\n\nAtt återinföra ett pensionärsråd skulle skapa en parallell struktur.\n"
    ),
    "plain decision sentences": (
        "Förslag till beslut\n\n"
        "Kommunstyrelsens arbetsutskott godkänner tidsplanen för arbetet med nya mål.\n"
    ),
}


@pytest.mark.parametrize("case", NEGATIVE, ids=list(NEGATIVE))
def test_text_that_is_not_a_proposal_yields_nothing(case: str) -> None:
    assert texts(NEGATIVE[case]) == []


def test_a_wish_counts_only_when_nothing_firmer_is_proposed() -> None:
    wish = "Vi vill att fler äldre ska känna sig trygga i sitt boende.\n\n"
    assert texts(wish) == ["att fler äldre ska känna sig trygga i sitt boende."]
    assert texts(wish + "Vi yrkar:\n\n- att kommunen inför trygghetsvärdar.\n") == [
        "att kommunen inför trygghetsvärdar."
    ]


def test_inline_proposals_in_a_motion_need_no_first_person() -> None:
    sentence = "Centerpartiet föreslår att kommunen inför en lokal landsbygdsstrategi.\n"
    assert texts(sentence) == []
    assert texts(sentence, doc_type="motion") == ["att kommunen inför en lokal landsbygdsstrategi."]


# --- numbering, duplicates and assessments ---------------------------------------------


def test_printed_numbers_are_kept_and_bullets_are_counted() -> None:
    numbered = document(
        "Vi föreslår att fullmäktige beslutar:\n\n2. Att bygga en bro.\n\n3. Att bygga en väg.\n"
    )
    assert [a.number for a in numbered.att_satser] == [2, 3]
    bulleted = document("Vårt yrkande:\n\n- att bygga en bro.\n- att bygga en väg.\n")
    assert [a.number for a in bulleted.att_satser] == [1, 2]


MOTIONSSVAR = """\
Förslag till svar på motion om cykelparkering

Ärendet i korthet

Lisa Holm (L) har lämnat en motion om cykelparkering. Hon yrkar:

- att kommunen bygger säkra cykelparkeringar vid alla stationer.
- att parkeringarna har tak och laddning för elcyklar.

Förvaltningen delar motionärens syn på behovet.

Bedömning i respektive att-sats

- att kommunen bygger säkra cykelparkeringar vid alla stationer.
Kommentar: arbetet pågår redan inom ramen för cykelplanen.
- att parkeringarna har tak och laddning för elcyklar.
Kommentar: laddning kräver en ny investering som inte ryms i budgeten.

Dnr KS 2024/55

Slutsats

Motionen bör anses besvarad.
"""


def test_a_clause_quoted_twice_is_one_att_sats_with_its_comment() -> None:
    doc = document(MOTIONSSVAR)
    assert [(a.number, a.text) for a in doc.att_satser] == [
        (1, "att kommunen bygger säkra cykelparkeringar vid alla stationer."),
        (2, "att parkeringarna har tak och laddning för elcyklar."),
    ]
    paragraphs = {p.index: p.text for p in doc.paragraphs()}
    for att_sats in doc.att_satser:
        assert len(att_sats.locations) == 2
        assert all(paragraphs[loc.paragraph] == att_sats.text for loc in att_sats.locations)
    assert [a.existing_assessment for a in doc.att_satser] == [
        "arbetet pågår redan inom ramen för cykelplanen.",
        "laddning kräver en ny investering som inte ryms i budgeten.",
    ]


def test_unlabelled_assessment_under_an_assessment_heading() -> None:
    doc = document(
        "Vi föreslår att kommunfullmäktige beslutar:\n\n"
        "1. Att kommunen anlägger en hundrastgård.\n\n"
        "2. Att hundrastgården får belysning.\n\n"
        "Förvaltningens bedömning\n\n"
        "1. Att kommunen anlägger en hundrastgård.\n\n"
        "En hundrastgård planeras redan i Tölö.\n\n"
        "2. Att hundrastgården får belysning.\n\n"
        "Belysning ingår i planeringen.\n\nSida 2 av 3\n"
    )
    assert [a.existing_assessment for a in doc.att_satser] == [
        "En hundrastgård planeras redan i Tölö.",
        "Belysning ingår i planeringen.",
    ]


def test_a_bare_comment_label_takes_the_paragraph_after_it() -> None:
    doc = document(
        "Motionen yrkar:\n\n- att kommunen inför måltidsvänner på äldreboenden.\n\n"
        "Kommentar:\n\nMåltidsvänner finns redan på två boenden.\n\n"
        "Övrigt\n\nInga fler synpunkter.\n"
    )
    assert [a.existing_assessment for a in doc.att_satser] == [
        "Måltidsvänner finns redan på två boenden."
    ]


def test_a_comment_over_two_paragraphs_under_an_assessment_heading() -> None:
    doc = document(
        "Bedömning\n\n- att skolgårdarna grönskas.\n"
        "Kommentar: arbetet pågår.\n\nDet finansieras inom ramen.\n\n"
        "- att barnen får vara med och planera.\n"
        "Kommentar: barnen deltar redan.\n"
    )
    assert [a.existing_assessment for a in doc.att_satser] == [
        "arbetet pågår. Det finansieras inom ramen.",
        "barnen deltar redan.",
    ]


def test_labelled_clauses_keep_their_numbers() -> None:
    doc = document(
        "Bedömning i respektive att-sats\n\n"
        "Att-sats 2: att kommunen bygger en ny förskola.\n\n"
        "Att-sats 3: att förskolan står klar 2027.\n"
    )
    assert [a.number for a in doc.att_satser] == [2, 3]


def test_the_same_clause_with_ocr_noise_is_one_att_sats() -> None:
    doc = document(
        "Vi föreslår att kommunfullmäktige beslutar:\n\n"
        "1. Att kommunstyrelsen ges i uppdrag att ta fram en plan för ökad tillgänglighet.\n\n"
        "Sammanfattning av ärendet\n\n"
        "Motionären vill att kommunfullmäktige beslutar:\n\n"
        "1. Att kommunstyrelsen ges i uppdrag att ta fram en pian för ökad tillgängiighet.\n"
    )
    assert len(doc.att_satser) == 1
    assert len(doc.att_satser[0].locations) == 2


def test_final_punctuation_and_case_do_not_make_a_new_clause() -> None:
    doc = document(
        "Vi föreslår att fullmäktige beslutar:\n\n1. Att bygga en bro\n\n"
        "Sammanfattning\n\nMotionen yrkar:\n\n- att bygga en bro.\n"
    )
    assert [a.text for a in doc.att_satser] == ["Att bygga en bro"]


def test_att_satser_inside_a_table() -> None:
    rows = [
        ["Nr", "Att-sats", "Kommentar"],
        ["1", "Att kommunen bygger en ny sporthall<br>i Hede.", "Ingår i investeringsplanen."],
        ["2", "Att sporthallen får solceller.", ""],
        ["", "Övrigt", "Inga synpunkter."],
    ]
    table = Paragraph(
        text="\n".join(" | ".join(r) for r in rows), page=2, index=0, kind="table", rows=rows
    )
    doc = Document(
        source=Source(path="t.docx", sha256="0" * 64, format="docx", size=1),
        sections=[Section(heading="Bedömning i respektive att-sats", level=1, paragraphs=[table])],
    )
    result = extract_att_satser(doc).att_satser
    assert [(a.number, a.text, a.existing_assessment) for a in result] == [
        (1, "Att kommunen bygger en ny sporthall i Hede.", "Ingår i investeringsplanen."),
        (2, "Att sporthallen får solceller.", None),
    ]
    assert result[0].locations[0].page == 2


def test_a_table_cell_with_wrapped_lines_is_not_split_at_att() -> None:
    rows = [
        [
            "4.",
            "Förslag till beslut<br>Kommunstyrelsen ger kommundirektören i uppdrag<br>att upprätta en budget.",
        ]
    ]
    table = Paragraph(text="", page=1, index=0, kind="table", rows=rows)
    doc = Document(
        source=Source(path="k.txt", sha256="0" * 64, format="txt", size=1),
        sections=[Section(heading=None, level=0, paragraphs=[table])],
    )
    assert extract_att_satser(doc).att_satser == []


def test_word_list_levels_nest_items_under_their_clause() -> None:
    items = [
        ("Jag föreslår att kommunfullmäktige beslutar:", "text", None, None),
        ("att kommunen inför avgiftsfria aktiviteter", "list_item", "1.", 0),
        ("under sommarlovet", "list_item", "•", 1),
        ("att aktiviteterna utvärderas.", "list_item", "2.", 0),
    ]
    paragraphs = [
        Paragraph(text=t, page=1, index=i, kind=k, marker=m, level=lv)
        for i, (t, k, m, lv) in enumerate(items)
    ]
    doc = Document(
        source=Source(path="m.docx", sha256="0" * 64, format="docx", size=1),
        sections=[Section(heading=None, level=0, paragraphs=paragraphs)],
    )
    assert [(a.number, a.text) for a in extract_att_satser(doc).att_satser] == [
        (1, "att kommunen inför avgiftsfria aktiviteter under sommarlovet"),
        (2, "att aktiviteterna utvärderas."),
    ]


# --- real papers -----------------------------------------------------------------------


def gold_of(path: Path) -> Path:
    return path.with_name(f"{path.stem}.gold.json")


GOLD_PAPERS = [
    *[pytest.param(p, id=p.name, marks=needs_corpus) for p in corpus_files()],
    *[pytest.param(p, id=p.name) for p in sorted(SAMPLES.glob("*.txt")) if gold_of(p).exists()],
]


def normalized(values: list[str]) -> list[str]:
    return [" ".join(v.split()) for v in values]


@pytest.mark.parametrize("path", GOLD_PAPERS)
def test_att_satser_match_the_gold_files(path: Path) -> None:
    gold = json.loads(gold_of(path).read_text(encoding="utf-8"))
    doc = analyze(path)
    assert normalized([a.text for a in doc.att_satser]) == normalized(gold["att_satser"])


def test_seed_001_lists_six_att_satser_once_each_with_their_comments() -> None:
    doc = analyze(SAMPLES / "001_fb57b98de66bfb1d.txt")
    assert [a.number for a in doc.att_satser] == [1, 2, 3, 4, 5, 6]
    assert all(len(a.locations) == 2 for a in doc.att_satser)
    assert all(a.existing_assessment for a in doc.att_satser)
    assert doc.att_satser[4].existing_assessment == "måluppfyllelse följs regelbundet upp."


@needs_corpus
def test_a_motion_quoted_in_a_protokoll_keeps_the_printed_numbers() -> None:
    doc = analyze(CORPUS / "d07.txt")
    assert [a.number for a in doc.att_satser] == [1, 2, 3]


@pytest.mark.parametrize("doc_type", ["motion", "medborgarforslag"])
def test_a_proposal_without_clauses_is_never_silently_ok(doc_type: str, tmp_path: Path) -> None:
    """W105 and status partial, and the draft says so instead of an empty table."""
    import docx

    from pipeline.outputs import render

    doc = document("Vi vill ha fler bänkar i parken, det vore bra för alla.\n", doc_type)
    assert doc.att_satser == []
    assert doc.status == "partial"
    assert [w.code for w in doc.warnings] == ["W105"]
    assert "Inga att-satser hittades" in doc.warnings[0].message
    files = {p.name: p for p in render.write_drafts(doc, tmp_path)}
    texts_ = [p.text for p in docx.Document(str(files[render.UTKAST])).paragraphs]
    assert sum("Inga att-satser hittades" in t and "Kontrollera" in t for t in texts_) == 1
    assert not any(t.endswith("föreslår:") for t in texts_)


def test_a_paper_that_is_no_proposal_gets_no_w105() -> None:
    doc = document("Kommunstyrelsen godkänner rapporten.\n", "tjansteskrivelse")
    assert doc.status == "ok" and doc.warnings == []


@pytest.mark.parametrize(
    ("lines", "paragraphs"),
    [
        # a re-wrapped line's tail ends in a conjunction: the "att" line continues it
        (
            [
                "fallolyckorna sker inomhus, och en lång rad till som fyller bredden,",
                "samt",
                "att det medför en hög kostnad.",
            ],
            1,
        ),
        # place and date, and a signature, are paragraphs of their own
        (
            [
                "att arbetet redovisas för kommunfullmäktige senast i december.",
                "Kungsbacka 2025-03-04",
                "Anna Berg (S)",
            ],
            3,
        ),
        # consecutive "Att" clauses printed without gaps
        (["Att en utredning inleds om kostnaderna.", "Att en tidsplan upprättas."], 2),
        (["-Att kommunen inför läxhjälp.", "–att läxhjälpen utvärderas."], 2),
    ],
)
def test_lines_join_into_clause_paragraphs(lines: list[str], paragraphs: int) -> None:
    from extractors.lines import Line, join_wrapped

    blocks = join_wrapped([Line(text, 1) for text in lines])
    assert len(blocks) == paragraphs
