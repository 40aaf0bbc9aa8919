"""Personal identity numbers kept in their place: the paper's own text, nowhere else.

A personnummer is the birth date (YYMMDD or YYYYMMDD), a separator ("-", or "+" from the
year someone turns 100; often left out) and four digits, the last a Luhn check digit over
the ten-digit form. A samordningsnummer is the same with 60 added to the day. Only numbers
that pass the date and Luhn checks are masked, so a diarienummer or an amount is never
touched; the mask keeps the date and hides the four digits: "YYMMDD-****".

`mask` is applied to logs (`install_log_masking`), Prefect parameters and artifacts, the
ledger, the tables (CSV, XLSX, HTML), the archive report and, unless the setting
`ATTSATS_PERSONNUMMER=behall` says otherwise, the drafts. `analysis.json` keeps the
paper's text as it was read.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

SETTING = "ATTSATS_PERSONNUMMER"
KEEP, MASK = "behall", "maskera"
MASK_DIGITS = "****"

NUMBER_RE = re.compile(
    # Not the tail of a longer number or word; an underscore is a separator, as in a
    # file name "svar_19121212-1212.pdf".
    r"(?<![^\W_])(?<![+\-–])"
    r"(?P<century>(?:18|19|20))?"
    r"(?P<yy>\d{2})(?P<mm>\d{2})(?P<dd>\d{2})"
    r"(?P<sep>[-+–]?)"
    r"(?P<serial>\d{3})(?P<check>\d)"
    r"(?![^\W_])"
)

Kind = Literal["personnummer", "samordningsnummer"]


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    kind: Kind
    masked: str


def luhn_ok(digits: str) -> bool:
    """The Luhn check over a ten-digit YYMMDDNNNC."""
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def classify(m: re.Match[str]) -> Kind | None:
    """What a candidate is, or None when its date or check digit is wrong."""
    month, day = int(m["mm"]), int(m["dd"])
    if not 1 <= month <= 12:
        return None
    kind: Kind = "personnummer"
    if day > 60:
        day -= 60
        kind = "samordningsnummer"
    if not 1 <= day <= 31:
        return None
    if not luhn_ok(m["yy"] + m["mm"] + m["dd"] + m["serial"] + m["check"]):
        return None
    return kind


def find(text: str) -> list[Found]:
    """Every Luhn-valid personnummer and samordningsnummer in `text`."""
    found = []
    for m in NUMBER_RE.finditer(text):
        kind = classify(m)
        if kind is None:
            continue
        date = (m["century"] or "") + m["yy"] + m["mm"] + m["dd"]
        separator = "+" if m["sep"] == "+" else "-"
        found.append(Found(m.start(), m.end(), kind, f"{date}{separator}{MASK_DIGITS}"))
    return found


def mask(text: str) -> str:
    """`text` with the last four digits of every personnummer and samordningsnummer hidden."""
    if not text or not any(c.isdigit() for c in text):
        return text
    parts, last = [], 0
    for hit in find(text):
        parts += [text[last : hit.start], hit.masked]
        last = hit.end
    return "".join(parts) + text[last:] if parts else text


T = TypeVar("T")


def mask_data(value: T) -> T:
    """Strings inside dicts, lists and tuples masked (keys too); anything else as it is."""
    if isinstance(value, str):
        return mask(value)  # type: ignore[return-value]
    if isinstance(value, dict):
        return {mask_data(k): mask_data(v) for k, v in value.items()}  # type: ignore[return-value]
    if isinstance(value, list):
        return [mask_data(v) for v in value]  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(mask_data(v) for v in value)  # type: ignore[return-value]
    return value


def drafts_keep_numbers() -> bool:
    """The setting: do drafts keep personnummer as written? (default: masked)."""
    return os.environ.get(SETTING, MASK).strip().lower() in (KEEP, "behåll", "keep")


def install_log_masking() -> None:
    """Mask every log record as it is made, whichever logger or handler takes it (ours,
    Prefect's console and API handlers alike). Idempotent."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "attsats_masking", False):
        return

    def masking_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        try:
            text = record.getMessage()
        except Exception:  # a bad format string: let logging report it as usual
            return record
        masked = mask(text)
        if masked != text:
            record.msg, record.args = masked, ()
        return record

    masking_factory.attsats_masking = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(masking_factory)
