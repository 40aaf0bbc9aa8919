"""The project's own typesetter: an analysed Document back to DOCX or PDF.

It lets the tests and `attsats evaluate` check that the same paper as text, Word and PDF
reads the same, and makes the committed sample renderings (`make samples`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pipeline.document import Document, Paragraph


def typeset(doc: Document, fmt: Literal["docx", "pdf"], target: Path) -> Path:
    """Write `doc` as `fmt` to `target` and return `target`."""
    if fmt == "docx":
        from pipeline.outputs.typeset.docx_writer import write_docx

        write_docx(doc, target)
    else:
        from pipeline.outputs.typeset.pdf_writer import write_pdf

        write_pdf(doc, target)
    return target


def blocks(doc: Document) -> list[tuple[str, Paragraph]]:
    """The body in reading order as ("heading", p) and ("paragraph", p), headings rebuilt
    from the sections so both writers lay out the same sequence."""
    result: list[tuple[str, Paragraph]] = []
    for section in doc.sections:
        if section.heading is not None:
            heading = Paragraph(
                text=section.heading,
                page=section.page,
                index=section.index or 0,
                kind="heading",
                level=section.level,
            )
            result.append(("heading", heading))
        result += [("paragraph", p) for p in section.paragraphs]
    return result


def running_header(doc: Document) -> list[str]:
    """The first distinct texts of the running headers and footers."""
    texts: list[str] = []
    for p in doc.furniture:
        if p.text not in texts and not p.text.isdigit():
            texts.append(p.text)
    return texts[:3]
