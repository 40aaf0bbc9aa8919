"""The bare text extractors, one file after another: `python -m bench.run_extract TOOL LIST RESULT`.

`pypdfium2` (the floor: the text layer, nothing else) and `pdfplumber` (`extract_text`, what
the product reads layout with). LIST is a file with one path a line; RESULT gets the time
of each file.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def pypdfium2_text(path: Path) -> int:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(path)
    chars = 0
    try:
        for page in pdf:
            textpage = page.get_textpage()
            chars += len(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return chars


def pdfplumber_text(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return sum(len(page.extract_text() or "") for page in pdf.pages)


TOOLS = {"pypdfium2": pypdfium2_text, "pdfplumber": pdfplumber_text}


def main(argv: list[str]) -> int:
    tool, listing, result = TOOLS[argv[0]], Path(argv[1]), Path(argv[2])
    started = time.perf_counter()
    files = [Path(line) for line in listing.read_text(encoding="utf-8").splitlines() if line]
    rows = []
    for path in files:
        t = time.perf_counter()
        try:
            chars, error = tool(path), None
        except Exception as exc:  # a file a tool cannot read is a result, not a stop
            chars, error = 0, f"{type(exc).__name__}: {exc}"[:200]
        rows.append(
            {"name": path.name, "seconds": time.perf_counter() - t, "chars": chars, "error": error}
        )
    out = {"tool": argv[0], "files": rows, "total": time.perf_counter() - started}
    result.write_text(json.dumps(out), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
