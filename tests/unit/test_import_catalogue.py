"""`nbm import` speaks Dutch: each of its messages and help texts has a Dutch translation."""

from __future__ import annotations

import typer.main

from nbm import i18n
from nbm.cli import app

OWN_SOURCES = ("nbm/caseload_import/", "nbm/cli/import_.py")


def test_every_message_and_help_text_of_the_import_has_its_dutch() -> None:
    tree = typer.main.get_command(app)
    command = tree.commands["import"]  # type: ignore[attr-defined]
    # Help texts it shares with other commands (--json) are theirs to translate.
    elsewhere = {
        text
        for name, other in tree.commands.items()  # type: ignore[attr-defined]
        if name != "import"
        for text in i18n.help_texts(other)
    }
    own_help = [t for t in i18n.help_texts(command) if t not in elsewhere]
    missing = i18n.missing_translations("nl", own_help)
    ours = {
        text: where
        for text, where in missing.items()
        if where == "help text" or where.startswith(OWN_SOURCES)
    }
    assert not ours, "\n".join(f"{where}: {text!r}" for text, where in ours.items())
