"""Pattern data shipped with attsats (`pipeline/patterns/*.yaml`), loaded once per process."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def load_patterns(name: str) -> Any:
    """The parsed YAML file `pipeline/patterns/<name>.yaml`."""
    text = resources.files("pipeline").joinpath("patterns", f"{name}.yaml").read_text("utf-8")
    return yaml.safe_load(text)
