"""Personal data typed where an id or a code belongs is never repeated (found by a trial):
a BSN or an e-mail address anywhere but in the options meant for them, a name where an id
belongs, and the first line of a CSV file without its header row."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import invoke

BSN = "123456782"  # passes the eleven-test; fictional


@pytest.mark.parametrize(
    ("args", "secret"),
    [
        (["trajectory", "show", BSN], BSN),
        (["trajectory", "timeline", BSN], BSN),
        (["trajectory", "show", "Jan Jansen"], "Jan"),
        (["caseload", "--coach", "jan@example.nl"], "jan@"),
        (["caseload", "--coach=123456782"], BSN),
        (["trajectory", "search", "--employer", "Jan Jansen"], "Jan"),
        (["people", "set-caseload-limit", BSN, "5"], BSN),
        (["--actor", "Jan Jansen", "caseload"], "Jan"),
    ],
)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_never_repeated(
    args: list[str], secret: str, lang: str, offline_env: dict[str, str | None]
) -> None:
    result = invoke(args, {**offline_env, "NBM_LANG": lang})
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("fout: " if lang == "nl" else "error: ")
    assert secret not in result.output
    assert "Traceback" not in result.output


def test_the_options_meant_for_personal_data_take_it(offline_env: dict[str, str | None]) -> None:
    # --bsn and --email are sealed, never echoed: the check leaves them alone (this fails
    # later, offline, for want of a server, not for the BSN).
    result = invoke(
        ["trajectory", "match", "traj-000000000000", "--bsn", BSN, "--email", "a@b.nl"],
        {**offline_env, "NBM_LANG": "en"},
    )
    assert result.exit_code == 1
    assert "looks like a BSN" not in result.output
    assert BSN not in result.output


def test_a_csv_file_without_its_header_row(
    tmp_path: Path, offline_env: dict[str, str | None]
) -> None:
    path = tmp_path / "caseload.csv"
    path.write_text("Piet Geheim,123456782,coach-x\n", encoding="utf-8")
    result = invoke(["import", str(path), "--check"], {**offline_env, "NBM_LANG": "nl"})
    assert result.exit_code == 1
    assert "kolom nummer 1" in result.stderr and "kopregel" in result.stderr
    assert "Piet" not in result.output and "piet" not in result.output
    assert BSN not in result.output
