"""The pipeline as a plain loop in one process, timed stage by stage.

`python -m bench.run_loop LIST OUT RESULT [--discard] [--warmup FILE] [--profile]`: each file
of LIST goes through `pipeline.service.bundles.analyze_file` (reading, bundles split, the stages,
assessment) and its documents are written to `OUT/<name>/` as `attsats analyze --out` writes
them, one file at a time, nothing kept (`--discard` removes each folder once written, for the
long memory runs, which then keep no record per file but a failure's). No product code
changes: the bench wraps the functions `analyze_file` calls, in this process only, and the
wrappers only add up the time:

- `read`: `extractors.read_document` (and `read_pages`, a bundle's part read again);
- one entry per stage of `pipeline.stages.run.STAGES`, by the stage's name;
- `assess`: `assess_against` (the profile and the assessment);
- `outputs`: `pipeline.outputs.folders.write_outputs`;
- `other`: the rest (bundle splitting, copies).

`--profile` runs the loop under cProfile (slower) and adds the top functions to RESULT.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

STARTED = time.perf_counter()

times: dict[str, float] = defaultdict(float)


def timed(name: str, fn: Callable) -> Callable:
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            times[name] += time.perf_counter() - t

    wrapper.__name__ = getattr(fn, "__name__", name)
    return wrapper


def where(file: str) -> str:
    """A function's file, short: from its package on (site-packages or this checkout)."""
    stdlib = f"{Path(os.__file__).parent}/"
    for marker in ("site-packages/", f"{Path(__file__).resolve().parents[1]}/", stdlib):
        if marker in file:
            return file.split(marker, 1)[1]
    return file


def top_functions(profiler, count: int = 25) -> dict[str, list[dict]]:
    """The functions that took the most time, by own time and by time including callees."""
    import pstats

    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    rows = [
        {"function": f"{where(file)}:{line}({name})", "calls": nc, "own": tt, "cumulative": ct}
        for (file, line, name), (_cc, nc, tt, ct, _callers) in stats.items()
    ]
    return {
        "own": sorted(rows, key=lambda r: -r["own"])[:count],
        "cumulative": sorted(rows, key=lambda r: -r["cumulative"])[:count],
    }


def own_peak_mb() -> float | None:
    """This process's peak resident set (VmHWM; not getrusage, which counts the bench's
    memory copied into it by fork)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return None


def install_timers() -> list[str]:
    """Wrap what `analyze_file` calls; returns the names of what could not be wrapped."""
    from pipeline.service import bundles
    from pipeline.stages import run

    missing = []
    stages = tuple(timed(s.__name__, s) for s in run.STAGES)
    original_run_stages = run.run_stages

    def run_stages(doc, *_args, **_kwargs):  # always the timed stages, in their order
        return original_run_stages(doc, stages=stages)

    for name, replacement in (
        ("read_document", timed("read", getattr(bundles, "read_document", None))),
        ("read_pages", timed("read", getattr(bundles, "read_pages", None))),
        ("run_stages", run_stages),
        ("assess_against", timed("assess", getattr(bundles, "assess_against", None))),
    ):
        if getattr(bundles, name, None) is None:
            missing.append(name)
        else:
            setattr(bundles, name, replacement)
    return missing


def main(argv: list[str]) -> int:
    listing, out, result = Path(argv[0]), Path(argv[1]), Path(argv[2])
    discard = "--discard" in argv
    warmup_file = Path(argv[argv.index("--warmup") + 1]) if "--warmup" in argv else None

    from pipeline.cli.main import folder_name
    from pipeline.outputs.folders import write_outputs
    from pipeline.service.bundles import analyze_file as _unused  # noqa: F401  (import first)

    missing = install_timers()
    from pipeline.service import bundles

    write = timed("outputs", write_outputs)
    imported = time.perf_counter() - STARTED

    warmup = 0.0
    if warmup_file is not None:  # spaCy and the patterns load on the first paper
        t = time.perf_counter()
        bundles.analyze_file(warmup_file)
        warmup = time.perf_counter() - t
        times.clear()

    files = [Path(line) for line in listing.read_text(encoding="utf-8").splitlines() if line]
    rows = []
    counts = {"files": 0, "docs": 0}
    used: set[str] = set()
    out.mkdir(parents=True, exist_ok=True)
    profiler = None
    if "--profile" in argv:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    loop_started = time.perf_counter()
    for path in files:
        t = time.perf_counter()
        error = None
        docs = []
        writing = 0.0
        try:
            docs = bundles.analyze_file(path)
            w = time.perf_counter()
            for doc in docs:
                # A streamed run keeps nothing per file: its folders are gone, so are their names.
                folder = out / folder_name(doc, set() if discard else used)
                write(doc, folder, None)
                if discard:
                    shutil.rmtree(folder, ignore_errors=True)
            writing = time.perf_counter() - w
        except Exception as exc:  # a failure is a result; the loop goes on
            error = f"{type(exc).__name__}: {exc}"[:200]
        counts["files"] += 1
        counts["docs"] += len(docs)
        if discard and error is None:  # a streamed run keeps only its failures
            del docs
            continue
        rows.append(
            {
                "name": path.name,
                "seconds": time.perf_counter() - t,
                "outputs": writing,
                "docs": len(docs),
                "status": [d.status for d in docs],
                "error": error,
            }
        )
        del docs
    loop = time.perf_counter() - loop_started
    if profiler is not None:
        profiler.disable()
    stages = dict(times)
    stages["other"] = max(0.0, loop - sum(stages.values()))
    payload = {
        "imported": imported,
        "warmup": warmup,
        "loop": loop,
        "files": rows,
        "counts": counts,
        "stages": stages,
        "unwrapped": missing,
        "self_hwm_mb": own_peak_mb(),
    }
    if profiler is not None:
        payload["profile"] = top_functions(profiler)
    result.write_text(json.dumps(payload), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
