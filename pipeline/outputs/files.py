"""File-system steps that never leave a half-written file or folder for a reader to find.

Every file is written under a temporary name and renamed into place, and a whole folder
is built aside and renamed in one step (`publish`), so a reader (a registrar's tools, a
sync client) only ever finds complete outputs.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

MAX_NAME = 80


def safe_name(name: str) -> str:
    """A folder or file name made from untrusted text: no separators, no leading dot."""
    cleaned = "".join(c if c.isalnum() or c in "-_." else "_" for c in name).strip("._")
    return cleaned[:MAX_NAME].rstrip("._") or "dokument"


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary name in the same folder."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def publish(staging: Path, target: Path) -> None:
    """Rename a finished folder into place, replacing an earlier one of the same name.

    `staging` must be on the same file system as `target` (both under the output folder).
    """
    if target.exists():
        old = staging.with_name(f"{staging.name}.old")
        os.rename(target, old)
        os.rename(staging, target)
        shutil.rmtree(old)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(staging, target)


def move_file(source: Path, target: Path) -> None:
    """Move a file, atomically at the target even across file systems."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(source, target)
    except OSError:
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
        shutil.copy2(source, tmp)
        os.replace(tmp, target)
        source.unlink()
