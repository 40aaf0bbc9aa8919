"""The `attsats` command line: analyze and schema, as a user runs them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.document import SCHEMA_VERSION

SEED_001 = SAMPLES / "001_fb57b98de66bfb1d.txt"
runner = CliRunner()


def schema() -> dict:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    return json.loads(result.stdout)


def test_analyze_json_on_seed_001_is_a_motionssvar_with_its_dnr() -> None:
    result = runner.invoke(app, ["analyze", str(SEED_001), "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, schema())
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["doc_type"] == "motionssvar"
    assert data["diarienummer"][0]["raw"] == "KS 20/399"
    assert data["source"]["format"] == "txt"


def test_analyze_prints_a_swedish_summary_by_default() -> None:
    result = runner.invoke(app, ["analyze", str(SEED_001)])
    assert result.exit_code == 0
    assert "Typ: Svar på motion eller medborgarförslag" in result.stdout
    assert "Dnr: KS 20/399" in result.stdout


def test_several_inputs_give_a_json_list_and_one_file_each(tmp_path: Path) -> None:
    second = tmp_path / "motion.txt"
    second.write_text(
        "Motion om fler cykelbanor\n\nJag föreslår att kommunen bygger fler cykelbanor.\n"
    )
    out = tmp_path / "ut"
    result = runner.invoke(
        app, ["analyze", str(SEED_001), str(second), "--json", "--out", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [Path(d["source"]["path"]).name for d in data] == [SEED_001.name, "motion.txt"]
    assert sorted(p.name for p in out.iterdir()) == [SEED_001.stem, "motion"]
    for folder in out.iterdir():
        analysis = folder / "analysis.json"
        jsonschema.validate(json.loads(analysis.read_text(encoding="utf-8")), schema())
    assert (out / SEED_001.stem / "utkast.docx").is_file()


def test_two_inputs_with_one_name_get_two_folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = tmp_path / "a" / "motion.txt"
    second = tmp_path / "b" / "motion.txt"
    first.write_text("Motion om fler cykelbanor\n\nJag föreslår att kommunen bygger cykelbanor.\n")
    second.write_text("Motion om fler bänkar\n\nJag föreslår att kommunen ställer ut bänkar.\n")
    out = tmp_path / "ut"
    result = runner.invoke(app, ["analyze", str(first), str(second), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["motion", "motion-txt"]


def test_a_failed_input_exits_non_zero_with_the_reason_on_stderr(tmp_path: Path) -> None:
    broken = tmp_path / "trasig.pdf"
    broken.write_bytes(b"inte en pdf")
    result = runner.invoke(app, ["analyze", str(SEED_001), str(broken), "--json"])
    assert result.exit_code == 1
    assert "E103" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    statuses = [d["status"] for d in json.loads(result.stdout)]
    assert statuses == ["ok", "failed"]


def test_a_folder_is_read_file_by_file_and_lock_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "~$motion.docx").write_bytes(b"lock")
    (tmp_path / "anteckning.json").write_text("{}")
    (tmp_path / "motion.txt").write_text("Motion om fler cykelbanor\n")
    result = runner.invoke(app, ["analyze", str(tmp_path), "--json"])
    assert result.exit_code == 0
    assert Path(json.loads(result.stdout)["source"]["path"]).name == "motion.txt"


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["analyze", str(tmp_path)])
    assert result.exit_code == 2
    assert "Inga dokument" in result.stderr


def test_the_schema_names_the_contract_fields() -> None:
    properties = schema()["properties"]
    for key in [
        "schema_version",
        "source",
        "status",
        "errors",
        "warnings",
        "doc_type",
        "title",
        "municipality",
        "organ",
        "dates",
        "authors",
        "handlaggare",
        "diarienummer",
        "sections",
        "att_satser",
        "decision",
        "goals",
        "kallelse_items",
    ]:
        assert key in properties


ENGLISH = re.compile(
    r"\b(?:Usage|Options|Arguments|Commands|Show this message|Missing|No such|Try '|"
    r"required|default:|Invalid value|unexpected)\b"
)


def command_paths() -> list[list[str]]:
    """Every command and subcommand of the app, as the words a user types."""
    import typer.main

    def walk(command, path: list[str]) -> list[list[str]]:
        found = [path]
        for name, sub in getattr(command, "commands", {}).items():
            found += walk(sub, [*path, name])
        return found

    return walk(typer.main.get_command(app), [])


@pytest.mark.parametrize("words", command_paths(), ids=lambda w: " ".join(w) or "attsats")
def test_every_help_page_speaks_swedish(words: list[str]) -> None:
    result = runner.invoke(app, [*words, "--help"], prog_name="attsats", terminal_width=100)
    assert result.exit_code == 0
    assert "Användning: attsats" in result.stdout
    assert "Visa den här hjälpen och avsluta." in result.stdout
    assert not ENGLISH.search(result.stdout), ENGLISH.search(result.stdout)


@pytest.mark.parametrize(
    ("words", "swedish"),
    [
        (["analyze"], "Argumentet 'paths' saknas."),
        (["analyze", "--bogus", "x"], "Okänd flagga: --bogus"),
        (["train"], "Flaggan '--out' saknas."),
        (["styrmodell", "visa"], "Okänt kommando: 'visa'."),
        (["analyze", "x", "--out"], "Flaggan '--out' behöver ett värde."),
    ],
)
def test_usage_errors_are_swedish(words: list[str], swedish: str) -> None:
    result = runner.invoke(app, words, prog_name="attsats", terminal_width=100)
    assert result.exit_code == 2
    assert swedish in result.stderr
    assert not ENGLISH.search(result.stderr), ENGLISH.search(result.stderr)
