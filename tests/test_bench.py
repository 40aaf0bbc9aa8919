"""The benchmark's deterministic parts: the archive it measures on and its arithmetic.

No timings are asserted: the figures are the benchmark's output, not a test.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from bench import archive as arch
from bench.report import targets
from bench.stats import growth, percentile, ratio, share, verdict

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> list[arch.Paper]:
    """The samples' texts: always there, so the test needs no corpus (their pages are counted
    on render.py's renderings where ../shared has it, cached in a scratch folder)."""
    return arch.papers(
        shared=ROOT / "no-such-folder",
        samples=ROOT / "sample_docs",
        cache_dir=tmp_path_factory.mktemp("renderings"),
    )


def manifest(a: arch.Archive) -> list[tuple[str, str]]:
    return [(e.name, e.sha256) for e in a.entries]


def test_the_same_seed_builds_the_same_files_byte_for_byte(tmp_path, sources) -> None:
    first = arch.build(8, seed=3, profile="mixed", cache_dir=tmp_path / "a", sources=sources)
    second = arch.build(8, seed=3, profile="mixed", cache_dir=tmp_path / "b", sources=sources)
    assert manifest(first) == manifest(second)
    assert [arch.sha256_bytes(p.read_bytes()) for p in second.files()] == [
        e.sha256 for e in first.entries
    ]
    assert {e.fmt for e in first.entries} == {"pdf", "docx"}
    assert all(1 <= e.pages <= arch.MAX_PAGES for e in first.entries)


def test_another_seed_chooses_other_files(sources) -> None:
    assert arch.plan(30, 1, "mixed", sources) != arch.plan(30, 2, "mixed", sources)


def test_every_file_is_unique_in_its_bytes(tmp_path, sources) -> None:
    """The ledger skips the same bytes under another name: every file must be new work."""
    a = arch.build(12, seed=1, profile="small", cache_dir=tmp_path, sources=sources)
    assert len({e.sha256 for e in a.entries}) == 12


def test_a_rebuild_reads_the_cached_archive_back(tmp_path, sources) -> None:
    first = arch.build(3, seed=5, profile="small-txt", cache_dir=tmp_path, sources=sources)
    again = arch.build(3, seed=5, profile="small-txt", cache_dir=tmp_path, sources=sources)
    assert again.folder == first.folder and manifest(again) == manifest(first)


def test_bundles_stay_within_forty_pages_and_the_mix_has_both_kinds(sources) -> None:
    specs = arch.plan(200, 15, "mixed", sources)
    pages = {p.id: p.pages for p in sources}
    bundles = [s for s in specs if s.kind == "bundle"]
    assert bundles and len(bundles) < len(specs)
    assert all(sum(pages[m] for m in s.members) <= arch.MAX_PAGES for s in bundles)
    assert all(len(set(s.members)) == len(s.members) for s in bundles)


def test_small_profiles_take_short_single_papers(sources) -> None:
    pages = {p.id: p.pages for p in sources}
    for profile in ("small", "small-txt"):
        specs = arch.plan(50, 15, profile, sources)
        assert all(len(s.members) == 1 and pages[s.members[0]] <= 2 for s in specs)
    assert {s.fmt for s in arch.plan(50, 15, "small-txt", sources)} == {"txt"}


def test_unique_bytes_leave_what_a_reader_sees() -> None:
    pdf = (ROOT / "sample_docs" / "001_fb57b98de66bfb1d.pdf").read_bytes()
    marked = arch.unique_bytes(pdf, "pdf", 7)
    assert marked.startswith(pdf) and marked != arch.unique_bytes(pdf, "pdf", 8)
    assert arch.pdf_pages(marked) == arch.pdf_pages(pdf)
    docx = (ROOT / "sample_docs" / "001_fb57b98de66bfb1d.docx").read_bytes()
    out = arch.unique_bytes(docx, "docx", 7)
    with zipfile.ZipFile(io.BytesIO(out)) as z, zipfile.ZipFile(io.BytesIO(docx)) as original:
        assert z.comment == b"bench 00007"
        assert {i.filename: z.read(i) for i in z.infolist()} == {
            i.filename: original.read(i) for i in original.infolist()
        }


def test_a_marked_text_reads_as_the_same_paper(tmp_path) -> None:
    from extractors import read_document

    source = ROOT / "sample_docs" / "motion_gang_och_cykel.txt"
    marked = tmp_path / source.name
    marked.write_bytes(arch.unique_bytes(source.read_bytes(), "txt", 9999))
    assert marked.read_bytes() != source.read_bytes()
    assert [p.text for p in read_document(marked).paragraphs()] == [
        p.text for p in read_document(source).paragraphs()
    ]


