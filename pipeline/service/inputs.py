"""Which files a folder walk takes: the same rule for `analyze`, `batch` and the inbox."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from extractors import SUFFIXES

# Office lock files (`~$...`) and hidden files: never papers, even with a known suffix.
SKIPPED_PREFIXES = ("~$", ".")


def is_input_name(name: str, suffixes: Iterable[str] = SUFFIXES) -> bool:
    """Whether a folder walk takes a file of this name: a known format, not a lock file."""
    return PurePosixPath(name).suffix.lower() in suffixes and not name.startswith(SKIPPED_PREFIXES)


def expand_inputs(paths: Iterable[Path], suffixes: Iterable[str] = SUFFIXES) -> Iterator[Path]:
    """Files as given, and the readable files inside folders, in a stable order.

    Inside folders only names that `is_input_name` takes are read; a file named
    explicitly is always tried.
    """
    suffixes = tuple(suffixes)
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and is_input_name(child.name, suffixes):
                    yield child
        else:
            yield path
