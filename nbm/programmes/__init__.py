"""The programme catalogue: one TOML file per programme, validated by the domain's model.

The files shipped here are the programmes of the source documents; a Werkbedrijf adds its own
(or its own versions) in a folder named by `NBM_PROGRAMMES_DIR`, whose files win over the
shipped ones of the same id. A new programme is a new file. A file that does not hold a valid
programme is refused with the file, the field and the problem named (`ProgrammeFileError`).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from domain.trajectory import Programme, ProgrammeFileError, parse_programme

SHIPPED = Path(__file__).parent
"""The programmes that come with the project."""

ENV_DIR = "NBM_PROGRAMMES_DIR"


@dataclass(frozen=True)
class Entry:
    programme: Programme
    path: Path


def load_file(path: Path) -> Programme:
    """The programme in one file, or `ProgrammeFileError` (file, field, problem)."""
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ProgrammeFileError(source, [("(the file)", err.strerror or str(err))]) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ProgrammeFileError(source, [("(the file)", "not UTF-8 text")]) from None
    except tomllib.TOMLDecodeError as err:
        raise ProgrammeFileError(source, [("(the file)", f"not valid TOML: {err}")]) from None
    found = parse_programme(data, source)
    if found.programme_id != path.stem:
        raise ProgrammeFileError(
            source,
            [
                (
                    "programme_id",
                    f"{found.programme_id!r} is not the file name {path.stem!r}",
                )
            ],
        )
    return found


def folders() -> list[Path]:
    """Where programmes are read from, later ones winning."""
    extra = os.environ.get(ENV_DIR)
    return [SHIPPED, *([Path(extra)] if extra else [])]


def catalogue() -> dict[str, Entry]:
    """Every programme by id; one broken file refuses the whole catalogue, by name.

    Across the files: a programme handed over into must exist, and a Werkbedrijf's own file
    that replaces a shipped one with other content must raise its version (a trajectory
    names the version it keeps; two contents under one version would be indistinguishable).
    """
    found: dict[str, Entry] = {}
    for folder in folders():
        if not folder.is_dir():
            raise ProgrammeFileError(str(folder), [("(the folder)", f"no such folder ({ENV_DIR})")])
        for path in sorted(folder.glob("*.toml")):
            entry = Entry(load_file(path), path)
            shipped = found.get(path.stem)
            if shipped is not None and _replaces_unversioned(shipped.programme, entry.programme):
                raise ProgrammeFileError(
                    str(path),
                    [("version", f"replaces {shipped.path} with other content under version "
                      f"{entry.programme.version}: give it a version above "
                      f"{shipped.programme.version}")],
                )  # fmt: skip
            found[path.stem] = entry
    for entry in found.values():
        unknown = [p for p in entry.programme.hands_over_to if p not in found]
        if unknown:
            raise ProgrammeFileError(
                str(entry.path), [("hands_over_to", f"no programme {', '.join(unknown)}")]
            )
    return dict(sorted(found.items()))


def _replaces_unversioned(before: Programme, after: Programme) -> bool:
    return after != before and after.version <= before.version


def programme(programme_id: str, municipality: str | None = None) -> Programme:
    """The programme a new trajectory copies; `KeyError` names the ones that exist."""
    entries = catalogue()
    try:
        chosen = entries[programme_id].programme
    except KeyError:
        known = ", ".join(entries)
        raise KeyError(f"unknown programme {programme_id!r}; known: {known}") from None
    return chosen.for_municipality(municipality)
