"""Personnummer and samordningsnummer: found only when valid, masked wherever attsats
writes something that is not the paper's own reading (issue 14, item 11)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.outputs import report
from pipeline.outputs.folders import name_candidates
from pipeline.privacy import find, install_log_masking, luhn_ok, mask, mask_data
from pipeline.service.batch import ledger_path, plan, process_file
from pipeline.service.ledger import Ledger

# Skatteverket's and the tax tables' test numbers: Luhn-valid, nobody's.
VALID = "811218-9876"
VALID_12 = "19121212-1212"
SAMORDNING = "701063-2391"


def check_digit(nine: str) -> str:
    for digit in "0123456789":
        if luhn_ok(nine + digit):
            return digit
    raise AssertionError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sökande: Anna Berg, 811218-9876.", "Sökande: Anna Berg, 811218-****."),
        ("personnummer 8112189876 bifogas", "personnummer 811218-**** bifogas"),
        ("Född 19121212-1212 i Ånge", "Född 19121212-**** i Ånge"),
        ("pnr 191212121212", "pnr 19121212-****"),
        ("hundraåring 121212+1212", "hundraåring 121212+****"),
        ("samordningsnummer 701063-2391", "samordningsnummer 701063-****"),
        ("tankstreck 811218–9876", "tankstreck 811218-****"),
        ("svar_19121212-1212.pdf", "svar_19121212-****.pdf"),  # a file name
    ],
)
def test_valid_numbers_are_masked_keeping_the_date(text: str, expected: str) -> None:
    assert mask(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "811218-9877",  # wrong check digit
        "Dnr KS 2024-00850",  # a diarienummer
        "Beslutat 2024-03-18 § 45",
        "811318-9876",  # month 13
        "811200-9876",  # day 0
        "Kostnaden är 1 250 000 kronor",
        "KS2019/1234 och BUN 2023/00412",
        "ärende 12345678901234",  # a longer number: not a personnummer inside it
    ],
)
def test_what_is_not_a_valid_number_is_left_alone(text: str) -> None:
    assert mask(text) == text
    assert find(text) == []


def test_kinds_are_told_apart() -> None:
    assert [f.kind for f in find(f"{VALID} och {SAMORDNING}")] == [
        "personnummer",
        "samordningsnummer",
    ]


@given(
    st.dates(min_value=dt.date(1890, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.integers(min_value=0, max_value=999),
    st.sampled_from(["-", "", "+"]),
    st.booleans(),
    st.booleans(),
)
def test_any_valid_number_is_masked(date, serial, sep, twelve, coordination) -> None:
    day = date.day + (60 if coordination else 0)
    nine = f"{date:%y%m}{day:02d}{serial:03d}"
    number = nine + check_digit(nine)
    century = f"{date:%Y}"[:2] if twelve else ""
    written = century + number[:6] + sep + number[6:]
    shown = century + number[:6] + ("+" if sep == "+" else "-") + "****"
    assert mask(f"Ärendet gäller {written} i Ånge.") == f"Ärendet gäller {shown} i Ånge."


def test_structures_are_masked_keys_and_all() -> None:
    data = {"Fil": f"ansokan {VALID}.pdf", VALID: [VALID_12, (SAMORDNING, 3)], "n": 1}
    assert mask_data(data) == {
        "Fil": "ansokan 811218-****.pdf",
        "811218-****": ["19121212-****", ("701063-****", 3)],
        "n": 1,
    }


def test_log_records_are_masked_whatever_the_logger(caplog: pytest.LogCaptureFixture) -> None:
    install_log_masking()
    install_log_masking()  # idempotent
    with caplog.at_level(logging.INFO):
        logging.getLogger("attsats.inbox").info("Tog %s", f"ansökan {VALID}.pdf")
        logging.getLogger().warning(f"Fel i {VALID_12}")
    assert VALID not in caplog.text and "1212-1212" not in caplog.text
    assert "811218-****" in caplog.text and "19121212-****" in caplog.text


def test_output_names_never_carry_the_number() -> None:
    assert all("9876" not in n for n in name_candidates(f"ansökan {VALID}.pdf", "a" * 64))


PAPER = f"""Medborgarförslag

Till Kommunfullmäktige i Norrviks kommun

Medborgarförslag om en bänk vid badplatsen

Jag föreslår att kommunen ställer en bänk vid badplatsen för {VALID}.

Karin Lindqvist, personnummer {VALID_12}
"""


def test_a_batch_writes_no_unmasked_number_outside_analysis_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ATTSATS_PERSONNUMMER", raising=False)
    inbox = tmp_path / "in"
    inbox.mkdir()
    source = inbox / f"forslag {VALID}.txt"
    source.write_text(PAPER, encoding="utf-8")
    out = tmp_path / "out"
    the_plan = plan([inbox], out, tmp_path / "scratch")
    [item] = the_plan.todo
    result = process_file(Path(item.path), item.origin, item.sha256, item.name, out)
    assert result.state == "done"
    report.write_report(out)
    [folder] = result.folders
    assert "9876" not in folder
    texts = {}
    for path in out.rglob("*"):
        if path.suffix == ".csv":
            texts[path.name] = path.read_bytes().decode("utf-8-sig")
        elif path.suffix == ".html":
            texts[path.name] = path.read_text(encoding="utf-8")
        elif path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path)
            texts[path.name] = " ".join(
                str(c.value) for ws in book for row in ws.iter_rows() for c in row
            )
        elif path.suffix == ".docx":
            import docx

            texts[path.name] = " ".join(p.text for p in docx.Document(path).paragraphs) + " ".join(
                c.text for t in docx.Document(path).tables for r in t.rows for c in r.cells
            )
    db = sqlite3.connect(ledger_path(out))
    texts["ledger"] = " ".join(
        str(v)
        for table in ("contents", "names", "sightings")
        for row in db.execute(f"SELECT * FROM {table}")
        for v in row
    )
    assert {"bedomning.csv", "bedomning.xlsx", "bedomning.html", "rapport.html", "ledger"} <= set(
        texts
    )
    for name, text in texts.items():
        assert "9876" not in text and "1212-1212" not in text, name
    assert "811218-****" in texts["bedomning.csv"]
    rows = list(csv.reader(io.StringIO(texts["bedomning.csv"]), delimiter=";"))
    assert any("811218-****" in cell for row in rows for cell in row)
    # The reading itself keeps the paper's text.
    analysis = json.loads((out / folder / "analysis.json").read_text(encoding="utf-8"))
    assert VALID in json.dumps(analysis, ensure_ascii=False)
    assert analysis["source"]["path"].endswith("forslag 811218-****.txt")
    with Ledger(ledger_path(out)) as ledger:
        again = plan([inbox], out, tmp_path / "scratch2")
        assert (len(again.already), again.duplicates, again.todo) == (1, [], [])
        assert ledger.entries()[0].name.endswith("/in/forslag 811218-****.txt")


def test_drafts_keep_the_numbers_when_the_setting_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import docx

    monkeypatch.setenv("ATTSATS_PERSONNUMMER", "behall")
    source = tmp_path / "forslag.txt"
    source.write_text(PAPER, encoding="utf-8")
    out = tmp_path / "out"
    result = process_file(source, source.name, "b" * 64, "forslag", out)
    draft = docx.Document(out / result.folders[0] / "utkast.docx")
    text = " ".join(c.text for t in draft.tables for r in t.rows for c in r.cells) + " ".join(
        p.text for p in draft.paragraphs
    )
    assert VALID in text
    assert "9876" not in (out / result.folders[0] / "bedomning.csv").read_bytes().decode(
        "utf-8-sig"
    )
