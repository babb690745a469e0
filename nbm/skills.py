"""The skills vocabulary from files: the small one shipped with the project and, when a
directory is given (`--esco-dir`, `NBM_ESCO_DIR`), the official ESCO download, behind one
interface (`load_vocabulary`, a `domain.matching.Vocabulary`).

Both are read the same way: `skills_<lang>.csv` in ESCO's own column shape (conceptType,
conceptUri, skillType, reuseLevel, preferredLabel, altLabels (one per line), ...), one file
per language, and an optional `competentnl_esco.csv` mapping CompetentNL's URIs to the
skills here. The shipped skills stay known with the official files loaded: profiles already
name their project URIs.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from domain.matching import Skill, SkillType, Vocabulary

SHIPPED = Path(__file__).parent / "skills_data"
"""The project's vocabulary: the skills of its sectors, in ESCO's shape."""

LANGUAGES = ("nl", "en")
COLUMNS = ("conceptType", "conceptUri", "skillType", "preferredLabel", "altLabels")
MAPPING_FILE = "competentnl_esco.csv"
MAPPING_COLUMNS = ("competentnlUri", "escoUri")
CONCEPT = "KnowledgeSkillCompetence"

csv.field_size_limit(10_000_000)  # ESCO's descriptions run long


class VocabularyError(Exception):
    """A vocabulary file that is missing or not in ESCO's shape (names the file and line)."""


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in required if c not in (reader.fieldnames or ())]
            if missing:
                raise VocabularyError(
                    f"{path}: kolommen ontbreken / columns missing: {', '.join(missing)}"
                )
            for row in reader:
                yield reader.line_num, row
    except OSError as err:
        raise VocabularyError(f"{path}: niet te lezen / unreadable ({err.strerror})") from None
    except UnicodeDecodeError:
        raise VocabularyError(f"{path}: geen UTF-8-tekst / not UTF-8 text") from None
    except csv.Error as err:
        raise VocabularyError(f"{path}: geen geldige CSV / not valid CSV ({err})") from None


def read_skills(path: Path, lang: str) -> list[Skill]:
    """The skills in one `skills_<lang>.csv` (other concept types are skipped)."""
    found = []
    for line, row in _rows(path, COLUMNS):
        if row["conceptType"] != CONCEPT:
            continue
        try:
            skill_type = SkillType(row["skillType"]) if row["skillType"] else SkillType.SKILL
            found.append(
                Skill(
                    uri=row["conceptUri"].strip(),
                    skill_type=skill_type,
                    labels={lang: row["preferredLabel"].strip()},
                    alt_labels={lang: tuple(
                        a.strip() for a in row["altLabels"].splitlines() if a.strip()
                    )},
                )
            )  # fmt: skip
        except (ValueError, ValidationError) as err:
            problem = err.errors()[0]["msg"] if isinstance(err, ValidationError) else str(err)
            raise VocabularyError(f"{path}, regel / line {line}: {problem}") from None
    return found


def read_mapping(path: Path) -> dict[str, str]:
    """Another scheme's URI -> the skill URI it maps to (`competentnl_esco.csv`)."""
    return {
        row["competentnlUri"].strip(): row["escoUri"].strip()
        for _, row in _rows(path, MAPPING_COLUMNS)
        if row["competentnlUri"].strip() and row["escoUri"].strip()
    }


def _read_dir(directory: Path, languages: tuple[str, ...]) -> tuple[list[Skill], dict[str, str]]:
    files = [(directory / f"skills_{lang}.csv", lang) for lang in languages]
    present = [(p, lang) for p, lang in files if p.exists()]
    if not present:
        names = ", ".join(p.name for p, _ in files)
        raise VocabularyError(f"{directory}: geen / none of {names}")
    skills = [s for path, lang in present for s in read_skills(path, lang)]
    mapping_file = directory / MAPPING_FILE
    return skills, read_mapping(mapping_file) if mapping_file.exists() else {}


@functools.lru_cache(maxsize=4)
def load_vocabulary(
    esco_dir: Path | None = None, languages: tuple[str, ...] = LANGUAGES
) -> Vocabulary:
    """The shipped vocabulary, and the official ESCO files in `esco_dir` when given (their
    labels win where both name a URI).

    Raises:
        VocabularyError: a file missing or not in ESCO's shape.
    """
    skills, mapping = _read_dir(SHIPPED, languages)
    if esco_dir is not None:
        official, official_mapping = _read_dir(esco_dir, languages)
        skills += official
        mapping.update(official_mapping)
    return Vocabulary.of(skills, mapping)
