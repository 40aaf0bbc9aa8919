"""The printed table, the targets of issue 15 with met/missed, and BENCHMARKS.md."""

from __future__ import annotations

from pathlib import Path

from bench.stats import growth, per_second, ratio, verdict

PARTS = ("extractors", "unstructured", "loop", "batch", "profile", "single", "memory", "inbox")
TOOL_ORDER = (
    "pypdfium2",
    "pdfplumber",
    "unstructured",
    "loop",
    "batch_w1",
    "batch_w2",
    "batch_rerun",
)


def fmt(value: object, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def largest(results: dict) -> dict:
    runs = results.get("runs") or []
    return max(runs, key=lambda r: r["n"]) if runs else {"tools": {}, "n": None}


def wall(tool: dict | None) -> float | None:
    if not tool or tool.get("skipped") or tool.get("returncode", 0) != 0 or tool.get("timed_out"):
        return None
    return tool.get("wall")


def work(tool: dict | None, key: str = "work") -> float | None:
    return tool.get(key) if tool and wall(tool) is not None else None


def targets(results: dict) -> list[dict]:
    """Each target of the issue: the value measured, the target, met or missed."""
    run = largest(results)
    t = run["tools"]
    n = run["n"]
    loop, plumber = t.get("loop"), t.get("pdfplumber")
    w1, w2 = t.get("batch_w1"), t.get("batch_w2")
    rows = []

    def add(name: str, value: float | None, target: float, at_most: bool, how: str) -> None:
        rows.append(
            {
                "target": name,
                "value": value,
                "goal": f"{'≤' if at_most else '≥'} {target:g}",
                "verdict": verdict(value, target, at_most),
                "how": how,
            }
        )

    add(
        "pipeline / pdfplumber extract_text (PDFs)",
        ratio(work(loop, "pdf_work"), work(plumber)),
        0.5,
        True,
        f"N = {n}: plain-loop time on the PDFs / pdfplumber's on the same PDFs (start-up out)",
    )
    analysis = None
    if work(loop, "pdf_work") is not None:
        analysis = loop["pdf_work"] - loop.get("pdf_outputs", 0.0)
    add(
        "the same, analysis only (outputs not written)",
        ratio(analysis, work(plumber)),
        0.5,
        True,
        f"N = {n}: as above, less the time writing analysis.json, drafts and tables",
    )
    add(
        "unstructured / pipeline",
        ratio(work(t.get("unstructured")), work(loop)),
        3,
        False,
        f"N = {n}: partition time / plain-loop time, all files (start-up out)",
    )
    overhead = None
    if wall(w1) is not None and wall(loop) is not None:
        overhead = (wall(w1) - wall(loop)) / wall(w1)
    add(
        "Prefect overhead (share of batch wall time)",
        overhead,
        0.10,
        True,
        f"N = {n}: (batch --workers 1 − plain loop) / batch, both wall time",
    )
    add(
        "workers 2 / workers 1 (speed-up)",
        ratio(wall(w1), wall(w2)),
        1.7,
        False,
        f"N = {n}: batch --workers 1 wall / --workers 2 wall, {results['machine']['cores']} cores",
    )
    one = results.get("single") or {}
    gap = None
    if wall(one.get("batch")) is not None and wall(one.get("analyze")) is not None:
        gap = wall(one["batch"]) - wall(one["analyze"])
    add(
        "batch of one file − analyze of it (s)",
        gap,
        2.0,
        True,
        f"{one.get('file', '–')}: `attsats batch` − `attsats analyze --out`, wall",
    )
    add(
        "rerun with nothing to do (s)",
        wall(t.get("batch_rerun")),
        1.5,
        True,
        f"N = {n}: batch again into the same folder (issue: about a second)",
    )
    mem = [m for m in results.get("memory") or [] if wall(m) is not None]
    mem_growth = (
        growth(mem[0]["max_rss_mb"], max(m["max_rss_mb"] for m in mem)) if len(mem) > 1 else None
    )
    add(
        "peak memory growth, small papers streamed",
        mem_growth,
        0.10,
        True,
        "plain loop, N = "
        + ", ".join(str(m["n"]) for m in mem)
        + ": highest peak RSS over the one at the smallest N, minus 1",
    )
    box = results.get("inbox") or {}
    add(
        "inbox p95 (s)",
        box.get("p95"),
        2.0,
        True,
        f"{box.get('files', '–')} files at {box.get('rate', '–')}/s into `attsats watch`",
    )
    return rows


def tool_rows(run: dict) -> list[list[str]]:
    rows = []
    for key in TOOL_ORDER:
        tool = run["tools"].get(key)
        if not tool:
            continue
        w = wall(tool)
        note = tool.get("error") or ""
        if tool.get("errors"):
            note = f"{tool['errors']} files failed; " + note
        rows.append(
            [
                str(run["n"]),
                tool["label"],
                f"{tool['files']} {'PDF' if tool['subset'] == 'pdf' else 'all'}",
                str(tool["pages"]),
                fmt(w, 1),
                fmt(tool.get("work"), 1),
                fmt(per_second(tool["pages"], w), 1),
                fmt(per_second(tool["files"], w), 2),
                f"{fmt(tool.get('max_rss_mb'), 0)} / {fmt(tool.get('tree_peak_mb'), 0)}",
                note[:120],
            ]
        )
    return rows


def grid(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def stage_rows(run: dict) -> list[list[str]]:
    loop = run["tools"].get("loop") or {}
    stages = loop.get("stages") or {}
    total = sum(stages.values())
    files = loop.get("files") or 0
    return [
        [
            name,
            fmt(seconds, 2),
            fmt(100 * seconds / total if total else None, 1),
            fmt(1000 * seconds / files if files else None, 1),
        ]
        for name, seconds in stages.items()
    ]


def table(results: dict) -> str:
    """The one table printed at the end (the Markdown of the figures, without the prose)."""
    parts = []
    header = [
        "N",
        "tool",
        "files",
        "pages",
        "wall s",
        "work s",
        "pages/s",
        "files/s",
        "peak RSS MB (largest / tree)",
        "note",
    ]
    rows = [r for run in results.get("runs") or [] for r in tool_rows(run)]
    one = results.get("single")
    if one:
        for key, label in (
            ("analyze", "attsats analyze --out, one file"),
            ("batch", "attsats batch, one file"),
        ):
            m = one[key]
            rows.append(
                [
                    "1",
                    label,
                    "1",
                    str(one["pages"]),
                    fmt(wall(m), 1),
                    "–",
                    "–",
                    "–",
                    f"{fmt(m['max_rss_mb'], 0)} / {fmt(m['tree_peak_mb'], 0)}",
                    m.get("error", ""),
                ]
            )
    for m in results.get("memory") or []:
        rows.append(
            [
                str(m["n"]),
                "pipeline, plain loop, small text papers (memory)",
                f"{m['n']} all",
                str(m["pages"]),
                fmt(wall(m), 1),
                fmt(m.get("work"), 1),
                fmt(per_second(m["pages"], wall(m)), 1),
                fmt(per_second(m["n"], wall(m)), 2),
                f"{fmt(m['max_rss_mb'], 0)} / {fmt(m['tree_peak_mb'], 0)}",
                m.get("error", ""),
            ]
        )
    parts.append(grid(header, rows))
    box = results.get("inbox")
    if box:
        parts.append(
            grid(
                [
                    "inbox",
                    "files",
                    "rate /s",
                    "published",
                    "failed",
                    "p50 s",
                    "p95 s",
                    "max s",
                    "ready after s",
                    "tree peak MB",
                    "note",
                ],
                [
                    [
                        "attsats watch",
                        str(box["files"]),
                        fmt(box["rate"], 0),
                        str(box["published"]),
                        str(len(box["failed"])),
                        fmt(box["p50"]),
                        fmt(box["p95"]),
                        fmt(box["max"]),
                        fmt(box["startup"], 1),
                        fmt(box["tree_peak_mb"], 0),
                        box.get("error") or "",
                    ]
                ],
            )
        )
    run = largest(results)
    if run.get("tools", {}).get("loop", {}).get("stages"):
        parts.append(
            f"Per stage, plain loop, N = {run['n']}:\n\n"
            + grid(["stage", "s", "%", "ms/file"], stage_rows(run))
        )
    parts.append(
        grid(
            ["target", "measured", "goal", "verdict", "how"],
            [
                [t["target"], fmt(t["value"], 2), t["goal"], t["verdict"], t["how"]]
                for t in results.get("targets") or []
            ],
        )
    )
    return "\n\n".join(parts)


def markdown(results: dict) -> str:
    m, v = results["machine"], results["versions"]
    archives = "\n".join(
        f"- N = {r['n']}: {r['archive']['files']} files ({r['archive']['pdf']} PDF, "
        f"{r['archive']['docx']} DOCX, {r['archive']['bundles']} bundles), "
        f"{r['archive']['pages']} pages ({r['archive']['pdf_pages']} in the PDFs), "
        f"{r['archive']['min_pages']}–{r['archive']['max_pages']} pages a file"
        for r in results.get("runs") or []
    )
    unstructured = v.get("unstructured") or f"– ({results.get('unstructured_note')})"
    return f"""# Benchmarks

Written by `{results["command"]}` ({results["mode"]} run; `make bench` is the full run,
`make bench-quick` the short one). Issue 15. Figures from one run, all tools on the same
files; the machine is shared, so compare ratios from one run rather than figures across runs.

Run it: `make bench` (full: N = 100 and 1,000 side by side, memory at 100, 1,000 and 10,000,
about 20 minutes on 2 cores once the archives are cached), `make bench-quick` (N = 30,
memory at 100 and 1,000, under 10 minutes), or `python -m bench [--quick] [--sizes 100,1000]
[--memory 100,1000,10000] [--inbox 100] [--rate 5] [--seed 15] [--skip PARTS]`
(parts: {", ".join(PARTS)}).
Archives, renderings, Prefect's database and unstructured's venv are kept under
`~/.cache/attsats/bench` (`ATTSATS_BENCH_CACHE`); scratch output under `out/bench/`.

## Machine and versions

- {m["cores"]} cores, {m["ram_gb"]} GB RAM, {m["cpu"]}; {m["system"]}
- load average (1, 5, 15 min) before {", ".join(f"{x:.2f}" for x in m["load_before"])},
  after {", ".join(f"{x:.2f}" for x in m.get("load_after", []))}
- Python {v.get("python")}, pdfplumber {v.get("pdfplumber")}, pypdfium2 {v.get("pypdfium2")},
  Prefect {v.get("prefect")}, spaCy {v.get("spacy")}, unstructured {unstructured};
  attsats at {v.get("attsats")}
- started {results["started"]}, finished {results["finished"]}, seed {results["seed"]}

## What runs

The archive (`bench/archive.py`, deterministic: same seed, same bytes; cached under
`~/.cache/attsats/bench`): the shared corpus and the samples' texts set as PDF and DOCX by the
project's own typesetter and by `../shared/tools/render.py`, single papers and bundles of 2–12
papers (up to 40 pages), every file unique in its bytes.

{archives}

- **pypdfium2 text**, **pdfplumber extract_text**: the PDFs only, one process, file after file.
- **unstructured partition (fast)**: `partition(strategy="fast", languages=["swe"])` on every
  file, in its own venv (`bench/unstructured_env.py` says what is installed and why: unstructured
  with python-docx, pdfminer.six, pikepdf and what `unstructured.partition.pdf` imports at load,
  `unstructured-inference` without its model dependencies (no torch), and spaCy's
  `en_core_web_sm` from the registry, which unstructured would otherwise fetch from GitHub).
- **pipeline, plain loop**: `bench/run_loop.py`, one process: each file through
  `analyze_file` (bundles split) and its outputs written as `attsats analyze --out` writes them.
- **attsats batch**: the Prefect flow as a user runs it, a fresh output folder each
  (`{" ".join(results.get("batch_flags", []))}`: the archive report is left out), then again
  into the first folder (nothing to do).
- **wall s**: the command from start to exit (start-up included); **work s**: the file loop
  inside the process (start-up and a warm-up paper that loads spaCy left out), where the
  runner can tell; pages/s and files/s are over wall time. A DOCX counts its source's pages.
- **peak RSS**: the largest process's peak (VmHWM), and the highest sum over the process tree
  (VmRSS), both sampled from /proc every 0.1 s.
- **profile**: cProfile over the plain loop on the first PDFs of the largest archive: the
  functions with the most time of their own (the loop is slower under the profiler).
- **memory**: the plain loop streaming small text papers (each output folder written, then
  removed), one process per N. The papers repeat the corpus's short texts (each file unique in
  its bytes, not in its words), so growth with new vocabulary is not exercised.
- **inbox**: `attsats watch` started, ready once a probe file has come out; files renamed in at
  a steady rate; latency from the rename to the source's arrival in its output folder (moved
  there only after its outputs are published).

## Figures

{table(results)}
{notes(results)}{profile_section(results)}{explained()}"""


# The misses of a run, analysed by hand from its profile (issue 15: a miss is explained
# with a profile); kept beside the script so a new run's BENCHMARKS.md keeps it.
EXPLAINED = Path(__file__).with_name("misses.md")


def explained() -> str:
    return "\n" + EXPLAINED.read_text(encoding="utf-8") if EXPLAINED.exists() else ""


def overhead_fit(results: dict) -> tuple[float, float] | None:
    """Prefect's overhead (batch --workers 1 wall − plain-loop wall) as fixed seconds plus
    seconds per file, from the smallest and the largest N; None with fewer than two sizes."""
    points = []
    for run in results.get("runs") or []:
        w1, loop = wall(run["tools"].get("batch_w1")), wall(run["tools"].get("loop"))
        if w1 is not None and loop is not None:
            points.append((run["n"], w1 - loop))
    if len(points) < 2 or points[0][0] == points[-1][0]:
        return None
    (n1, o1), (n2, o2) = min(points), max(points)
    per_file = (o2 - o1) / (n2 - n1)
    return o1 - per_file * n1, per_file


def notes(results: dict) -> str:
    """Facts that point to where the time goes, read off the figures above."""
    lines = []
    run = largest(results)
    loop, plumber = run["tools"].get("loop"), run["tools"].get("pdfplumber")
    stages = (loop or {}).get("stages") or {}
    total = sum(stages.values())
    if total and wall(loop) is not None:
        read, written = stages.get("read", 0.0), stages.get("outputs", 0.0)
        rest = total - read - written - stages.get("other", 0.0)
        lines.append(
            f"- Reading (`extractors`) is {100 * read / total:.0f} % of the plain loop at "
            f"N = {run['n']}; writing the outputs {100 * written / total:.0f} %; the stages "
            f"and the assessment together {100 * rest / total:.0f} %."
        )
    pages = (plumber or {}).get("pages")
    if work(loop, "pdf_work") is not None and work(plumber) is not None and pages:
        floor = work(run["tools"].get("pypdfium2"))
        lines.append(
            f"- On the PDFs the plain loop takes {1000 * loop['pdf_work'] / pages:.0f} ms a "
            f"page, pdfplumber's `extract_text` alone {1000 * plumber['work'] / pages:.0f} ms"
            + (f" and pypdfium2's text {1000 * floor / pages:.1f} ms." if floor else ".")
        )
    fit = overhead_fit(results)
    if fit:
        lines.append(
            f"- Prefect's overhead fits {fit[0]:.1f} s per command plus {1000 * fit[1]:.0f} ms "
            "per file (batch --workers 1 − plain loop, smallest and largest N)."
        )
    return "\n## Notes\n\n" + "\n".join(lines) + "\n" if lines else ""


def profile_section(results: dict, count: int = 15) -> str:
    prof = results.get("profile")
    if not prof or not prof.get("top"):
        return ""
    rows = [
        [f"`{r['function']}`", str(r["calls"]), fmt(r["own"], 2), fmt(r["cumulative"], 2)]
        for r in prof["top"][:count]
    ]
    return (
        f"\n## Profile\n\ncProfile, plain loop over {prof['files']} PDFs ({prof['pages']} pages) "
        f"of the N = {prof['n']} archive, {fmt(prof.get('loop'), 1)} s under the profiler; "
        f"the {count} functions with the most time of their own:\n\n"
        + grid(["function", "calls", "own s", "cumulative s"], rows)
        + "\n"
    )
