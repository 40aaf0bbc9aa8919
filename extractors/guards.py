"""Checks on hostile bytes before any parser sees them, so memory and time stay bounded.

python-docx reads every part of a package into memory, and pdfminer inflates a whole
content stream at once: a zip bomb or a flate bomb would take the process down before
either could complain. These checks read only the zip directory, the first bytes of each
XML part, and the PDF's streams through a capped inflater; each failure is a coded
`AttsatsError` (E110 too large, E111 unsafe or malformed content).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from io import BytesIO

from pipeline.errors import AttsatsError

MB = 1024**2


@dataclass(frozen=True)
class Limits:
    """Bounds for one input file; far above any real municipal paper."""

    max_file_bytes: int = 256 * MB
    max_entries: int = 5_000  # parts in a DOCX/ODT package (a long report has a few hundred)
    max_unpacked_bytes: int = 512 * MB  # all parts together, as the zip directory declares
    max_ratio: float = 200.0  # per part above `ratio_floor`: a bomb inflates 1000:1 or more
    ratio_floor: int = 8 * MB
    # One inflated PDF stream. No ratio rule for PDF: a blank scanned page inflates as
    # much as a bomb does (1000:1); its size is what stays bounded.
    max_stream_bytes: int = 256 * MB
    max_inflated_bytes: int = 2048 * MB  # all PDF streams together


LIMITS = Limits()

XML_PROLOG_BYTES = 64 * 1024
ROOT_START_RE = re.compile(rb"<[A-Za-z_]")
DTD_RE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def too_large(detail: str) -> AttsatsError:
    return AttsatsError("E110", detail=detail)


def check_size(size: int, limits: Limits | None = None) -> None:
    limits = limits or LIMITS
    if size > limits.max_file_bytes:
        raise too_large(f"{size // MB} MB, gränsen är {limits.max_file_bytes // MB} MB")


def check_package(data: bytes, limits: Limits = LIMITS) -> None:
    """A zip package (DOCX, ODT) whose directory promises a bounded unpacking, and whose XML
    parts declare no DTD: Office Open XML and OpenDocument never use one, so a DOCTYPE is
    an entity-expansion (billion laughs) or external-entity (XXE) attempt."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise AttsatsError("E104", fmt="zip", detail=str(exc)[:200]) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_entries:
            raise too_large(f"{len(infos)} delar i paketet, gränsen är {limits.max_entries}")
        total = sum(i.file_size for i in infos)
        if total > limits.max_unpacked_bytes:
            raise too_large(
                f"{total // MB} MB uppackat, gränsen är {limits.max_unpacked_bytes // MB} MB"
            )
        for info in infos:
            if info.flag_bits & 0x1:
                raise AttsatsError("E109")
            ratio = info.file_size / max(1, info.compress_size)
            if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
                raise too_large(f"{info.filename} packas upp {ratio:.0f} gånger större")
        for info in infos:
            if not info.is_dir():
                check_xml_prolog(archive, info)


def check_xml_prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Read a part up to its root element and refuse a DTD there. Every part that starts
    like XML is checked whatever its name: a package's relationships may point anywhere."""
    try:
        with archive.open(info) as part:
            head = part.read(XML_PROLOG_BYTES)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, ValueError) as exc:
        raise AttsatsError("E104", fmt="zip", detail=f"{info.filename}: {exc}"[:200]) from exc
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return  # not XML: an image, a font, an embedded object
    root = ROOT_START_RE.search(head)
    prolog = head[: root.start()] if root else head
    if DTD_RE.search(prolog):
        raise AttsatsError(
            "E111",
            detail=f"{info.filename} har en DTD (entitetsdefinitioner), som Office aldrig skriver",
        )
    if root is None and len(head) == XML_PROLOG_BYTES:
        raise AttsatsError("E111", detail=f"{info.filename} saknar XML-innehåll i början")


STREAM_RE = re.compile(rb"stream\r?\n")


def check_pdf_streams(data: bytes, limits: Limits = LIMITS) -> None:
    """Inflate every zlib stream of a PDF through a capped inflater, output discarded: a
    stream that inflates past the caps (a flate bomb) is refused before pdfium or pdfminer
    inflate it whole. Streams that are not zlib (images, encrypted) stop at once."""
    total = 0
    for match in STREAM_RE.finditer(data):
        start = match.end()
        first = data[start] if start < len(data) else 0
        if first & 0x0F != 8 or first >> 4 > 7:  # not a zlib header: images, encrypted
            continue
        inflated = inflated_size(data, start, limits.max_stream_bytes + 1)
        if inflated > limits.max_stream_bytes:
            raise too_large(
                f"en ström i PDF-filen packas upp till mer än {limits.max_stream_bytes // MB} MB"
            )
        total += inflated
        if total > limits.max_inflated_bytes:
            raise too_large(
                f"PDF-filens strömmar packas upp till mer än {limits.max_inflated_bytes // MB} MB"
            )


def inflated_size(data: bytes, start: int, cap: int) -> int:
    """Bytes inflated from `start`, stopping past `cap`."""
    inflater = zlib.decompressobj()
    produced = 0
    position = start
    step = 64 * 1024
    try:
        while position < len(data) and produced <= cap and not inflater.eof:
            chunk = data[position : position + step]
            position += len(chunk)
            out = inflater.decompress(chunk, 1 * MB)
            produced += len(out)
            while inflater.unconsumed_tail and produced <= cap:
                out = inflater.decompress(inflater.unconsumed_tail, 1 * MB)
                produced += len(out)
    except zlib.error:
        pass
    return produced
