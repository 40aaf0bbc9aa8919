"""What a file is, told from its bytes alone: a file's name is only what someone called it.

`sniff` looks at magic numbers and, for zip and OLE containers, at the names inside them
(read from the directory only, never by unpacking), so a PDF called `.docx`, a program
called `.pdf` or an encrypted Word file are told apart before any parser sees them.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .docx/.xlsx is an OLE file with these streams (MS-OFFCRYPTO); names in an
# OLE directory are UTF-16LE.
ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
WORD_STREAM = "WordDocument".encode("utf-16-le")
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE, DOS
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce",  # Mach-O
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal, Java class
    b"#!",  # a script
)
IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"II*\x00",  # TIFF
    b"MM\x00*",
    b"GIF8",
)
PDF_HEAD = 1024  # a PDF header may follow some junk; readers look this far
PDF_HEADER_RE = re.compile(rb"(?:^|[\r\n])\s*%PDF-\d")  # at a line start: not a mention in text
TEXT_PROBE = 8192

# What each kind is called in a Swedish message.
NAMES = {
    "pdf": "en PDF-fil",
    "docx": "ett Word-dokument (.docx)",
    "doc": "ett äldre Word-dokument (.doc)",
    "odt": "ett OpenDocument-dokument (.odt)",
    "rtf": "ett RTF-dokument",
    "zip": "ett zip-arkiv",
    "ole": "en Office-fil i äldre format",
    "encrypted-office": "en krypterad Office-fil",
    "executable": "ett program (körbar fil)",
    "image": "en bild",
    "text": "text",
    "binary": "binärdata",
    "empty": "en tom fil",
}


def sniff(data: bytes) -> str:
    """The kind of file the bytes are: a key of `NAMES`."""
    if not data:
        return "empty"
    if PDF_HEADER_RE.search(data[:PDF_HEAD]):
        return "pdf"
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return zip_kind(data)
    if data[:8] == OLE_MAGIC:
        return ole_kind(data)
    if data[:5] == b"{\\rtf":
        return "rtf"
    if data.startswith(EXECUTABLE_MAGIC):
        return "executable"
    if data.startswith(IMAGE_MAGIC):
        return "image"
    probe = data[:TEXT_PROBE]
    if probe.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in probe:
        return "text"
    return "binary"


def zip_kind(data: bytes) -> str:
    """A Word document, an OpenDocument text or some other zip archive (or a broken one)."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "mimetype" in names and "content.xml" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100 and archive.read(info).strip() == ODT_MIMETYPE:
                    return "odt"
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError):
        pass
    return "zip"


def ole_kind(data: bytes) -> str:
    """An encrypted OOXML file, a Word 97-2003 document or another OLE file (.xls, .msg)."""
    if any(stream in data for stream in ENCRYPTED_STREAMS):
        return "encrypted-office"
    if WORD_STREAM in data:
        return "doc"
    return "ole"
