"""The archive report: goal portfolio, motions and outcomes, motions past the one-year rule."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline.document import (
    Author,
    Criterion,
    DateMention,
    Decision,
    Diarienummer,
    Document,
    Goal,
    GoalAssessment,
    Measurability,
    Smart,
    Source,
    TimeBound,
)
from pipeline.outputs import report
from pipeline.outputs.folders import write_outputs

TODAY = dt.date(2022, 6, 1)


def doc(name: str, **fields) -> Document:
    return Document(
        source=Source(path=f"{name}.txt", sha256=name.ljust(64, "0"), format="txt", size=1),
        **fields,
    )


def dnr(raw: str, organ: str, year: int, number: str) -> list[Diarienummer]:
    return [Diarienummer(raw=raw, organ=organ, year=year, number=number)]


def date(kind: str, iso: str) -> list[DateMention]:
    return [DateMention(kind=kind, date=dt.date.fromisoformat(iso), raw=iso)]


def assessed(kind: str, agenda2030: list[int]) -> GoalAssessment:
    unclear = Criterion(verdict="unclear")
    return GoalAssessment(
        kind=kind,
        kind_score=0.9,
        smart=Smart(
            specific=unclear,
            measurable=unclear,
            accepted=unclear,
            realistic=unclear,
            time_bound=unclear,
        ),
        measurable=Measurability(measurable=False),
        time_bound=TimeBound(time_bound=False),
        agenda2030=agenda2030,
    )


ARCHIVE = {
    # Decided: a motion, the protokoll that decided it (same ärende, number printed differently).
    "motion-laddstolpar": doc(
        "motion-laddstolpar",
        doc_type="motion",
        title="Motion om fler laddstolpar",
        authors=[Author(name="Anna Berg", party="S")],
        diarienummer=dnr("KS 2020/411", "KS", 2020, "411"),
        dates=date("dokument", "2020-05-04"),
    ),
    "kf-paragraf-12": doc(
        "kf-paragraf-12",
        doc_type="protokoll",
        title="Svar på motion om fler laddstolpar",
        organ="Kommunfullmäktige",
        diarienummer=dnr("KS 2020/00411", "KS", 2020, "00411"),
        dates=date("sammantrade", "2021-03-15"),
        decision=Decision(text="Kommunfullmäktige bifaller motionen.", outcome="bifall"),
    ),
    # Remitted only, and older than a year: overdue.
    "motion-simhall": doc(
        "motion-simhall",
        doc_type="motion",
        title="Motion om en ny simhall",
        authors=[Author(name="Per Holm", party="M")],
        diarienummer=dnr("KS 2020/512", "KS", 2020, "512"),
        dates=date("dokument", "2020-09-01"),
    ),
    "ksau-remiss": doc(
        "ksau-remiss",
        doc_type="protokoll",
        title="Remittering av motion om en ny simhall",
        organ="Kommunstyrelsens arbetsutskott",
        diarienummer=dnr("KS 2020/512", "KS", 2020, "512"),
        dates=date("sammantrade", "2020-10-06"),
        decision=Decision(text="Motionen remitteras.", outcome="remiss"),
    ),
    # Recent and undecided: not overdue yet.
    "medborgarforslag-hundrastgard": doc(
        "medborgarforslag-hundrastgard",
        doc_type="medborgarforslag",
        title="Medborgarförslag om en hundrastgård",
        dates=date("dokument", "2022-01-10"),
    ),
    "budget": doc(
        "budget",
        doc_type="styrdokument",
        title="Nämndbudget 2022 <Barn & utbildning>",
        organ="Barn- och utbildningsnämnden",
        goals=[
            Goal(
                text="Andelen behöriga lärare ska öka.",
                level="nämndmål",
                target="90 %",
                deadline="2024",
                assessment=assessed("effektmal", [4]),
            ),
            Goal(
                text="Alla elever ska känna sig trygga.",
                level="nämndmål",
                indicator="Elevenkät: trygghet",
                assessment=assessed("effektmal", [16, 4]),
            ),
            Goal(
                text="Genomföra en utbildning i tillitsbaserad styrning.",
                level="nämndmål",
                assessment=assessed("aktivitetsmal", []),
            ),
            # Not assessed (an analysis from before goals were assessed).
            Goal(text="Ett hållbart Sverige.", level="kommunmål", deadline="2030"),
        ],
    ),
    "trasig": doc("trasig", status="failed", doc_type="motion", title="Motion om något"),
}


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    for name, document in ARCHIVE.items():
        write_outputs(document, tmp_path / name)
    (tmp_path / "halv").mkdir()
    (tmp_path / "halv" / "analysis.json").write_text("{", encoding="utf-8")
    return tmp_path


@pytest.fixture
def built(archive: Path) -> report.Report:
    return report.build(archive, TODAY)


def test_every_readable_analysis_is_loaded(built: report.Report) -> None:
    assert len(built.documents) == len(ARCHIVE)
    assert built.unreadable == ["halv"]


def test_goal_portfolio_per_organ_and_level(built: report.Report) -> None:
    rows = [
        (r.organ, r.level, r.goals, r.measurable, r.time_bound, r.assessed, r.effect)
        for r in built.portfolio
    ]
    assert rows == [
        ("Barn- och utbildningsnämnden", "kommunmål", 1, 0, 1, 0, 0),
        ("Barn- och utbildningsnämnden", "nämndmål", 3, 2, 1, 3, 2),
    ]
    assert built.portfolio[1].share(2) == "67 %"
    assert [r.effect_share() for r in built.portfolio] == ["–", "67 %"]


def test_level_codes_are_shown_in_words(tmp_path: Path) -> None:
    plan = doc(
        "plan",
        doc_type="styrdokument",
        goals=[Goal(text="Trygg kommun.", level="overgripande_mal"), Goal(text="Ökad trygghet.")],
    )
    write_outputs(plan, tmp_path / "plan")
    assert [r.level for r in report.build(tmp_path, TODAY).portfolio] == [
        "Okänd nivå",
        "Övergripande mål",
    ]
    assert "Mål (Övergripande mål)" in {r["Uppgift"] for r in report.document_table(plan)}


def test_agenda_2030_coverage_lists_every_global_goal(built: report.Report) -> None:
    rows = {r.number: (r.goals, r.organs) for r in built.agenda2030}
    assert sorted(rows) == list(range(1, 18))
    assert rows[4] == (2, ["Barn- och utbildningsnämnden"])
    assert rows[16] == (1, ["Barn- och utbildningsnämnden"])
    assert sum(goals for goals, _ in rows.values()) == 3
    assert built.agenda2030[3].name == "God utbildning för alla"


def test_without_assessed_goals_there_is_no_agenda_2030_table(tmp_path: Path) -> None:
    budget = ARCHIVE["budget"].model_copy(deep=True)
    for goal in budget.goals:
        goal.assessment = None
    write_outputs(budget, tmp_path / "budget")
    built = report.build(tmp_path, TODAY)
    assert built.agenda2030 == [] and built.portfolio[1].effect_share() == "–"
    html = report.render_html(built)
    assert "Inga bedömda mål att jämföra med Agenda 2030." in html


def test_motions_are_tied_to_their_decisions_by_diarienummer(built: report.Report) -> None:
    rows = {m.title: (m.submitted, m.outcome, m.decided, m.decided_by) for m in built.motions}
    assert rows == {
        "Motion om fler laddstolpar": (
            dt.date(2020, 5, 4),
            "bifall",
            dt.date(2021, 3, 15),
            "Kommunfullmäktige",
        ),
        "Motion om en ny simhall": (
            dt.date(2020, 9, 1),
            "remiss",
            dt.date(2020, 10, 6),
            "Kommunstyrelsens arbetsutskott",
        ),
        "Medborgarförslag om en hundrastgård": (dt.date(2022, 1, 10), None, None, None),
    }


def test_only_motions_older_than_a_year_without_a_final_decision_are_overdue(
    built: report.Report,
) -> None:
    assert [m.title for m in built.overdue] == ["Motion om en ny simhall"]


@pytest.mark.parametrize(
    ("today", "overdue"),
    [(dt.date(2021, 9, 1), []), (dt.date(2021, 9, 2), ["Motion om en ny simhall"])],
)
def test_the_year_is_counted_from_the_day_the_motion_was_made(
    archive: Path, today: dt.date, overdue: list[str]
) -> None:
    assert [m.title for m in report.build(archive, today).overdue] == overdue


def test_html_is_self_contained_swedish_and_escaped(archive: Path) -> None:
    html_path, xlsx_path = report.write_report(archive, TODAY)
    html = html_path.read_text(encoding="utf-8")
    assert html.count("<svg") >= 6
    assert "Andel effektmål per organ" in html and "Mål per Agenda 2030-mål" in html
    agenda = html.split("<h2>Agenda 2030</h2>", 1)[1].split("<h2", 1)[0]
    assert "4. God utbildning för alla" in agenda and "17. Genomförande" in agenda
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert "<script" not in html
    assert "Nämndbudget 2022 &lt;Barn &amp; utbildning&gt;" in html
    assert "Motioner äldre än ett år utan beslut" in html
    assert "5 kap. 35 §" in html
    overdue = html.split("Motioner äldre än ett år utan beslut", 1)[1].split("<h2", 1)[0]
    assert "Motion om en ny simhall" in overdue and "laddstolpar" not in overdue
    assert xlsx_path.exists()


def test_xlsx_has_filtered_sheets_with_the_same_facts(archive: Path) -> None:
    _, xlsx_path = report.write_report(archive, TODAY)
    book = load_workbook(xlsx_path)
    assert book.sheetnames == [
        "Målportfölj",
        "Mål",
        "Agenda 2030",
        "Motioner",
        "Ej beslutade efter ett år",
        "Dokument",
    ]
    sheet = book["Ej beslutade efter ett år"]
    assert [c.value for c in sheet[1]][:2] == ["Dnr", "Rubrik"]
    assert sheet[1][0].font.bold and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:H2"
    assert sheet["B2"].value == "Motion om en ny simhall"
    assert book["Mål"].max_row == 5
    assert book["Motioner"]["E2"].value == "Bifall"
    assert book["Mål"].column_dimensions["C"].width > 20
    goals = {row[2]: row for row in book["Mål"].iter_rows(min_row=2, values_only=True)}
    assert goals["Alla elever ska känna sig trygga."][8:10] == ("Effektmål", "4, 16")
    assert goals["Ett hållbart Sverige."][8:10] == (None, None)  # empty cells
    portfolio = list(book["Målportfölj"].iter_rows(min_row=2, values_only=True))
    assert [row[7:] for row in portfolio] == [(0, 0, "–"), (3, 2, "67 %")]
    assert book["Agenda 2030"].max_row == 18 and book["Agenda 2030"]["C5"].value == 2


def test_an_empty_archive_still_gets_a_report(tmp_path: Path) -> None:
    html_path, _ = report.write_report(tmp_path, TODAY)
    html = html_path.read_text(encoding="utf-8")
    assert "Inga mål hittades" in html and "Ingen motion är äldre än ett år" in html


def test_document_table_lists_what_an_official_checks(archive: Path) -> None:
    rows = report.document_table(ARCHIVE["kf-paragraf-12"])
    table = {r["Uppgift"]: r["Värde"] for r in rows}
    assert table["Typ"] == "Protokoll"
    assert table["Dnr"] == "KS 2020/00411"
    assert table["Beslut"] == "Kommunfullmäktige bifaller motionen. [Bifall]"
    assert "Varning" not in " ".join(table)


SAMPLES = Path(__file__).resolve().parents[1] / "sample_docs"


@pytest.mark.parametrize("stem", ["002_3aec3e6f3cea692f", "motion_gang_och_cykel"])
def test_one_paper_in_three_formats_is_counted_once(tmp_path: Path, stem: str) -> None:
    from pipeline.stages.run import analyze

    for suffix in ("txt", "pdf", "docx"):
        doc = analyze(SAMPLES / f"{stem}.{suffix}")
        (tmp_path / f"{stem}-{suffix}").mkdir()
        (tmp_path / f"{stem}-{suffix}" / "analysis.json").write_text(doc.model_dump_json())
    alone = report.distinct_papers(report.load(tmp_path)[0][:1])
    built = report.build(tmp_path, TODAY)
    assert built.files == 3 and len(built.documents) == 1
    assert sorted(built.documents[0].copies) == [f"{stem}-pdf", f"{stem}-txt"]
    assert len(built.goals) == len(report.goals_of(alone))
    assert len(built.motions) == len(report.motions_of(alone))


def test_different_papers_of_one_type_are_not_merged(archive: Path) -> None:
    built = report.build(archive, TODAY)
    assert len(built.documents) == built.files == len(ARCHIVE)
