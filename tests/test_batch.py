"""Batches without Prefect: collecting files, safe unpacking, the ledger, bundles."""

from __future__ import annotations

import json
import pickle
import stat
import zipfile
from pathlib import Path

import pytest
from conftest import CORPUS, SAMPLES, needs_corpus

from pipeline.outputs import report
from pipeline.outputs.folders import ANALYSIS
from pipeline.service import batch
from pipeline.service.bundles import analyze_file
from pipeline.service.ledger import Ledger
from pipeline.stages.run import analyze

MOTION = (
    "Motion om fler laddstolpar för elbilar\n\n"
    "Allt fler invånare kör elbil men laddplatserna i centrum räcker inte till.\n\n"
    "Jag föreslår att kommunfullmäktige beslutar\n\n"
    "att kommunen bygger fler laddstolpar vid kommunens parkeringar.\n\n"
    "Anna Berg (S)\n"
)
TEXT_SAMPLES = sorted(SAMPLES.glob("*.txt"))


def run(paths: list[Path], out: Path, **kwargs) -> tuple[batch.Plan, list[batch.Result]]:
    plan = batch.plan(paths, out, out / ".attsats" / "scratch", **kwargs)
    return plan, batch.process_chunk(plan.todo, out)


def folders(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "laddstolpar.txt").write_text(MOTION, encoding="utf-8")
    return folder


# --- collecting files -------------------------------------------------------------------


def test_folders_skip_lock_files_hidden_files_and_other_formats(
    inbox: Path, tmp_path: Path
) -> None:
    (inbox / "~$ddstolpar.docx").write_bytes(b"lock")
    (inbox / ".DS_Store").write_bytes(b"x")
    (inbox / "bild.jpg").write_bytes(b"\xff\xd8")
    (inbox / "sub").mkdir()
    (inbox / "sub" / "svar.md").write_text("# Svar på motion\n\nText.\n", encoding="utf-8")
    files, problems = batch.collect([inbox], tmp_path / "scratch")
    assert [origin for _, origin in files] == [
        str(inbox / "laddstolpar.txt"),
        str(inbox / "sub" / "svar.md"),
    ]
    assert problems == []


