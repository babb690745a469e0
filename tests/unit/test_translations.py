"""Every message and help text of the tool has its Dutch translation, and each translation
keeps the placeholders of its message (a `{name}` lost or misspelt fails at run time)."""

from __future__ import annotations

import re

import pytest
from typer.main import get_command

from nbm.cli import app
from nbm.i18n import help_texts, missing_translations, read_catalogue

PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)s")


def test_every_message_and_help_text_has_a_dutch_translation() -> None:
    missing = missing_translations("nl", help_texts(get_command(app)))
    listing = "\n".join(f"{where}: {text[:70]!r}" for text, where in sorted(missing.items()))
    assert not missing, f"{len(missing)} without Dutch (make catalogue):\n{listing}"


def _entries() -> list[tuple[str, str]]:
    """(message, translation) pairs; a plural's forms each against both its ids."""
    pairs = []
    for message in read_catalogue("nl"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgstr in strings:
            pairs.append(("\n".join(ids), msgstr))
    return pairs


@pytest.mark.parametrize(("msgid", "msgstr"), _entries(), ids=lambda v: str(v)[:40])
def test_a_translation_keeps_the_placeholders(msgid: str, msgstr: str) -> None:
    if not msgstr:
        return  # missing: the test above names it
    wanted = set(PLACEHOLDER.findall(msgid))
    found = set(PLACEHOLDER.findall(msgstr))
    assert found <= wanted, msgstr  # a placeholder the message does not fill: a KeyError
    # A plural's singular may say "1" where the plural counts: {count} may be left out.
    assert wanted - found <= {"{count}"}, msgstr


def test_a_long_translation_is_not_the_english_left_in_place() -> None:
    same = [
        msgid
        for msgid, msgstr in _entries()
        if msgstr == msgid and len(PLACEHOLDER.sub("", msgid).split()) >= 3 and "`" not in msgid
    ]
    assert not same, same
