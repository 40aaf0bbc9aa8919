"""The rooms of the code: each says its role, and no module name appears twice."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("pipeline", "extractors", "flows")


def modules() -> list[Path]:
    return [p for package in PACKAGES for p in (ROOT / package).rglob("*.py")]


def test_no_module_name_appears_twice() -> None:
    names = Counter(p.name for p in modules() if p.name != "__init__.py")
    assert [name for name, n in names.items() if n > 1] == []


@pytest.mark.parametrize(
    "init",
    sorted(p for p in modules() if p.name == "__init__.py"),
    ids=lambda p: str(p.parent.relative_to(ROOT)),
)
def test_every_package_says_its_role(init: Path) -> None:
    text = init.read_text(encoding="utf-8").lstrip()
    assert text.startswith('"""'), f"{init} has no docstring saying its role"
