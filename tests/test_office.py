"""Word 97-2003, OpenDocument and RTF papers read like their DOCX (issue 14, item 14).

The .doc, .odt and .rtf files are made here from sample DOCX files by LibreOffice, once per
session; reading them converts them back through LibreOffice.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import SAMPLES
from test_formats import reading

from extractors import office
from pipeline.stages.run import analyze

PAPERS = ("motion_gang_och_cykel", "medborgarforslag_lekplats")
FORMATS = ("doc", "odt", "rtf")
FILTERS = {"doc": "doc:MS Word 97", "odt": "odt:writer8", "rtf": "rtf:Rich Text Format"}

needs_libreoffice = pytest.mark.skipif(
    office.soffice() is None, reason="LibreOffice (soffice) is not installed"
)


@pytest.fixture(scope="session")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("office")
    profile = (folder / "profil").as_uri()
    sources = [str(SAMPLES / f"{paper}.docx") for paper in PAPERS]
    for fmt in FORMATS:
        subprocess.run(
            [
                office.soffice() or "soffice",
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                FILTERS[fmt],
                "--outdir",
                str(folder),
                *sources,
            ],
            capture_output=True,
            timeout=300,
            check=True,
        )
    shutil.rmtree(folder / "profil", ignore_errors=True)
    return folder


@needs_libreoffice
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("paper", PAPERS)
def test_an_office_file_reads_like_the_docx_it_was_saved_from(
    converted: Path, paper: str, fmt: str
) -> None:
    doc = analyze(converted / f"{paper}.{fmt}")
    assert (doc.status, doc.errors, doc.source.format) == ("ok", [], fmt)
    original = analyze(SAMPLES / f"{paper}.docx")
    furniture = {p.text for p in original.furniture} | {p.text for p in doc.furniture}
    assert reading(doc, furniture) == reading(original, furniture)
    assert doc.att_satser


@needs_libreoffice
def test_a_conversion_that_hangs_is_killed_on_its_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 60 &\nsleep 60\n")
    fake.chmod(0o755)
    monkeypatch.setattr(office, "soffice", lambda: str(fake))
    with pytest.raises(office.AttsatsError) as raised:
        office.to_docx(b"{\\rtf1 x}", ".rtf", timeout=1)
    assert raised.value.code == "E113"
    alive = subprocess.run(["pgrep", "-f", str(fake)], capture_output=True, text=True)
    assert alive.stdout.strip() == ""


def test_without_libreoffice_an_office_file_fails_with_e113(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(office, "soffice", lambda: None)
    path = tmp_path / "motion.rtf"
    path.write_bytes(b"{\\rtf1\\ansi Motion om cykelbanor\\par}")
    doc = analyze(path)
    assert (doc.status, [e.code for e in doc.errors]) == ("failed", ["E113"])


def odt(path: Path, content: str) -> Path:
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        package.writestr("content.xml", content)
    return path


@needs_libreoffice
def test_a_file_libreoffice_cannot_read_fails_with_e113(tmp_path: Path) -> None:
    doc = analyze(odt(tmp_path / "trasig.odt", "<office:document-content><inte xml"))
    assert (doc.status, [e.code for e in doc.errors]) == ("failed", ["E113"])
    assert "LibreOffice" in doc.errors[0].message


def test_an_odt_with_a_dtd_is_refused_before_libreoffice_sees_it(tmp_path: Path) -> None:
    content = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><office:document-content/>'
    doc = analyze(odt(tmp_path / "dtd.odt", content))
    assert (doc.status, [e.code for e in doc.errors]) == ("failed", ["E111"])


@needs_libreoffice
def test_office_files_dropped_in_the_inbox_come_out_with_their_att_satser(
    converted: Path, tmp_path: Path
) -> None:
    """Issue 14, item 14, the formats' part: a .doc, an .odt and an .rtf dropped in."""
    import json

    from pipeline.outputs.folders import ANALYSIS
    from pipeline.service.inbox import Inbox

    box = Inbox(tmp_path / "in", tmp_path / "out", settle=0, mode="poll")
    for fmt in FORMATS:
        shutil.copy(converted / f"{PAPERS[0]}.{fmt}", box.inbox / f"motion.{fmt}")
    box.run(once=True)
    for fmt in FORMATS:
        [folder] = [p for p in box.outbox.iterdir() if (p / f"motion.{fmt}").exists()]
        data = json.loads((folder / ANALYSIS).read_text(encoding="utf-8"))
        assert (data["status"], data["source"]["format"], len(data["att_satser"])) == (
            "ok",
            fmt,
            3,
        )
        assert (folder / "utkast.docx").exists()
    assert list(box.failed.iterdir()) == []


@needs_libreoffice
def test_eight_papers_in_five_shapes_dropped_in_the_inbox_all_come_out(
    converted: Path, tmp_path: Path
) -> None:
    """Issue 14, item 14: a .doc, an .odt, an .rtf, a zip of three papers and a folder of two,
    dropped in: eight papers in the outbox, each with its att-satser."""
    import json

    from pipeline.outputs.folders import ANALYSIS
    from pipeline.service.inbox import Inbox

    box = Inbox(tmp_path / "in", tmp_path / "out", settle=0, mode="poll")
    for fmt in FORMATS:
        shutil.copy(converted / f"{PAPERS[0]}.{fmt}", box.inbox / f"motion.{fmt}")
    with zipfile.ZipFile(box.inbox / "handlingar.zip", "w") as archive:
        archive.write(SAMPLES / f"{PAPERS[0]}.pdf", f"{PAPERS[0]}.pdf")
        archive.write(SAMPLES / f"{PAPERS[1]}.docx", f"{PAPERS[1]}.docx")
        archive.write(SAMPLES / "001_fb57b98de66bfb1d.txt", "svar.txt")
    folder = tmp_path / "mapp"
    folder.mkdir()
    shutil.copy(SAMPLES / f"{PAPERS[0]}.docx", folder / "motion.docx")
    shutil.copy(SAMPLES / f"{PAPERS[1]}.pdf", folder / "forslag.pdf")
    shutil.move(folder, box.inbox / "mapp")
    box.run(once=True)
    papers = [json.loads(p.read_text(encoding="utf-8")) for p in box.outbox.rglob(ANALYSIS)]
    assert len(papers) == 8, [p["source"]["path"] for p in papers]
    assert all(p["status"] == "ok" and p["att_satser"] for p in papers)
    assert sorted(p["source"]["format"] for p in papers) == sorted(
        ["doc", "odt", "rtf", "pdf", "docx", "txt", "docx", "pdf"]
    )
    assert not box.failed.exists() or list(box.failed.iterdir()) == []
