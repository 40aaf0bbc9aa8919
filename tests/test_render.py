"""Drafts and assessment tables: the Word draft, CSV, XLSX and HTML, on the real samples.

The DOCX is converted to PDF by LibreOffice and the HTML rendered by headless Chromium;
the first page and the screenshot are kept in `out/test-artifacts/` to look at. Both
programs are installed by the project's setup (`system-packages.txt`), so a missing one
is a failure, not a skip.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pytest
from conftest import ROOT, SAMPLES
from openpyxl import load_workbook
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.document import Document
from pipeline.outputs import render
from pipeline.stages.assess import combine
from pipeline.stages.run import analyze
from pipeline.styrmodell.loader import load_profile

ARTIFACTS = ROOT / "out" / "test-artifacts"
TEXTS = sorted(SAMPLES.glob("*.txt"))
TODAY = dt.date(2025, 1, 15)
RESIDUE = ("{{", "{%", "}}", "%}", "{#", "#}")
INJECTION = "att {{ 7*7 }} och {% if 1 %}x{% endif %} samt <w:p> och A & B <b>"
SEED_001 = SAMPLES / "001_fb57b98de66bfb1d.txt"
# The samples a draft answer is written for: an answer, a medborgarförslag, a motion.
ANSWERED_SAMPLES = ["001_fb57b98de66bfb1d", "medborgarforslag_lekplats", "motion_gang_och_cykel"]


@pytest.fixture(scope="module")
def analysed() -> dict[str, Document]:
    return {path.stem: analyze(path) for path in TEXTS}


@pytest.fixture(scope="module")
def drafts(analysed: dict[str, Document], tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("drafts")
    for stem, doc in analysed.items():
        render.write_drafts(doc, base / stem, today=TODAY)
    return {stem: base / stem for stem in analysed}


def answered(analysed: dict[str, Document]) -> list[str]:
    return [s for s, d in analysed.items() if d.doc_type in render.ANSWERED]


def all_texts(document) -> list[str]:
    """Every paragraph's text: body, table cells (nested too), headers and footers."""

    def from_tables(tables) -> list[str]:
        texts = []
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    texts += [p.text for p in cell.paragraphs] + from_tables(cell.tables)
        return texts

    texts = [p.text for p in document.paragraphs] + from_tables(document.tables)
    for section in document.sections:
        for part in (section.header, section.footer):
            texts += [p.text for p in part.paragraphs] + from_tables(part.tables)
    return texts


def bedomning_blocks(document) -> list[dict[str, str]]:
    """The Bedömning's blocks, one per att-sats: its number, the quoted clause and the
    labelled paragraphs under its "Att-sats N" heading."""
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == "Bedömning i respektive att-sats")
    blocks: list[dict[str, str]] = []
    for para in paragraphs[start + 1 :]:
        if para.style.name == "Heading 1":
            break
        if para.style.name == "Heading 2":
            blocks.append({"nr": para.text.removeprefix("Att-sats ")})
        elif blocks and "quote" not in blocks[-1]:
            blocks[-1]["quote"] = para.text
        elif blocks:
            label, sep, value = para.text.partition(": ")
            key = label if sep and para.runs[0].bold else "comment"
            blocks[-1][key] = value if key != "comment" else para.text
    return blocks


