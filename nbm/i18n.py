"""The coach's language: Dutch by default, English with `--lang en` or `NBM_LANG=en`.

Messages are written in English in the code (the gettext message ids) and translated
through gettext catalogues kept with Babel: one or more `.po` files per language under
`nbm/locale/<lang>/LC_MESSAGES/` (each part of the tool keeps its own file, e.g. `cli.po`,
`domain.po`, `report.po`), merged and compiled once into a `.mo` file in a cache folder,
keyed by the sources' content, so a changed `.po` file is compiled again on the next start.

- `_("...")` translates a message now; `N_("...")` only marks one for extraction (a help
  text, a template translated where it is shown); `ngettext` for counts.
- Help texts of commands and options (docstrings included) stay English in the code and are
  translated when the command tree is built (`translate_commands`).
- click's own messages ("Missing option", "No such command") are translated through the
  same catalogue: click asks the standard `gettext` module, bound here to it.

`make catalogue` (`python -m nbm.cli.catalogue`) prints, as a `.po` fragment, every message
of the code that has no Dutch translation; the test suite fails on the same list.
"""

from __future__ import annotations

import gettext as _gettext
import hashlib
import io
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

LANGUAGES = ("nl", "en")
"""The languages of the tool: Dutch first, English as the second."""
DEFAULT_LANGUAGE = "nl"
SOURCE_LANGUAGE = "en"
"""The language the message ids are written in: it needs no catalogue."""
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
"""One gettext domain for the tool and click (click looks messages up in `messages`)."""


class UnknownLanguage(ValueError):
    """A `--lang` / `NBM_LANG` value that is not one of `LANGUAGES`."""


def language_from(argv: Sequence[str], environ: dict[str, str] | os._Environ[str]) -> str:
    """The language asked for: `--lang X` / `--lang=X` on the command line, else `NBM_LANG`,
    else Dutch. An unknown value raises `UnknownLanguage` (in both languages: the user's
    language is what could not be read)."""
    asked: str | None = None
    for i, word in enumerate(argv):
        if word == "--":
            break
        if word == "--lang" and i + 1 < len(argv):
            asked = argv[i + 1]
        elif word.startswith("--lang="):
            asked = word.partition("=")[2]
    if asked is None:
        asked = environ.get("NBM_LANG") or DEFAULT_LANGUAGE
    lang = asked.strip().lower().replace("_", "-").split("-")[0]
    if lang not in LANGUAGES:
        raise UnknownLanguage(
            f"onbekende taal / unknown language {asked[:20]!r}: kies / choose "
            + " of / or ".join(LANGUAGES)
        )
    return lang


# --- catalogues --------------------------------------------------------------------------


