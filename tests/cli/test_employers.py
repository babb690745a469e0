"""The employers' commands against the real worker, the dev server, PostgreSQL and SMTP:
people, an employer with a contact, a future job, a trajectory attached to it, the mail
asking for the commitment, and the account manager's answer by phone."""

from __future__ import annotations

import json
import time
from datetime import timedelta

from tests.factories import coach_today

from .conftest import Cli, assert_user_error

CONTACT = "Geertruida Lindeboom-Vos"


def in_days(days: int) -> str:
    return (coach_today() + timedelta(days=days)).isoformat()


def until(check, what: str, seconds: float = 20.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"never: {what}")


def test_an_employer_a_future_job_a_trajectory_towards_it_and_its_chase(cli: Cli) -> None:
    suffix = str(time.monotonic_ns())[-6:]
    sup, am = f"sup-{suffix}", f"am-{suffix}"
    cli.ok("people", "add", sup, "--role", "supervisor", "--name", "Petra Leiding",
           "--email", "petra@wb.example")  # fmt: skip
    cli.ok("people", "add", am, "--role", "account-manager", "--supervisor", sup,
           "--name", "Ahmed Account", "--email", "ahmed@wb.example")  # fmt: skip
    listed = json.loads(cli.ok("people", "list", "--json").stdout)
    assert {"person_id": am, "escalates_to": [sup]}.items() <= next(
        p for p in listed if p["person_id"] == am
    ).items()

    emp = cli.ok(
        "employer", "add", "--organisation", "Logistiek Centrum Flevo", "--sector", "logistiek",
        "--account-manager", am, "--contact-name", CONTACT,
        "--contact-email", "g.lindeboom@lcf.example",
    ).stdout.strip()  # fmt: skip
    shown = json.loads(cli.ok("employer", "show", emp, "--json").stdout)
    assert shown["organisation"] == "Logistiek Centrum Flevo"
    assert shown["contacts"] == "contact-1 (HR)"  # the name and address stay sealed
    assert CONTACT not in cli.ok("employer", "show", emp).stdout

    fj = cli.ok(
        "future-job", "forecast", "--employer", emp, "--function", "orderpicker",
        "--expected-date", in_days(200), "--skill", "orderpicken", "--jobs", "2",
        "--commitment", "job-guarantee",
    ).stdout.strip()  # fmt: skip
    tid = cli.ok("trajectory", "start", "--future-job", fj).stdout.strip()
    # A start the domain refuses takes no place; a repeat of the forecast's id with other
    # values (another request) is refused, not reported as done.
    assert (
        cli("trajectory", "start", "--future-job", fj, "--effective", "2020-01-01").exit_code == 1
    )
    assert_user_error(
        cli("future-job", "forecast", "--employer", emp, "--function", "anders",
            "--expected-date", in_days(100), "--skill", "x", "--id", fj),
        "exists already",
    )  # fmt: skip
    job = json.loads(cli.ok("future-job", "show", fj, "--json").stdout)
    assert (job["learning_towards_it"], job["free_places"], job["attached"]) == (1, 1, [tid])
    state = json.loads(cli.ok("trajectory", "show", tid, "--json").stdout)
    assert state["future_job"]["future_job_id"] == fj

    cli.ok("future-job", "request-commitment", fj, "--trajectory", tid)
    mails = until(
        lambda: [m for m in json.loads(cli.ok("mail", "list", "--json").stdout)
                 if m["to"] == "g.lindeboom@lcf.example"],
        "the request reaches the mailbox",
    )  # fmt: skip
    body = cli.ok("mail", "show", mails[0]["id"]).stdout
    assert "orderpicker" in body and CONTACT in body and "/antwoord/" in body

    assert_user_error(
        cli("employer", "answer", fj, "--trajectory", tid, "--places", "50"), "has 2 job(s)"
    )
    cli.ok("employer", "answer", fj, "--trajectory", tid, "--places", "1")
    job = json.loads(cli.ok("future-job", "show", fj, "--json").stdout)
    assert job["jobs"] == 1 and job["chases"][tid]["answer"] == "confirmed"
    # The trajectory follows its future job: the employer's answer and the fewer jobs.
    shown = until(
        lambda: (
            (s := json.loads(cli.ok("trajectory", "show", tid, "--json").stdout))["future_job"][
                "number_of_jobs"
            ]
            == 1
            and s
        ),
        "the trajectory follows its future job",
    )
    assert shown["employer_answers"][0]["answer"] == "confirmed"
    assert job["chases"][tid]["next"] is None

    # The auditor reads the future job's decisions as the trajectory's, sealed ones unopened.
    audit = json.loads(cli.ok("audit", "history", fj, "--json").stdout)
    assert [r["event"] for r in audit][:3] == [
        "FutureJobForecast", "CandidateAttached", "CommitmentRequested",
    ]  # fmt: skip
    assert "jobs=2" in audit[0]["facts"]
    employer_trail = json.loads(cli.ok("audit", "history", emp, "--json").stdout)
    assert "contact=(sealed)" in employer_trail[1]["facts"]
    assert CONTACT not in cli.ok("audit", "history", emp).stdout

    # The workers' logs hold ids, never the contact's name or address.
    for log in (cli.worker_log.read_text(), cli.mailer_log.read_text()):
        assert CONTACT not in log and "g.lindeboom@lcf.example" not in log
    assert "mail sent" in cli.mailer_log.read_text()


