"""A hostile corpus, generated here (issue 14, item 8): each file fails with its own code,
nothing crashes, memory stays bounded and an external entity's content is read nowhere.

The corpus is read in a child process that reports its peak memory, as the inbox's worker
would read it.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from conftest import ROOT, SAMPLES

from extractors import read_document
from extractors.guards import Limits, check_package
from pipeline.errors import AttsatsError

CANARY = "KANARIEFAGEL-7f3a hemlig rad"
MB = 1024**2


def word_package() -> dict[str, bytes]:
    """A real DOCX's parts, to be tampered with."""
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Motion om cykelbanor")
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_package(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def with_body(parts: dict[str, bytes], prolog: str, body_text: str) -> dict[str, bytes]:
    """The package with its document.xml replaced: `prolog` before the root element."""
    xml = parts["word/document.xml"].decode("utf-8")
    root = xml.index("<w:document")
    head = xml[: xml.index("<w:body>", root) + len("<w:body>")]
    document = (
        xml[:root]
        + prolog
        + head[root:]
        + f"<w:p><w:r><w:t>{body_text}</w:t></w:r></w:p><w:sectPr/></w:body></w:document>"
    )
    return {**parts, "word/document.xml": document.encode("utf-8")}


def flate_bomb_pdf(inflated: int) -> bytes:
    """A one-page PDF whose content stream inflates to `inflated` bytes of spaces."""
    packer = zlib.compressobj(9)
    block = b" " * MB
    stream = b"".join(packer.compress(block) for _ in range(inflated // MB)) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], Path]:
    """The hostile files and the code each must fail with."""
    folder = tmp_path_factory.mktemp("fientligt")
    canary = folder / "kanariefagel.txt"
    canary.write_text(CANARY, encoding="utf-8")
    parts = word_package()
    good = write_package(folder / "hel.docx", parts).read_bytes()
    pdf_good = (SAMPLES / "motion_gang_och_cykel.pdf").read_bytes()
    expected: dict[str, str] = {}

    def add(name: str, data: bytes, code: str) -> None:
        (folder / name).write_bytes(data)
        expected[name] = code

    xxe = with_body(
        parts, f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{canary.as_uri()}">]>', "&xxe;"
    )
    write_package(folder / "xxe.docx", xxe)
    expected["xxe.docx"] = "E111"
    laughs = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    bomb_xml = with_body(parts, f'<!DOCTYPE w:document [<!ENTITY lol0 "lol">{laughs}]>', "&lol9;")
    write_package(folder / "miljarder_skratt.docx", bomb_xml)
    expected["miljarder_skratt.docx"] = "E111"
    types_dtd = {
        **parts,
        "[Content_Types].xml": b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://example.invalid/x.dtd">'
        + parts["[Content_Types].xml"].split(b"?>", 1)[1],
    }
    write_package(folder / "dtd_i_innehallstyper.docx", types_dtd)
    expected["dtd_i_innehallstyper.docx"] = "E111"
    # A part any name may be the main document (the relationships point to it).
    odd_name = {**parts, "word/huvud.bin": b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'}
    write_package(folder / "dtd_i_udda_del.docx", odd_name)
    expected["dtd_i_udda_del.docx"] = "E111"
    # A zip bomb: one part of 64 MB of zeros, about 64 kB packed.
    write_package(folder / "zipbomb.docx", {**parts, "word/media/image1.png": bytes(64 * MB)})
    expected["zipbomb.docx"] = "E110"
    write_package(
        folder / "tusentals_delar.docx",
        {**parts, **{f"customXml/item{i}.xml": b"<a/>" for i in range(5_100)}},
    )
    expected["tusentals_delar.docx"] = "E110"
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    add("krypterad.docx", ole + "EncryptedPackage".encode("utf-16-le") + bytes(512), "E109")
    add("krypterad.pdf", (SAMPLES / "krypterad.pdf").read_bytes(), "E105")
    add("avklippt.pdf", pdf_good[: len(pdf_good) // 3], "E104")
    add("avklippt.docx", good[: len(good) // 2], "E103")
    add("tom.pdf", b"", "E114")
    add("tom.docx", b"", "E114")
    add("program.pdf", Path(sys.executable).read_bytes()[: 256 * 1024], "E103")
    add("flate_bomb.pdf", flate_bomb_pdf(300 * MB), "E110")
    return folder, expected, canary


def test_each_hostile_file_fails_with_its_code_in_bounded_memory_and_time(
    corpus: tuple[Path, dict[str, str], Path],
) -> None:
    folder, expected, _ = corpus
    script = (
        "import json, resource, sys\n"
        "from pathlib import Path\n"
        "from extractors import read_document\n"
        "codes = {}\n"
        "for name in sys.argv[2:]:\n"
        "    doc = read_document(Path(sys.argv[1]) / name)\n"
        "    codes[name] = [e.code for e in doc.errors]\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024\n"
        "print(json.dumps({'codes': codes, 'peak': peak}))\n"
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", script, str(folder), *expected],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=120,
        check=True,
    )
    elapsed = time.monotonic() - started
    report = json.loads(done.stdout)
    assert report["codes"] == {name: [code] for name, code in expected.items()}
    assert report["peak"] < 1024 * MB, f"peak {report['peak'] // MB} MB"
    assert elapsed < 120


def test_an_external_entity_is_never_read(corpus: tuple[Path, dict[str, str], Path]) -> None:
    folder, _, _ = corpus
    for name in ("xxe.docx", "miljarder_skratt.docx"):
        doc = read_document(folder / name)
        assert CANARY not in doc.model_dump_json()
        assert "lollol" not in doc.model_dump_json()


def test_the_untampered_package_reads(corpus: tuple[Path, dict[str, str], Path]) -> None:
    """The corpus is built from a good DOCX: the failures come from the tampering."""
    folder, _, _ = corpus
    doc = read_document(folder / "hel.docx")
    assert doc.status == "ok"
    assert [p.text for p in doc.paragraphs()] == ["Motion om cykelbanor"]


def test_package_limits_are_checked_from_the_directory_alone() -> None:
    parts = word_package()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        archive.writestr("word/media/big.bin", bytes(3 * MB))
    data = buffer.getvalue()
    check_package(data)  # within the shipped limits
    with pytest.raises(AttsatsError) as raised:
        check_package(data, Limits(max_unpacked_bytes=2 * MB))
    assert raised.value.code == "E110"
    with pytest.raises(AttsatsError) as raised:
        check_package(data, Limits(max_entries=3))
    assert raised.value.code == "E110"


def test_a_file_over_the_size_limit_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("extractors.guards.LIMITS", Limits(max_file_bytes=1000))
    path = tmp_path / "stor.txt"
    path.write_text("Motion om cykelbanor\n" * 100, encoding="utf-8")
    doc = read_document(path)
    assert [e.code for e in doc.errors] == ["E110"]


def test_hostile_files_dropped_in_the_inbox_each_end_in_failed_with_their_code(
    corpus: tuple[Path, dict[str, str], Path], tmp_path: Path
) -> None:
    """Issue 14, item 8, end to end: the inbox's isolated worker reads each hostile file; each
    ends in failed/ with its reason code within 120 s, and no output holds the canary."""
    from pipeline.service.inbox import Inbox

    folder, expected, _ = corpus
    box = Inbox(tmp_path / "in", tmp_path / "out", settle=0, mode="poll")
    for name in expected:
        shutil.copy(folder / name, box.inbox / name)
    started = time.monotonic()
    box.run(once=True)
    assert time.monotonic() - started < 120
    reasons = {
        p.name.removesuffix(".reason.json"): json.loads(p.read_text(encoding="utf-8"))["code"]
        for p in box.failed.glob("*.reason.json")
    }
    assert reasons == expected
    written = b"".join(p.read_bytes() for p in box.outbox.rglob("*") if p.is_file())
    written += b"".join(p.read_bytes() for p in box.failed.glob("*.reason.json"))
    assert CANARY.encode() not in written