def make_zip(path: Path, members: dict[str, bytes], symlinks: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        for name in symlinks:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return path


def test_zip_archives_are_unpacked_with_their_names_kept(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "handlingar.zip",
        {"2021/motion.txt": MOTION.encode(), "2021/~$tion.docx": b"lock", "bild.png": b"x"},
    )
    files, problems = batch.collect([archive], tmp_path / "scratch")
    assert [origin for _, origin in files] == [f"{archive}/2021/motion.txt"]
    assert files[0][0].read_text(encoding="utf-8") == MOTION
    # Nothing silently ignored: the picture is reported, the Office lock file is not.
    assert [(p.code, p.message) for p in problems] == [
        ("W201", f"bild.png i arkivet {archive} hoppades över: formatet stöds inte")
    ]


@pytest.mark.parametrize(
    "member",
    [
        "../utanfor.txt",
        "/etc/utanfor.txt",
        "a/../../utanfor.txt",
        "C:/utanfor.txt",
        "..\\utanfor.txt",
    ],
)
def test_members_that_would_leave_the_target_are_skipped(tmp_path: Path, member: str) -> None:
    archive = make_zip(tmp_path / "ond.zip", {member: b"x", "ok.txt": MOTION.encode()})
    scratch = tmp_path / "scratch"
    files, problems = batch.collect([archive], scratch)
    assert [Path(origin).name for _, origin in files] == ["ok.txt"]
    assert [p.code for p in problems] == ["W201"]
    assert "utanför arkivet" in problems[0].message
    assert not (tmp_path / "utanfor.txt").exists()
    assert all(scratch in p.parents for p in scratch.rglob("*"))


def test_symlinks_in_archives_are_not_unpacked(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "l.zip", {"ok.txt": b"Text."}, symlinks=("lank.txt",))
    files, problems = batch.collect([archive], tmp_path / "scratch")
    assert [Path(o).name for _, o in files] == ["ok.txt"]
    assert "symboliska länkar" in problems[0].message


def test_a_zip_bomb_stops_at_the_size_limit(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "bomb.zip", {"noll.txt": b"0" * 5_000_000, "ok.txt": b"Text."})
    limits = batch.Limits(max_member_bytes=1_000_000)
    files, problems = batch.collect([archive], tmp_path / "scratch", limits)
    assert [Path(o).name for _, o in files] == ["ok.txt"]
    assert "större än" in problems[0].message
    assert not list((tmp_path / "scratch").rglob("noll.txt"))


def test_the_total_size_and_count_of_members_are_bounded(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "m.zip", {f"{i}.txt": b"x" * 1000 for i in range(5)})
    files, problems = batch.collect([archive], tmp_path / "s1", batch.Limits(max_members=3))
    assert len(files) == 3 and "fler än 3 filer" in problems[0].message
    files, problems = batch.collect([archive], tmp_path / "s2", batch.Limits(max_total_bytes=2500))
    assert len(files) == 2 and problems[0].code == "W201"


def test_archives_inside_archives_are_unpacked_to_a_bounded_depth(tmp_path: Path) -> None:
    inner = make_zip(tmp_path / "inner.zip", {"motion.txt": MOTION.encode()})
    outer = make_zip(tmp_path / "outer.zip", {"bilagor/inner.zip": inner.read_bytes()})
    files, _ = batch.collect([outer], tmp_path / "s1")
    assert [o for _, o in files] == [f"{outer}/bilagor/inner.zip/motion.txt"]
    files, problems = batch.collect([outer], tmp_path / "s2", batch.Limits(max_depth=1))
    assert files == [] and "nivåer" in problems[0].message


def test_a_corrupt_archive_is_reported_not_raised(tmp_path: Path) -> None:
    archive = tmp_path / "trasig.zip"
    archive.write_bytes(b"PK\x03\x04 inte ett arkiv")
    files, problems = batch.collect([archive], tmp_path / "scratch")
    assert files == [] and [p.code for p in problems] == ["E202"]


# --- planning, processing, resuming ----------------------------------------------------


def test_a_batch_writes_one_folder_per_document_and_nothing_the_second_time(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    plan, results = run(TEXT_SAMPLES, out)
    expected = sorted(p.stem for p in TEXT_SAMPLES)
    assert folders(out) == expected
    assert all(r.state == "done" for r in results)
    for name in expected:
        data = json.loads((out / name / ANALYSIS).read_text(encoding="utf-8"))
        assert data["source"]["path"] == str(SAMPLES / f"{name}.txt")
    before = {p: p.stat().st_mtime_ns for p in out.rglob(ANALYSIS)}
    plan, results = run(TEXT_SAMPLES, out)
    assert (plan.todo, results, len(plan.already)) == ([], [], len(expected))
    assert {p: p.stat().st_mtime_ns for p in out.rglob(ANALYSIS)} == before


def test_every_file_of_the_samples_folder_gets_a_folder_and_the_report_covers_them(
    tmp_path: Path,
) -> None:
    """sample_docs holds each paper as .docx, .pdf and .txt (three contents under one
    name), an encrypted PDF and a scan: one folder per file, named by the file, the
    format added when the name is taken; failures keep their coded error."""
    out = tmp_path / "out"
    inputs = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".docx", ".pdf", ".txt"))
    expected: dict[str, Path] = {}
    for path in inputs:  # the order a folder is read in: docx, pdf, txt per name
        name = path.stem if path.stem not in expected else f"{path.stem}-{path.suffix[1:]}"
        expected[name] = path
    plan, results = run([SAMPLES], out)
    assert folders(out) == sorted(expected)
    assert len(results) == len(inputs) == len(expected)
    codes = {}
    for name, path in expected.items():
        data = json.loads((out / name / ANALYSIS).read_text(encoding="utf-8"))
        assert data["source"]["path"] == str(path)
        if data["status"] == "failed":
            codes[name] = data["errors"][0]["code"]
    assert codes == {"krypterad": "E105"}  # the image-only sample is read by OCR
    written = report.write_report(out)
    assert [p.name for p in written] == ["rapport.html", "rapport.xlsx"]
    html = (out / "rapport.html").read_text(encoding="utf-8")
    assert all(name in html for name in expected)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    plan, results = run([SAMPLES], out)
    assert (plan.todo, results, len(plan.already)) == ([], [], len(inputs))
    after = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert {p: t for p, t in after.items() if ".attsats" not in p.parts} == {
        p: t for p, t in before.items() if ".attsats" not in p.parts
    }


