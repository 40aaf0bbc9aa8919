"""Swedish for the words the command-line library prints itself: usage, panels, --help, errors.

typer (and the click it vendors) prints its own words in English and ships no Swedish
catalogue. This adapter is the one place that knows where those words live; `install` is
called once when the app is built. Were a typer release to move them, the words would stay
English rather than anything failing, and tests/test_cli.py would say so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from typer import rich_utils
from typer._click import core, formatting

PANELS = {
    "ARGUMENTS_PANEL_TITLE": "Argument",
    "OPTIONS_PANEL_TITLE": "Flaggor",
    "COMMANDS_PANEL_TITLE": "Kommandon",
    "ERRORS_PANEL_TITLE": "Fel",
    "DEFAULT_STRING": "[standard: {}]",
    "REQUIRED_LONG_STRING": "[krävs]",
    "ENVVAR_STRING": "[miljövariabel: {}]",
    "DEPRECATED_STRING": "(utgår) ",
    "ABORTED_TEXT": "Avbrutet.",
    "RICH_HELP": "Se [blue]'{command_path} {help_option}'[/] för hjälp.",
}
USAGE = "Användning: "
USAGE_WORDS = {"[OPTIONS]": "[FLAGGOR]", "COMMAND": "KOMMANDO", "[ARGS]": "[ARGUMENT]"}
HELP = "Visa den här hjälpen och avsluta."
# The parser's own messages, in the order tried; the first that matches is used.
ERRORS: list[tuple[str, str]] = [
    (r"Missing argument '(.+)'\.(.*)", r"Argumentet '\1' saknas.\2"),
    (r"Missing option '(.+)'\.(.*)", r"Flaggan '\1' saknas.\2"),
    (r"Missing (?:parameter|command)\.?(.*)", r"Ett värde eller kommando saknas.\1"),
    (r"No such option: (\S+) \(Possible options: (.+)\)", r"Okänd flagga: \1 (menade du \2?)"),
    (r"No such option: (\S+)", r"Okänd flagga: \1"),
    (r"No such command '(.+)'\.", r"Okänt kommando: '\1'."),
    (r"Got unexpected extra arguments? ?(?:\(s\))? ?\((.+)\)", r"Oväntade extra argument: \1"),
    (r"Option '(.+)' requires (.+)", r"Flaggan '\1' behöver ett värde."),
    (r"Option '(.+)' does not take a value\.", r"Flaggan '\1' tar inget värde."),
    (r"Invalid value for (.+?): (.+)", r"Ogiltigt värde för \1: \2"),
    (r"Invalid value: (.+)", r"Ogiltigt värde: \1"),
]
VALUES: list[tuple[str, str]] = [
    (r"(?:Path|File|Directory) '(.+)' does not exist\.", r"'\1' finns inte."),
    (r"(?:Path|File|Directory) '(.+)' is a directory\.", r"'\1' är en mapp."),
    (r"(?:Path|File|Directory) '(.+)' is a file\.", r"'\1' är en fil."),
    (r"Value '(.+)' is not a valid (\w+)\.", r"'\1' är inte ett giltigt värde (\2)."),
    (r"'(.+)' is not a valid integer\.", r"'\1' är inte ett heltal."),
]


@cache
def compiled(table: tuple[tuple[str, str], ...]) -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(pattern, re.DOTALL), swedish) for pattern, swedish in table]


def translate_error(message: str) -> str:
    """The parser's English message in Swedish; an unknown message is kept as it is."""
    for pattern, swedish in compiled(tuple(ERRORS)):
        match = pattern.fullmatch(message.strip())
        if match:
            message = match.expand(swedish)
            break
    for pattern, swedish in compiled(tuple(VALUES)):
        message = pattern.sub(swedish, message)
    return message


def wrap(owner: Any, name: str, make: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
    """Replace `owner.name` by `make(original)` once; a missing name is left alone."""
    original = getattr(owner, name, None)
    if original is None or getattr(original, "_attsats_swedish", False):
        return
    replacement = make(original)
    replacement._attsats_swedish = True  # type: ignore[attr-defined]
    setattr(owner, name, replacement)


def install() -> None:
    for name, text in PANELS.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)

    def usage(original: Callable[..., Any]) -> Callable[..., Any]:
        def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
            for english, swedish in USAGE_WORDS.items():
                args = args.replace(english, swedish)
            original(self, prog, args, USAGE if prefix is None else prefix)

        return write_usage

    def help_option(original: Callable[..., Any]) -> Callable[..., Any]:
        def get_help_option(self: Any, ctx: Any) -> Any:
            option = original(self, ctx)
            if option is not None:
                option.help = HELP
            return option

        return get_help_option

    def error(original: Callable[..., Any]) -> Callable[..., Any]:
        def rich_format_error(self: Any) -> None:
            message = translate_error(self.format_message())
            self.format_message = lambda: message
            original(self)

        return rich_format_error

    wrap(formatting.HelpFormatter, "write_usage", usage)
    wrap(core.Command, "get_help_option", help_option)
    wrap(rich_utils, "rich_format_error", error)
