"""Artifact keys: Prefect takes lowercase letters, digits and dashes only."""

from __future__ import annotations

import re
import unicodedata


def artifact_key(prefix: str, name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return f"{prefix}-{slug}"[:100].rstrip("-") or prefix
