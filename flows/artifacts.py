"""What Prefect is given: artifact keys it accepts, and nothing that holds a personnummer.

Prefect keeps flow-run parameters and artifacts in its database; `private` masks a flow's
parameters there (the run itself gets them as given), `masked` an artifact's content.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, TypeVar

from prefect import Flow

from pipeline.privacy import mask_data

F = TypeVar("F", bound=Flow)


def artifact_key(prefix: str, name: str) -> str:
    """Prefect takes lowercase letters, digits and dashes only."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return f"{prefix}-{slug}"[:100].rstrip("-") or prefix


def masked(value: Any) -> Any:
    return mask_data(value)


def private(flow: F) -> F:
    """`flow` with its parameters masked in what Prefect stores (the API's copy only)."""
    serialize = flow.serialize_parameters

    def serialize_masked(parameters: dict[str, Any]) -> dict[str, Any]:
        return mask_data(serialize(parameters))

    flow.serialize_parameters = serialize_masked  # type: ignore[method-assign]
    return flow
