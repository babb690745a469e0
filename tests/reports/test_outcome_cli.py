"""`nbm report outcomes` and `nbm report statistics` on the scenario, every output and bad
input, as the auditor's role reads them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from activities import PostgresEventStore
from nbm.reports.statistics import COLUMNS
from tests import factories as f
from tests.cli.conftest import assert_user_error, invoke
from tests.unit.story import Story

from . import scenario

AS_OF = ["--as-of", scenario.AS_OF.isoformat()]
OUTCOMES = ["report", "outcomes", "--by", "programme", *AS_OF]


def ok(args: list[str], env: dict[str, str | None]) -> str:
    result = invoke(args, env)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_json_has_the_known_figures_and_withholds_the_small_programme(
    report_env: dict[str, str | None],
) -> None:
    data = json.loads(ok([*OUTCOMES, "--json"], report_env))
    assert (data["by"], data["as_of"], data["min_cell"]) == ("programme", "2028-06-30", 5)
    rows = {r["group"]: r for r in data["groups"]}
    a, b = rows["standard"], rows["large-scale-growth"]
    assert (a["trajectories"], a["placed"], a["placement_rate"]) == (12, 8, 0.6667)
    assert a["median_weeks_to_job"] == 24.5 and a["within_6m"] == 5
    assert "weeks_0_13" in a["suppressed"] and a["weeks_0_13"] is None
    assert b["trajectories"] is None and b["placement_rate"] is None
    assert "trajectories" in b["suppressed"] and "placed" in b["suppressed"]
    assert data["total"]["placed"] == 8
    jobs = {y["year"]: y for y in data["jobs_per_year"]}
    assert jobs[2027]["jobs"] == 7 and jobs[2028] == {
        "year": 2028, "jobs": None, "target": 150, "share_of_target": None, "suppressed": True,
    }  # fmt: skip


def test_csv_marks_the_withheld_cells(report_env: dict[str, str | None]) -> None:
    text = ok([*OUTCOMES, "--csv", "-"], report_env)
    rows = {r["group"]: r for r in csv.DictReader(io.StringIO(text))}
    assert set(rows) == {"large-scale-growth", "standard", "werkfit", "total"}
    assert rows["standard"]["placed"] == "8" and rows["standard"]["placement_rate"] == "0.6667"
    b = rows["large-scale-growth"]
    assert all(v == "<5" for k, v in b.items() if k != "group"), b
    assert rows["werkfit"]["trajectories"] == "<5"  # secondary: total minus A gives B
    assert rows["total"]["trajectories"] == "21"


def test_csv_to_a_file_says_where(report_env: dict[str, str | None], tmp_path: Path) -> None:
    target = tmp_path / "out" / "outcomes.csv"
    result = invoke([*OUTCOMES, "--csv", str(target)], report_env)
    assert result.exit_code == 0, result.output
    assert str(target) in result.stderr
    assert target.read_text().startswith("group,trajectories,")


def test_the_table_in_english_and_in_dutch(report_env: dict[str, str | None]) -> None:
    table = ok(OUTCOMES, {**report_env, "COLUMNS": "200"})
    assert "placement rate" in table and "standard" in table and "<5" in table
    assert "67%" in table and "Jobs per year against the target" in table
    dutch = ok(OUTCOMES, {**report_env, "NBM_LANG": "nl", "COLUMNS": "200"})
    assert "plaatsingspercentage" in dutch and "Trechter" in dutch and "<5" in dutch
    assert "Banen per jaar tegen het doel" in dutch
    assert "placement rate" not in dutch and "€ 40.000" in dutch and "24,5" in dutch


def test_the_page_is_written_where_it_says(report_env: dict[str, str | None]) -> None:
    result = invoke([*OUTCOMES, "--html"], {**report_env, "NBM_LANG": "nl"})
    assert result.exit_code == 0, result.output
    data_dir = Path(str(report_env["NBM_DATA_DIR"]))
    page = (data_dir / "reports" / "outcomes-2028-06-30.html").resolve()
    assert str(page) in result.stdout
    html = page.read_text()
    assert '<html lang="nl">' in html and "default-src 'none'" in html
    assert html.count("<svg") == 3 and "&lt;5" in html
    assert "Trechter" in html


def test_a_page_of_the_same_figures_is_the_same_page(
    report_env: dict[str, str | None], tmp_path: Path
) -> None:
    one, two = tmp_path / "1.html", tmp_path / "2.html"
    for path in (one, two):
        ok([*OUTCOMES, "--html", "--out", str(path)], report_env)
    assert one.read_bytes() == two.read_bytes()  # reproducible: no dates or random ids


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--by", "postcode"], "--by: 'postcode' is not one of programme, route"),
        (["--year", "1800"], "--year: 1800 is not a year from 1990 to 2100"),
        (["--year", "2027", "--from", "2027-01-01"], "give --year or --from/--to, not both"),
        (["--from", "2027-13-01"], "--from: '2027-13-01' is not a date; use YYYY-MM-DD"),
        (["--from", "2028-01-01", "--to", "2027-01-01"], "lies after --to"),
        (["--as-of", "yesterday"], "--as-of: 'yesterday' is not a date"),
        (["--min-cell", "0"], "--min-cell must be 1 or more, not 0"),
        (["--min-cell", "1"], "--min-cell can raise the threshold, not lower it below 5"),
        (["--html", "--out", "/proc/nbm-report/outcomes.html"], "cannot write"),
    ],
)
def test_bad_input_is_one_line(
    report_env: dict[str, str | None], args: list[str], expected: str
) -> None:
    assert_user_error(invoke(["report", "outcomes", *args], report_env), expected)


def test_bad_input_in_dutch(report_env: dict[str, str | None]) -> None:
    result = invoke(["report", "outcomes", "--by", "postcode"], {**report_env, "NBM_LANG": "nl"})
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("fout: --by: 'postcode' is niet een van programme, route")


def test_a_folder_as_the_page_is_one_line(
    report_env: dict[str, str | None], tmp_path: Path
) -> None:
    args = ["report", "outcomes", "--html", "--out", str(tmp_path)]
    assert_user_error(invoke(args, report_env), "it is a folder")


def test_the_statistics_export_has_its_columns_and_nothing_personal(
    report_env: dict[str, str | None], tmp_path: Path
) -> None:
    target = tmp_path / "cbs-2027.csv"
    result = invoke(["report", "statistics", "--year", "2027", "--csv", str(target),
                     *AS_OF], report_env)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "21 rows written" in result.stderr
    text = target.read_text()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == COLUMNS and len(rows) == 21
    # Nothing personal, no own ids: no name, BSN, candidate ref, trajectory, coach, employer.
    for secret in (f.CANDIDATE_NAME, f.CANDIDATE_BSN, f.CANDIDATE_REF, "traj-", f.COACH,
                   f.EMPLOYER, scenario.MOVED_TO, "no vacancy after all"):  # fmt: skip
        assert secret not in text
    placed = [r for r in rows if r["placed"] == "1"]
    # By the end of 2027: t1..t7 (t8's job began in 2028).
    assert len(placed) == 7
    assert {r["placement_month"] for r in placed} >= {"2027-03", "2027-12"}
    assert all(len(r["start_month"]) == 7 for r in rows)  # the month, never the day
    a1 = next(r for r in placed if r["weeks_to_job"] == "10")
    assert (a1["lks"], a1["lks_pct"], a1["benefit_end"], a1["employed_1m"]) == (
        "1", "30", "fully", "1",
    )  # fmt: skip
    assert (a1["budget_eur"], a1["agreed_weeks"], a1["employer_paid_training"]) == (
        "5000", "52", "1",
    )  # fmt: skip
    # The same pseudonyms in the JSON form, and the year after.
    again = json.loads(ok(["report", "statistics", "--year", "2027", "--json", *AS_OF],
                          report_env))  # fmt: skip
    assert {r["record_id"] for r in again} == {r["record_id"] for r in rows}
    later = json.loads(ok(["report", "statistics", "--year", "2028", "--json", *AS_OF],
                          report_env))  # fmt: skip
    assert {r["record_id"] for r in later} <= {r["record_id"] for r in rows}
    assert len(later) == 20  # t10 closed in January 2027


def test_the_statistics_export_needs_a_secret_salt(report_env: dict[str, str | None]) -> None:
    # Found by a trial: keyed with the organisation's name (printed on every report), the
    # pseudonyms led straight back to the trajectory ids.
    for salt in (None, "short"):
        result = invoke(["report", "statistics", "--year", "2027"],
                        {**report_env, "NBM_STATISTICS_SALT": salt})  # fmt: skip
        assert_user_error(result, "NBM_STATISTICS_SALT")


def test_the_statistics_export_needs_a_good_year(report_env: dict[str, str | None]) -> None:
    assert_user_error(invoke(["report", "statistics", "--year", "3000"], report_env), "not a year")


async def test_read_models_behind_the_store_say_so(
    projected: PostgresEventStore, report_env: dict[str, str | None]
) -> None:
    start = f.start(scenario.START_A, trajectory_id="traj-late")
    story = Story(scenario.START_A)
    story.do(start)
    await projected.append(story.events)  # not projected yet
    result = invoke([*OUTCOMES, "--json"], report_env)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "warning: events not yet in the read models: 1 (is the projector running?); these "
        "figures leave them out"
    ]
    assert json.loads(result.stdout)["total"]["trajectories"] == 21
