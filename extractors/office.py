"""Word 97-2003 (.doc), OpenDocument (.odt) and RTF: converted to DOCX by LibreOffice, then
read by the DOCX backend, so every Word-like paper reads the same way.

Each conversion runs `soffice --headless` with a profile of its own in a fresh temporary
folder (two conversions at once would otherwise fight over one profile and the second
would silently do nothing), in a session of its own with a time limit: on timeout the
whole process group is killed. The converted DOCX goes through the same package checks
as any DOCX.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from extractors import docx as docx_backend
from extractors.guards import check_package
from pipeline.document import Document
from pipeline.errors import AttsatsError

TIMEOUT_SECONDS = 120
SOFFICE_NAMES = ("soffice", "libreoffice")


def soffice() -> str | None:
    """The LibreOffice binary, or None when it is not installed."""
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def to_docx(data: bytes, suffix: str, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The bytes converted to DOCX; raises E113 when LibreOffice is missing, fails or hangs."""
    binary = soffice()
    if binary is None:
        raise AttsatsError("E113", detail="LibreOffice är inte installerat (soffice saknas)")
    with tempfile.TemporaryDirectory(prefix="attsats-office-") as scratch:
        folder = Path(scratch)
        source = folder / f"indata{suffix}"
        source.write_bytes(data)
        out = folder / "ut"
        command = [
            binary,
            f"-env:UserInstallation={(folder / 'profil').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ]
        returncode, output = run_in_group(command, timeout, home=folder)
        if returncode is None:
            raise AttsatsError("E113", detail=f"konverteringen tog mer än {timeout:.0f} sekunder")
        target = out / "indata.docx"
        if returncode != 0 or not target.is_file() or target.stat().st_size == 0:
            said = output.strip().splitlines()
            detail = said[-1] if said else f"slutkod {returncode}"
            raise AttsatsError("E113", detail=f"ingen DOCX skapades ({detail})"[:200])
        return target.read_bytes()


def run_in_group(command: list[str], timeout: float, home: Path) -> tuple[int | None, str]:
    """Run LibreOffice in a session of its own with a private HOME: its return code (None when
    it ran past `timeout`) and what it printed. The whole session is stopped afterwards, since
    soffice may leave a helper process behind."""
    env = {**os.environ, "HOME": str(home), "SAL_USE_VCLPLUGIN": "svp"}
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
        returncode: int | None = process.returncode
    except subprocess.TimeoutExpired:
        output, returncode = b"", None
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    return returncode, output.decode("utf-8", "replace")


def extract(data: bytes, doc: Document) -> None:
    """Convert, then read as DOCX; `doc.source.format` keeps the original format."""
    suffix = "." + (doc.source.format or "doc")
    converted = to_docx(data, suffix)
    check_package(converted)
    docx_backend.extract(converted, doc)
