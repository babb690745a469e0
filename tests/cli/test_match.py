"""`nbm match` against the real worker, the dev server and PostgreSQL: a function profile made
from a future job, candidate profiles with sealed strengths, the ranking with its
explanation, a person's decision that overrides the top proposal, the log that counts it and
the register entry that reports it."""

from __future__ import annotations

import json
import time
import uuid
from datetime import timedelta

from tests.factories import coach_today

from .conftest import Cli, assert_user_error, invoke

STRENGTHS = "Sterk in contact met ouderen; schulden bij de Belastingdienst"
REASON = "Zij woont om de hoek en wil graag in de logistiek werken"


def test_profiles_ranking_a_decision_against_the_proposal_and_the_register(cli: Cli) -> None:
    suffix = str(time.monotonic_ns())[-6:]
    sup, am = f"sup-m{suffix}", f"am-m{suffix}"
    best = f"cand-{uuid.uuid4().hex[:12]}"
    cli.ok("people", "add", sup, "--role", "supervisor", "--name", "Petra Leiding",
           "--email", "petra@wb.example")  # fmt: skip
    cli.ok("people", "add", am, "--role", "account-manager", "--supervisor", sup,
           "--name", "Ahmed Account", "--email", "ahmed@wb.example")  # fmt: skip
    emp = cli.ok("employer", "add", "--organisation", "Distributiecentrum Flevo",
                 "--sector", "logistiek", "--account-manager", am, "--contact-name", "Karin Vos",
                 "--contact-email", "k.vos@dcf.example").stdout.strip()  # fmt: skip
    fj = cli.ok("future-job", "forecast", "--employer", emp, "--function", "orderpicker",
                "--expected-date", (coach_today() + timedelta(days=200)).isoformat(),
                "--skill", "orderpicken", "--skill", "heftruck", "--jobs", "2",
                "--commitment", "intention-to-hire").stdout.strip()  # fmt: skip

    made = cli.ok("match", "profile", "function", "--future-job", fj, "--hours", "32",
                  "--region", "Lelystad", "--optional-skill", "VCA").stdout  # fmt: skip
    assert f"fp-{fj}" in made
    cli.ok("match", "profile", "candidate", best, "--skill", "order picking", "--skill",
           "heftruck", "--interest", "logistiek", "--hours", "32", "--region", "lelystad",
           "--strengths", STRENGTHS)  # fmt: skip
    made = cli.ok("match", "profile", "candidate", "--skill", "orderpicken", "--hours", "16",
                  "--region", "almere").stdout  # fmt: skip
    other = made.split(":")[0]  # a new reference, made by the tool
    assert other.startswith("cand-") and other != best
    listed = cli.ok("match", "profile", "list", "--json").stdout
    assert STRENGTHS not in listed and "Belastingdienst" not in listed

    ranking = json.loads(cli.ok("match", "candidates", "--future-job", fj, "--json").stdout)
    mine = [p for p in ranking if p["candidate_ref"] in (best, other)]
    assert [p["candidate_ref"] for p in mine] == [best, other]
    assert mine[1]["missing_skills"] == [
        "http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da"
    ]
    assert mine[1]["learning_plan"][0]["label"] == "heftruck besturen"
    text = cli.ok("match", "candidates", "--future-job", fj).stdout
    assert "missing: heftruck besturen" in text and "confirm or reject" in text
    dutch = invoke(["match", "candidates", "--future-job", fj], {**cli.env, "NBM_LANG": "nl"})
    assert "ontbreekt: heftruck besturen" in dutch.stdout and "bevestig of verwerp" in dutch.stdout

    # The system may not decide; a person may, against the proposal, and it is counted.
    refused = cli("--actor", "system", "match", "confirm", "--candidate", other,
                  "--profile", f"fp-{fj}", "--reason", REASON)  # fmt: skip
    assert_user_error(refused, "a person decides")
    done = cli.ok("match", "confirm", "--candidate", other, "--profile", f"fp-{fj}",
                  "--reason", REASON).stdout  # fmt: skip
    assert "overrides the proposal" in done and f"--future-job {fj}" in done
    assert "proposed learning plan: heftruck besturen (placement)" in done
    log = json.loads(cli.ok("match", "log", "--json").stdout)
    (decision,) = [d for d in log["decisions"] if d["candidate_ref"] == other]
    assert (decision["rank"], decision["overrode_top"], decision["decided_by"]) == (
        2, True, "coach-test")  # fmt: skip
    assert REASON not in json.dumps(log) and log["overrides"]["overrode_top"] >= 1

    jobs = json.loads(cli.ok("match", "jobs", "--candidate", best, "--json").stdout)
    assert jobs[0]["profile_id"] == f"fp-{fj}" and not jobs[0]["missing_skills"]

    cli.ok("match", "profile", "remove", other)
    after = json.loads(cli.ok("match", "candidates", "--future-job", fj, "--json").stdout)
    assert other not in {p["candidate_ref"] for p in after}
    assert any(d["candidate_ref"] == other for d in json.loads(
        cli.ok("match", "log", "--json").stdout)["decisions"])  # fmt: skip

    entry = json.loads(cli.ok("match", "register", "--json", "--legal-basis",
                              "Participatiewet, art. 7 lid 1").stdout)  # fmt: skip
    assert entry["legal_basis"] == "Participatiewet, art. 7 lid 1"
    assert entry["decisions"] >= 1 and entry["override_rate"] is not None
    worker_log = cli.worker_log.read_text()
    for secret in (STRENGTHS, REASON, "Belastingdienst"):
        assert secret not in worker_log


def test_bad_input_is_one_line_and_no_traceback(cli: Cli) -> None:
    assert_user_error(
        cli("match", "profile", "candidate", "--skill", "jongleren"),
        "not in the vocabulary", "'jongleren'",
    )  # fmt: skip
    # A reference is one this tool made: never a client number or a name.
    assert_user_error(cli("match", "profile", "candidate", "Jan Jansen"), "not a reference")
    # A BSN typed where a reference belongs: refused before anything runs, never repeated.
    refused = assert_user_error(
        cli("match", "jobs", "--candidate", "123456782"), "looks like a BSN"
    )
    assert "123456782" not in refused
    nobody = f"cand-{uuid.uuid4().hex[:12]}"
    assert_user_error(cli("match", "jobs", "--candidate", nobody), "no candidate profile")
    assert_user_error(cli("match", "candidates"), "--future-job or --profile")
    assert_user_error(cli("match", "profile", "function", "fp-x"), "--function")
