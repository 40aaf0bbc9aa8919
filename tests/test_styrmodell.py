"""Styrmodell profiles: the schema catches broken profiles, and every shipped one loads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import SHARED
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.styrmodell.loader import (
    DEFAULT_PROFILE,
    load_profile,
    profile_for_municipality,
    profile_paths,
    read_profile,
)
from pipeline.styrmodell.schema import ProfileError

runner = CliRunner()

MINIMAL = {
    "id": "provkommun",
    "name": "Provkommunens styrmodell",
    "municipality": "Provkommun",
    "extends": "generisk",
    "description": "En profil för testerna.",
    "sources": [{"id": "budget", "title": "Budget 2025", "reference": "KF 2024-11-20 § 101"}],
    "elements": [
        {
            "id": "trygghet",
            "name": "Trygghet i hela kommunen",
            "level": "fokusomrade",
            "description": "Invånarna ska känna sig trygga.",
            "terms": ["trygghet", "trygg"],
            "quote": {
                "text": "Alla ska känna sig trygga i kommunen.",
                "source": "budget",
                "page": 4,
            },
        }
    ],
}


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / f"{data.get('id', 'profil')}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("profile_id", sorted(profile_paths()))
def test_every_shipped_profile_validates_and_quotes_its_sources(profile_id: str) -> None:
    profile = load_profile(profile_id)
    assert profile.id == profile_id
    assert profile.elements and profile.goal_criteria is not None
    assert sorted(g.number for g in profile.agenda2030) == list(range(1, 18))
    for element in profile.elements:
        assert element.quote.text.strip()
        assert profile.source(element.quote.source).title
        assert element.quote.location or element.quote.page


# Where the governance documents the shipped profiles quote can be read (third-party
# material, read from ../shared, never copied): profile id and source id -> paper.
QUOTED = {
    ("timra", "ledningsfilosofi_styrmodell"): SHARED / "seeds" / "003_d069f1a058843328.txt",
    ("mariestad", "justerad_malstyrningsmodell"): SHARED / "seeds" / "004_94abcee4c42df768.txt",
    ("vaggeryd", "mal_mandatperiod"): SHARED / "seeds" / "002_3aec3e6f3cea692f.txt",
    ("kungsbacka", "ks_namndbudget_2026"): SHARED / "corpus" / "kungsbacka" / "d11.txt",
    ("kungsbacka", "ks_kallelse_2025_11_25"): SHARED / "corpus" / "kungsbacka" / "d12.txt",
    ("kungsbacka", "biblioteksplan_2021_2024"): SHARED / "corpus" / "kungsbacka2" / "e24.txt",
    ("kungsbacka", "ks_delarsrapport_2024_08"): SHARED / "corpus" / "kungsbacka2" / "e23.txt",
    ("tomelilla", "overgripande_mal"): SHARED / "corpus" / "web" / "w18.txt",
    ("klippan", "overgripande_mal_2024"): SHARED / "corpus" / "web" / "w19.txt",
}
PAGE_MARK = re.compile(r"<!-- sida (\d+) -->")


def plain(text: str) -> str:
    return " ".join(text.replace("<br>", " ").replace("\\-", "-").split())


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared not beside the checkout")
@pytest.mark.parametrize("profile_id", sorted({p for p, _ in QUOTED}))
def test_every_quote_stands_verbatim_on_its_page_of_a_governance_document(
    profile_id: str,
) -> None:
    profile = read_profile(profile_paths()[profile_id])
    for element in profile.elements:
        text = QUOTED[(profile_id, element.quote.source)].read_text(encoding="utf-8")
        body = plain(text)
        quote = plain(element.quote.text)
        assert quote in body, element.id
        if element.quote.page is not None:
            at = body.index(quote)
            pages = [int(m.group(1)) for m in PAGE_MARK.finditer(body[:at])]
            assert pages and pages[-1] == element.quote.page, element.id


def test_ange_does_not_quote_its_answer_to_the_motion() -> None:
    """Seed 001 answers a motion: Ånge's profile has nothing of its own to quote."""
    own = read_profile(profile_paths()["ange"])
    assert own.sources == [] and own.elements == []
    assert {e.id for e in load_profile("ange").elements} == {
        e.id for e in load_profile(DEFAULT_PROFILE).elements
    }


