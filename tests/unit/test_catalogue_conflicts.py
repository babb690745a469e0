"""The `.po` files of a language agree: a message two parts of the tool both translate has
one Dutch text (the merge takes the first file's, so a second would be silently lost)."""

from __future__ import annotations

from pathlib import Path

from nbm import i18n


def test_no_message_is_translated_two_ways() -> None:
    assert i18n.catalogue_conflicts("nl") == []


def test_a_conflict_is_named_and_the_first_file_wins(tmp_path: Path) -> None:
    folder = tmp_path / "nl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    for name, text in (("a.po", "gesloten"), ("b.po", "dicht")):
        (folder / name).write_text(f'msgid "closed"\nmsgstr "{text}"\n', encoding="utf-8")
    assert i18n.catalogue_conflicts("nl", tmp_path) == [
        "b.po: 'closed' is translated otherwise in a.po"
    ]
    assert i18n.read_catalogue("nl", tmp_path).get("closed").string == "gesloten"
