"""`nbm programme list|show|check` and the commands that take a programme: the shipped files,
a broken one refused by file, field and problem, Van Werk naar Werk's options, the ladder
planned from the programme, and a Werkfit trajectory handed over into an NBM programme."""

from __future__ import annotations

import json
import time
from pathlib import Path

from nbm import programmes
from tests import factories as f

from .conftest import Cli, assert_user_error, invoke
from .test_against_worker import in_days, map_and_match


def fresh_suffix() -> str:
    return str(time.monotonic_ns())[-6:]


BROKEN = """programme_id = "kapot"
name = "Kapot"
evaluation_every_weeks = 0

[[ladder]]
rung_id = "a"
name = "Eerste"
kind = "introduction"
weeks = 4
hours_per_week = 60
shelter = 5
"""


def test_list_and_show_read_the_files(offline_env: dict[str, str | None]) -> None:
    listed = json.loads(invoke(["programme", "list", "--json"], offline_env).stdout)
    assert {p["programme_id"] for p in listed} == set(programmes.catalogue())
    werkfit = next(p for p in listed if p["programme_id"] == "werkfit")
    assert werkfit["file"].endswith("werkfit.toml") and werkfit["learning_weeks"] == 12
    table = invoke(["programme", "list"], offline_env)
    assert table.exit_code == 0 and "van-werk-naar-werk" in table.stdout
    shown = invoke(["programme", "show", "wijkleerbedrijf"], {**offline_env, "COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    for text in ("Introductie in het Leerhome", "ADL-stage", "alongside", "(when needed)",
                 "keeping the benefit", "at most 104 weeks"):  # fmt: skip
        assert text in shown.stdout, text
    dutch = invoke(["programme", "show", "wijkleerbedrijf"],
                   {**offline_env, "COLUMNS": "200", "NBM_LANG": "nl"})  # fmt: skip
    for text in ("ernaast", "(indien nodig)", "met behoud van uitkering", "hoogstens 104 weken",
                 "trede"):  # fmt: skip
        assert text in dutch.stdout, text
    assert_user_error(invoke(["programme", "show", "nope"], offline_env), "unknown programme")


def test_check_names_the_file_the_field_and_the_problem(
    offline_env: dict[str, str | None], tmp_path: Path
) -> None:
    good = tmp_path / "werkfit.toml"
    good.write_text((programmes.SHIPPED / "werkfit.toml").read_text(encoding="utf-8"))
    ok = invoke(["programme", "check", str(good)], offline_env)
    assert ok.exit_code == 0 and "valid: " in ok.stdout
    bad = tmp_path / "kapot.toml"
    bad.write_text(BROKEN, encoding="utf-8")
    line = assert_user_error(
        invoke(["programme", "check", str(bad)], offline_env),
        str(bad), "evaluation_every_weeks: Input should be greater than or equal to 1",
        "ladder.0.hours_per_week: Input should be less than or equal to 40",
    )  # fmt: skip
    assert "Traceback" not in line
    as_json = invoke(["programme", "check", str(bad), "--json"], offline_env)
    assert as_json.exit_code == 1
    report = json.loads(as_json.stdout)
    assert report["valid"] is False
    assert {p["field"] for p in report["problems"]} == {
        "evaluation_every_weeks", "ladder.0.hours_per_week",
    }  # fmt: skip
    missing = invoke(["programme", "check", str(tmp_path / "none.toml")], offline_env)
    assert_user_error(missing, "none.toml", "No such file")


def test_a_broken_file_in_the_folder_stops_a_start_before_it_connects(
    offline_env: dict[str, str | None], tmp_path: Path
) -> None:
    folder = tmp_path / "programmes"
    folder.mkdir()
    (folder / "kapot.toml").write_text(BROKEN, encoding="utf-8")
    env = {**offline_env, programmes.ENV_DIR: str(folder)}
    start = invoke(
        ["trajectory", "start", "--employer", "e-1", "--function", "Helpende",
         "--expected-date", in_days(200), "--skill", "ADL care"], env,
    )  # fmt: skip
    assert_user_error(start, "programme file refused", "kapot.toml", "evaluation_every_weeks")
    listing = invoke(["programme", "list"], env)
    assert_user_error(listing, "kapot.toml")


def test_van_werk_naar_werk_needs_both_options(offline_env: dict[str, str | None]) -> None:
    start = ["trajectory", "start", "--employer", "e-1", "--function", "Monteur",
             "--expected-date", in_days(200), "--skill", "installeren",
             "--programme", "van-werk-naar-werk"]  # fmt: skip
    half = invoke([*start, "--outgoing-employer", "old-1"], offline_env)
    assert_user_error(half, "--outgoing-employer", "--dismissal-date")
    bad = invoke([*start, "--outgoing-employer", "old-1", "--dismissal-date", "1-3-2027"],
                 offline_env)  # fmt: skip
    assert_user_error(bad, "--dismissal-date")
    unknown = invoke([*start, "--municipality", "lelystad"], offline_env)  # no maximum
    assert_user_error(unknown, "--municipality", "no maximum of learning with benefits")


def test_van_werk_naar_werk_on_the_stack(cli: Cli, fresh_id: str) -> None:
    start = ["trajectory", "start", "--id", fresh_id, "--employer", f.EMPLOYER,
             "--function", "Monteur", "--expected-date", in_days(120), "--skill", "installeren",
             "--programme", "van-werk-naar-werk"]  # fmt: skip
    refused = cli(*start)
    assert_user_error(refused, "outgoing employer and the dismissal date")
    cli.ok(*start, "--outgoing-employer", "metaal-bv", "--dismissal-date", in_days(60))
    shown = json.loads(cli.ok("trajectory", "show", fresh_id, "--json").stdout)
    assert shown["route"] == "work-to-work"
    assert shown["work_to_work"] == {"outgoing_employer_id": "metaal-bv",
                                     "dismissal_date": in_days(60)}  # fmt: skip
    assert shown["programme"]["work_to_work"]["goal_within_weeks"] == 26
    assert "dismissal date" in cli.ok("trajectory", "show", fresh_id).stdout


def test_werkfit_on_its_ladder_then_handed_over(cli: Cli, fresh_id: str) -> None:
    tid = fresh_id
    cli.ok(
        "trajectory", "start", "--id", tid, "--employer", f.EMPLOYER, "--function", "Schoonmaker",
        "--expected-date", in_days(200), "--skill", "schoonmaken", "--programme", "werkfit",
    )  # fmt: skip
    map_and_match(cli, tid)
    terms = ["--commitment", "intention-to-hire", "--weeks", "12", "--budget", "1500",
             "--signed-by", "employer", "--signed-by", "werkbedrijf",
             "--signed-by", "training-institute"]  # fmt: skip
    assert_user_error(cli("trajectory", "establish-agreement", tid, *terms), "--ladder")
    cli.ok("trajectory", "establish-agreement", tid, *terms, "--ladder")
    cli.ok("trajectory", "start-learning", tid)
    shown = json.loads(cli.ok("trajectory", "show", tid, "--json").stdout)
    planned = [p["name"] for p in shown["agreement"]["placements"]]
    assert planned == [r.name for r in programmes.programme("werkfit").ladder]
    cli.ok("trajectory", "start-placement", tid, "--name", planned[0], "--hours", "16")
    gated = cli("trajectory", "start-placement", tid, "--name", planned[1], "--hours", "16")
    assert_user_error(gated, "no evaluation since it started")
    skip = ["trajectory", "start-placement", tid, "--name", planned[2], "--hours", "16"]
    cli.ok("trajectory", "record-evaluation", tid, "--verdict", "on-track", "--employer-present")
    assert_user_error(cli(*skip), "skips 'Vakjargon'")
    cli.ok(*skip, "--deviation", "heeft het vakjargon al in een eerdere baan geleerd")
    before = json.loads(cli.ok("trajectory", "show", tid, "--json").stdout)
    assert [p["ladder_move"] for p in before["placements"]] == ["first", "skip"]
    into = ["trajectory", "hand-over", tid, "--employer", "emp-nbm", "--function", "Schoonmaker",
            "--expected-date", in_days(250), "--skill", "schoonmaken"]  # fmt: skip
    assert_user_error(cli(*into, "--programme", "werkfit"), "hands over only into")
    assert_user_error(cli(*into[:3], "--programme", "standard"), "--future-job")
    cli.ok(*into, "--programme", "small-scale-growth", "--reason", "klaar voor de werkvloer")
    shown = json.loads(cli.ok("trajectory", "show", tid, "--json").stdout)
    assert shown["programme"]["programme_id"] == "small-scale-growth"
    assert shown["route"] == "small-scale-growth"
    assert [h["from_programme_id"] for h in shown["handovers"]] == ["werkfit"]
    assert shown["placements"] == []  # the new programme's learning starts afresh
    events = json.loads(cli.ok("trajectory", "events", tid, "--json").stdout)
    types = [e["type"] for e in events]
    assert types.count("TrajectoryStarted") == 1 and types[-1] == "HandedOver"
    text = cli.ok("trajectory", "show", tid).stdout
    assert "werkfit → small-scale-growth" in text
    # The auditor's one path: the Werkfit part, the handover saying from what into what.
    history = json.loads(cli.ok("audit", "history", tid, "--json").stdout)
    handed = next(r for r in history if r["type"] == "HandedOver")
    assert handed["why"].startswith("programme werkfit → small-scale-growth (version 1)")
    assert "[personal data]" in handed["why"]  # the reason, sealed
    skip_row = [r for r in history if r["type"] == "PlacementStarted"][-1]
    assert "ladder: skip (Vakjargon)" in skip_row["why"]
    assert "klaar voor de werkvloer" not in json.dumps(events)  # the reason is sealed


def test_a_future_job_takes_its_check_ins_from_the_programme(cli: Cli) -> None:
    suffix = fresh_suffix()
    sup, am = f"sup-{suffix}", f"am-{suffix}"
    cli.ok("people", "add", sup, "--role", "supervisor", "--name", "Petra Leiding",
           "--email", "petra@wb.example")  # fmt: skip
    cli.ok("people", "add", am, "--role", "account-manager", "--supervisor", sup,
           "--name", "Ahmed Account", "--email", "ahmed@wb.example")  # fmt: skip
    emp = cli.ok(
        "employer", "add", "--organisation", "Zorggroep Flevo", "--sector", "zorg",
        "--account-manager", am,
    ).stdout.strip()  # fmt: skip
    base = ["future-job", "forecast", "--employer", emp, "--function", "Helpende zorg",
            "--expected-date", in_days(300), "--skill", "ADL care"]  # fmt: skip
    assert_user_error(cli(*base, "--programme", "nope"), "--programme", "unknown programme")
    fj = cli.ok(*base, "--programme", "wijkleerbedrijf-logistiek").stdout.strip()
    shown = json.loads(cli.ok("future-job", "show", fj, "--json").stdout)
    assert shown["touchpoints"]["check_in_weeks"] == 4  # the programme's cadence, not 8


def test_a_municipality_the_file_does_not_name_is_refused_before_anything_starts(
    offline_env: dict[str, str | None],
) -> None:
    start = ["trajectory", "start", "--employer", "e-1", "--function", "Schoonmaker",
             "--expected-date", in_days(200), "--skill", "schoonmaken",
             "--programme", "werkfit"]  # fmt: skip
    line = assert_user_error(
        invoke([*start, "--municipality", "Jan Jansen 111222333"], offline_env),
        "--municipality", "names none with a maximum of its own", "26 weeks apply",
    )  # fmt: skip
    assert "111222333" not in line and "Jansen" not in line


def test_only_a_supervisor_above_the_coach_approves_learning_past_the_maximum(
    cli: Cli, fresh_id: str
) -> None:
    suffix = fresh_suffix()
    sup, other, coach = f"sup-{suffix}", f"sup2-{suffix}", f"coach-{suffix}"
    for person in (sup, other):
        cli.ok("people", "add", person, "--role", "supervisor", "--name", "Petra Leiding",
               "--email", "petra@wb.example")  # fmt: skip
    cli.ok("people", "add", coach, "--role", "coach", "--supervisor", sup, "--name",
           "Anna Coach", "--email", "anna@wb.example", "--caseload-limit", "30")  # fmt: skip
    tid = fresh_id
    cli.ok(
        "trajectory", "start", "--id", tid, "--employer", f.EMPLOYER, "--function", "Schoonmaker",
        "--expected-date", in_days(200), "--skill", "schoonmaken", "--programme", "werkfit",
        "--coach", coach,
    )  # fmt: skip
    map_and_match(cli, tid)
    terms = ["--commitment", "intention-to-hire", "--weeks", "24", "--budget", "1500",
             "--signed-by", "employer", "--signed-by", "werkbedrijf",
             "--signed-by", "training-institute", "--ladder"]  # fmt: skip
    cli.ok("trajectory", "establish-agreement", tid, *terms)
    cli.ok("trajectory", "start-learning", tid)
    extend = ["trajectory", "extend-learning", tid, "--weeks", "4", "--reason", "meer oefenen"]
    assert_user_error(cli(*extend), "supervisor can approve")  # past Werkfit's 26 weeks
    assert_user_error(cli(*extend, "--approved-by", "nobody-at-all"), "is not in the directory")
    assert_user_error(cli(*extend, "--approved-by", coach), "is not a supervisor above")
    assert_user_error(cli(*extend, "--approved-by", other), "is not a supervisor above")
    done = cli.ok(*extend, "--approved-by", sup, "--json")
    assert json.loads(done.stdout)["event_types"] == ["LearningExtended"]


def test_a_create_sent_again_with_its_request_id_makes_nothing_new(cli: Cli) -> None:
    suffix = fresh_suffix()
    sup, am = f"sup-{suffix}", f"am-{suffix}"
    cli.ok("people", "add", sup, "--role", "supervisor", "--name", "Petra Leiding",
           "--email", "petra@wb.example")  # fmt: skip
    cli.ok("people", "add", am, "--role", "account-manager", "--supervisor", sup,
           "--name", "Ahmed Account", "--email", "ahmed@wb.example")  # fmt: skip
    employer = ["employer", "add", "--organisation", "Zorggroep Flevo", "--sector", "zorg",
                "--account-manager", am, "--request-id", f"req-emp-{suffix}"]  # fmt: skip
    emp = cli.ok(*employer).stdout.strip()
    assert cli.ok(*employer).stdout.strip() == emp
    forecast = ["future-job", "forecast", "--employer", emp, "--function", "Helpende",
                "--expected-date", in_days(300), "--skill", "ADL care",
                "--request-id", f"req-fj-{suffix}"]  # fmt: skip
    fj = cli.ok(*forecast).stdout.strip()
    assert cli.ok(*forecast).stdout.strip() == fj
    start = ["trajectory", "start", "--future-job", fj, "--programme", "wijkleerbedrijf",
             "--request-id", f"req-tr-{suffix}"]  # fmt: skip
    tid = cli.ok(*start).stdout.strip()
    assert cli.ok(*start).stdout.strip() == tid
    shown = json.loads(cli.ok("future-job", "show", fj, "--json").stdout)
    assert shown["learning_towards_it"] == 1  # one place taken, not two
    cohort = ["cohort", "start", "--year", "2027", "--name", f"WLB Zorg {suffix}",
              "--candidate", tid, "--employer", f"{emp}={fj}",
              "--request-id", f"req-coh-{suffix}"]  # fmt: skip
    coh = cli.ok(*cohort).stdout.strip()
    assert cli.ok(*cohort).stdout.strip() == coh
    listed = json.loads(cli.ok("cohort", "list", "--json").stdout)
    assert [c["cohort_id"] for c in listed if c["name"] == f"WLB Zorg {suffix}"] == [coh]