def which(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    pytest.fail(f"{' or '.join(names)} is not installed (scripts/install.sh installs it)")


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_each_sample_gets_the_files_its_type_calls_for(
    path: Path, analysed: dict[str, Document], drafts: dict[str, Path]
) -> None:
    doc = analysed[path.stem]
    written = (
        sorted(p.name for p in drafts[path.stem].iterdir()) if drafts[path.stem].exists() else []
    )
    expected = set()
    if doc.doc_type in render.ANSWERED:
        expected.add(render.UTKAST)
    if doc.att_satser or doc.goals:
        expected |= {render.CSV, render.XLSX, render.HTML}
    assert set(written) == expected
    assert not [n for n in written if n.endswith(".tmp")]


def test_the_samples_cover_every_kind_of_draft(analysed: dict[str, Document]) -> None:
    types = {d.doc_type for d in analysed.values()}
    assert {"motion", "medborgarforslag", "motionssvar"} <= types
    assert any(d.goals and not d.att_satser for d in analysed.values())


@pytest.mark.parametrize("stem", ANSWERED_SAMPLES)
def test_the_docx_assesses_every_att_sats_in_a_block_of_its_own(
    stem: str, analysed: dict[str, Document], drafts: dict[str, Path]
) -> None:
    doc = analysed[stem]
    document = docx.Document(drafts[stem] / render.UTKAST)
    body = [p.text for p in document.paragraphs]
    blocks = bedomning_blocks(document)
    assert len(blocks) == len(doc.att_satser)
    assert not document.tables, "no narrow table columns that break words"
    for clause, block in zip(doc.att_satser, blocks, strict=True):
        assert clause.text in body
        assert block["nr"] == str(clause.number)
        assert block["quote"] == f"”{clause.text}”"
        assert "utkast" in block["Förslag"]
        assert block["Styrmodellen"] and block["comment"]
    for heading in [
        "Förslag till beslut",
        "Ärendet i korthet",
        "Bedömning i respektive att-sats",
        "Konsekvensbeskrivning",
        "Slutsats",
        "Beslutet ska skickas till",
    ]:
        assert heading in body
    for consequence in [
        "Ekonomiska konsekvenser",
        "Sociala konsekvenser",
        "Miljömässiga konsekvenser",
        "Barnrättsperspektiv",
    ]:
        assert any(text.startswith(f"{consequence}: ") for text in body)
    assert body[0] == render.DRAFT_MARK


def test_a_motionssvar_shows_the_officials_comment_next_to_ours(
    analysed: dict[str, Document], drafts: dict[str, Path]
) -> None:
    doc = analysed["001_fb57b98de66bfb1d"]
    blocks = bedomning_blocks(docx.Document(drafts["001_fb57b98de66bfb1d"] / render.UTKAST))
    for clause, block in zip(doc.att_satser, blocks, strict=True):
        assert block["Förvaltningens kommentar"] == clause.existing_assessment
    motion = docx.Document(drafts["motion_gang_och_cykel"] / render.UTKAST)
    assert not any("Förvaltningens kommentar" in b for b in bedomning_blocks(motion))


def test_no_template_residue_in_any_docx(
    analysed: dict[str, Document], drafts: dict[str, Path]
) -> None:
    for stem in answered(analysed):
        document = docx.Document(drafts[stem] / render.UTKAST)
        for text in all_texts(document):
            assert not any(tag in text for tag in RESIDUE), (stem, text)
        xml = document.element.xml
        assert "{%" not in xml and "{{" not in xml


def test_consequences_are_filled_from_the_paper_or_left_to_the_officer(
    analysed: dict[str, Document],
) -> None:
    seed = render.build_context(analysed["001_fb57b98de66bfb1d"])["consequences"]
    assert seed["children"]["grounded"]
    assert "barns rätt" in seed["children"]["text"]
    motion = render.build_context(analysed["motion_gang_och_cykel"])["consequences"]
    assert all(c["text"] == render.FILL_IN for c in motion.values())


def test_a_sentence_about_several_consequences_is_quoted_once(
    analysed: dict[str, Document],
) -> None:
    seed = render.build_context(analysed["001_fb57b98de66bfb1d"])["consequences"]
    quote = "”Ingen bedömning görs kring påverkan på hållbarhetsperspektiven"
    assert [key for key, c in seed.items() if quote in c["text"]] == ["economic"]
    for key in ("social", "environmental"):
        assert seed[key]["text"] == (
            "Underlaget behandlar detta tillsammans med ekonomiska konsekvenser (se ovan)."
        )


def test_the_context_speaks_swedish(analysed: dict[str, Document]) -> None:
    seed = analyze(SEED_001, load_profile("ange"))
    context = render.build_context(seed, today=TODAY)
    # Ånge's own styrdokument are not at hand: attsats abstains on the paper and on all
    # but the att-sats the law's demand for follow-up grounds.
    assert context["proposal"]["decision"] == "[Handläggaren bedömer]"
    assert context["municipality"] == "Ånge kommun"
    assert context["dnr"] == "KS 20/399"
    assert context["date"] == "2025-01-15"
    assert [c["stance"] for c in context["clauses"]].count("[Handläggaren bedömer]") == 5
    assert context["clauses"][4]["stance"] == "Besvarad"
    assert context["summary"][0] == (
        "Joakim Bäckström (VF) har lämnat en motion om strukturerat målstyrningsarbete."
    )
    lekplats = render.build_context(analysed["medborgarforslag_lekplats"])
    # Nothing in the styrmodell grounds a stance on a playground: no bifall by default.
    assert lekplats["proposal"]["decision"] == "[Handläggaren bedömer]"
    assert lekplats["date"] == render.FILL_IN
    # Att-satser that part ways: the proposal says which is granted and which is not.
    paper = analysed["motion_gang_och_cykel"]
    split = [
        a.model_copy(update={"assessment": a.assessment.model_copy(update={"suggested_stance": s})})
        for a, s in zip(paper.att_satser, ("bifall", "avslag", "bifall"), strict=True)
    ]
    motion = render.build_context(
        paper.model_copy(update={"att_satser": split, "suggestion": combine(split)})
    )
    assert motion["proposal"]["decision"] == "Delvis bifalla motionen."
    assert motion["proposal"]["details"] == (
        "Förslag per att-sats: bifall till att-satserna 1 och 3; avslag på att-sats 2."
    )


def test_the_committed_template_is_what_the_generator_makes() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_templates", ROOT / "scripts" / "make_templates.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == (ROOT / "templates" / "utkast.docx").read_bytes()


@pytest.fixture(scope="module")
def pdfs(analysed: dict[str, Document], drafts: dict[str, Path], tmp_path_factory) -> Path:
    """Every draft converted to PDF in one LibreOffice run, with its own user profile."""
    soffice = which("soffice", "libreoffice")
    work = tmp_path_factory.mktemp("pdf")
    sources = []
    for stem in answered(analysed):
        target = work / f"utkast-{stem}.docx"
        shutil.copy(drafts[stem] / render.UTKAST, target)
        sources.append(str(target))
    profile = Path("/tmp") / f"attsats-lo-{uuid.uuid4().hex[:8]}"
    try:
        result = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                *sources,
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert result.returncode == 0, result.stderr
    return work


@pytest.mark.parametrize("stem", ANSWERED_SAMPLES)
def test_the_docx_converts_to_pdf_and_its_first_page_renders(
    stem: str, pdfs: Path, analysed: dict[str, Document]
) -> None:
    pdf_path = pdfs / f"utkast-{stem}.pdf"
    assert pdf_path.is_file(), f"LibreOffice wrote no {pdf_path.name}"
    pdf = pdfium.PdfDocument(pdf_path)
    try:
        # Half a page per att-sats besides the frame: a three-clause motion on two pages.
        assert 1 <= len(pdf) <= 1 + max(1, len(analysed[stem].att_satser) // 2)
        text = pdf[0].get_textpage().get_text_range()
        assert "UTKAST" in text and "Förslag till beslut" in text
        image = pdf[0].render(scale=1.5).to_pil()
    finally:
        pdf.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    png = ARTIFACTS / f"utkast-{stem}.png"
    image.save(png)
    assert png.stat().st_size > 20_000


def screenshot(page: Path, png: Path) -> None:
    chromium = which("chromium-headless-shell", "chromium", "chromium-browser")
    profile = Path("/tmp") / f"attsats-chromium-{uuid.uuid4().hex[:8]}"
    try:
        result = subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                f"--user-data-dir={profile}",
                f"--screenshot={png}",
                "--window-size=1280,2000",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "stem", ["001_fb57b98de66bfb1d", "004_94abcee4c42df768", "motion_gang_och_cykel"]
)
def test_the_html_is_self_contained_and_renders_in_chromium(
    stem: str, drafts: Path, analysed: dict[str, Document]
) -> None:
    page = drafts[stem] / render.HTML
    text = page.read_text(encoding="utf-8")
    assert "<style>" in text
    for external in ("<link", "<script", "src=", "http://", "https://", "@import"):
        assert external not in text
    assert render.DRAFT_MARK in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    png = ARTIFACTS / f"bedomning-{stem}.png"
    png.unlink(missing_ok=True)
    screenshot(page, png)
    assert png.is_file() and png.stat().st_size > 20_000


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte order mark"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("stem", ANSWERED_SAMPLES)
def test_csv_and_xlsx_have_one_row_per_att_sats(
    stem: str, analysed: dict[str, Document], drafts: dict[str, Path]
) -> None:
    doc = analysed[stem]
    rows = read_csv(drafts[stem] / render.CSV)
    assert rows[0] == render.CLAUSE_COLUMNS
    assert [r[1] for r in rows[1:]] == [c.text for c in doc.att_satser]
    assert [r[0] for r in rows[1:]] == [str(c.number) for c in doc.att_satser]
    workbook = load_workbook(drafts[stem] / render.XLSX)
    sheet = workbook["Att-satser"]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == render.CLAUSE_COLUMNS
    assert [r[1] for r in values[1:]] == [c.text for c in doc.att_satser]
    assert sheet.auto_filter.ref == f"A1:K{len(doc.att_satser) + 1}"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width


@pytest.mark.parametrize("stem", ["002_3aec3e6f3cea692f", "004_94abcee4c42df768"])
def test_a_goal_document_gets_a_goal_table(
    stem: str, analysed: dict[str, Document], drafts: dict[str, Path]
) -> None:
    doc = analysed[stem]
    assert doc.goals and not doc.att_satser
    rows = read_csv(drafts[stem] / render.CSV)
    assert rows[0] == render.GOAL_COLUMNS
    assert [r[1] for r in rows[1:]] == [g.text for g in doc.goals]
    smart = rows[0].index("SMART: Tidsatt")
    for goal, row in zip(doc.goals, rows[1:], strict=True):
        verdict = render.VERDICT_NAMES[goal.assessment.smart.time_bound.verdict]
        assert row[smart].startswith(verdict)
        assert row[rows[0].index("Aktivitet eller effekt")] in ("Aktivitetsmål", "Effektmål")
    sheet = load_workbook(drafts[stem] / render.XLSX)["Mål"]
    assert sheet.max_row == len(doc.goals) + 1
    assert sheet.auto_filter.ref


def test_clause_text_with_template_syntax_renders_literally(
    analysed: dict[str, Document], tmp_path: Path
) -> None:
    doc = analysed["001_fb57b98de66bfb1d"].model_copy(deep=True)
    doc.att_satser[0].text = INJECTION
    doc.att_satser[0].existing_assessment = "Kommentar: " + INJECTION
    files = {p.name: p for p in render.write_drafts(doc, tmp_path, today=TODAY)}

    document = docx.Document(files[render.UTKAST])
    block = bedomning_blocks(document)[0]
    assert block["quote"] == f"”{INJECTION}”"
    assert block["Förvaltningens kommentar"] == "Kommentar: " + INJECTION
    assert INJECTION in [p.text for p in document.paragraphs]
    assert not any("49" in t and "7*7" not in t for t in all_texts(document))

    page = files[render.HTML].read_text(encoding="utf-8")
    assert html.escape(INJECTION, quote=True) in page
    assert "<w:p>" not in page and "<b>" not in page

    assert read_csv(files[render.CSV])[1][1] == INJECTION
    sheet = load_workbook(files[render.XLSX])["Att-satser"]
    assert sheet["B2"].value == INJECTION


def test_text_that_looks_like_a_formula_stays_text(
    analysed: dict[str, Document], tmp_path: Path
) -> None:
    doc = analysed["motion_gang_och_cykel"].model_copy(deep=True)
    doc.att_satser[0].text = '=HYPERLINK("http://example.invalid")'
    files = {p.name: p for p in render.write_drafts(doc, tmp_path, today=TODAY)}
    assert read_csv(files[render.CSV])[1][1] == "'" + doc.att_satser[0].text
    cell = load_workbook(files[render.XLSX])["Att-satser"]["B2"]
    assert cell.data_type == "s" and cell.value == doc.att_satser[0].text


def test_a_municipality_template_overrides_the_shipped_one(
    analysed: dict[str, Document], tmp_path: Path
) -> None:
    own = tmp_path / "mallar"
    own.mkdir()
    (own / render.HTML_TEMPLATE).write_text(
        "<!DOCTYPE html><title>Egen</title><p>Egen mall för {{ dnr }}: {{ clauses | length }}</p>",
        encoding="utf-8",
    )
    out = tmp_path / "ut"
    doc = analysed["001_fb57b98de66bfb1d"]
    render.write_drafts(doc, out, templates_dir=own, today=TODAY)
    assert "Egen mall för KS 20/399: 6" in (out / render.HTML).read_text(encoding="utf-8")
    # utkast.docx is not in the folder: the shipped one is used.
    assert len(bedomning_blocks(docx.Document(out / render.UTKAST))) == 6


def test_templates_compile_once_and_a_changed_municipality_template_is_read_again(
    analysed: dict[str, Document], tmp_path: Path
) -> None:
    env = render.environment()
    assert env.from_string("<p>{{ a }}</p>") is env.from_string("<p>{{ a }}</p>")
    assert env.from_string("<p>{{ a }}</p>").render(a="<b>") == "<p>&lt;b&gt;</p>"
    own = tmp_path / "mallar"
    own.mkdir()
    template = own / render.HTML_TEMPLATE
    doc = analysed["001_fb57b98de66bfb1d"]
    for version in ("Första", "Andra"):
        template.write_text(f"<p>{version} mallen: {{{{ dnr }}}}</p>", encoding="utf-8")
        os.utime(template, ns=(0, len(version) * 10**9))  # a new mtime, however fast
        render.write_drafts(doc, tmp_path / version, templates_dir=own, today=TODAY)
        html = (tmp_path / version / render.HTML).read_text(encoding="utf-8")
        assert f"{version} mallen: KS 20/399" in html


def test_a_missing_variable_in_a_template_is_an_error(
    analysed: dict[str, Document], tmp_path: Path
) -> None:
    own = tmp_path / "mallar"
    own.mkdir()
    (own / render.HTML_TEMPLATE).write_text("<p>{{ finns_inte }}</p>", encoding="utf-8")
    with pytest.raises(render.DraftError, match="finns_inte"):
        render.write_drafts(analysed["001_fb57b98de66bfb1d"], tmp_path / "ut", own, TODAY)


def test_cli_out_writes_a_folder_with_the_draft_and_tables(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["analyze", str(SEED_001), "--styrmodell", "ange", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.stderr
    folder = tmp_path / SEED_001.stem
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["analysis.json", render.UTKAST, render.CSV, render.XLSX, render.HTML]
    )
    blocks = bedomning_blocks(docx.Document(folder / render.UTKAST))
    assert len(blocks) == 6
    doc = Document.model_validate_json((folder / "analysis.json").read_text(encoding="utf-8"))
    assert [b["quote"] for b in blocks] == [f"”{c.text}”" for c in doc.att_satser]


def test_cli_templates_option(tmp_path: Path) -> None:
    own = tmp_path / "mallar"
    own.mkdir()
    (own / render.HTML_TEMPLATE).write_text("<p>{{ heading }}</p>", encoding="utf-8")
    out = tmp_path / "ut"
    result = CliRunner().invoke(
        app, ["analyze", str(SEED_001), "--out", str(out), "--templates", str(own)]
    )
    assert result.exit_code == 0, result.stderr
    assert (out / SEED_001.stem / render.HTML).read_text(encoding="utf-8").startswith("<p>Förslag")
    missing = CliRunner().invoke(
        app, ["analyze", str(SEED_001), "--out", str(out), "--templates", str(tmp_path / "nej")]
    )
    assert missing.exit_code == 2
    assert "Mallmappen finns inte" in missing.stderr
    broken = tmp_path / "trasig"
    broken.mkdir()
    (broken / render.DOCX_TEMPLATE).write_bytes(b"inte en docx")
    failed = CliRunner().invoke(
        app, ["analyze", str(SEED_001), "--out", str(out), "--templates", str(broken)]
    )
    assert failed.exit_code == 1
    assert "utkast.docx kunde inte skapas" in failed.stderr
    assert not (out / SEED_001.stem / render.UTKAST).exists()
