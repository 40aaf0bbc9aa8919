"""Shipped governance profiles (`profiles/*.yaml`, one per municipality) and how one is found.

A new municipality is a new file. A profile may `extend` another (usually `generisk`): it
then inherits what it does not state itself. `load_profile` validates a profile against the
schema and resolves `extends`; `profile_for_municipality` picks the profile of a paper's
municipality, else the generic one.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from pipeline.styrmodell.schema import Profile, ProfileError

PROFILE_DIR = Path(str(resources.files("pipeline.styrmodell").joinpath("profiles")))
DEFAULT_PROFILE = "generisk"
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _merge(child: Profile, parent: Profile) -> Profile:
    """The child's own parts first, then what it inherits from its parent."""
    own = {e.id for e in child.elements}
    own_sources = {s.id for s in child.sources}
    return child.model_copy(
        update={
            "sources": [*child.sources, *(s for s in parent.sources if s.id not in own_sources)],
            "elements": [*child.elements, *(e for e in parent.elements if e.id not in own)],
            "calendar": child.calendar or parent.calendar,
            "goal_criteria": child.goal_criteria or parent.goal_criteria,
            "agenda2030": child.agenda2030 or parent.agenda2030,
        }
    )


def read_profile(path: Path) -> Profile:
    """One profile file, validated but with `extends` not yet resolved."""
    try:
        # libyaml's loader when installed: the pure-Python one takes ~50 ms per profile.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except OSError as error:
        raise ProfileError(f"Styrmodellen {path} kan inte läsas: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise ProfileError(f"Styrmodellen {path} är inte giltig YAML: {error}") from error
    if not isinstance(data, dict):
        raise ProfileError(f"Styrmodellen {path} ska vara en YAML-mappning.")
    try:
        return Profile.model_validate(data)
    except ValidationError as error:
        text = path.read_text(encoding="utf-8")
        details = "\n".join(
            f"  {path}:{line_of(text, e['loc'])}: {'.'.join(map(str, e['loc'])) or 'profil'}: "
            f"{swedish_error(e)}"
            for e in error.errors()
        )
        raise ProfileError(f"Styrmodellen {path} följer inte schemat:\n{details}") from error


# pydantic's error types in Swedish; a type not listed keeps pydantic's own words.
ERROR_TYPES = {
    "missing": "fältet saknas",
    "extra_forbidden": "okänt fält",
    "string_type": "ska vara text",
    "int_type": "ska vara ett heltal",
    "int_parsing": "ska vara ett heltal",
    "float_type": "ska vara ett tal",
    "float_parsing": "ska vara ett tal",
    "bool_type": "ska vara true eller false",
    "bool_parsing": "ska vara true eller false",
    "list_type": "ska vara en lista",
    "dict_type": "ska vara en mappning",
    "model_type": "ska vara en mappning",
    "too_short": "har för få delar",
    "string_too_short": "får inte vara tom",
}


def swedish_error(error: Mapping[str, Any]) -> str:
    """One validation error in Swedish: the schema's own checks already speak Swedish."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "literal_error":
        return f"ska vara ett av {ctx.get('expected', '')}".replace(" or ", " eller ")
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error", error["msg"]))
    return ERROR_TYPES.get(kind, error["msg"])


def line_of(text: str, loc: tuple[Any, ...]) -> int:
    """The line (from 1) of the YAML node at `loc`, or of the nearest node above it that
    exists (a missing field is reported at the mapping that lacks it)."""
    node = yaml.compose(text)
    line = node.start_mark.line + 1 if node is not None else 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((value for key, value in node.value if key.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if part < len(node.value) else None
        else:
            node = None
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def profile_paths() -> dict[str, Path]:
    """The shipped profiles by id (the file name without `.yaml`)."""
    return {path.stem: path for path in sorted(PROFILE_DIR.glob("*.yaml"))}


def _resolve(profile: Profile, seen: tuple[str, ...] = ()) -> Profile:
    if profile.extends is None:
        return profile
    if profile.extends in (*seen, profile.id):
        raise ProfileError(f"Styrmodellen {profile.id} ärver av sig själv via {profile.extends}.")
    parent_path = profile_paths().get(profile.extends)
    if parent_path is None:
        raise ProfileError(f"Styrmodellen {profile.id} ärver av okänd profil {profile.extends}.")
    parent = _resolve(read_profile(parent_path), (*seen, profile.id))
    return _merge(profile, parent)


@cache
def load_profile(name_or_path: str) -> Profile:
    """A shipped profile by id, or a profile file by path, with `extends` resolved."""
    path = profile_paths().get(name_or_path)
    if path is None:
        candidate = Path(name_or_path)
        if not candidate.is_file():
            known = ", ".join(profile_paths())
            raise ProfileError(f"Okänd styrmodell {name_or_path!r}; kända: {known}.")
        path = candidate
    profile = read_profile(path)
    if path.parent == PROFILE_DIR and profile.id != path.stem:
        raise ProfileError(f"Styrmodellen i {path.name} har id {profile.id!r}; de ska vara lika.")
    return _resolve(profile)


def _municipality_key(name: str) -> str:
    return name.casefold().removesuffix(" kommun").strip()


@cache
def _profiles_by_municipality() -> dict[str, str]:
    """Shipped profile ids by municipality, read once per process."""
    found = {}
    for profile_id, path in profile_paths().items():
        named = read_profile(path).municipality
        if named:
            found[_municipality_key(named)] = profile_id
    return found


def profile_for_municipality(municipality: str | None) -> str:
    """The id of the profile for a municipality, or the generic default."""
    if not municipality:
        return DEFAULT_PROFILE
    return _profiles_by_municipality().get(_municipality_key(municipality), DEFAULT_PROFILE)
