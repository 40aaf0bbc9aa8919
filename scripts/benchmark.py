"""Print speed and memory figures for the analysis (not a test: figures to compare).

Usage: .venv/bin/python scripts/benchmark.py [FILES_OR_FOLDERS...]  (default: sample_docs)
"""

from __future__ import annotations

import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

from pipeline.service.inputs import expand_inputs
from pipeline.stages.run import analyze


def main(args: list[str]) -> None:
    files = list(expand_inputs([Path(a) for a in args] or [Path("sample_docs")]))
    started = time.perf_counter()
    analyze(files[0])  # the first analysis also loads spaCy and the patterns
    warmup = time.perf_counter() - started
    by_format: dict[str, list[float]] = defaultdict(list)
    pages: dict[str, int] = defaultdict(int)
    for path in files:
        t = time.perf_counter()
        doc = analyze(path)
        by_format[path.suffix.lstrip(".")].append(time.perf_counter() - t)
        pages[path.suffix.lstrip(".")] += doc.source.pages or 0
    print(f"start-up (first document, spaCy loaded): {warmup:.2f} s")
    for fmt, times in sorted(by_format.items()):
        total = sum(times)
        print(
            f"{fmt:5} {len(times):3} documents  {total:6.2f} s  "
            f"{total / len(times) * 1000:7.1f} ms/document  "
            f"{pages[fmt] / total if total else 0:6.1f} pages/s"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
