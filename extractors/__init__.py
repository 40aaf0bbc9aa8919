"""One backend per input format, each turning bytes into the same `Document` skeleton.

`read_document(path)` is the only entry point the rest of attsats uses: it checks that the
bytes match the extension, picks the backend and turns every failure into a coded error
on the returned document. Nothing format-specific leaves this package.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from extractors import docx, guards, ocr, office, pdf, text
from extractors.sniff import NAMES, sniff
from pipeline.document import Document, Source, SourceFormat
from pipeline.errors import AttsatsError, record

Backend = Callable[[bytes, Document], None]

BACKENDS: dict[SourceFormat, Backend] = {
    "docx": docx.extract,
    "pdf": pdf.extract,
    "txt": text.extract,
    "md": text.extract,
    "doc": office.extract,
    "odt": office.extract,
    "rtf": office.extract,
}
SUFFIXES: dict[str, SourceFormat] = {
    ".docx": "docx",
    ".pdf": "pdf",
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".doc": "doc",
    ".odt": "odt",
    ".rtf": "rtf",
}
# What the bytes of each format must look like (`extractors.sniff`).
EXPECTED: dict[SourceFormat, tuple[str, ...]] = {
    "docx": ("docx",),
    "pdf": ("pdf",),
    "txt": ("text",),
    "md": ("text",),
    "doc": ("doc",),
    "odt": ("odt",),
    "rtf": ("rtf",),
}

__all__ = ["BACKENDS", "SUFFIXES", "read_document", "sniff"]


def read_document(path: Path) -> Document:
    """Read one file into a Document skeleton; never raises for bad input."""
    suffix = path.suffix.lower()
    fmt = SUFFIXES.get(suffix)
    try:
        size = path.stat().st_size
        guards.check_size(size)
        data = path.read_bytes()
    except AttsatsError as exc:
        doc = Document(source=Source(path=str(path), sha256="", format=fmt, size=size))
        record(doc, exc.code, **exc.fields)
        return doc
    except OSError:
        doc = Document(source=Source(path=str(path), sha256="", format=fmt, size=0))
        record(doc, "E101", path=str(path))
        return doc
    doc = Document(
        source=Source(
            path=str(path), sha256=hashlib.sha256(data).hexdigest(), format=fmt, size=len(data)
        )
    )
    if fmt is None:
        record(doc, "E102", suffix=suffix or "utan filändelse")
        return doc
    if not data:
        record(doc, "E114")
        return doc
    looks_like = sniff(data)
    if looks_like == "encrypted-office" and fmt in ("docx", "doc"):
        record(doc, "E109")
        return doc
    if looks_like not in EXPECTED[fmt]:
        record(doc, "E103", suffix=suffix, detail=f"innehållet är {NAMES[looks_like]}")
        return doc
    try:
        read_checked(fmt, data, doc)
    except AttsatsError as exc:
        record(doc, exc.code, **exc.fields)
    except MemoryError:
        record(doc, "E110", detail="minnet räckte inte")
    except Exception as exc:  # a broken file must never crash a batch
        record(doc, "E104", fmt=fmt.upper(), detail=f"{type(exc).__name__}: {exc}"[:300])
    return doc


def read_pages(whole: Document, first: int, last: int) -> Document | None:
    """Pages first..last of a paged file read as a paper of their own, so running headers
    and footers are found among that paper's pages (in a bundle, one paper's letterhead
    repeats on too few of the file's pages to tell). Pages keep their numbers in the file.
    Only a PDF's pages are fixed; None for other formats or when the file cannot be read."""
    if whole.source.format != "pdf":
        return None
    try:
        data = pdf.page_range(Path(whole.source.path).read_bytes(), first, last)
    except Exception:  # the file was read once already; fall back to slicing that reading
        return None
    doc = Document(source=whole.source.model_copy(deep=True))
    try:
        pdf.extract(data, doc)
    except AttsatsError:
        return None
    shift = first - 1
    for paragraph in [*doc.paragraphs(), *doc.furniture]:
        if paragraph.page is not None:
            paragraph.page += shift
    for problem in doc.warnings:
        if problem.page is not None:
            problem.page += shift
    doc.source.pages = whole.source.pages
    return doc


def read_checked(fmt: SourceFormat, data: bytes, doc: Document) -> None:
    """The format's guards, then its backend; a PDF's pages without a text layer go to OCR
    (the whole paper when none has one)."""
    if fmt in ("docx", "odt"):
        guards.check_package(data)
    if fmt == "pdf":
        guards.check_pdf_streams(data)
        try:
            pdf.extract(data, doc)
        except AttsatsError as exc:
            if exc.code != "E106":
                raise
            ocr.extract(data, doc)
            return
        ocr.fill_missing_pages(data, doc)
        return
    BACKENDS[fmt](data, doc)
