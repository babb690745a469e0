"""`nbm match vocabulary` and `nbm match register` need no stack: the vocabulary from the
shipped files (and the official ones given), the register entry from the code alone."""

from __future__ import annotations

import json
from pathlib import Path

from domain import matching
from tests.unit.test_skills_files import write_official

from .conftest import assert_user_error, invoke


def test_the_vocabulary_searched_in_both_languages_and_with_escos_files(
    offline_env: dict[str, str | None], tmp_path: Path
) -> None:
    found = invoke(["match", "vocabulary", "forklift"], offline_env)
    assert found.exit_code == 0, found.output
    assert "heftruck besturen / operate forklift: http://data.europa.eu/esco/skill/" in found.stdout
    project = json.loads(invoke(["match", "vocabulary", "orderpick", "--json"], offline_env).stdout)
    assert project[0]["uri"].startswith(matching.PROJECT_NAMESPACE)
    official = tmp_path / "esco"
    official.mkdir()
    write_official(official)
    with_esco = invoke(
        ["match", "vocabulary", "wondzorg", "--esco-dir", str(official)], offline_env
    )
    assert "http://data.europa.eu/esco/skill/aaaa-1" in with_esco.stdout
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "skills_nl.csv").write_text("uri\nx\n", encoding="utf-8")
    broken = invoke(["match", "vocabulary", "--esco-dir", str(tmp_path / "broken")], offline_env)
    assert_user_error(broken, "skills_nl.csv", "conceptType")


def test_the_register_entry_from_the_code_without_a_stack(
    offline_env: dict[str, str | None],
) -> None:
    text = invoke(["match", "register"], offline_env)
    assert text.exit_code == 0, text.output
    for feature in matching.FEATURES:  # every part of the score, with what it reads
        assert f"| {feature.label_nl} ({feature.name}) | {feature.max_points:g} |" in text.stdout
    for attribute in matching.EXCLUDED_ATTRIBUTES:
        assert attribute in text.stdout
    assert matching.LEGAL_BASIS_TODO in text.stdout and "bijlage III" in text.stdout
    given = invoke(["match", "register", "--json", "--legal-basis", "Participatiewet art. 7"],
                   {**offline_env, "NBM_ORGANISATION": "Gemeente Lelystad"})  # fmt: skip
    entry = json.loads(given.stdout)
    assert (entry["legal_basis"], entry["organisation"], entry["override_rate"]) == (
        "Participatiewet art. 7", "Gemeente Lelystad", None
    )  # fmt: skip


def test_a_reason_or_a_strength_is_refused_before_anything_connects(
    offline_env: dict[str, str | None],
) -> None:
    decide = ["match", "reject", "--candidate", "cand-0123456789ab", "--profile", "fp-x"]
    assert_user_error(invoke([*decide, "--reason", "  "], offline_env), "--reason", "empty")
    control = invoke([*decide, "--reason", "rood\x1b[31m"], offline_env)
    assert_user_error(control, "--reason", "control character")
    long = invoke(["match", "profile", "candidate", "--skill", "schoonmaken",
                   "--strengths", "x" * 100_001], offline_env)  # fmt: skip
    line = assert_user_error(long, "--strengths", "longer than 2000")
    assert "ciphertext" not in line
