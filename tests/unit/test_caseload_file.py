"""The import file without a server: its header, its rows' lines and request ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.shared import is_opaque_id
from nbm.caseload_import import (
    ImportFileError,
    candidate_ref_for,
    read_file,
    row_request_id,
    step_request_id,
    trajectory_id_for,
)

HEADER = "coach,started_on,employer,function,expected_date,skills"


def write(tmp_path: Path, text: str, name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_lines_are_the_files_own_even_after_blank_lines_and_a_cell_over_two_lines(
    tmp_path: Path,
) -> None:
    found = read_file(
        write(
            tmp_path,
            f"{HEADER}\n"
            "c-1,2026-01-01,e-1,helpende,2026-09-01,zorg\n"
            "\n"
            'c-1,2026-01-02,e-1,"helpende\nzorg",2026-09-01,zorg\n'
            "c-1,2026-01-03,e-1,helpende,2026-09-01\n",
        )
    )
    assert [r.line for r in found.rows] == [2, 4]
    assert [(r.line, r.field) for r in found.refused] == [(6, None)]  # 5 cells, not 6
    assert "5 cells where the header has 6" in found.refused[0].reason


def test_semicolons_a_bom_and_capitals_are_read_as_a_dutch_excel_saves_them(
    tmp_path: Path,
) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffCoach;Started_On;Future_Job\nc-1;2026-01-01;fj-1\n".encode())
    found = read_file(path)
    assert found.columns == ("coach", "started_on", "future_job")
    assert found.rows[0].cells == {"coach": "c-1", "started_on": "2026-01-01", "future_job": "fj-1"}


def test_the_same_row_twice_is_refused_by_its_line_and_a_request_id_tells_two_apart(
    tmp_path: Path,
) -> None:
    row = "c-1,2026-01-01,e-1,helpende,2026-09-01,zorg"
    found = read_file(write(tmp_path, f"{HEADER}\n{row}\n{row}\n"))
    assert [r.line for r in found.rows] == [2]
    assert [(r.line, r.field) for r in found.refused] == [(3, None)]
    assert "the same row as line 2" in found.refused[0].reason
    found = read_file(write(tmp_path, f"{HEADER},request_id\n{row},a\n{row},b\n{row},a\n"))
    assert [r.request_id for r in found.rows] == ["a", "b"]
    assert [(r.line, r.field) for r in found.refused] == [(4, "request_id")]


def test_a_request_id_that_is_not_an_id_is_refused_without_its_value(tmp_path: Path) -> None:
    found = read_file(write(tmp_path, "coach,started_on,future_job,request_id\nc,d,f,BSN 123\n"))
    assert [(r.line, r.field) for r in found.refused] == [(2, "request_id")]
    assert "123" not in found.refused[0].text()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("coach,started_on,health_notes\n", "unknown column 'health_notes'"),
        ("coach\n", "missing column(s): started_on"),
        ("coach,started_on,employer\n", "missing: function, expected_date, skills"),
        ("\n\n", "the file is empty"),
    ],
)
def test_a_wrong_header_refuses_the_file(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ImportFileError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        read_file(write(tmp_path, text))


CELLS = st.dictionaries(
    st.sampled_from(["coach", "started_on", "future_job", "programme", "route", "jobs"]),
    st.text(alphabet="abc-0123", max_size=6),
    min_size=1,
)


@given(CELLS, st.randoms())
def test_a_rows_request_id_is_its_content_whatever_the_columns_order(
    cells: dict[str, str], rnd: object
) -> None:
    names = list(cells)
    rnd.shuffle(names)  # type: ignore[attr-defined]
    shuffled = {n: cells[n] for n in names}
    with_empty = {**shuffled, "municipality": ""}
    assert row_request_id(cells) == row_request_id(shuffled) == row_request_id(with_empty)
    other = {**cells, "coach": cells.get("coach", "") + "x"}
    assert row_request_id(other) != row_request_id(cells)


def test_the_trajectory_id_is_the_one_trajectory_start_makes_from_the_same_request_id() -> None:
    from nbm.cli._common import generated_id

    assert trajectory_id_for("imp-0123") == generated_id("traj", "imp-0123")


MATCHED = (
    ",mapped_on,profile_skills,employer_role,werkbedrijf_role,guarantee_possible,"
    "learning_location,matched_on,name,bsn,motivation_passed,other_matters"
)


def test_the_request_id_is_the_start_s_never_a_personal_cell_s(tmp_path: Path) -> None:
    start = "c-1,2026-01-01,e-1,helpende,2026-09-01,zorg"
    steps = ",2026-02-01,zorg,mentor,coach,no,De Zorg,2026-03-01,Fenna Fictief,111222333,yes,"
    alone = read_file(write(tmp_path, f"{HEADER}\n{start}\n", "a.csv")).rows[0]
    found = read_file(write(tmp_path, f"{HEADER}{MATCHED}\n{start}{steps}no-problem\n"))
    (row,) = found.rows
    assert found.has_candidates and row.has("map") and row.has("match")
    # The same start with or without its later steps: one trajectory, its id no digest of
    # the name or the BSN (a row corrected at its match continues the same trajectory).
    assert row.request_id == alone.request_id
    other = steps.replace("Fenna Fictief", "Bert Bedacht").replace("111222333", "123456782")
    again = read_file(write(tmp_path, f"{HEADER}{MATCHED}\n{start}{other}no-problem\n", "b.csv"))
    assert again.rows[0].request_id == row.request_id


@pytest.mark.parametrize("dropped", ["matched_on", "bsn", "motivation_passed"])
def test_a_step_s_columns_come_complete_or_not_at_all(tmp_path: Path, dropped: str) -> None:
    columns = ",".join(c for c in f"{HEADER}{MATCHED}".split(",") if c != dropped)
    with pytest.raises(ImportFileError, match=f"step 4 are incomplete; missing: {dropped}"):
        read_file(write(tmp_path, f"{columns}\n"))
    assert not read_file(write(tmp_path, f"{HEADER}\n")).has_candidates


@pytest.mark.parametrize("rid", ["a", "lelystad-2026-0012", "x" * 64])
def test_a_step_s_request_id_and_candidate_come_from_the_row_s_and_are_ids(rid: str) -> None:
    ids = {step_request_id(rid, "map"), step_request_id(rid, "match"), candidate_ref_for(rid)}
    assert len(ids) == 3 and all(is_opaque_id(i) for i in ids)
    assert step_request_id(rid, "match") == step_request_id(rid, "match")
    assert candidate_ref_for(rid) != candidate_ref_for(rid + "x")