def test_a_municipal_profile_inherits_what_it_does_not_state(tmp_path: Path) -> None:
    profile = load_profile(str(write(tmp_path, MINIMAL)))
    assert profile.elements[0].id == "trygghet"
    generic = load_profile(DEFAULT_PROFILE)
    assert {e.id for e in generic.elements} < {e.id for e in profile.elements}
    assert profile.agenda2030 == generic.agenda2030
    assert profile.goal_criteria == generic.goal_criteria


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"elements": [{**MINIMAL["elements"][0], "level": "delmal"}]}, "level"),
        (
            {"elements": [{**MINIMAL["elements"][0], "quote": {"text": "x", "source": "okänd"}}]},
            "okända källor",
        ),
        ({"elements": MINIMAL["elements"] * 2}, "flera gånger"),
        ({"elements": [{**MINIMAL["elements"][0], "parent": "saknas"}]}, "överordnade"),
        ({"extends": "finns_inte"}, "okänd profil"),
        ({"id": "Prov Kommun"}, "id"),
        ({"färg": "blå"}, "färg"),
        # Every quote says where in its source it stands.
        (
            {"elements": [{**MINIMAL["elements"][0], "quote": {"text": "x", "source": "budget"}}]},
            "utan avsnitt",
        ),
        # An answer to a motion, or a decision on one, is not a governance document.
        (
            {
                "sources": [
                    {
                        "id": "budget",
                        "title": "Svar på motion om trygghetsvandringar",
                        "reference": "KS 2024/12",
                    }
                ]
            },
            "bara citera styrdokument",
        ),
        (
            {
                "sources": [
                    {
                        "id": "budget",
                        "title": "Kommunstyrelsens protokoll § 12",
                        "reference": "Besvarande av motion från Anna Andersson (C)",
                    }
                ]
            },
            "bara citera styrdokument",
        ),
        ({"sources": [{**MINIMAL["sources"][0], "kind": "motionssvar"}]}, "kind"),
    ],
)
def test_a_broken_profile_is_refused_with_a_reason(
    tmp_path: Path, change: dict, message: str
) -> None:
    with pytest.raises(ProfileError, match=message):
        load_profile(str(write(tmp_path, {**MINIMAL, **change})))


def test_a_profile_that_extends_itself_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="ärver av sig själv"):
        load_profile(str(write(tmp_path, {**MINIMAL, "extends": "provkommun"})))


def test_a_file_that_is_not_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "trasig.yaml"
    path.write_text("id: [oavslutad\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="inte giltig YAML"):
        read_profile(path)


@pytest.mark.parametrize(
    ("municipality", "expected"),
    [
        ("Ånge", "ange"),
        ("Ånge kommun", "ange"),
        ("Okända", DEFAULT_PROFILE),
        (None, DEFAULT_PROFILE),
    ],
)
def test_the_default_profile_follows_the_municipality(
    municipality: str | None, expected: str
) -> None:
    assert profile_for_municipality(municipality) == expected


def test_cli_lists_shows_and_validates_profiles(tmp_path: Path) -> None:
    listed = runner.invoke(app, ["styrmodell", "list"])
    assert listed.exit_code == 0
    assert "ange" in listed.stdout and "generisk" in listed.stdout
    shown = runner.invoke(app, ["styrmodell", "show", "timra"])
    assert shown.exit_code == 0
    assert "Ledningsfilosofi och styrmodell för Timrå kommun" in shown.stdout
    assert "[under framtagande]" in shown.stdout
    good = write(tmp_path, MINIMAL)
    bad = write(tmp_path, {**MINIMAL, "id": "trasig", "elements": [{"id": "x"}]})
    checked = runner.invoke(app, ["styrmodell", "validate", str(good), str(bad)])
    assert checked.exit_code == 1
    assert f"OK  {good}" in checked.stdout
    assert "FEL" in checked.stderr and "följer inte schemat" in checked.stderr
    unknown = runner.invoke(app, ["styrmodell", "show", "atlantis"])
    assert unknown.exit_code == 2 and "Okänd styrmodell" in unknown.stderr


def test_every_municipal_profile_is_checked_against_its_documents() -> None:
    """A new municipal profile names here where its governance documents can be read."""
    municipal = set(profile_paths()) - {DEFAULT_PROFILE, "ange"}
    assert municipal == {p for p, _ in QUOTED}


def test_a_profile_error_is_swedish_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "min_kommun.yaml"
    path.write_text(
        "id: min_kommun\nname: Min kommun\nmunicipality: Min\nextends: generisk\n"
        "description: Prov.\nelements:\n  - id: a\n    name: A\n    level: bogus\n"
        "    description: Ett element.\n    okant: 1\n",
        encoding="utf-8",
    )
    with pytest.raises(ProfileError) as raised:
        read_profile(path)
    message = str(raised.value)
    assert f"{path}:9: elements.0.level: ska vara ett av 'vision'" in message
    assert f"{path}:11: elements.0.okant: okänt fält" in message
    assert f"{path}:7: elements.0.quote: fältet saknas" in message
    assert not re.search(r"Input should|Field required|Extra inputs", message)