def test_a_batch_with_nothing_new_is_answered_from_the_ledger_without_writing_it(
    inbox: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert batch.settled([inbox], out, batch.DEFAULT_ATTEMPTS) is None  # no ledger yet
    run([inbox], out)
    assert batch.settled([inbox], out, batch.DEFAULT_ATTEMPTS) is None  # no report yet
    report.write_report(out)
    (inbox / "kopia.txt").write_text(MOTION, encoding="utf-8")
    with Ledger(batch.ledger_path(out)) as ledger:
        seen = ledger.sightings()
    summary = batch.settled([inbox], out, batch.DEFAULT_ATTEMPTS)
    assert summary is not None
    assert (summary.files, summary.documents, summary.already, summary.duplicates) == (2, 0, 1, 1)
    assert "Nya dokument: 0" in summary.lines()
    with Ledger(batch.ledger_path(out)) as ledger:
        assert ledger.sightings() == seen
    assert not [p for p in batch.state_dir(out).iterdir() if p.name.startswith("granskat")]
    (inbox / "ny.txt").write_text(MOTION + "\nTillägg.\n", encoding="utf-8")
    assert batch.settled([inbox], out, batch.DEFAULT_ATTEMPTS) is None


def test_same_content_under_another_name_is_a_duplicate(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (inbox / "kopia.txt").write_text(MOTION, encoding="utf-8")
    plan, _ = run([inbox], out)
    assert folders(out) == ["kopia"]
    assert [(Path(i.origin).name, Path(first).name) for i, first in plan.duplicates] == [
        ("laddstolpar.txt", "kopia.txt")
    ]
    with Ledger(batch.ledger_path(out)) as ledger:
        assert [Path(p).name for _, p, _ in ledger.sightings("duplicate")] == ["laddstolpar.txt"]


def test_new_content_under_an_old_name_gets_its_own_folder(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run([inbox], out)
    (inbox / "laddstolpar.txt").write_text(MOTION + "\nTillägg.\n", encoding="utf-8")
    plan, results = run([inbox], out)
    assert [r.folders for r in results] == [("laddstolpar-txt",)]
    assert folders(out) == ["laddstolpar", "laddstolpar-txt"]


def test_an_interrupted_batch_resumes_with_what_is_left(tmp_path: Path) -> None:
    out = tmp_path / "out"
    plan = batch.plan([SAMPLES], out, tmp_path / "scratch")
    batch.process_chunk(plan.todo[:2], out)  # the run stops here
    again = batch.plan([SAMPLES], out, tmp_path / "scratch")
    assert [i.origin for i in again.todo] == [i.origin for i in plan.todo[2:]]
    assert [i.name for i in again.todo] == [i.name for i in plan.todo[2:]]


def test_unreadable_input_gets_a_folder_with_its_coded_error(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "binar.txt").write_bytes(b"\x00\x01\x02 binary")
    out = tmp_path / "out"
    _, results = run([folder], out)
    assert (results[0].state, results[0].code) == ("failed", "E103")
    data = json.loads((out / "binar" / ANALYSIS).read_text(encoding="utf-8"))
    assert data["status"] == "failed" and data["errors"][0]["code"] == "E103"
    plan, _ = run([folder], out)
    assert plan.todo == [] and len(plan.already) == 1


def test_a_crashing_file_is_retried_then_quarantined(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    plan = batch.plan([inbox], out, tmp_path / "scratch")
    item = plan.todo[0]
    calls = []

    def crash(path: Path):
        calls.append(path)
        raise MemoryError("för stor")

    result = batch.process_file(
        Path(item.path), item.origin, item.sha256, item.name, out, 3, analyse=crash
    )
    assert (result.state, result.code, result.attempts, len(calls)) == ("quarantined", "E201", 3, 3)
    assert "3 gånger" in result.message and "MemoryError" in result.message
    assert folders(out) == []
    again = batch.plan([inbox], out, tmp_path / "scratch")
    assert again.todo == [] and len(again.set_aside) == 1


def test_a_passing_retry_completes_the_file(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    item = batch.plan([inbox], out, tmp_path / "scratch").todo[0]
    failures = iter([OSError("nätverksdisken svarade inte")])

    def flaky(path: Path):
        for exc in failures:
            raise exc
        return analyze_file(path)

    result = batch.process_file(
        Path(item.path), item.origin, item.sha256, item.name, out, 3, analyse=flaky
    )
    assert (result.state, result.attempts) == ("done", 2)


def test_chunks_are_few_and_balanced_by_size() -> None:
    items = [batch.Item(f"/{i}", f"{i}", f"{i}", size) for i, size in enumerate([9, 1, 1, 1, 5, 4])]
    chunks = batch.make_chunks(items, 2)
    assert len(chunks) == 2
    assert sorted(sum(i.size for i in c) for c in chunks) == [10, 11]
    assert batch.make_chunks(items[:1], 8) == [items[:1]]
    assert batch.make_chunks([], 4) == []


def test_summary_is_in_swedish_and_counts_everything(inbox: Path, tmp_path: Path) -> None:
    (inbox / "binar.txt").write_bytes(b"\x00\x01")
    plan, results = run([inbox], tmp_path / "out")
    summary = batch.summarize(plan, results)
    lines = summary.lines()
    assert "Filer i batchen: 2" in lines and "Kunde inte läsas: 1" in lines
    assert any(line.endswith("E103 " + summary.failed[0].message) for line in lines)
    assert summary.markdown().startswith("| Uppgift | Antal |")


# --- bundles -----------------------------------------------------------------------------

PROTOKOLL = """KOMMUNFULLMÄKTIGE
SAMMANTRÄDESPROTOKOLL
Sammanträdesdatum 2021-03-15

Justerare: Per Holm (M)

§ 12 Dnr KS 2020/411
Motion om fler laddstolpar för elbilar

Kommunfullmäktiges beslut
Kommunfullmäktige beslutar att bifalla motionen.

§ 13 Dnr KS 2020/512
Svar på medborgarförslag om en hundrastgård

Kommunfullmäktiges beslut
Kommunfullmäktige beslutar att avslå medborgarförslaget.

Justerandes signatur
"""


def first_texts(path: Path) -> list[tuple[str, int, int]]:
    docs = analyze_file(path)
    return [
        (
            d.paragraphs()[0].text if d.paragraphs() else d.sections[0].heading,
            d.source.bundle.part,
            d.source.bundle.parts,
        )
        for d in docs
    ]


def test_a_protokoll_is_split_at_each_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "protokoll.txt"
    path.write_text(PROTOKOLL, encoding="utf-8")
    docs = analyze_file(path)
    assert len(docs) == 2
    texts = [" ".join(p.text for p in d.paragraphs()) for d in docs]
    assert "§ 12" in texts[0] and "bifalla" in texts[0] and "§ 13" not in texts[0]
    assert "§ 13" in texts[1] and "avslå" in texts[1] and "Justerare" not in texts[1]
    assert [d.source.bundle.part for d in docs] == [1, 2]
    assert all(d.source.path == str(path) for d in docs)
    # What the meeting's head states once holds for every §.
    assert all("2021-03-15" in [str(x.date) for x in d.dates] for d in docs)


def test_paragraph_signs_in_running_text_do_not_split(tmp_path: Path) -> None:
    path = tmp_path / "skrivelse.txt"
    path.write_text(
        "Tjänsteskrivelse\n\nEnligt kommunallagen 5 kap. 35 § ska motionen beredas inom ett år.\n\n"
        "§ 12 i reglementet gäller.\n\nKommunstyrelsen föreslås besluta att anse motionen besvarad.\n",
        encoding="utf-8",
    )
    docs = analyze_file(path)
    assert len(docs) == 1 and docs[0].source.bundle is None


@pytest.mark.parametrize(
    "path",
    sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".docx", ".pdf")),
    ids=lambda p: p.name,
)
def test_single_papers_are_not_split_and_read_as_analyze_reads_them(path: Path) -> None:
    docs = analyze_file(path)
    assert len(docs) == 1 and docs[0].source.bundle is None
    assert docs[0].model_dump() == analyze(path).model_dump()


def test_papers_with_restarting_page_numbers_are_split(tmp_path: Path) -> None:
    path = tmp_path / "handlingar.txt"
    path.write_text(
        "<!-- sida 1 -->\nMotion om en ny simhall\n\nKommunen behöver en ny simhall.\n\n"
        "<!-- sida 2 -->\nMotionen föreslår att en utredning görs.\n\n"
        "<!-- sida 1 -->\nTjänsteskrivelse\n\nFörvaltningen har berett motionen.\n",
        encoding="utf-8",
    )
    docs = analyze_file(path)
    assert [(d.source.bundle.first_page, d.source.bundle.last_page) for d in docs] == [
        (1, 2),
        (1, 1),
    ]


@needs_corpus
def test_a_meetings_handlingar_split_into_their_papers(tmp_path: Path) -> None:
    ids = ["d03", "d04", "d05", "d01", "d09", "d07", "d08"]
    path = tmp_path / "handlingar.txt"
    path.write_text(
        "\n\n".join((CORPUS / f"{i}.txt").read_text(encoding="utf-8") for i in ids),
        encoding="utf-8",
    )
    docs = analyze_file(path)
    pages = [(d.source.bundle.first_page, d.source.bundle.last_page) for d in docs]
    # d07 and d08 are § 197 and § 198 of one protokoll (pages 48-53): split at the §.
    assert pages == [(642, 645), (646, 647), (651, 652), (655, 656), (666, 668), (48, 50), (51, 53)]
    assert {d.source.bundle.parts for d in docs} == {7}


@needs_corpus
@pytest.mark.parametrize(
    "path", sorted(CORPUS.glob("d*.txt")) if CORPUS.is_dir() else [], ids=lambda p: p.name
)
def test_each_corpus_paper_stays_whole(path: Path) -> None:
    assert len(analyze_file(path)) == 1


def test_a_bundle_in_a_batch_gets_numbered_folders(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "kf-2021-03-15.txt").write_text(PROTOKOLL, encoding="utf-8")
    out = tmp_path / "out"
    _, results = run([folder], out)
    assert results[0].folders == ("kf-2021-03-15-del-01", "kf-2021-03-15-del-02")
    part = json.loads((out / "kf-2021-03-15-del-02" / ANALYSIS).read_text(encoding="utf-8"))
    assert part["source"]["bundle"] == {"part": 2, "parts": 2, "first_page": 1, "last_page": 1}


# --- settings: styrmodell and templates -------------------------------------------------

SEED = SAMPLES / "001_fb57b98de66bfb1d.txt"  # a motionssvar from Ånge: its own profile is "ange"
STYRDOKUMENT = SAMPLES / "004_94abcee4c42df768.txt"  # goals: tables, but no utkast.docx


def run_with(
    paths: list[Path], out: Path, settings: batch.Settings
) -> tuple[batch.Plan, list[batch.Result]]:
    plan = batch.plan(paths, out, out / ".attsats" / "scratch")
    return plan, batch.process_chunk(plan.todo, out, settings=settings)


def test_settings_pickle_for_process_pool_workers() -> None:
    settings = batch.Settings(styrmodell="generisk", templates="mina_mallar")
    assert pickle.loads(pickle.dumps(settings)) == settings
    assert batch.Settings() == batch.DEFAULT_SETTINGS
    assert (batch.DEFAULT_SETTINGS.profile(), batch.DEFAULT_SETTINGS.templates_dir()) == (
        None,
        None,
    )


def test_settings_are_checked_with_the_messages_of_analyze(tmp_path: Path) -> None:
    with pytest.raises(batch.SettingsError, match="Okänd styrmodell 'finns-inte'"):
        batch.Settings(styrmodell="finns-inte").check()
    with pytest.raises(batch.SettingsError, match="Mallmappen finns inte: "):
        batch.Settings(templates=str(tmp_path / "saknas")).check()
    batch.Settings(styrmodell="generisk", templates=str(tmp_path)).check()


def test_a_batch_assesses_against_the_styrmodell_given(tmp_path: Path) -> None:
    _, default = run_with([SEED], tmp_path / "standard", batch.DEFAULT_SETTINGS)
    _, chosen = run_with([SEED], tmp_path / "vald", batch.Settings(styrmodell="generisk"))
    assert [r.state for r in default + chosen] == ["done", "done"]
    name = SEED.stem
    assert (
        json.loads((tmp_path / "standard" / name / ANALYSIS).read_bytes())["styrmodell"] == "ange"
    )
    assert (
        json.loads((tmp_path / "vald" / name / ANALYSIS).read_bytes())["styrmodell"] == "generisk"
    )


def test_a_batch_uses_the_municipalitys_own_templates(tmp_path: Path) -> None:
    templates = tmp_path / "mallar"
    templates.mkdir()
    (templates / "bedomning.html.j2").write_text(
        "<p>Egen mall för {{ municipality }}: {{ clauses | length }} att-satser</p>\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    _, results = run_with([SEED], out, batch.Settings(templates=str(templates)))
    assert [(r.state, r.code) for r in results] == [("done", None)]
    folder = out / SEED.stem
    assert (folder / "bedomning.html").read_text(encoding="utf-8") == (
        "<p>Egen mall för Ånge kommun: 6 att-satser</p>"
    )
    assert (folder / "utkast.docx").read_bytes()[:2] == b"PK"  # the shipped one


def test_a_broken_template_fails_that_file_with_its_analysis_and_the_batch_goes_on(
    tmp_path: Path,
) -> None:
    templates = tmp_path / "mallar"
    templates.mkdir()
    (templates / "utkast.docx").write_bytes(b"inte ett Word-dokument")
    out = tmp_path / "out"
    plan, results = run_with([SEED, STYRDOKUMENT], out, batch.Settings(templates=str(templates)))
    failed, done = results
    assert (failed.origin, failed.state, failed.code, failed.attempts) == (
        str(SEED),
        "failed",
        "E203",
        1,  # the template's fault: not retried
    )
    assert failed.message.startswith("Utkasten kunde inte skapas: utkast.docx")
    assert failed.folders == (SEED.stem,)
    data = json.loads((out / SEED.stem / ANALYSIS).read_bytes())
    assert (data["doc_type"], len(data["att_satser"])) == ("motionssvar", 6)
    assert not (out / SEED.stem / "utkast.docx").exists()
    assert (done.state, done.code) == ("done", None)
    assert (out / STYRDOKUMENT.stem / "bedomning.html").exists()
    with Ledger(batch.ledger_path(out)) as ledger:
        entry = ledger.get(failed.sha256)
        assert (entry.state, entry.code, entry.message) == ("failed", "E203", failed.message)
    summary = batch.summarize(plan, results)
    assert f"{SEED}: E203 {failed.message}" in summary.lines()
    assert "Kunde inte läsas: 0" in summary.lines()
    assert "Utkasten kunde inte skapas (mallen): 1" in summary.lines()
    again, _ = run_with([SEED, STYRDOKUMENT], out, batch.Settings(templates=str(templates)))
    assert again.todo == [] and len(again.already) == 2  # a failed file is not tried again
