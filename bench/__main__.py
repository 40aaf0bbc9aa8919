"""`python -m bench [--quick]`: every figure of issue 15 in one run, on the same files.

Full (`make bench`): the side-by-side at N = 100 and 1,000, memory at N = 100, 1,000 and
10,000, the inbox with 100 files. Quick (`make bench-quick`, under 10 minutes on 2 cores):
the side-by-side at N = 30, memory at 100 and 1,000, the inbox with 100 files. Options
override the sizes; `--skip` leaves parts out. Writes `bench/results.json` and
`BENCHMARKS.md` (`--results`, `--markdown`) and prints the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

from bench import archive as arch
from bench import report
from bench.latency import measure_inbox
from bench.measure import Measured, run_measured
from bench.report import PARTS
from bench.stats import percentile
from bench.unstructured_env import ensure

ROOT = Path(__file__).resolve().parents[1]
QUICK = {"sizes": [30], "memory": [100, 1000], "inbox": 100}
FULL = {"sizes": [100, 1000], "memory": [100, 1000, 10000], "inbox": 100}
PROFILE_FILES = 15  # PDFs of the largest archive profiled (cProfile slows the loop down)
# The report is the archive's summary, not Prefect's: left out so the overhead is the flow's.
BATCH_FLAGS = ["--no-report"]
WARMUP = ROOT / "sample_docs" / "motion_gang_och_cykel.txt"
# A command that takes longer than this is stopped and reported (not a target: a hang guard).
TIME_BASE = 600.0
TIME_PER_PAGE = 5.0


def log(message: str) -> None:
    stamp = dt.datetime.now(dt.UTC).strftime("%H:%M:%S")
    print(f"[{stamp}] {message}", file=sys.stderr, flush=True)


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def machine() -> dict[str, object]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return {
        "cores": os.cpu_count(),
        "ram_gb": round(mem / 1024 / 1024, 1),
        "cpu": cpu,
        "system": platform.platform(),
        "load_before": list(os.getloadavg()),
    }


def versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {"python": platform.python_version()}
    for name in ("pdfplumber", "pypdfium2", "prefect", "spacy"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    try:
        found["attsats"] = (
            subprocess.run(
                ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip()
            or None
        )
    except OSError:
        found["attsats"] = None
    return found


def attsats() -> list[str]:
    script = Path(sys.executable).parent / "attsats"
    if script.exists():
        return [sys.executable, str(script)]
    return [sys.executable, "-c", "import sys; from pipeline.cli.main import app; sys.exit(app())"]


def env(cache: Path) -> dict[str, str]:
    """The worktree's code first; Prefect's data (its database made once) under the cache."""
    paths = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(paths),
        "ATTSATS_DATA": os.environ.get("ATTSATS_DATA") or str(cache / "data"),
    }


def listing(files: list[Path], target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("".join(f"{f}\n" for f in files), encoding="utf-8")
    return target


def read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def process_row(m: Measured, **extra: object) -> dict[str, object]:
    row: dict[str, object] = {
        "wall": m.wall,
        "returncode": m.returncode,
        "max_rss_mb": m.max_rss_mb,
        "tree_peak_mb": m.tree_peak_mb,
        "timed_out": m.timed_out,
    }
    if m.returncode != 0 or m.timed_out:
        row["error"] = (m.stderr.strip().splitlines() or ["(no message)"])[-1][:300]
    row.update(extra)
    return row


def file_figures(data: dict | None, a: arch.Archive) -> dict[str, object]:
    """Work time in all and on the PDFs, from a runner's per-file rows."""
    if not data:
        return {}
    fmt = {e.name: e.fmt for e in a.entries}
    rows = data.get("files", [])
    return {
        "work": sum(r["seconds"] for r in rows),
        "pdf_work": sum(r["seconds"] for r in rows if fmt.get(r["name"]) == "pdf"),
        "pdf_outputs": sum(r.get("outputs", 0.0) for r in rows if fmt.get(r["name"]) == "pdf"),
        "docx_work": sum(r["seconds"] for r in rows if fmt.get(r["name"]) == "docx"),
        "errors": sum(1 for r in rows if r.get("error")),
        "first_errors": [f"{r['name']}: {r['error']}" for r in rows if r.get("error")][:3],
        "startup": data.get("imported"),
        "warmup": data.get("warmup"),
    }


