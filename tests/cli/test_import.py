"""`nbm import`: an existing caseload from CSV, against a real worker.

Good and bad rows with the per-row report (line and column, never a cell's value), the
same file again (nothing started twice), an import killed halfway and run again, and the
file-level refusals (missing, not a CSV, a wrong header): one line, exit 1.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest

from nbm.caseload_import import candidate_ref_for, read_file, trajectory_id_for
from nbm.settings import PROJECT_ROOT
from tests.factories import coach_today

from .conftest import Cli, assert_user_error

HEADER = "coach,started_on,future_job,employer,function,expected_date,skills,programme"
A_NAME = "Jan Jansen"
"""Typed where an id belongs: the report says the column is wrong, never what it held."""


def days(n: int) -> str:
    return (coach_today() + timedelta(days=n)).isoformat()


def forecast(cli: Cli) -> str:
    suffix = uuid.uuid4().hex[:8]
    sup, am = f"sup-{suffix}", f"am-{suffix}"
    cli.ok("people", "add", sup, "--role", "supervisor", "--name", "Petra Leiding",
           "--email", "petra@wb.example")  # fmt: skip
    cli.ok("people", "add", am, "--role", "account-manager", "--supervisor", sup,
           "--name", "Ahmed Account", "--email", "ahmed@wb.example")  # fmt: skip
    emp = cli.ok(
        "employer", "add", "--organisation", "Zorgcentrum De Import", "--sector", "zorg",
        "--account-manager", am, "--contact-name", "Gerda Contact",
        "--contact-email", "gerda@zorg.example",
    ).stdout.strip()  # fmt: skip
    return cli.ok(
        "future-job", "forecast", "--employer", emp, "--function", "helpende",
        "--expected-date", days(300), "--skill", "ADL care", "--jobs", "3",
    ).stdout.strip()  # fmt: skip


async def starts_stored(database_url: str, trajectory_ids: list[str]) -> dict[str, int]:
    """How many `TrajectoryStarted` events the store holds for each of these trajectories."""
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch(
            "SELECT stream_id, count(*) AS n FROM events WHERE stream_id = ANY($1) "
            "AND event_type = 'TrajectoryStarted' GROUP BY stream_id",
            trajectory_ids,
        )
    finally:
        await conn.close()
    return {r["stream_id"]: r["n"] for r in rows}


async def test_good_and_bad_rows_the_report_and_the_same_file_again(
    cli: Cli, tmp_path: Path, cli_database_url: str
) -> None:
    fj = forecast(cli)
    coach = f"coach-{uuid.uuid4().hex[:8]}"
    own = f"employer-zorgcentrum,Helpende zorg,{days(200)},ADL care|communication,standard"
    rows = [
        f"{coach},{days(-90)},,{own}",  # 2: good, its own job, 90 days back
        f"{coach},{days(-30)},{fj},,,,,",  # 3: good, towards the future job
        f"{coach},2026-13-45,,{own}",  # 4: a malformed date
        f"{coach},{days(-10)},,{own[:-8]}no-such-programme",  # 5: an unknown programme
        f",{days(-10)},,{own}",  # 6: no coach
        f"{coach},{days(-10)},fj-000000000000,,,,,",  # 7: an unknown future job
        f"{coach},{days(-90)},,{own}",  # 8: line 2 again
        f"{A_NAME},{days(-10)},,{own}",  # 9: a name where the coach's id belongs
        f"{coach},{days(5)},,{own}",  # 10: a start in the future
    ]
    csv = tmp_path / "caseload.csv"
    csv.write_text("\n".join([HEADER, *rows]) + "\n")

    result = cli("import", str(csv))
    line = assert_user_error(result, "7 of 9 rows refused")
    out = result.stdout
    for expected in (
        "line 4, field started_on: not a date (YYYY-MM-DD)",
        "line 5, field programme: unknown programme",
        "line 6, field coach: missing",
        "line 7, field future_job: no future job with this id",
        "line 8: the same row as line 2",
        "line 9, field coach: not an id",
        "line 10, field started_on: lies in the future",
        "caseload.csv: 9 rows read: 2 started, 0 already there, 7 refused",
    ):
        assert expected in out, out
    for value in (A_NAME, "2026-13-45", "no-such-programme", "fj-000000000000"):
        assert value not in out and value not in line  # never a cell's value

    # The two good rows are trajectories, started on the file's dates, by their row's id.
    planned = {p.line: p for p in read_file(csv).rows}
    first = json.loads(cli.ok("trajectory", "show", trajectory_id_for(planned[2].request_id),
                              "--json").stdout)  # fmt: skip
    assert first["started_at"].startswith(days(-90))
    assert first["coach_id"] == coach
    second = json.loads(cli.ok("trajectory", "show", trajectory_id_for(planned[3].request_id),
                               "--json").stdout)  # fmt: skip
    assert second["future_job"]["future_job_id"] == fj
    taken = json.loads(cli.ok("future-job", "show", fj, "--json").stdout)
    assert len(taken["attached"]) == 1

    # The same file again: nothing started twice, the same refusals, as JSON and in a file.
    report = tmp_path / "report.json"
    again = cli("import", str(csv), "--json", "--report", str(report))
    assert again.exit_code == 1
    data = json.loads(again.stdout)
    assert (data["read"], data["started"], data["already_there"], data["refused"]) == (9, 0, 2, 7)
    assert json.loads(report.read_text()) == data
    assert [(r["line"], r["field"]) for r in data["refusals"]] == [
        (4, "started_on"), (5, "programme"), (6, "coach"), (7, "future_job"), (8, None),
        (9, "coach"), (10, "started_on"),
    ]  # fmt: skip
    assert A_NAME not in again.stdout
    ids = [trajectory_id_for(p.request_id) for p in read_file(csv).rows]
    assert await starts_stored(cli_database_url, ids) == {
        trajectory_id_for(planned[2].request_id): 1, trajectory_id_for(planned[3].request_id): 1
    }  # fmt: skip
    taken = json.loads(cli.ok("future-job", "show", fj, "--json").stdout)
    assert len(taken["attached"]) == 1  # the place is claimed once


def test_the_report_in_dutch(cli: Cli, tmp_path: Path) -> None:
    csv = tmp_path / "lijst.csv"
    csv.write_text(
        "coach;started_on;future_job\n"  # a Dutch Excel's semicolons
        "coach-nl;2026-02-30;fj-000000000000\n"
    )
    result = cli("--lang", "nl", "import", str(csv))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    (line,) = result.stderr.splitlines()
    assert line.startswith("fout: 1 van 1 regels geweigerd")
    assert "regel 2, veld started_on: geen datum (JJJJ-MM-DD)" in result.stdout


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "killed"])
async def test_interrupted_halfway_and_run_again_finishes_without_duplicates(
    cli: Cli, tmp_path: Path, cli_database_url: str, stop: signal.Signals
) -> None:
    coach = f"coach-{uuid.uuid4().hex[:8]}"
    total = 120
    csv = tmp_path / "big.csv"
    csv.write_text(
        "coach,started_on,employer,function,expected_date,skills\n"
        + "".join(
            f"{coach},{days(-(i % 60))},employer-zorgcentrum,Functie {i},{days(300)},ADL care\n"
            for i in range(total)
        )
    )
    ids = [trajectory_id_for(p.request_id) for p in read_file(csv).rows]
    assert len(set(ids)) == total
    env = {**os.environ, **{k: v for k, v in cli.env.items() if v is not None}}
    proc = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).parent / "nbm"), "import", str(csv), "--parallel", "4",
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while (started := len(await starts_stored(cli_database_url, ids))) < 20:
        assert proc.returncode is None, await proc.communicate()
        assert time.monotonic() < deadline, "the import did not start 20 rows in 60 s"
        await asyncio.sleep(0.2)  # the subprocess's progress, read from the server
    proc.send_signal(stop)
    _out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode != 0
    before = len(await starts_stored(cli_database_url, ids))
    assert started <= before < total, "interrupted halfway, not at the end"
    if stop is signal.SIGINT:
        (line,) = err.decode().splitlines()
        assert line.startswith("error: interrupted after ")
        assert "import the same file again" in line

    again = cli.ok("import", str(csv), "--json")
    data = json.loads(again.stdout)
    assert data["refused"] == 0
    assert data["started"] + data["already_there"] == total
    assert data["already_there"] >= before  # every one the first run started, found again
    stored = await starts_stored(cli_database_url, ids)
    assert len(stored) == total and set(stored.values()) == {1}  # each row once, exactly


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        (b"\x89PNG\r\n\x1a\n\0\0\0", "not a CSV file"),
        (b"", "the file is empty"),
        (b"coach,started_on\ncoach-a,2026-01-01\n", "no future_job column"),
        (b"started_on,future_job\n2026-01-01,fj-1\n", "missing column(s): coach"),
        (b"coach,started_on,future_job,client_number\n", "unknown column 'client_number'"),
        (b"coach,started_on,future_job,name,bsn\n", "columns of step 4 are incomplete"),
        (b"coach,started_on,future_job,coach\n", "column coach appears twice"),
        (b'coach,started_on,future_job\n"coach-a,2026', "not a readable CSV"),
        ("coach,started_on,future_job\nJosé".encode("latin-1"), "not UTF-8"),
    ],
    ids=[
        "missing",
        "binary",
        "empty",
        "no-job",
        "no-coach",
        "unknown",
        "step-4-half",
        "twice",
        "quote",
        "latin-1",
    ],
)
def test_a_file_that_cannot_be_imported_is_one_line(
    cli: Cli, tmp_path: Path, content: bytes | None, expected: str
) -> None:
    csv = tmp_path / "caseload.csv"
    if content is not None:
        csv.write_bytes(content)
    assert_user_error(cli("import", str(csv)), expected)


def test_the_example_file_passes_the_check(cli: Cli) -> None:
    example = PROJECT_ROOT / "docs" / "examples" / "caseload.csv"
    result = cli.ok("import", str(example), "--check", "--json")
    data = json.loads(result.stdout)
    assert data["refused"] == 0 and data["checked"] == data["read"] > 0


# Candidates: rows that bring their trajectory up to the match (steps 2 and 4).

CANDIDATE_HEADER = (
    "coach,started_on,employer,function,expected_date,skills,request_id,"
    "mapped_on,profile_skills,employer_role,werkbedrijf_role,guarantee_possible,"
    "learning_location,matched_on,name,bsn,email,phone,motivation_passed,barriers,other_matters"
)
MAPPED = "ADL care|communication,workplace and mentor,coach and budget,no,Zorgcentrum De Import"
FAKE = {  # made-up people; the BSNs pass the eleven-test
    "good": ("Fenna Fictief", "111222333", "fenna.fictief@example.nl", "06 1234 5678"),
    "second": ("Bert Bedacht", "123456782", "bert.bedacht@example.nl", "06 8765 4321"),
    "bad-bsn": ("Klaas Verzonnen", "123456789", "klaas@example.nl", ""),
    "bad-mail": ("Mieke Nepper", "111222333", "mieke-at-nowhere", ""),
    "refused": ("Sanne Schijn", "123456782", "sanne.schijn@example.nl", ""),
    "order": ("Otto Omgekeerd", "111222333", "", ""),
}


def candidate_row(coach: str, rid: str, who: str, *, mapped: int, matched: int,
                  motivation: str = "yes") -> str:  # fmt: skip
    name, bsn, email, phone = FAKE[who]
    job = f"employer-zorgcentrum,Helpende {rid},{days(200)},ADL care"
    return (
        f"{coach},{days(-120)},{job},{rid},{days(mapped)},{MAPPED},{days(matched)},"
        f"{name},{bsn},{email},{phone},{motivation},transport,no-problem"
    )


async def keys_stored(database_url: str, refs: list[str]) -> int:
    """How many of these candidates have a key in the key store."""
    conn = await asyncpg.connect(database_url)
    try:
        found = await conn.fetchval(
            "SELECT count(*) FROM candidate_keys WHERE candidate_ref = ANY($1)", refs
        )
    finally:
        await conn.close()
    return int(found)


async def events_stored(database_url: str, trajectory_ids: list[str]) -> dict[str, list[str]]:
    """The event types the store holds for each of these trajectories, in order."""
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch(
            "SELECT stream_id, event_type FROM events WHERE stream_id = ANY($1) "
            "ORDER BY stream_id, version",
            trajectory_ids,
        )
    finally:
        await conn.close()
    found: dict[str, list[str]] = {}
    for r in rows:
        found.setdefault(r["stream_id"], []).append(r["event_type"])
    return found


def assert_no_personal_value(*texts: str) -> None:
    for text in texts:
        for values in FAKE.values():
            for value in values:
                if value:
                    assert value not in text, value


async def test_candidates_reach_the_match_sealed_and_the_report_names_no_one(
    cli: Cli, tmp_path: Path, cli_database_url: str
) -> None:
    coach = f"coach-{uuid.uuid4().hex[:8]}"
    tag = uuid.uuid4().hex[:6]
    rows = [
        candidate_row(coach, f"{tag}-a", "good", mapped=-100, matched=-80),  # 2: to step 4
        candidate_row(coach, f"{tag}-b", "second", mapped=-90, matched=-90),  # 3: the same day
        candidate_row(coach, f"{tag}-c", "bad-bsn", mapped=-100, matched=-80),  # 4: not a BSN
        candidate_row(coach, f"{tag}-d", "bad-mail", mapped=-100, matched=-80),  # 5: no e-mail
        # 6: the domain refuses the match (the motivation screen failed): started, mapped
        candidate_row(coach, f"{tag}-e", "refused", mapped=-100, matched=-80, motivation="no"),
        candidate_row(coach, f"{tag}-f", "order", mapped=-50, matched=-60),  # 7: out of order
        # 8: only step 2 (the match's cells empty), and 9: only the start
        f"{coach},{days(-120)},employer-zorgcentrum,Helpende {tag}-g,{days(200)},ADL care,"
        f"{tag}-g,{days(-100)},{MAPPED},,,,,,,,",
        f"{coach},{days(-120)},employer-zorgcentrum,Helpende {tag}-h,{days(200)},ADL care,"
        f"{tag}-h,,,,,,,,,,,,,,",
    ]
    csv = tmp_path / "candidates.csv"
    csv.write_text("\n".join([CANDIDATE_HEADER, *rows]) + "\n")
    report = tmp_path / "report.json"

    result = cli("import", str(csv), "--report", str(report))
    line = assert_user_error(result, "4 of 8 rows refused")
    out = result.stdout
    for expected in (
        "line 4, field bsn: is not a valid BSN (9 digits passing the eleven-test)",
        "line 5, field email: is not an e-mail address",
        "line 6, step 4 (the columns matched_on to other_matters): a candidate who did not "
        "pass the motivation screen cannot be matched",
        "line 7, field matched_on: before mapped_on: the steps come in order",
        "candidates.csv: 8 rows read: 4 started, 0 already there, 4 refused, 1 of them stopped",
    ):
        assert expected in out, out
    assert_no_personal_value(out, result.stderr, line, report.read_text())
    data = json.loads(report.read_text())
    by_line = {r["line"]: r for r in data["rows"]}
    assert by_line[2]["steps"] == {"map": "recorded", "match": "recorded"}
    assert by_line[6]["outcome"] == "stopped"
    assert by_line[6]["steps"] == {"map": "recorded", "match": "refused"}
    assert by_line[8]["steps"] == {"map": "recorded"}
    assert "steps" not in by_line[9]
    assert [(r["line"], r["field"], r["step"]) for r in data["refusals"]] == [
        (4, "bsn", None), (5, "email", None), (6, None, 4), (7, "matched_on", None)
    ]  # fmt: skip

    tid = {n + 2: trajectory_id_for(f"{tag}-{c}") for n, c in enumerate("abcdefgh")}
    stored = await events_stored(cli_database_url, list(tid.values()))
    assert stored[tid[2]] == ["TrajectoryStarted", "PossibilitiesMapped", "CandidateMatched"]
    assert stored[tid[3]] == ["TrajectoryStarted", "PossibilitiesMapped", "CandidateMatched"]
    assert stored[tid[6]] == ["TrajectoryStarted", "PossibilitiesMapped"]
    assert stored[tid[8]] == ["TrajectoryStarted", "PossibilitiesMapped"]
    assert stored[tid[9]] == ["TrajectoryStarted"]
    assert tid[4] not in stored and tid[5] not in stored and tid[7] not in stored
    ref = {n + 2: candidate_ref_for(f"{tag}-{c}") for n, c in enumerate("abcdefgh")}
    assert await keys_stored(cli_database_url, [ref[2]]) == 1
    # The refused match left no key behind; the rows refused before their start made none.
    assert await keys_stored(cli_database_url, [ref[4], ref[5], ref[6], ref[7]]) == 0

    # At step 4, on the file's dates; the candidate readable only with the keys.
    masked = cli.ok("trajectory", "show", tid[2], "--json").stdout
    assert_no_personal_value(masked)
    state = json.loads(masked)
    assert state["candidate"]["personal"] == {"name": "***", "bsn": "***"}
    shown = json.loads(cli.ok("trajectory", "show", tid[2], "--json", "--show-personal").stdout)
    personal = shown["candidate"]["personal"]
    assert (personal["name"], personal["bsn"], personal["email"], personal["phone"]) == FAKE["good"]
    timeline = cli.ok("trajectory", "timeline", tid[2], "--json").stdout
    assert_no_personal_value(timeline)
    assert [e["effective_at"][:10] for e in json.loads(timeline)] == [
        days(-120), days(-100), days(-80)
    ]  # fmt: skip
    log = cli.worker_log.read_text()
    assert tid[2] in log
    assert_no_personal_value(log)

    # Corrected (the screen passed after all) and imported again: line 6 continues at its
    # match; nothing else is started or recorded twice.
    rows[4] = candidate_row(coach, f"{tag}-e", "refused", mapped=-100, matched=-80)
    csv.write_text("\n".join([CANDIDATE_HEADER, *rows]) + "\n")
    again = cli("import", str(csv), "--json")
    assert again.exit_code == 1
    assert_no_personal_value(again.stdout, again.stderr)
    data = json.loads(again.stdout)
    assert (data["started"], data["already_there"], data["refused"], data["stopped"]) == (
        0,
        5,
        3,
        0,
    )
    by_line = {r["line"]: r for r in data["rows"]}
    assert by_line[6]["steps"] == {"map": "already-there", "match": "recorded"}
    assert by_line[2]["steps"] == {"map": "already-there", "match": "already-there"}
    stored = await events_stored(cli_database_url, list(tid.values()))
    assert stored[tid[6]] == ["TrajectoryStarted", "PossibilitiesMapped", "CandidateMatched"]
    assert stored[tid[2]] == ["TrajectoryStarted", "PossibilitiesMapped", "CandidateMatched"]
    assert await keys_stored(cli_database_url, [ref[6]]) == 1


async def test_check_makes_no_key_and_the_refusals_in_dutch(
    cli: Cli, tmp_path: Path, cli_database_url: str
) -> None:
    csv = tmp_path / "lijst.csv"
    good = f"nl-{uuid.uuid4().hex[:6]}"
    checked = candidate_row("coach-nl", good, "good", mapped=-100, matched=-80)
    csv.write_text(f"{CANDIDATE_HEADER}\n{checked}\n")
    data = json.loads(cli.ok("import", str(csv), "--check", "--json").stdout)
    assert data["rows"][0]["steps"] == {"map": "checked", "match": "checked"}
    assert await keys_stored(cli_database_url, [candidate_ref_for(good)]) == 0  # none made
    row = candidate_row("coach-nl", f"nl-{uuid.uuid4().hex[:6]}", "bad-bsn", mapped=-100,
                        matched=-80)  # fmt: skip
    csv.write_text(f"{CANDIDATE_HEADER}\n{row}\n")
    result = cli("--lang", "nl", "import", str(csv), "--check")
    assert result.exit_code == 1
    assert "regel 2, veld bsn: is geen geldig BSN (9 cijfers die de elfproef doorstaan)" in (
        result.stdout
    )
    assert_no_personal_value(result.stdout, result.stderr)

    # The domain's refusal of a step, after the start: in Dutch, naming the step's columns.
    row = candidate_row("coach-nl", f"nl-{uuid.uuid4().hex[:6]}", "refused", mapped=-100,
                        matched=-80, motivation="no")  # fmt: skip
    csv.write_text(f"{CANDIDATE_HEADER}\n{row}\n")
    # --check decides the steps as the workflow would (found by a trial: it passed such a
    # row, which the import then left stopped at its match), and keeps nothing.
    checked = cli("--lang", "nl", "import", str(csv), "--check", "--json")
    assert checked.exit_code == 1
    report = json.loads(checked.stdout)
    assert report["refused"] == 1 and report["stopped"] == 0, report
    assert report["refusals"][0]["step"] == 4, report
    assert "motivatiescreening" in report["refusals"][0]["reason"]
    assert_no_personal_value(checked.stdout, checked.stderr)
    result = cli("--lang", "nl", "import", str(csv))
    assert result.exit_code == 1
    assert (
        "regel 2, stap 4 (de kolommen matched_on tot en met other_matters): een kandidaat die "
        "niet door de motivatiescreening kwam kan niet gekoppeld worden"
    ) in result.stdout, result.stdout
    assert "waarvan 1 gestopt bij een latere stap" in result.stdout
    assert_no_personal_value(result.stdout, result.stderr)


async def test_candidates_interrupted_and_run_again_each_step_once(
    cli: Cli, tmp_path: Path, cli_database_url: str
) -> None:
    coach = f"coach-{uuid.uuid4().hex[:8]}"
    tag = uuid.uuid4().hex[:6]
    total = 40
    csv = tmp_path / "candidates.csv"
    csv.write_text(
        "\n".join(
            [CANDIDATE_HEADER]
            + [
                candidate_row(
                    coach, f"{tag}-{i}", ("good", "second")[i % 2], mapped=-100, matched=-80
                )
                for i in range(total)
            ]
        )
        + "\n"
    )
    ids = [trajectory_id_for(f"{tag}-{i}") for i in range(total)]
    env = {**os.environ, **{k: v for k, v in cli.env.items() if v is not None}}
    proc = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).parent / "nbm"), "import", str(csv), "--parallel", "4",
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while len(await starts_stored(cli_database_url, ids)) < 8:
        assert proc.returncode is None, await proc.communicate()
        assert time.monotonic() < deadline, "the import did not start 8 rows in 60 s"
        await asyncio.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    await asyncio.wait_for(proc.communicate(), 30)
    before = await events_stored(cli_database_url, ids)
    assert 8 <= len(before) < total, "killed halfway, not at the end"

    again = cli.ok("import", str(csv), "--json")
    assert_no_personal_value(again.stdout, again.stderr)
    data = json.loads(again.stdout)
    assert data["refused"] == 0 and data["started"] + data["already_there"] == total
    stored = await events_stored(cli_database_url, ids)
    assert len(stored) == total
    for events in stored.values():  # each step exactly once, in order
        assert events == ["TrajectoryStarted", "PossibilitiesMapped", "CandidateMatched"]
    refs = [candidate_ref_for(f"{tag}-{i}") for i in range(total)]
    assert await keys_stored(cli_database_url, refs) == total  # one key per candidate
