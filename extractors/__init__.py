"""One backend per input format, each turning bytes into the same `Document` skeleton.

`read_document(path)` is the only entry point the rest of attsats uses: it checks that the
bytes match the extension, picks the backend and turns every failure into a coded error
on the returned document. Nothing format-specific leaves this package.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from extractors import docx, pdf, text
from pipeline.document import Document, Source, SourceFormat
from pipeline.errors import AttsatsError, record

Backend = Callable[[bytes, Document], None]

BACKENDS: dict[SourceFormat, Backend] = {
    "docx": docx.extract,
    "pdf": pdf.extract,
    "txt": text.extract,
    "md": text.extract,
}
SUFFIXES: dict[str, SourceFormat] = {
    ".docx": "docx",
    ".pdf": "pdf",
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
}


def sniff(data: bytes) -> str | None:
    """What the bytes look like, whatever the file is called."""
    if data.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        try:
            names = zipfile.ZipFile(BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return "zip"
        return "docx" if "word/document.xml" in names else "zip"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "ole"  # legacy .doc, .xls or an encrypted Office file
    return None


def read_document(path: Path) -> Document:
    """Read one file into a Document skeleton; never raises for bad input."""
    suffix = path.suffix.lower()
    fmt = SUFFIXES.get(suffix)
    try:
        data = path.read_bytes()
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
    looks_like = sniff(data)
    expected = fmt if fmt in ("docx", "pdf") else None
    if looks_like != expected:
        detail = (
            f"innehållet ser ut som {looks_like}" if looks_like else "innehållet är inte " + fmt
        )
        record(doc, "E103", suffix=suffix, detail=detail)
        return doc
    try:
        BACKENDS[fmt](data, doc)
    except AttsatsError as exc:
        record(doc, exc.code, **exc.fields)
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
