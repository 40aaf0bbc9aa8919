"""Reading order and page furniture in PDF and text: columns, rotated margin text, footer
boxes, page numbers, paragraphs across page breaks and tables without ruling lines.

The PDFs are drawn here with reportlab, small and deterministic (`invariant=1`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extractors import read_document
from pipeline.outputs.typeset.pdf_writer import FONT, styles

LEFT = [
    "Motionen föreslår att kommunen inför en",
    "fritidsbank där barn kan låna utrustning",
    "utan kostnad under hela året.",
    "",
    "Vi yrkar att kommunfullmäktige beslutar",
    "att ge kultur- och fritidsnämnden i",
    "uppdrag att inrätta en fritidsbank.",
]
RIGHT = [
    "Förvaltningen har berett motionen och",
    "konstaterar att en fritidsbank redan finns",
    "i tre av kommunens tätorter i dag.",
    "",
    "Förvaltningen föreslår därför att",
    "kommunfullmäktige anser motionen",
    "besvarad med hänvisning till detta.",
]


def canvas_for(path: Path) -> canvas.Canvas:
    styles()  # registers the font
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setFont(FONT, 10)
    return pdf


def draw_rows(pdf: canvas.Canvas, rows: list[tuple[str, str, str]], column: float = 420) -> None:
    """Agenda rows without ruling lines: number, ärende, beteckning at `column`, 20 pt apart."""
    for k, (nr, arende, beteckning) in enumerate(rows):
        pdf.drawString(70, 770 - 20 * k, nr)
        pdf.drawString(120, 770 - 20 * k, arende)
        pdf.drawString(column, 770 - 20 * k, beteckning)


def texts(path: Path) -> list[str]:
    return [p.text for p in read_document(path).paragraphs()]


def test_two_columns_are_read_column_by_column(tmp_path: Path) -> None:
    path = tmp_path / "spalter.pdf"
    pdf = canvas_for(path)
    pdf.drawString(70, 800, "Svar på motion om en fritidsbank")
    for i, (left, right) in enumerate(zip(LEFT, RIGHT, strict=True)):
        pdf.drawString(70, 770 - 14 * i, left)
        pdf.drawString(310, 770 - 14 * i, right)
    pdf.drawString(
        70, 650, "Beslutet skickas till kultur- och fritidsnämnden och till kommunstyrelsen."
    )
    pdf.showPage()
    pdf.save()
    assert texts(path) == [
        "Svar på motion om en fritidsbank",
        "Motionen föreslår att kommunen inför en fritidsbank där barn kan låna utrustning "
        "utan kostnad under hela året.",
        "Vi yrkar att kommunfullmäktige beslutar att ge kultur- och fritidsnämnden i "
        "uppdrag att inrätta en fritidsbank.",
        "Förvaltningen har berett motionen och konstaterar att en fritidsbank redan finns "
        "i tre av kommunens tätorter i dag.",
        "Förvaltningen föreslår därför att kommunfullmäktige anser motionen besvarad med "
        "hänvisning till detta.",
        "Beslutet skickas till kultur- och fritidsnämnden och till kommunstyrelsen.",
    ]


def test_rotated_margin_text_is_not_read_into_the_body(tmp_path: Path) -> None:
    path = tmp_path / "signerad.pdf"
    pdf = canvas_for(path)
    body = LEFT[:3]
    for i, line in enumerate(body):
        pdf.drawString(70, 700 - 14 * i, line)
    pdf.saveState()
    pdf.translate(30, 780)
    pdf.rotate(-90)  # printed top to bottom along the left margin
    pdf.drawString(0, 0, "Verifikat: 7F3A-22B1 signerat elektroniskt")
    pdf.restoreState()
    pdf.showPage()
    pdf.save()
    assert texts(path) == [" ".join(body)]


def test_footer_boxes_and_page_numbers_are_furniture_and_a_paragraph_goes_on(
    tmp_path: Path,
) -> None:
    path = tmp_path / "protokoll.pdf"
    pdf = canvas_for(path)
    pages = [
        [
            "§ 12 Dnr KS 2020/411",
            "",
            "Kommunfullmäktige beslutar att ge kommunstyrelsen i",
            "uppdrag att utreda hur laddstolpar kan byggas vid kommunens",
        ],
        [
            "förskolor och skolor, samt att återkomma med en tidsplan.",
            "",
            "Beslutet skickas till kommunstyrelsen.",
        ],
    ]
    for number, lines in enumerate(pages, start=1):
        pdf.drawString(70, 800, "SAMMANTRÄDESPROTOKOLL")
        pdf.drawRightString(525, 800, f"Sida {number} ({len(pages)})")
        for i, line in enumerate(lines):
            pdf.drawString(70, 760 - 14 * i, line)
        pdf.rect(70, 60, 200, 30)
        pdf.drawString(75, 80, "Justerandes sign")
        pdf.drawString(300, 80, "Utdragsbestyrkande")
        pdf.drawString(75, 45, "Kommunfullmäktige")
        pdf.drawString(300, 45, "2021-03-15")
        pdf.showPage()
    pdf.save()
    doc = read_document(path)
    assert [p.text for p in doc.paragraphs()] == [
        "§ 12 Dnr KS 2020/411",
        "Kommunfullmäktige beslutar att ge kommunstyrelsen i uppdrag att utreda hur "
        "laddstolpar kan byggas vid kommunens förskolor och skolor, samt att återkomma med "
        "en tidsplan.",
        "Beslutet skickas till kommunstyrelsen.",
    ]
    furniture = [f.text for f in doc.furniture]
    assert [t for t in furniture if t.endswith(")")] == [
        "SAMMANTRÄDESPROTOKOLL Sida 1 (2)",
        "SAMMANTRÄDESPROTOKOLL Sida 2 (2)",
    ]
    assert furniture.count("Justerandes sign Utdragsbestyrkande") == 2


@pytest.mark.parametrize(
    ("last", "first", "joined"),
    [
        ("kommunstyrelsen får i uppdrag att utreda hur laddstolpar kan", "byggas.", True),
        ("kommunstyrelsen får i uppdrag att utreda hur laddstolpar kan byggas,", "Ja.", True),
        ("Unga i kommunen mår bra såväl fysiskt som psykiskt hela livet", "5.3 Mål", False),
        ("kort rad", "fortsätter", False),
    ],
)
def test_text_pages_join_a_paragraph_cut_by_the_page_break(
    tmp_path: Path, last: str, first: str, joined: bool
) -> None:
    path = tmp_path / "sidor.txt"
    filler = "Förvaltningen har berett ärendet och lämnar här sitt förslag till beslut."
    path.write_text(
        f"<!-- sida 1 -->\n{filler}\n\n{filler}\n\n{filler}\n{last}\n\nSida 1 (2)\n"
        f"<!-- sida 2 -->\nSida 2 (2)\n\n{first}\n",
        encoding="utf-8",
    )
    paragraphs = texts(path)
    assert (paragraphs[-1] == f"{filler} {last} {first}") is joined


def test_a_table_without_ruling_lines_is_read_row_by_row(tmp_path: Path) -> None:
    path = tmp_path / "kallelse.pdf"
    pdf = canvas_for(path)
    pdf.drawString(70, 800, "Kallelse till kommunstyrelsen")
    rows = [
        ("", ["Ärende"], "Beteckning"),
        ("1.", ["Val av justerare"], ""),
        ("2.", ["Svar på motion om en", "fritidsbank i varje tätort"], "KS 2024/17"),
        ("3.", ["Delårsrapport för", "kommunstyrelsen"], "KS 2024/52"),
    ]
    y = 770
    for nr, cell, beteckning in rows:
        pdf.drawString(70, y, nr)
        pdf.drawString(420, y, beteckning)
        for line in cell:
            pdf.drawString(120, y, line)
            y -= 12
        y -= 8
    pdf.drawString(70, y - 20, "Välkomna!")
    pdf.showPage()
    pdf.save()
    paragraphs = read_document(path).paragraphs()
    assert [p.kind for p in paragraphs] == ["text", "table", "text"]
    assert paragraphs[1].rows == [
        ["", "Ärende", "Beteckning"],
        ["1.", "Val av justerare", ""],
        ["2.", "Svar på motion om en fritidsbank i varje tätort", "KS 2024/17"],
        ["3.", "Delårsrapport för kommunstyrelsen", "KS 2024/52"],
    ]


def test_a_list_with_hanging_numbers_is_not_a_table(tmp_path: Path) -> None:
    path = tmp_path / "motion.pdf"
    pdf = canvas_for(path)
    items = ["att utreda en fritidsbank,", "att inrätta den under 2025."]
    for i, item in enumerate(items):
        pdf.drawString(70, 700 - 20 * i, f"{i + 1}.")
        pdf.drawString(95, 700 - 20 * i, item)
    pdf.showPage()
    pdf.save()
    paragraphs = read_document(path).paragraphs()
    assert [(p.kind, p.text) for p in paragraphs] == [("list_item", t) for t in items]


def test_docx_headers_typed_into_the_body_are_furniture(tmp_path: Path) -> None:
    import docx
    from docx.enum.text import WD_BREAK

    path = tmp_path / "omvandlad.docx"
    document = docx.Document()
    pages = [
        ["Kommunfullmäktige beslutar att ge kommunstyrelsen i uppdrag att utreda hur"],
        ["laddstolpar kan byggas vid kommunens förskolor.", "Beslutet skickas till KS."],
    ]
    for number, texts in enumerate(pages, start=1):
        if number > 1:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_paragraph(f"SAMMANTRÄDESPROTOKOLL Sida {number} (2)")
        for text in texts:
            document.add_paragraph(text)
    document.save(str(path))
    doc = read_document(path)
    assert [p.text for p in doc.paragraphs()] == [
        "Kommunfullmäktige beslutar att ge kommunstyrelsen i uppdrag att utreda hur "
        "laddstolpar kan byggas vid kommunens förskolor.",
        "Beslutet skickas till KS.",
    ]
    assert [f.text for f in doc.furniture] == [
        "SAMMANTRÄDESPROTOKOLL Sida 1 (2)",
        "SAMMANTRÄDESPROTOKOLL Sida 2 (2)",
    ]


def test_a_table_row_cut_by_a_page_break_goes_on_in_its_row(tmp_path: Path) -> None:
    path = tmp_path / "kallelse.pdf"
    pdf = canvas_for(path)
    rows = [
        ("", "Ärende", "Beteckning"),
        ("1.", "Val av justerare", ""),
        ("2.", "Svar på", "KS 17"),
    ]
    draw_rows(pdf, rows)
    pdf.showPage()
    pdf.setFont(FONT, 10)
    pdf.drawString(120, 770, "motion om en fritidsbank")
    pdf.drawString(70, 730, "Välkomna till sammanträdet i stadshuset, sessionssalen, klockan 13.")
    pdf.showPage()
    pdf.save()
    paragraphs = read_document(path).paragraphs()
    assert [p.kind for p in paragraphs] == ["table", "text"]
    assert paragraphs[0].rows[-1] == ["2.", "Svar på motion om en fritidsbank", "KS 17"]


def test_a_label_under_the_running_header_that_also_stands_in_the_body_is_kept(
    tmp_path: Path,
) -> None:
    goals = [
        "Kommunen har ett bra företagsklimat och en hållbar tillväxt i alla kommundelar.",
        "Unga i kommunen mår bra såväl fysiskt som psykiskt och känner sig trygga.",
        "Äldre kan bo kvar hemma så länge de vill, med stöd när de behöver det.",
    ]
    intro = ["Inledning till målen för perioden.", "", "Mål 2.1", "", "Fokusområden", ""]
    pages = [
        [*intro, goals[0], "", "Beslutats av kommunfullmäktige den 15 mars.", "", "Mål 2.2"],
        ["Fokusområden", "", goals[1], "", "Mål 2.3", "", "Ansvar: kommunstyrelsen."],
        ["Fokusområden", "", goals[2], "", "Uppföljning sker i årsredovisningen."],
    ]
    path = tmp_path / "rapport.txt"
    path.write_text(
        "\n".join(
            f"<!-- sida {n} -->\nKommunstyrelsen Delårsrapport\n\n" + "\n".join(lines)
            for n, lines in enumerate(pages, start=1)
        ),
        encoding="utf-8",
    )
    doc = read_document(path)
    assert [p.text for p in doc.paragraphs()].count("Fokusområden") == 3
    assert [f.text for f in doc.furniture] == ["Kommunstyrelsen Delårsrapport"] * 3


def set_cell(text: str, width: float, break_words: bool) -> list[str]:
    """Lines of a table cell as a typesetter fills it: greedy, and a word wider than the
    cell either cut where it overflows, without a hyphen, or left to overflow."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def fits(s: str) -> bool:
        return stringWidth(s, FONT, 10) <= width

    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and fits(f"{line} {word}"):
            line = f"{line} {word}"
            continue
        if line:
            lines.append(line)
        line = word
        while break_words and not fits(line):
            cut = max(k for k in range(1, len(line)) if fits(line[:k]))
            lines.append(line[:cut])
            line = line[cut:]
    lines.append(line)
    return lines


