"""The file type is told from the bytes, whatever the file is called."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import SAMPLES

from extractors import read_document
from extractors.sniff import sniff

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def word_bytes() -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Motion om cykelbanor")
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"", "empty"),
        (b"%PDF-1.7\n", "pdf"),
        (b"\xef\xbb\xbf junk before\n%PDF-1.4\n", "pdf"),
        (word_bytes(), "docx"),
        (
            zipped(
                {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<a/>"}
            ),
            "odt",
        ),
        (zipped({"motion.txt": b"Motion"}), "zip"),
        (b"PK\x03\x04" + b"\x00" * 40, "zip"),
        (OLE + "WordDocument".encode("utf-16-le"), "doc"),
        (OLE + "EncryptedPackage".encode("utf-16-le"), "encrypted-office"),
        (OLE + "Workbook".encode("utf-16-le"), "ole"),
        (b"{\\rtf1\\ansi Motion}", "rtf"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "executable"),
        (b"\x7fELF\x02\x01\x01", "executable"),
        (b"#!/bin/sh\nrm -rf /\n", "executable"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image"),
        ("Månadsrapport för Ånge\n".encode(), "text"),
        ("Motion".encode("utf-16"), "text"),
        (b"\x00\x01\x02\x03binary", "binary"),
        (b"Bilagan skickas som %PDF-1.7 i e-post.\n", "text"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_sniff_tells_the_kind_from_the_bytes(data: bytes, kind: str) -> None:
    assert sniff(data) == kind


@pytest.mark.parametrize(
    ("name", "data", "code", "detail"),
    [
        ("motion.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "E103", "ett program"),
        ("motion.docx", (SAMPLES / "krypterad.pdf").read_bytes(), "E103", "en PDF-fil"),
        ("motion.doc", word_bytes(), "E103", "ett Word-dokument (.docx)"),
        ("motion.rtf", b"Bara text", "E103", "text"),
        ("motion.odt", b"{\\rtf1 x}", "E103", "ett RTF-dokument"),
        ("motion.txt", b"\x89PNG\r\n\x1a\n\x00", "E103", "en bild"),
        ("motion.docx", OLE + "EncryptedPackage".encode("utf-16-le"), "E109", "krypterad"),
        ("motion.doc", OLE + "EncryptedPackage".encode("utf-16-le"), "E109", "krypterad"),
        ("motion.pdf", b"", "E114", "tom"),
        ("motion.docx", b"", "E114", "tom"),
        ("motion.txt", b"", "E114", "tom"),
    ],
)
def test_a_mismatch_is_a_coded_failure_naming_what_the_bytes_are(
    tmp_path: Path, name: str, data: bytes, code: str, detail: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    doc = read_document(path)
    assert (doc.status, [e.code for e in doc.errors]) == ("failed", [code])
    assert detail in doc.errors[0].message
