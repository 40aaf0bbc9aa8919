"""Pattern data shipped with attsats, loaded once per process.

Each room keeps the data of its rules beside its code, in `<room>/patterns/`
(`pipeline/stages/patterns/headings.yaml`, `pipeline/service/patterns/inbox.yaml`, …).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def load_patterns(package: str, name: str) -> Any:
    """The parsed YAML file `<package>/patterns/<name>.yaml`, e.g.
    `load_patterns("pipeline.stages", "headings")`."""
    text = resources.files(package).joinpath("patterns", f"{name}.yaml").read_text("utf-8")
    return yaml.safe_load(text)
