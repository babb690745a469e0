"""The vocabulary files: the shipped one in ESCO's very shape, the official ones read by the
same loader, the skills the demo and the tests name all found."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from domain.matching import PROJECT_NAMESPACE, SkillType
from nbm.skills import SHIPPED, VocabularyError, load_vocabulary

ESCO_SKILL_COLUMNS = [
    "conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels",
    "hiddenLabels", "status", "modifiedDate", "scopeNote", "definition", "inScheme",
    "description",
]  # fmt: skip
"""The header of ESCO v1.2's `skills_<lang>.csv`."""


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_shipped_files_have_escos_columns_and_uris(lang: str) -> None:
    with (SHIPPED / f"skills_{lang}.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ESCO_SKILL_COLUMNS
    for row in rows[1:]:
        uri = row[1]
        assert uri.startswith(("http://data.europa.eu/esco/skill/", PROJECT_NAMESPACE)), uri
        # A URI that is not ESCO's says so (scope note), in both languages.
        assert ("ESCO" in row[9]) and (
            uri.startswith(PROJECT_NAMESPACE) == ("(geen ESCO)" in row[9] or "(not ESCO)" in row[9])
        )


def test_both_languages_name_the_same_skills_and_every_skill_has_both_labels() -> None:
    vocabulary = load_vocabulary()
    assert len(vocabulary) >= 30
    for skill in vocabulary.skills.values():
        assert set(skill.labels) == {"nl", "en"}, skill.uri


@pytest.mark.parametrize("text", [
    "ADL", "ADL care", "hygiëne", "communication", "reliability", "order picking", "teamwork",
    "home care", "care", "heftruck", "HEFTRUCK", "  orderpicken ", "VCA", "schoonmaak",
    "kassa", "HACCP", "Word en Excel",
])  # fmt: skip
def test_the_skills_named_in_the_demo_and_tests_are_found_by_any_label(text: str) -> None:
    assert load_vocabulary().find(text) is not None


def test_competentnl_uris_map_onto_the_skills() -> None:
    vocabulary = load_vocabulary()
    assert vocabulary.same_as
    for source, target in vocabulary.same_as.items():
        assert vocabulary.get(source) is vocabulary.skills[target]


def write_official(directory: Path) -> None:
    # The shape of ESCO's download: altLabels one per line, other concept types in between.
    with (directory / "skills_nl.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(ESCO_SKILL_COLUMNS)
        w.writerow(["KnowledgeSkillCompetence", "http://data.europa.eu/esco/skill/aaaa-1",
                    "knowledge", "sector-specific", "wondverzorging", "wonden verzorgen\nwondzorg",
                    "", "released", "2024-01-01", "", "", "", "Wonden verzorgen."])  # fmt: skip
        w.writerow(["SkillGroup", "http://data.europa.eu/esco/isced-f/00", "", "", "groep", "",
                    "", "released", "", "", "", "", ""])  # fmt: skip


def test_the_official_esco_files_load_behind_the_same_interface(tmp_path: Path) -> None:
    write_official(tmp_path)
    vocabulary = load_vocabulary(tmp_path)
    found = vocabulary.find("WONDZORG")
    assert found is not None and found.uri == "http://data.europa.eu/esco/skill/aaaa-1"
    assert found.skill_type is SkillType.KNOWLEDGE
    assert vocabulary.find("groep") is None  # a skill group is no skill
    assert vocabulary.find("heftruck") is not None  # the shipped ones stay known
    assert len(vocabulary) == len(load_vocabulary()) + 1


def test_a_file_not_in_escos_shape_is_refused_with_its_name(tmp_path: Path) -> None:
    (tmp_path / "skills_nl.csv").write_text("uri,label\nx,y\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match=r"skills_nl\.csv.*conceptType"):
        load_vocabulary(tmp_path)
    with pytest.raises(VocabularyError, match=r"none of skills_nl\.csv, skills_en\.csv"):
        load_vocabulary(tmp_path / "absent")


def test_a_file_that_is_not_utf8_is_refused_in_one_line(tmp_path: Path) -> None:
    header = (SHIPPED / "skills_nl.csv").read_text(encoding="utf-8").splitlines()[0]
    row = "café".encode("latin-1")  # the official header, then a Latin-1 row
    (tmp_path / "skills_nl.csv").write_bytes((header + "\n").encode() + row)
    with pytest.raises(VocabularyError, match=r"skills_nl\.csv: geen UTF-8-tekst / not UTF-8"):
        load_vocabulary(tmp_path)
