"""File-system steps that never leave a half-written file or folder for a reader to find.

Every file is written under a temporary name and renamed into place, and a whole folder
is built aside and renamed in one step (`publish`), so a reader (a registrar's tools, a
sync client) only ever finds complete outputs. Names made here are bounded in bytes
(UTF-8), because file systems count bytes (255 per name), not characters.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import unicodedata
import uuid
from pathlib import Path

MAX_NAME = 80  # characters of a folder name made from a file name
MAX_NAME_BYTES = 120  # the same, in UTF-8 bytes
NAME_LIMIT = 255  # what Linux file systems take per name, in bytes


def truncate_bytes(text: str, limit: int) -> str:
    """The longest prefix of `text` whose UTF-8 encoding fits in `limit` bytes."""
    return text.encode("utf-8")[: max(0, limit)].decode("utf-8", "ignore")


def fit_name(name: str, limit: int = NAME_LIMIT) -> str:
    """`name` as it is when it fits in `limit` bytes, else its stem cut short with a
    short hash of the whole name (two long names stay apart) and its suffix kept."""
    if len(name.encode("utf-8")) <= limit:
        return name
    suffix = Path(name).suffix
    if len(suffix.encode("utf-8")) > 16:
        suffix = ""
    stem = name[: len(name) - len(suffix)] if suffix else name
    tag = "~" + hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    room = limit - len(tag.encode("utf-8")) - len(suffix.encode("utf-8"))
    return truncate_bytes(stem, room) + tag + suffix


def safe_name(name: str) -> str:
    """A folder or file name made from untrusted text: no separators, no leading dot,
    composed Unicode (NFC, so "ä" typed two ways is one name), bounded in bytes."""
    name = unicodedata.normalize("NFC", name)
    cleaned = "".join(c if c.isalnum() or c in "-_." else "_" for c in name).strip("._")
    return truncate_bytes(cleaned[:MAX_NAME], MAX_NAME_BYTES).rstrip("._") or "dokument"


def temporary_name(path: Path) -> Path:
    """A hidden name beside `path` for writing it, short enough for any `path`."""
    return path.with_name(f".{fit_name(path.name, 200)}.{uuid.uuid4().hex[:8]}.tmp")


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary name in the same folder."""
    tmp = temporary_name(path)
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
        tmp = temporary_name(target)
        try:
            shutil.copy2(source, tmp)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        source.unlink()
