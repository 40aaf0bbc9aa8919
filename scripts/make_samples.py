"""Render every text paper in sample_docs/ to DOCX and PDF, plus the bad-input PDFs.

The renderings are committed so a newcomer sees the same paper in every format; rerun
with `make samples` after changing a text sample or the typesetter. Output is
deterministic, so unchanged inputs give unchanged files.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.outputs.typeset import typeset
from pipeline.outputs.typeset.pdf_writer import write_encrypted_pdf, write_image_only_pdf
from pipeline.stages.run import analyze

SAMPLES = Path(__file__).resolve().parents[1] / "sample_docs"
IMAGE_ONLY = ("medborgarforslag_lekplats.txt", "skannad_utan_textlager.pdf")
ENCRYPTED = ("motion_gang_och_cykel.txt", "krypterad.pdf")


def main() -> None:
    for source in sorted(SAMPLES.glob("*.txt")):
        doc = analyze(source)
        for fmt in ("docx", "pdf"):
            target = typeset(doc, fmt, source.with_suffix(f".{fmt}"))
            print(f"wrote {target.relative_to(SAMPLES.parent)}")
    write_image_only_pdf(analyze(SAMPLES / IMAGE_ONLY[0]), SAMPLES / IMAGE_ONLY[1])
    write_encrypted_pdf(analyze(SAMPLES / ENCRYPTED[0]), SAMPLES / ENCRYPTED[1], "hemligt")
    print(f"wrote sample_docs/{IMAGE_ONLY[1]} and sample_docs/{ENCRYPTED[1]}")


if __name__ == "__main__":
    main()