KALLELSE_ROWS = [
    ("1.", "Kommunstyrelsens nämndbudget 2026", "Kommunstyrelsen godkänner nämndbudgeten."),
    ("2.", "Delegeringsförteckning för kommunstyrelsen", "Kommunstyrelsen antar förteckningen."),
    ("3.", "Revidering av projektbeställning för Åsa", "Kommunstyrelsen godkänner revideringen."),
    ("4.", "Anmälan av delegeringsbeslut", "Kommunstyrelsen godkänner redovisningen."),
]


def draw_cut_cells(
    pdf: canvas.Canvas, rows: list[tuple[str, str, str]], width: float, break_words: bool, y: float
) -> None:
    """Agenda rows (number, ärende, förslag) in cells `width` wide, set by `set_cell`, and
    the page saved."""
    for nr, arende, forslag in rows:
        left = set_cell(arende, width, break_words)
        right = set_cell(forslag, width, break_words)
        pdf.drawString(70, y, nr)
        for k, line in enumerate(left):
            pdf.drawString(120, y - 12 * k, line)
        for k, line in enumerate(right):
            pdf.drawString(300, y - 12 * k, line)
        y -= 12 * max(len(left), len(right)) + 10
    pdf.showPage()
    pdf.save()


@pytest.mark.parametrize("break_words", [True, False])
def test_a_word_cut_inside_a_narrow_cell_is_whole_again(tmp_path: Path, break_words: bool) -> None:
    """A typesetter that cuts a word too wide for its cell without a hyphen (LibreOffice)
    and one that lets it overflow both read back as the words of the paper."""
    path = tmp_path / "kallelse.pdf"
    pdf = canvas_for(path)
    width = 80.0
    draw_cut_cells(pdf, KALLELSE_ROWS, width, break_words, y=770)
    words = {w for row in KALLELSE_ROWS for text in row for w in text.split()}
    drawn = {
        w
        for row in KALLELSE_ROWS
        for t in row
        for ln in set_cell(t, width, break_words)
        for w in ln.split()
    }
    assert (drawn != words) == break_words  # the drawing does cut words, or does not
    paragraphs = read_document(path).paragraphs()
    assert [p.kind for p in paragraphs] == ["table"]
    assert paragraphs[0].rows == [list(row) for row in KALLELSE_ROWS]


