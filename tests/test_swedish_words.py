"""A word that fills its narrow cell and the word under it, or one word cut without a
hyphen: the Swedish lexicon decides when the paper prints the word below nowhere else."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth
from test_reading_order import canvas_for, draw_cut_cells, set_cell

from extractors import read_document
from extractors.swedish_words import two_words
from pipeline.outputs.typeset.pdf_writer import FONT


@pytest.mark.parametrize(
    ("upper", "lower"),
    [
        ("kompletterande", "bestämmelser"),
        ("fastighetsrättens", "område"),  # a definite form's genitive ends a phrase
        ("kunskapsbaserad", "socialtjänst"),
        ("upplåtelseformer", "ökar"),
        ("arbetsutskottets", "sammanträden"),
    ],
)
def test_two_swedish_words_stay_apart(upper: str, lower: str) -> None:
    assert two_words(upper, lower)


@pytest.mark.parametrize(
    ("upper", "lower"),
    [
        ("arbetsutskot", "tets"),  # the upper piece is no word
        ("delegeringsförteck", "ning"),
        ("arbetsmarknads", "departementets"),  # a compound's first part, linking s
        ("säkerhetsskydds", "chef"),
        ("kommundirektör", "ens"),  # "kommundirektörens" runs across the break
        ("redovisning", "en"),  # too short to tell
        ("revidering", "en"),
    ],
)
def test_a_word_cut_in_two_is_one_word(upper: str, lower: str) -> None:
    assert not two_words(upper, lower)


def test_a_phrase_filling_its_cell_keeps_its_space_in_a_word_cutting_table(
    tmp_path: Path,
) -> None:
    """The paper prints "bestämmelser" only under "kompletterande", which fills its
    line: no evidence from the paper, the language keeps the two apart; the words the
    typesetter did cut are made whole."""
    path = tmp_path / "kallelse.pdf"
    pdf = canvas_for(path)
    rows = [
        ("1.", "Delegeringsförteckning för kommunstyrelsen", "Kommunstyrelsen antar"),
        ("2.", "Anmälan av delegeringsbeslut", "Kommunstyrelsen godkänner redovisningen"),
        ("3.", "Remiss om kompletterande bestämmelser", "Kommunstyrelsen antar yttrandet"),
        ("4.", "Revidering av projektbeställning", "Kommunstyrelsen godkänner revideringen"),
    ]
    width = stringWidth("kompletterande", FONT, 10) + 0.5
    draw_cut_cells(pdf, rows, width, True, y=760)
    assert "kompletterande" in set_cell(rows[2][1], width, True)  # alone, filling its line
    assert "Delegeringsförteckning" not in set_cell(rows[0][1], width, True)  # cut
    table = [p for p in read_document(path).paragraphs() if p.kind == "table"]
    assert len(table) == 1
    assert table[0].rows == [list(row) for row in rows]