def test_bad_input_is_one_line_without_a_traceback(cli: Cli) -> None:
    assert_user_error(
        cli("future-job", "show", "fj-000000000000"), "no future job with id fj-000000000000"
    )
    assert_user_error(
        cli("employer", "show", "emp-000000000000"), "no employer with id emp-000000000000"
    )
    assert_user_error(
        cli("employer", "add", "--organisation", "X", "--sector", "zorg", "--account-manager",
            "am-1", "--contact-name", "Bob", "--contact-email", "not-an-address"),
        "e-mail",
    )  # fmt: skip
    assert_user_error(
        cli("future-job", "forecast", "--employer", "emp-000000000000", "--function", "x",
            "--expected-date", in_days(800), "--skill", "y"),
        "24 months",
    )  # fmt: skip
    assert_user_error(cli("trajectory", "start", "--function", "x"), "--future-job")
    assert_user_error(cli("tasks", "ack", "task-nope"), "no task with id task-nope")
    assert_user_error(cli("mail", "show", "zzzz"), "no (unique) mail")
    assert_user_error(cli("future-job", "show", ""), "no future job with id")
    assert_user_error(
        cli("employer", "add", "--organisation", "X", "--sector", "zorg",
            "--account-manager", "nobody-am"),
        "is not an account manager",
    )  # fmt: skip
    assert_user_error(
        cli("future-job", "request-commitment", "fj-000000000000", "--trajectory",
            "traj-000000000000"),
        "no trajectory",
    )  # fmt: skip
    assert "not-an-address" not in cli("employer", "add", "--organisation", "X", "--sector",
        "zorg", "--account-manager", "am-1", "--contact-name", "Bob", "--contact-email",
        "not-an-address").output  # fmt: skip


def test_a_lost_place_is_proposed_elsewhere_and_the_coach_moves_the_candidate(cli: Cli) -> None:
    suffix = str(time.monotonic_ns())[-6:]
    am = f"am-fb-{suffix}"
    cli.ok("people", "add", f"sup-fb-{suffix}", "--role", "supervisor", "--name", "S",
           "--email", "s@wb.example")  # fmt: skip
    cli.ok("people", "add", am, "--role", "account-manager", "--supervisor", f"sup-fb-{suffix}",
           "--name", "A", "--email", "a@wb.example")  # fmt: skip
    shrinking, other = (
        cli.ok("employer", "add", "--organisation", name, "--sector", "zorg",
               "--account-manager", am).stdout.strip()
        for name in ("Zorg Oost", "Zorg West")
    )  # fmt: skip
    jobs = [
        cli.ok("future-job", "forecast", "--employer", emp, "--function", "helpende",
               "--expected-date", in_days(250), "--skill", "ADL", "--jobs", "2").stdout.strip()
        for emp in (shrinking, other)
    ]  # fmt: skip
    tids = [cli.ok("trajectory", "start", "--future-job", jobs[0]).stdout.strip() for _ in "ab"]
    cli.ok("future-job", "reduce", jobs[0], "--jobs", "1", "--reason", "minder budget")
    found = until(
        lambda: [t for t in json.loads(cli.ok("tasks", "--json").stdout)
                 if t["about"] == tids[1] and t["kind"] == "place-lost"],
        "the coach's task with the proposals",
    )  # fmt: skip
    assert found[0]["proposals"][0]["future_job_id"] == jobs[1]
    assert "still to learn" in cli.ok("tasks", "show", found[0]["task_id"]).stdout
    # The candidate has no personal data matched yet: the reason cannot be sealed for them.
    assert_user_error(
        cli("future-job", "decide", jobs[0], "--trajectory", tids[1], "--move-to", jobs[1],
            "--reason", "zelfde functie, plek vrij"),
        "has no candidate yet",
    )  # fmt: skip
    assert json.loads(cli.ok("future-job", "show", jobs[1], "--json").stdout)["attached"] == []
    cli.ok("future-job", "decide", jobs[0], "--trajectory", tids[1], "--work-study")
    # Now everyone left has a place: nothing more to decide.
    assert_user_error(
        cli("future-job", "decide", jobs[0], "--trajectory", tids[0], "--work-study"),
        "has a place at",
    )
    job = json.loads(cli.ok("future-job", "show", jobs[0], "--json").stdout)
    assert job["attached"] == [tids[0]] and job["without_place"] == 0
    cli.ok("tasks", "resolve", found[0]["task_id"])