def side_by_side(
    n: int, args: argparse.Namespace, cache: Path, work: Path, uenv, skip: set[str]
) -> dict[str, object]:
    log(f"N = {n}: building the archive (cached after the first time)")
    t = time.perf_counter()
    a = arch.build(n, args.seed, "mixed", cache)
    built = time.perf_counter() - t
    here = work / f"n{n}"
    shutil.rmtree(here, ignore_errors=True)
    here.mkdir(parents=True)
    all_files, pdfs = a.files(), a.files("pdf")
    lists = {"all": listing(all_files, here / "all.txt"), "pdf": listing(pdfs, here / "pdf.txt")}
    e = env(cache)
    limit = TIME_BASE + TIME_PER_PAGE * a.pages()
    tools: dict[str, dict[str, object]] = {}
    counts = {
        "all": {"files": len(all_files), "pages": a.pages()},
        "pdf": {"files": len(pdfs), "pages": a.pages("pdf")},
    }

    def record(name: str, label: str, subset: str, m: Measured, data: dict | None = None, **kw):
        tools[name] = process_row(
            m, label=label, subset=subset, **counts[subset], **file_figures(data, a), **kw
        )
        log(f"N = {n}: {label}: {m.wall:.1f} s (rc {m.returncode})")

    if "extractors" not in skip:
        for tool in ("pypdfium2", "pdfplumber"):
            result = here / f"{tool}.json"
            m = run_measured(
                [sys.executable, "-m", "bench.run_extract", tool, str(lists["pdf"]), str(result)],
                env=e,
                cwd=ROOT,
                timeout=limit,
                log=here / f"{tool}.log",
            )
            label = "pypdfium2 text" if tool == "pypdfium2" else "pdfplumber extract_text"
            record(tool, label, "pdf", m, read_json(result))
    if "unstructured" not in skip:
        if uenv.python is None:
            tools["unstructured"] = {
                "label": "unstructured partition (fast)",
                "subset": "all",
                **counts["all"],
                "error": uenv.reason,
                "skipped": True,
            }
        else:
            result = here / "unstructured.json"
            m = run_measured(
                [
                    str(uenv.python),
                    str(ROOT / "bench" / "run_unstructured.py"),
                    str(lists["all"]),
                    str(result),
                    "--warmup",
                    str(WARMUP.with_suffix(".pdf")),
                    "--warmup",
                    str(WARMUP.with_suffix(".docx")),
                ],
                env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
                cwd=ROOT,
                timeout=limit,
                log=here / "unstructured.log",
            )
            record("unstructured", "unstructured partition (fast)", "all", m, read_json(result))
    if "loop" not in skip:
        result = here / "loop.json"
        m = run_measured(
            [
                sys.executable,
                "-m",
                "bench.run_loop",
                str(lists["all"]),
                str(here / "loop-out"),
                str(result),
                "--warmup",
                str(WARMUP),
            ],
            env=e,
            cwd=ROOT,
            timeout=limit,
            log=here / "loop.log",
        )
        data = read_json(result)
        record(
            "loop",
            "pipeline, plain loop",
            "all",
            m,
            data,
            stages=(data or {}).get("stages"),
            unwrapped=(data or {}).get("unwrapped"),
        )
        shutil.rmtree(here / "loop-out", ignore_errors=True)
    if "batch" not in skip:
        for workers in (1, 2):
            out = here / f"batch-w{workers}"
            m = run_measured(
                [
                    *attsats(),
                    "batch",
                    str(a.folder),
                    "--out",
                    str(out),
                    "--workers",
                    str(workers),
                    *BATCH_FLAGS,
                ],
                env=e,
                cwd=ROOT,
                timeout=limit,
                log=here / f"batch-w{workers}.log",
            )
            record(f"batch_w{workers}", f"attsats batch --workers {workers}", "all", m)
        m = run_measured(
            [
                *attsats(),
                "batch",
                str(a.folder),
                "--out",
                str(here / "batch-w1"),
                "--workers",
                "1",
                *BATCH_FLAGS,
            ],
            env=e,
            cwd=ROOT,
            timeout=limit,
            log=here / "batch-rerun.log",
        )
        record("batch_rerun", "attsats batch, rerun with nothing to do", "all", m)
        for workers in (1, 2):
            shutil.rmtree(here / f"batch-w{workers}", ignore_errors=True)
    return {"n": n, "archive": arch.describe(a), "archive_seconds": built, "tools": tools}


