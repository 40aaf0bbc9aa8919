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


@cache
def lemma_table(lang: str) -> dict[str, str]:
    """spacy-lookups-data's lookup lemmas for `lang` ({word form: lemma}, 660 000 forms for
    Swedish), read once per process and shared: the lemmatizer answers from it and the
    PDF reader asks it whether a piece of text is a word. Found through the package's
    `spacy_lookups` entry point: nothing is downloaded."""
    from spacy.util import load_language_data, registry

    return load_language_data(registry.lookups.get(lang)["lemma_lookup"])