def test_rows_going_on_over_a_page_in_too_few_lines_for_a_grid_stay_rows(
    tmp_path: Path,
) -> None:
    """The next page finishes the cut row and then opens a new numbered row, with one
    line only that has more than one cell: the new row is a row, not more of the last."""
    path = tmp_path / "kallelse.pdf"
    pdf = canvas_for(path)
    rows = [
        ("", "Ärende", "Beteckning"),
        ("1.", "Val av justerare", ""),
        ("2.", "Svar på", "KS 17"),
    ]
    draw_rows(pdf, rows)
    pdf.showPage()
    pdf.setFont(FONT, 10)
    pdf.drawString(120, 770, "motion om en")
    pdf.drawString(120, 758, "fritidsbank")
    pdf.drawString(70, 738, "3.")
    pdf.drawString(120, 738, "Delårsrapport för")
    pdf.drawString(420, 738, "KS 52")
    pdf.drawString(120, 726, "kommunstyrelsen")
    pdf.showPage()
    pdf.save()
    paragraphs = read_document(path).paragraphs()
    assert [p.kind for p in paragraphs] == ["table"]
    assert paragraphs[0].rows[-2:] == [
        ["2.", "Svar på motion om en fritidsbank", "KS 17"],
        ["3.", "Delårsrapport för kommunstyrelsen", "KS 52"],
    ]


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("Kungsbacka-", "Posten", "Kungsbacka-Posten"),
        ("antar VA-", "taxa 2026", "antar VA-taxa 2026"),
        ("Klimat-", "och", "Klimat- och"),
        ("plan 2025\u2013", "2029.", "plan 2025\u20132029."),
        ("Bostadsförsörjnings-", "plan", "Bostadsförsörjningsplan"),
    ],
)
def test_a_hyphen_ending_a_cell_line_of_a_word_cutting_typesetter_is_printed(
    left: str, right: str, joined: str
) -> None:
    from extractors.lines import join_two
    from extractors.pdf import printed_hyphen

    assert (left + right if printed_hyphen(left, right) else join_two(left, right)) == joined