def test_an_unknown_profile_is_refused(sources) -> None:
    with pytest.raises(ValueError, match="unknown profile"):
        arch.plan(1, 1, "huge", sources)


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([1.0], 95, 1.0),
        ([1.0, 2.0], 50, 1.5),
        ([3.0, 1.0, 2.0], 50, 2.0),
        ([float(i) for i in range(1, 101)], 95, 95.05),
        ([float(i) for i in range(1, 101)], 100, 100.0),
        ([5.0, 1.0], 0, 1.0),
    ],
)
def test_percentile_interpolates_between_ranks(values, q, expected) -> None:
    assert percentile(values, q) == pytest.approx(expected)


def test_percentile_of_nothing_is_none_and_out_of_range_is_refused() -> None:
    assert percentile([], 50) is None
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_ratios_growth_and_verdicts() -> None:
    assert ratio(3.0, 2.0) == 1.5
    assert ratio(1.0, 0.0) is None and ratio(None, 2.0) is None
    assert growth(100.0, 109.0) == pytest.approx(0.09)
    assert share(1.0, 4.0) == 0.25
    assert verdict(0.4, 0.5, at_most=True) == "met"
    assert verdict(0.6, 0.5, at_most=True) == "missed"
    assert verdict(3.2, 3, at_most=False) == "met"
    assert verdict(None, 3, at_most=False) == "not measured"


def run(wall: float, **extra: object) -> dict:
    return {"wall": wall, "returncode": 0, "timed_out": False, **extra}


def test_targets_are_computed_from_the_largest_run() -> None:
    results = {
        "machine": {"cores": 2},
        "runs": [
            {"n": 10, "tools": {"loop": run(1.0, work=1.0, pdf_work=1.0)}},
            {
                "n": 100,
                "tools": {
                    "pdfplumber": run(12.0, work=10.0),
                    "unstructured": run(40.0, work=30.0),
                    "loop": run(12.0, work=10.0, pdf_work=6.0, pdf_outputs=2.0),
                    "batch_w1": run(13.0),
                    "batch_w2": run(7.0),
                    "batch_rerun": run(1.2),
                },
            },
        ],
        "single": {"file": "x.pdf", "analyze": run(2.0), "batch": run(3.5)},
        "memory": [
            {"n": 100, "max_rss_mb": 300.0, **run(5.0)},
            {"n": 1000, "max_rss_mb": 320.0, **run(50.0)},
        ],
        "inbox": {"p95": 2.5, "files": 100, "rate": 5.0},
    }
    got = {t["target"]: (t["value"], t["verdict"]) for t in targets(results)}
    assert got["pipeline / pdfplumber extract_text (PDFs)"] == (pytest.approx(0.6), "missed")
    assert got["the same, analysis only (outputs not written)"] == (pytest.approx(0.4), "met")
    assert got["unstructured / pipeline"] == (pytest.approx(3.0), "met")
    assert got["Prefect overhead (share of batch wall time)"] == (pytest.approx(1 / 13), "met")
    assert got["workers 2 / workers 1 (speed-up)"] == (pytest.approx(13 / 7), "met")
    assert got["batch of one file − analyze of it (s)"] == (pytest.approx(1.5), "met")
    assert got["rerun with nothing to do (s)"] == (pytest.approx(1.2), "met")
    assert got["peak memory growth, small papers streamed"][1] == "met"
    assert got["inbox p95 (s)"] == (2.5, "missed")


def test_a_failed_or_skipped_tool_is_not_measured() -> None:
    results = {
        "machine": {"cores": 2},
        "runs": [
            {
                "n": 5,
                "tools": {
                    "unstructured": {"skipped": True, "error": "install failed"},
                    "loop": run(1.0, work=1.0, pdf_work=1.0),
                    "batch_w1": {"wall": 3.0, "returncode": 1, "timed_out": False},
                },
            }
        ],
    }
    got = {t["target"]: t["verdict"] for t in targets(results)}
    assert got["unstructured / pipeline"] == "not measured"
    assert got["Prefect overhead (share of batch wall time)"] == "not measured"
    assert got["inbox p95 (s)"] == "not measured"


def test_prefect_overhead_splits_into_a_fixed_and_a_per_file_part() -> None:
    from bench.report import overhead_fit

    def sized(n: int, loop: float, batch: float) -> dict:
        return {"n": n, "tools": {"loop": run(loop), "batch_w1": run(batch)}}

    results = {"runs": [sized(100, 50.0, 62.0), sized(1000, 500.0, 530.0)]}
    fixed, per_file = overhead_fit(results)
    assert per_file == pytest.approx(0.02) and fixed == pytest.approx(10.0)
    assert overhead_fit({"runs": [sized(100, 50.0, 62.0)]}) is None
