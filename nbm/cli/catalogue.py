"""`python -m nbm.cli.catalogue [LANG]` (`make catalogue`): every message of the code and
every help text of the command tree without a translation into LANG (Dutch by default),
printed as a `.po` fragment to fill in and add to a file under `nbm/locale/LANG/LC_MESSAGES/`.
Exits 1 while anything is missing."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from typer.main import get_command

from nbm.i18n import help_texts, missing_translations, source_plurals

from . import app


def _po_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def main(argv: Sequence[str] = sys.argv[1:]) -> int:
    """`python -m nbm.cli.catalogue [LANG]`: untranslated messages as a `.po` fragment."""
    lang = argv[0] if argv else "nl"
    missing = missing_translations(lang, help_texts(get_command(app)))
    plurals = source_plurals()
    for text, where in missing.items():
        if text in plurals:  # ngettext: both forms, a translation for each
            print(f"#: {where}\nmsgid {_po_string(text)}\nmsgid_plural {_po_string(plurals[text])}")
            print('msgstr[0] ""\nmsgstr[1] ""\n')
        else:
            print(f'#: {where}\nmsgid {_po_string(text)}\nmsgstr ""\n')
    print(f"# {len(missing)} message(s) without a translation", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