def test_a_cell_line_reaching_close_to_the_next_column_is_split_at_that_column(
    tmp_path: Path,
) -> None:
    """A gutter narrower than the usual gap between cells, where the other rows show the
    column's left edge, still separates the cells."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    path = tmp_path / "kallelse.pdf"
    pdf = canvas_for(path)
    rows = [
        ("1.", "Val av justerare", "KS 2024/1"),
        ("2.", "Svar på motion om fritidsbank", "KS 2024/17"),
        ("3.", "Delårsrapport", "KS 2024/52"),
        ("4.", "Taxa för VA 2025", "KS 2024/60"),
    ]
    column = 120 + stringWidth(rows[1][1], FONT, 10) + 8  # 8 pt: less than the gutter
    draw_rows(pdf, rows, column)
    pdf.showPage()
    pdf.save()
    paragraphs = read_document(path).paragraphs()
    assert [p.kind for p in paragraphs] == ["table"]
    assert paragraphs[0].rows == [list(row) for row in rows]


def test_a_word_cut_in_its_cell_by_a_page_break_is_whole_again(tmp_path: Path) -> None:
    """The cut falls at the bottom of a page: the piece ending the cell there and the one
    opening it on the next page are one word, as inside a page."""
    path = tmp_path / "kallelse.pdf"
    pdf = canvas_for(path)
    width = 80.0
    words = {w for row in KALLELSE_ROWS for text in row for w in text.split()}
    y = 770
    for n, (nr, arende, forslag) in enumerate(KALLELSE_ROWS):
        left = set_cell(arende, width, True)
        right = set_cell(forslag, width, True)
        pdf.drawString(70, y, nr)
        cut = next((k for k, line in enumerate(right[:-1]) if line.split()[-1] not in words), None)
        for k, line in enumerate(left):
            pdf.drawString(120, y - 12 * k, line)
        for k, line in enumerate(right):
            if n == len(KALLELSE_ROWS) - 1 and cut is not None and k == cut + 1:
                pdf.showPage()
                pdf.setFont(FONT, 10)
                y = 770 + 12 * k
            pdf.drawString(300, y - 12 * k, line)
        y -= 12 * max(len(left), len(right)) + 10
    pdf.showPage()
    pdf.save()
    assert set_cell(KALLELSE_ROWS[-1][2], width, True)[0] not in words  # the page cuts a word
    paragraphs = read_document(path).paragraphs()
    assert [p.kind for p in paragraphs] == ["table"]
    assert paragraphs[0].rows == [list(row) for row in KALLELSE_ROWS]


def test_a_signature_block_right_above_a_table_is_not_its_first_rows(tmp_path: Path) -> None:
    path = tmp_path / "kallelse.pdf"
    pdf = canvas_for(path)
    pdf.drawString(70, 790, "Anna Svensson")
    pdf.drawString(205, 790, "Per Olsson")
    pdf.drawString(70, 776, "ordförande")
    pdf.drawString(205, 776, "sekreterare")
    rows = [
        ("", "Ärende", "Beteckning", "Förslag"),
        ("17.", "Anmälan av delegeringsbeslut", "2024-00006", "Kommunstyrelsen godkänner"),
        ("18.", "Redovisning av skrivelser", "2024-00004", "Kommunstyrelsen noterar"),
    ]
    for k, row in enumerate(rows):
        for x, text in zip((70, 100, 280, 360), row, strict=True):
            pdf.drawString(x, 756 - 16 * k, text)
    pdf.showPage()
    pdf.save()
    paragraphs = read_document(path).paragraphs()
    assert paragraphs[-1].kind == "table"
    assert paragraphs[-1].rows == [list(row) for row in rows]
    assert "Anna Svensson" in " ".join(p.text for p in paragraphs[:-1])


ITEM_PAGE_ONE = [
    "Motionären föreslår att kommunfullmäktige beslutar följande i tre delar:",
    "1. Att inrätta ett kommunalt pensionärsråd för att förbättra dialogen med",
    "kommunens äldre invånare och deras föreningar i hela kommunen redan nu.",
    "2. Att kommunen arbetar för att stärka äldre invånares möjligheter genom",
    "att låta dem vara delaktiga i kommunala beslut. Genom detta får kommunen",
    "bättre underlag för sina beslut genom samverkan med dem den finns till för.",
]


@pytest.mark.parametrize(
    ("page_two", "goes_on"),
    [
        (
            [
                "Deltagardemokrati mellan valen är viktig för att komplettera de vanliga",
                "demokratiska valen som hålls vart fjärde år i hela landet och i kommunen.",
            ],
            True,
        ),
        (["Beslutsunderlag", "Motion från en ledamot om ett pensionärsråd."], False),
    ],
)
def test_a_list_item_cut_by_a_page_break_goes_on_with_a_new_sentence(
    tmp_path: Path, page_two: list[str], goes_on: bool
) -> None:
    """The item's last line before the break runs to the margin and the next page opens
    with running text: the item goes on. A heading there does not continue it."""
    path = tmp_path / "motion.pdf"
    pdf = canvas_for(path)
    for k, line in enumerate(ITEM_PAGE_ONE):
        pdf.drawString(70, 120 + 14 * (len(ITEM_PAGE_ONE) - k), line)
    pdf.showPage()
    pdf.setFont(FONT, 10)
    for k, line in enumerate(page_two):
        pdf.drawString(70, 780 - 14 * k, line)
    pdf.showPage()
    pdf.save()
    paragraphs = read_document(path).paragraphs()
    item = [p for p in paragraphs if p.kind == "list_item"][-1]
    assert item.text.startswith("Att kommunen arbetar")
    assert item.text.endswith(page_two[-1]) == goes_on


def test_a_row_aligned_to_its_foot_opening_a_page_is_a_row_of_its_own(tmp_path: Path) -> None:
    """Cells aligned to the bottom of their row put the number on the row's last line; a
    page that opens with such a row (evenly spaced, no header) holds one new row, not the
    end of the row the page before finished."""
    path = tmp_path / "kallelse.pdf"
    pdf = canvas_for(path)
    pages = [
        [("", "Ärende", "Beteckning", "Förslag")],
        [],
    ]
    rows = [
        ("1.", ["Val av", "justerare"], "", ["Ordinarie", "Anna Svensson"]),
        (
            "2.",
            ["Antagande av", "detaljplan för", "Åsa centrum"],
            "KS 12",
            ["Kommunfullmäktige", "antar planen."],
        ),
    ]
    y = 780
    for x, text in zip((70, 100, 280, 360), pages[0][0], strict=True):
        pdf.drawString(x, y, text)
    for n, (nr, left, beteckning, right) in enumerate(rows):
        if n:
            pdf.showPage()
            pdf.setFont(FONT, 10)
            y = 800
        height = max(len(left), len(right))
        y -= 20
        for k, line in enumerate(left):
            pdf.drawString(100, y - 10 * (height - len(left) + k), line)
        for k, line in enumerate(right):
            pdf.drawString(360, y - 10 * (height - len(right) + k), line)
        bottom = y - 10 * (height - 1)
        pdf.drawString(70, bottom, nr)
        pdf.drawString(280, bottom, beteckning)
        y = bottom
    pdf.showPage()
    pdf.save()
    paragraphs = read_document(path).paragraphs()
    assert [p.kind for p in paragraphs] == ["table"]
    assert paragraphs[0].rows[1:] == [
        ["1.", "Val av justerare", "", "Ordinarie Anna Svensson"],
        [
            "2.",
            "Antagande av detaljplan för Åsa centrum",
            "KS 12",
            "Kommunfullmäktige antar planen.",
        ],
    ]


def test_a_whole_word_filling_its_cell_stays_apart_from_a_word_the_paper_prints_alone(
    tmp_path: Path,
) -> None:
    """A whole word that happens to fill its cell, with a lowercase word under it, looks
    on the page like a word cut without a hyphen; the paper settles it: the word below
    is printed on its own elsewhere and the two never as one, so they are two words.
    The words the typesetter did cut are still made whole."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    path = tmp_path / "kallelse.pdf"
    pdf = canvas_for(path)
    rows = [
        ("1.", "Kommunstyrelsens nämndbudget 2026", "Kommunfullmäktige antar budgeten"),
        ("2.", "Delegeringsförteckning för kommunstyrelsen", "Kommunstyrelsen godkänner"),
        ("3.", "Anmälan av delegeringsbeslut", "Kommunstyrelsen godkänner redovisningen"),
        ("4.", "Information från arbetsutskottets sammanträden", "Kommunstyrelsen noterar"),
    ]
    width = stringWidth("arbetsutskottets", FONT, 10) + 0.5
    pdf.drawString(70, 790, "Kommunstyrelsens sammanträden hålls i stadshuset.")
    draw_cut_cells(pdf, rows, width, True, y=760)
    assert "arbetsutskottets" in set_cell(rows[-1][1], width, True)  # alone, filling its line
    table = [p for p in read_document(path).paragraphs() if p.kind == "table"]
    assert len(table) == 1
    assert table[0].rows == [list(row) for row in rows]