def catalogue_files(lang: str, locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """The `.po` files of one language, in name order."""
    return sorted((locale_dir / lang / "LC_MESSAGES").glob("*.po"))


def read_catalogue(lang: str, locale_dir: Path = LOCALE_DIR) -> Any:
    """The language's `.po` files merged into one Babel catalogue, in file-name order; the
    first file's translation of a message wins. The same message translated otherwise in
    two files is a mistake `catalogue_conflicts` names (and a unit test fails on), never a
    reason for a coach's command to fail."""
    return _merge(lang, locale_dir)[0]


def catalogue_conflicts(lang: str, locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Each message that two `.po` files of `lang` translate otherwise, with the files."""
    return _merge(lang, locale_dir)[1]


def _merge(lang: str, locale_dir: Path) -> tuple[Any, list[str]]:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    merged = Catalog(locale=lang, domain=DOMAIN)
    seen: dict[str, tuple[Path, str]] = {}
    conflicts: list[str] = []
    for path in catalogue_files(lang, locale_dir):
        with path.open("rb") as handle:
            part = read_po(handle, locale=lang, domain=DOMAIN)
        for message in part:
            if not message.id:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            if key in seen:
                if seen[key][1] != str(message.string):
                    conflicts.append(
                        f"{path.name}: {key[:60]!r} is translated otherwise in {seen[key][0].name}"
                    )
                continue
            seen[key] = (path, str(message.string))
            merged[message.id] = message
    return merged, conflicts


def _cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nbm" / "locale"


def _sources_key(locale_dir: Path) -> str:
    digest = hashlib.sha256()
    for lang in LANGUAGES:
        for path in catalogue_files(lang, locale_dir):
            digest.update(f"{lang}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def compiled_dir(locale_dir: Path = LOCALE_DIR) -> Path:
    """A folder with `<lang>/LC_MESSAGES/messages.mo` for every language that has `.po`
    files, compiled from the current sources (once: the folder is named by their hash)."""
    key = _sources_key(locale_dir)
    for root in (_cache_root(), Path(tempfile.gettempdir()) / f"nbm-locale-{os.getuid()}"):
        target = root / key
        if all(
            (target / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").exists()
            for lang in LANGUAGES
            if catalogue_files(lang, locale_dir)
        ):
            return target
        try:
            _compile_into(target, locale_dir)
            return target
        except OSError:
            continue  # an unwritable cache: the next place
    raise OSError("no writable folder for the compiled message catalogues")


def _compile_into(target: Path, locale_dir: Path) -> None:
    from babel.messages.mofile import write_mo

    for lang in LANGUAGES:
        if not catalogue_files(lang, locale_dir):
            continue
        buffer = io.BytesIO()
        write_mo(buffer, read_catalogue(lang, locale_dir), use_fuzzy=False)
        folder = target / lang / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        # Written aside, then renamed: a second process never reads half a file.
        partial = folder / f".{DOMAIN}.mo.{os.getpid()}"
        partial.write_bytes(buffer.getvalue())
        partial.replace(folder / f"{DOMAIN}.mo")


# --- the current language ----------------------------------------------------------------

_current = DEFAULT_LANGUAGE
_translations: _gettext.NullTranslations | None = None
"""None until first used: then the language of `NBM_LANG` (Dutch when unset or unknown)."""


def _active() -> _gettext.NullTranslations:
    if _translations is None:
        try:
            set_language(language_from((), os.environ))
        except UnknownLanguage:
            set_language(DEFAULT_LANGUAGE)
    assert _translations is not None
    return _translations


def set_language(lang: str) -> None:
    """Speak `lang` from now on, in this process: the tool's messages and click's."""
    global _current, _translations
    if lang not in LANGUAGES:
        raise UnknownLanguage(f"unknown language {lang!r}")
    _current = lang
    if lang == SOURCE_LANGUAGE:
        _translations = _gettext.NullTranslations()
    else:
        folder = compiled_dir()
        _translations = _gettext.translation(DOMAIN, folder, languages=[lang], fallback=True)
        _gettext.bindtextdomain(DOMAIN, str(folder))
    # click's messages: the standard module's own lookup reads LANGUAGE first.
    os.environ["LANGUAGE"] = lang
    if lang == SOURCE_LANGUAGE:
        _gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR / "_none"))


def current_language() -> str:
    _active()
    return _current


def _(message: str) -> str:
    """`message` in the current language (itself when it has no translation)."""
    return _active().gettext(message)


def N_(message: str) -> str:
    """Marks `message` for the catalogue without translating it (translated where shown)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _active().ngettext(singular, plural, n)


# --- help texts of a click command tree --------------------------------------------------

_HELP_ATTRS = ("help", "short_help", "epilog")
_ORIGINAL = "_nbm_msgids"


def walk_commands(command: Any) -> Iterator[Any]:
    """`command` and every command below it (a click group's subcommands)."""
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from walk_commands(sub)


def help_texts(command: Any) -> Iterator[str]:
    """Every help text of a command tree (commands, options, arguments), as written."""
    for cmd in walk_commands(command):
        originals = getattr(cmd, _ORIGINAL, {})
        for attr in _HELP_ATTRS:
            text = originals.get(attr, getattr(cmd, attr, None))
            if text:
                yield text
        for param in cmd.params:
            text = getattr(param, _ORIGINAL, {}).get("help", getattr(param, "help", None))
            if text:
                yield text


def translate_commands(command: Any) -> None:
    """Put the help texts of a command tree into the current language (keeping the
    English ones, so the tree can be translated again into another)."""
    for cmd in walk_commands(command):
        _translate_attrs(cmd, _HELP_ATTRS)
        for param in cmd.params:
            _translate_attrs(param, ("help",))


def _translate_attrs(obj: Any, attrs: Iterable[str]) -> None:
    originals: dict[str, str] = getattr(obj, _ORIGINAL, None) or {}
    for attr in attrs:
        text = originals.get(attr, getattr(obj, attr, None))
        if not text or not isinstance(text, str):
            continue
        originals[attr] = text
        setattr(obj, attr, _(text))
    setattr(obj, _ORIGINAL, originals)


# --- what has no translation -------------------------------------------------------------

SOURCE_DIRS = ("nbm", "domain", "activities", "workflows", "privacy")
SOURCE_FILES = ("starter.py", "worker.py")
"""The composition roots' own messages (the demo's narration)."""
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def _extracted(root: Path | None = None) -> Iterator[tuple[str, str, str | None]]:
    """(message, where, its plural or None) for every message marked in the code."""
    from babel.messages.extract import extract_from_dir

    base = root or Path(__file__).resolve().parent.parent
    for folder in SOURCE_DIRS:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            base / folder,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=(),
            strip_comment_tags=True,
        ):
            # A plural (`ngettext`) is one catalogue entry, named by its singular.
            text, plural = (
                (message[0], message[1]) if isinstance(message, tuple) else (message, None)
            )
            if text:
                yield text, f"{folder}/{filename}:{lineno}", plural
    from babel.messages.extract import extract

    for name in SOURCE_FILES:
        path = base / name
        if not path.exists():
            continue
        with path.open("rb") as handle:
            for lineno, message, _comments, _context in extract(
                "python", handle, keywords=KEYWORDS, comment_tags=()
            ):
                text, plural = (
                    (message[0], message[1]) if isinstance(message, tuple) else (message, None)
                )
                if text:
                    yield text, f"{name}:{lineno}", plural


def source_messages(root: Path | None = None) -> dict[str, str]:
    """Every message marked in the code (`_`, `N_`, `ngettext`), with where it is."""
    found: dict[str, str] = {}
    for text, where, _plural in _extracted(root):
        found.setdefault(text, where)
    return found


def source_plurals(root: Path | None = None) -> dict[str, str]:
    """The plural of every message marked with `ngettext`, by its singular."""
    return {text: plural for text, _where, plural in _extracted(root) if plural}


def missing_translations(lang: str = "nl", extra: Iterable[str] = ()) -> dict[str, str]:
    """The messages of the code and the help texts (`extra`) without a `lang` translation."""
    catalogue = read_catalogue(lang)
    wanted = source_messages()
    for text in extra:
        wanted.setdefault(text, "help text")
    # A plural form (`ngettext`'s second text) is translated with its singular's entry.
    plurals = {m.id[1]: m for m in catalogue if isinstance(m.id, tuple) and len(m.id) > 1}
    missing: dict[str, str] = {}
    for text, where in wanted.items():
        entry = catalogue.get(text) or plurals.get(text)
        strings = entry.string if entry is not None and isinstance(entry.string, tuple) else None
        if entry is None or not entry.string or entry.fuzzy or (strings and not all(strings)):
            missing[text] = where
    return missing


__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "N_",
    "UnknownLanguage",
    "_",
    "current_language",
    "help_texts",
    "language_from",
    "missing_translations",
    "ngettext",
    "set_language",
    "source_plurals",
    "translate_commands",
]