def profile(args, cache: Path, work: Path) -> dict[str, object]:
    """Where the plain loop spends its time on PDFs: cProfile over the first PDFs of the
    largest archive (the explanation a missed target asks for)."""
    n = max(args.sizes)
    a = arch.build(n, args.seed, "mixed", cache)
    pdfs = a.files("pdf")[:PROFILE_FILES]
    here = work / "profile"
    shutil.rmtree(here, ignore_errors=True)
    result = here / "loop.json"
    m = run_measured(
        [
            sys.executable,
            "-m",
            "bench.run_loop",
            str(listing(pdfs, here / "pdf.txt")),
            str(here / "out"),
            str(result),
            "--warmup",
            str(WARMUP),
            "--profile",
        ],
        env=env(cache),
        cwd=ROOT,
        timeout=TIME_BASE + TIME_PER_PAGE * 40 * len(pdfs),
        log=here / "loop.log",
    )
    data = read_json(result) or {}
    shutil.rmtree(here / "out", ignore_errors=True)
    pages = sum(e.pages for e in a.entries if a.folder / e.name in set(pdfs))
    log(f"profile: {len(pdfs)} PDFs, {m.wall:.1f} s")
    return {
        "n": n,
        "files": len(pdfs),
        "pages": pages,
        "loop": data.get("loop"),
        "stages": data.get("stages"),
        "top": (data.get("profile") or {}).get("own", []),
        "top_cumulative": (data.get("profile") or {}).get("cumulative", []),
        **process_row(m),
    }


def single(args, cache: Path, work: Path) -> dict[str, object]:
    """One small PDF: `attsats analyze --out` against `attsats batch` (a fresh folder each)."""
    a = arch.build(1, args.seed, "small", cache)
    paper = a.files()[0]
    here = work / "single"
    shutil.rmtree(here, ignore_errors=True)
    e = env(cache)
    analyze = run_measured(
        [*attsats(), "analyze", str(paper), "--out", str(here / "analyze")],
        env=e,
        cwd=ROOT,
        log=here / "analyze.log",
    )
    batch = run_measured(
        [*attsats(), "batch", str(paper), "--out", str(here / "batch"), *BATCH_FLAGS],
        env=e,
        cwd=ROOT,
        log=here / "batch.log",
    )
    log(f"one file: analyze {analyze.wall:.1f} s, batch {batch.wall:.1f} s")
    return {
        "file": paper.name,
        "pages": a.entries[0].pages,
        "analyze": process_row(analyze),
        "batch": process_row(batch),
    }


def memory(args, cache: Path, work: Path) -> list[dict[str, object]]:
    rows = []
    e = env(cache)
    for n in args.memory:
        a = arch.build(n, args.seed, "small-txt", cache)
        here = work / f"memory-n{n}"
        shutil.rmtree(here, ignore_errors=True)
        result = here / "loop.json"
        m = run_measured(
            [
                sys.executable,
                "-m",
                "bench.run_loop",
                str(listing(a.files(), here / "all.txt")),
                str(here / "out"),
                str(result),
                "--discard",
                "--warmup",
                str(WARMUP),
            ],
            env=e,
            cwd=ROOT,
            log=here / "loop.log",
        )
        data = read_json(result) or {}
        rows.append(process_row(m, n=n, pages=a.pages(), work=data.get("loop")))
        shutil.rmtree(here / "out", ignore_errors=True)
        log(f"memory N = {n}: {m.wall:.1f} s, peak {m.max_rss_mb:.0f} MB")
    return rows


