"""Shipped governance profiles (`profiles/*.yaml`, one per municipality) and how one is found.

A new municipality is a new file. A profile may `extend` another (usually `generisk`): it
then inherits what it does not state itself. `load_profile` validates a profile against the
schema and resolves `extends`; `profile_for_municipality` picks the profile of a paper's
municipality, else the generic one.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

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
        details = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'profil'}: {e['msg']}" for e in error.errors()
        )
        raise ProfileError(f"Styrmodellen {path} följer inte schemat: {details}") from error


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