def inbox(args, cache: Path, work: Path) -> dict[str, object]:
    a = arch.build(args.inbox + 1, args.seed, "small", cache)
    files = a.files()
    log(f"inbox: {args.inbox} files at {args.rate}/s into a running attsats watch")
    run = measure_inbox(
        [*attsats(), "watch"], files[1:], files[0], work / "inbox", rate=args.rate, env=env(cache)
    )
    return {
        "files": run.files,
        "rate": run.rate,
        "published": len(run.latencies),
        "failed": run.failed,
        "missing": len(run.missing),
        "p50": percentile(run.latencies, 50),
        "p95": percentile(run.latencies, 95),
        "max": max(run.latencies, default=None),
        "startup": run.startup,
        "tree_peak_mb": run.tree_peak_mb,
        "error": run.error,
        "latencies": run.latencies,
    }


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="the short run (under 10 minutes)")
    p.add_argument("--sizes", help="side-by-side sizes, e.g. 100,1000")
    p.add_argument("--memory", help="memory-run sizes, e.g. 100,1000,10000")
    p.add_argument("--inbox", type=int, help="files dropped into the inbox")
    p.add_argument("--rate", type=float, default=5.0, help="files per second into the inbox")
    p.add_argument("--seed", type=int, default=15)
    p.add_argument("--skip", default="", help=f"parts to leave out: {','.join(PARTS)}")
    p.add_argument("--cache", type=Path, default=None, help="archives, renderings, venvs")
    p.add_argument("--work", type=Path, default=ROOT / "out" / "bench")
    p.add_argument("--results", type=Path, default=ROOT / "bench" / "results.json")
    p.add_argument("--markdown", type=Path, default=ROOT / "BENCHMARKS.md")
    args = p.parse_args(argv)
    preset = QUICK if args.quick else FULL
    args.sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else preset["sizes"]
    args.memory = [int(s) for s in args.memory.split(",")] if args.memory else preset["memory"]
    args.inbox = args.inbox if args.inbox is not None else preset["inbox"]
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = args.skip - set(PARTS)
    if unknown:
        p.error(f"unknown parts: {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str]) -> int:
    args = parse(argv)
    cache = args.cache or arch.default_cache()
    results: dict[str, object] = {
        "command": "python -m bench " + shlex.join(argv),
        "mode": "quick" if args.quick else "full",
        "started": now_iso(),
        "seed": args.seed,
        "machine": machine(),
        "versions": versions(),
        "batch_flags": BATCH_FLAGS,
    }
    uenv = None
    if "unstructured" not in args.skip:
        uenv = ensure(cache / "unstructured-venv", log)
        results["versions"]["unstructured"] = uenv.version  # type: ignore[index]
        results["unstructured_note"] = uenv.reason
    data = Path(env(cache)["ATTSATS_DATA"])
    if {"batch", "single", "inbox"} - args.skip and not (data / "prefect" / "prefect.db").exists():
        log("Prefect: one warm-up batch (its database is made on first use, not measured)")
        warm = run_measured(
            [*attsats(), "batch", str(WARMUP), "--out", str(args.work / "warmup"), *BATCH_FLAGS],
            env=env(cache),
            cwd=ROOT,
            log=args.work / "warmup.log",
        )
        results["prefect_warmup"] = process_row(warm)
        shutil.rmtree(args.work / "warmup", ignore_errors=True)
    results["runs"] = [side_by_side(n, args, cache, args.work, uenv, args.skip) for n in args.sizes]
    if "profile" not in args.skip and args.sizes:
        results["profile"] = profile(args, cache, args.work)
    if "single" not in args.skip:
        results["single"] = single(args, cache, args.work)
    if "memory" not in args.skip:
        results["memory"] = memory(args, cache, args.work)
    if "inbox" not in args.skip and args.inbox > 0:
        results["inbox"] = inbox(args, cache, args.work)
    results["finished"] = now_iso()
    results["machine"]["load_after"] = list(os.getloadavg())  # type: ignore[index]
    results["targets"] = report.targets(results)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(
        json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    text = report.markdown(results)
    args.markdown.write_text(text, encoding="utf-8")
    print(report.table(results))
    log(f"wrote {args.results} and {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
