"""Composition root of the demo, and nothing else: `make run` starts it once the worker polls.

It drives three trajectories through the steps with the real `nbm` command-line tool, one
subprocess per command, and prints each command with its output so a person can follow:

- A: small-scale growth on the `demo` programme (a 'week' lasts 10 seconds). It stops while
  the candidate learns in, so the timers fire after the demo: evaluations due, a missed
  evaluation escalated, the end of learning. Watch them with `nbm trajectory show`.
- B: a WijkLeerbedrijf trajectory where the match comes before the agreement (steps 4 and 3
  in the other order), through to a regular job; it also shows a refused command.
- C: a trajectory ended early: the candidate withdrew and asked for their data to be erased
  (`nbm candidate erase`); the trajectory's facts stay, the personal data cannot be read.
- E: programmes as data: the catalogue of TOML files, a Werkfit trajectory on its ladder of
  modules (a rung waits for an evaluation; a skip needs a reason) handed over into a
  large-scale growth programme in the same history.
- F (last): the coach's daily tool. An existing caseload imported from a CSV file (twice: the
  second run starts nothing), `nbm caseload` (the coach's lists from the read models) and
  `nbm report outcomes --html`, whose page with charts the demo's last line names.
- D: employers and their future jobs on a demo clock (a day lasts 2 seconds): two employers
  are asked for their commitment by mail. One answers through the link in its mail (the
  demo fills in the employer page, as the employer would in a browser); the other stays
  silent, is reminded twice and, after 15 working days, its account manager gets a task.

The CLI seals every candidate's personal data with the candidate's own key before it sends
it, so it needs the key store (NBM_DATABASE_URL and NBM_KEK; the embedded stack provides
both). The settings come from the environment or `data/stack.json`, as for the CLI. The names
and BSNs are fictional; each run uses new candidate references, as an erased one stays erased.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shlex
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

from domain.shared import COACH_TIME_ZONE
from nbm.i18n import _
from nbm.settings import ConfigError, load_settings

NBM = Path(sys.executable).parent / "nbm"
COMMAND_TIMEOUT = 60  # seconds; a command waits for the worker at most this long


def coach_today() -> date:
    """Today where the coaches are (the CLI reads dates in their time zone)."""
    return datetime.now(COACH_TIME_ZONE).date()


class DemoFailed(Exception):
    """A command of the demo did not end as the demo expects."""


def nbm(*args: str, env: dict[str, str], refused: bool = False, quiet: bool = False) -> str:
    """Run `nbm args`, print it and its output; its stdout. `refused`: it must fail.
    `quiet`: print nothing (a look the demo takes while it waits)."""
    if not quiet:
        print(f"\n$ nbm {shlex.join(args)}", flush=True)
    proc = subprocess.run(
        [str(NBM), *args], env=env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT
    )
    for text in (proc.stdout, proc.stderr):
        if text.strip() and not quiet:
            print(text.rstrip(), flush=True)
    if refused and proc.returncode != 1:
        raise DemoFailed(f"`nbm {args[0]} {args[1]}` should have been refused")
    if not refused and proc.returncode != 0:
        raise DemoFailed(f"`nbm {args[0]} {args[1]}` failed with exit code {proc.returncode}")
    return proc.stdout.strip()


SIGNED = ("--signed-by", "employer", "--signed-by", "werkbedrijf",
          "--signed-by", "training-institute")  # fmt: skip
"""Who signs the learning plan: all three (inleertraject vastgesteld)."""


def banner(text: str) -> None:
    print(f"\n=== {text} ===", flush=True)


def comment(text: str) -> None:
    """A line of the demo's narration between commands."""
    print(f"\n# {text}", flush=True)


def demo_small_scale(env: dict[str, str], expected: str) -> str:
    banner(_("A. Small-scale growth on the demo clock: 1 week = 10 s"))
    tid = nbm(
        "trajectory", "start", "--employer", "zorgcentrum-de-linde",
        "--function", "Helpende zorg en welzijn", "--expected-date", expected,
        "--jobs", "2", "--skill", "ADL care", "--skill", "communication",
        "--route", "small-scale-growth", "--programme", "demo", env=env,
    )  # fmt: skip
    nbm(
        "trajectory", "map-possibilities", tid, "--profile-skill", "ADL care",
        "--profile-skill", "reliability", "--employer-role", "workplace and daily coordinator",
        "--werkbedrijf-role", "work coach and budget", "--intention-only",
        "--learning-location", "at the employer", "--training-institute", "ROC Flevoland",
        env=env,
    )  # fmt: skip
    nbm(
        "trajectory", "establish-agreement", tid, "--commitment", "intention-to-hire",
        "--weeks", "12", "--placement", "introduction:4:16", "--placement", "ADL internship:8:16",
        "--training", "ROC Flevoland:mbo 2 Helpende Z&W", "--budget", "5000", *SIGNED, env=env,
    )  # fmt: skip
    nbm(
        "trajectory", "match", tid, "--name", "Fenna Demo",
        "--bsn", "123456708", "--email", "fenna.demo@example.nl", "--skill", "care",
        "--motivation-passed", "--language-level", "A2", "--barrier", "childcare",
        "--barrier", "mobility", "--not-applicable", "language", "--other-matters", "no-problem",
        "--family-notes", "two children, childcare not yet arranged", env=env,
    )  # fmt: skip
    nbm("trajectory", "start-learning", tid, env=env)
    nbm("trajectory", "start-placement", tid, "--name", "introduction", "--hours", "16", env=env)
    nbm(
        "trajectory", "record-evaluation", tid, "--verdict", "on-track", "--employer-present",
        "--summary", "good start in the team", env=env,
    )  # fmt: skip
    return tid


def demo_wijkleerbedrijf(env: dict[str, str], expected: str) -> str:
    banner(_("B. WijkLeerbedrijf: the match before the agreement, through to a regular job"))
    tid = nbm(
        "trajectory", "start", "--employer", "thuiszorg-flevoland",
        "--function", "Medewerker thuiszorg", "--expected-date", expected, "--jobs", "20",
        "--skill", "home care", "--route", "wijkleerbedrijf", "--programme", "demo", env=env,
    )  # fmt: skip
    nbm(
        "trajectory", "map-possibilities", tid, "--profile-skill", "home care",
        "--employer-role", "three employers share the cohort",
        "--werkbedrijf-role", "work coach, cohort coordinator", "--guarantee-possible",
        "--learning-location", "WijkLeerbedrijf", "--training-institute", "ROC Flevoland",
        env=env,
    )  # fmt: skip
    nbm(
        "trajectory", "match", tid, "--name", "Sanne Demo",
        "--bsn", "222333406", "--motivation-passed", "--information-meeting",
        "--language-level", "B1", "--barrier", "transport", "--other-matters", "no-problem",
        env=env,
    )  # fmt: skip
    comment(_("A placement before the agreement is refused, with the domain's reason:"))
    nbm("trajectory", "start-placement", tid, "--name", "orientation", "--hours", "16",
        env=env, refused=True)  # fmt: skip
    nbm(
        "trajectory", "establish-agreement", tid, "--commitment", "job-guarantee",
        "--weeks", "52", "--placement", "orientation:8:16", "--placement", "ADL internship:20:16",
        "--training", "ROC Flevoland:BBL level 2", "--training", "Taalhuis:NT2:employer",
        "--budget", "5000", *SIGNED, env=env,
    )  # fmt: skip
    nbm("trajectory", "start-learning", tid, env=env)
    comment(_("Cohort 1's lesson: the job guarantee becomes an intention, with who and why:"))
    nbm(
        "trajectory", "amend-agreement", tid, "--commitment", "intention-to-hire",
        "--weeks", "52", "--placement", "orientation:8:16", "--placement", "ADL internship:20:16",
        "--training", "ROC Flevoland:BBL level 2", "--training", "Taalhuis:NT2:employer",
        "--budget", "5000", *SIGNED, "--reason", "fewer places than estimated", env=env,
    )  # fmt: skip
    nbm(
        "trajectory", "record-regular-job", tid, "--employer", "thuiszorg-flevoland",
        "--hours", "20", "--start-date", (coach_today() + timedelta(days=14)).isoformat(),
        "--wage-cost-subsidy", "30", "--benefit-continues", env=env,
    )  # fmt: skip
    return tid


def demo_ended_early(env: dict[str, str], expected: str) -> tuple[str, str]:
    banner(_("C. Ended early: the candidate withdrew"))
    tid = nbm(
        "trajectory", "start", "--employer", "logistiek-lelystad",
        "--function", "Orderpicker", "--expected-date", expected, "--skill", "order picking",
        "--route", "large-scale-growth", env=env,
    )  # fmt: skip
    nbm(
        "trajectory", "map-possibilities", tid, "--profile-skill", "order picking",
        "--employer-role", "at a distance", "--werkbedrijf-role", "Leerbedrijf Logistiek",
        "--intention-only", "--learning-location", "Leerbedrijf Logistiek", env=env,
    )  # fmt: skip
    matched = nbm(
        "trajectory", "match", tid, "--name", "Joris Demo",
        "--bsn", "123456721", "--motivation-passed", "--information-meeting",
        "--language-level", "A2", "--other-matters", "no-problem", env=env,
    )  # fmt: skip
    ref = matched.splitlines()[-1].split()[1]  # "candidate cand-...": the CLI made it
    nbm(
        "trajectory", "end", tid, "--reason", "candidate-withdrew",
        "--explanation", "withdrew after the selection day", env=env,
    )  # fmt: skip
    comment(_("The candidate asks for erasure: their key is destroyed, the facts stay."))
    nbm("candidate", "erase", ref, "--yes", env=env)
    nbm("trajectory", "show", tid, "--show-personal", env=env)
    return tid, ref


DEMO_DAY_SECONDS = 2
"""On the employers' demo clock a day lasts 2 s: 15 working days (the escalation) ~ 42 s."""


def demo_employers(env: dict[str, str], expected: str) -> dict[str, str]:
    banner(_("D. Employers: future jobs, commitments by mail, an answer by link"))
    run = uuid.uuid4().hex[:6]  # a new directory entry each run: the old ones stay in it
    supervisor, manager = f"sup-demo-{run}", f"am-demo-{run}"
    nbm("people", "add", supervisor, "--role", "supervisor", "--name", "Petra Leiding",
        "--email", "petra.leiding@werkbedrijf.example", env=env)  # fmt: skip
    nbm("people", "add", manager, "--role", "account-manager", "--supervisor", supervisor,
        "--name", "Ahmed Accountmanager", "--email", "ahmed@werkbedrijf.example",
        env=env)  # fmt: skip
    answering = nbm(
        "employer", "add", "--organisation", "Zorgcentrum De Linde", "--sector", "zorg",
        "--account-manager", manager, "--contact-name", "Hanneke de Linde",
        "--contact-email", "hr@delinde.example", env=env,
    )  # fmt: skip
    silent = nbm(
        "employer", "add", "--organisation", "Logistiek Lelystad", "--sector", "logistiek",
        "--account-manager", manager, "--contact-name", "Kees Stil",
        "--contact-email", "planning@logistiek-lelystad.example", env=env,
    )  # fmt: skip
    jobs = {}
    for employer, function in ((answering, "Helpende zorg"), (silent, "Orderpicker")):
        jobs[employer] = nbm(
            "future-job", "forecast", "--employer", employer, "--function", function,
            "--expected-date", expected, "--skill", "teamwork", "--jobs", "2",
            "--commitment", "job-guarantee", "--demo-day-seconds", str(DEMO_DAY_SECONDS),
            env=env,
        )  # fmt: skip
    trajectories = {}
    for employer, fj in jobs.items():
        trajectories[employer] = nbm(
            "trajectory", "start", "--future-job", fj, "--programme", "demo", env=env
        )
        nbm("future-job", "request-commitment", fj, "--trajectory", trajectories[employer],
            env=env)  # fmt: skip
    comment(_("Both employers get a mail asking for their commitment (the local SMTP server):"))
    link = _wait_for_link(env, "hr@delinde.example")
    nbm("mail", "list", env=env)
    comment(_("Zorgcentrum De Linde answers through its link (open it in a browser too):"))
    print(link, flush=True)
    answer_through_page(link, places="1")
    nbm("future-job", "show", jobs[answering], env=env)
    comment(
        _(
            "Logistiek Lelystad stays silent: reminders after 5 and 10 working days, then a "
            "task for account manager {manager} after 15 (a demo day lasts {seconds} s)..."
        ).format(manager=manager, seconds=DEMO_DAY_SECONDS)
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and "silent-employer" not in nbm(
        "tasks", "--json", env=env, quiet=True
    ):
        time.sleep(2)
    nbm("tasks", env=env)
    nbm("future-job", "show", jobs[silent], env=env)
    nbm("mail", "list", env=env)
    return {"answering": jobs[answering], "silent": jobs[silent], "manager": manager}


def _wait_for_link(env: dict[str, str], address: str) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        mails = json.loads(nbm("mail", "list", "--json", env=env, quiet=True) or "[]")
        for mail in mails:
            if mail["to"] == address:
                body = nbm("mail", "show", mail["id"], env=env, quiet=True)
                found = re.search(r"https?://\S+/antwoord/\S+", body)
                if found:
                    return found.group(0)
        time.sleep(1)
    raise DemoFailed(f"no mail reached {address}")


def answer_through_page(link: str, *, places: str) -> None:
    """What the employer does in the browser: open the form, report the places, send."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(link, timeout=30) as page:
        form = page.read().decode()
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', form)
    if csrf is None:
        raise DemoFailed("the employer page shows no form")
    data = urllib.parse.urlencode(
        {"antwoord": "plaatsen", "plaatsen": places, "csrf": csrf.group(1)}
    ).encode()
    with opener.open(link, data=data, timeout=30) as page:
        answer = page.read().decode()
    title = re.search(r"<h1>(.*?)</h1>", answer)
    print(_("employer page: {title}").format(title=title.group(1) if title else "?"), flush=True)
    if "Dank u wel" not in answer:
        raise DemoFailed("the employer page did not take the answer")


def demo_programmes(env: dict[str, str], expected: str) -> str:
    banner(_("E. Programmes as data: Werkfit's ladder, then into an NBM programme"))
    nbm("programme", "list", env=env)
    nbm("programme", "show", "werkfit", env=env)
    tid = nbm(
        "trajectory", "start", "--employer", "schoonmaak-noord", "--function", "Schoonmaker",
        "--expected-date", expected, "--skill", "schoonmaken", "--programme", "werkfit", env=env,
    )  # fmt: skip
    nbm(
        "trajectory", "map-possibilities", tid, "--profile-skill", "schoonmaken",
        "--employer-role", "practice days", "--werkbedrijf-role", "modules and coach",
        "--intention-only", "--learning-location", "Werkfit", "--training-institute",
        "Alfa-college", env=env,
    )  # fmt: skip
    nbm(
        "trajectory", "match", tid, "--name", "Ruud Demo", "--bsn", "111222333",
        "--motivation-passed", "--language-level", "A2", "--other-matters", "no-problem",
        env=env,
    )  # fmt: skip
    nbm(
        "trajectory", "establish-agreement", tid, "--commitment", "intention-to-hire",
        "--weeks", "12", "--ladder", "--budget", "1500", *SIGNED, env=env,
    )  # fmt: skip
    nbm("trajectory", "start-learning", tid, env=env)
    nbm("trajectory", "start-placement", tid, "--name", "Nederlandse taal en werkcultuur",
        "--hours", "16", env=env)  # fmt: skip
    comment(_("The next module waits for an evaluation of this one:"))
    nbm("trajectory", "start-placement", tid, "--name", "Vakjargon", "--hours", "16",
        env=env, refused=True)  # fmt: skip
    nbm("trajectory", "record-evaluation", tid, "--verdict", "on-track", "--employer-present",
        env=env)  # fmt: skip
    nbm("trajectory", "start-placement", tid, "--name", "Vakjargon", "--hours", "16", env=env)
    comment(_("Werkfit done: the same trajectory continues in an NBM programme:"))
    nbm(
        "trajectory", "hand-over", tid, "--programme", "large-scale-growth",
        "--employer", "schoonmaak-noord", "--function", "Schoonmaker", "--expected-date",
        expected, "--skill", "schoonmaken", "--reason", "modules afgerond", env=env,
    )  # fmt: skip
    return tid


def demo_caseload_and_report(env: dict[str, str], expected: str) -> str:
    """F: an existing caseload imported from CSV, the coach's morning lists, the outcomes."""
    banner(_("F. The caseload: an import from CSV, the coach's lists, the outcome report"))
    run = uuid.uuid4().hex[:6]
    today = coach_today()
    rows = ["coach,started_on,employer,function,expected_date,skills,programme,request_id"]
    rows += [
        f"{env['NBM_ACTOR']},{(today - timedelta(weeks=3 * i + 1)).isoformat()},"
        f"employer-import-demo,Orderpicker,{expected},orderpicken|VCA,standard,demo-{run}-{i}"
        for i in range(8)
    ]
    settings = load_settings()
    folder = settings.data_dir / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    csv_file = folder / f"demo-caseload-{run}.csv"
    csv_file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    nbm("import", str(csv_file), env=env)
    nbm("import", str(csv_file), env=env)  # again: nothing started twice
    # The lists and reports read the read models: wait until the projector has caught up.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = json.loads(nbm("report", "projections", "--json", env=env, quiet=True))
        if status["lag"] == 0:
            break
        time.sleep(1)
    nbm("caseload", env=env)
    page = settings.data_dir / "reports" / f"outcomes-{today.isoformat()}.html"
    nbm("report", "outcomes", "--html", "--out", str(page), env=env)
    return str(page.resolve())


def main() -> int:
    try:
        settings = load_settings()
        address = settings.resolved_temporal_address()
    except ConfigError as err:
        print(_("error: {message}").format(message=err), file=sys.stderr)
        return 1
    env = dict(os.environ)
    env.setdefault("NBM_ACTOR", "demo-coach")
    # Each run gives the demo's coach new trajectories; the caseload limit (35 open by
    # default, nbm people set-caseload-limit) would stop a demo run for the tenth time.
    env.setdefault("NBM_CASELOAD_LIMIT", "500")
    started = time.monotonic()
    print(
        _("Demo against Temporal at {address}, task queue {queue}.").format(
            address=address, queue=repr(settings.task_queue)
        )
    )
    expected = (coach_today() + timedelta(days=270)).isoformat()
    try:
        a = demo_small_scale(env, expected)
        b = demo_wijkleerbedrijf(env, expected)
        c, c_ref = demo_ended_early(env, expected)
        e = demo_programmes(env, expected)
        d = demo_employers(env, expected)
        page = demo_caseload_and_report(env, expected)
        banner(_("Where A stands now (the candidate's name and BSN stay masked)"))
        nbm("trajectory", "show", a, env=env)
    except (DemoFailed, subprocess.TimeoutExpired, OSError) as err:
        print("\n" + _("The demo stops: {reason}").format(reason=err), file=sys.stderr)
        return 1
    print(
        "\n"
        + _(
            "Demo done in {seconds} s. The timers keep firing:\n"
            "  A: an evaluation falls due every 30 s; one left unrecorded is escalated when\n"
            "     the next falls due; learning ends after 2 minutes (escalated: an outcome\n"
            "     is needed).\n"
            "  B: the follow-up falls due 1 minute after the job.\n"
            "Try:"
        ).format(seconds=f"{time.monotonic() - started:.0f}"),
        flush=True,
    )
    tries = [
        (f"trajectory show {a}", ""),
        (f"trajectory show {a} --show-personal", ""),
        (f"trajectory timeline {a}", ""),
        (f"trajectory show {b}", ""),
        (
            f"trajectory record-follow-up {b} --still-employed --benefit-ended",
            _("(after 1 minute)"),
        ),
        (f"trajectory show {c} --json", ""),
        (f"candidate status {c_ref}", ""),
        (f"trajectory show {e}", _("(E: Werkfit handed over, one history)")),
        ("trajectory list --all", ""),
        (f"future-job show {d['silent']}", _("(D: the silent employer)")),
        (f"--actor {d['manager']} tasks --mine", _("(climbs to the supervisor)")),
        ("mail list", _("(and nbm mail show ID)")),
        ("caseload", _("(the coach's lists; --json)")),
        ("report outcomes --by programme", ""),
    ]
    for command, note in tries:
        print(f"  .venv/bin/nbm {command}" + (f"   {note}" if note else ""), flush=True)
    print(_("and the Temporal Web UI for the workflows and their timers."), flush=True)
    print(_("The outcome report with its charts: {page}").format(page=page), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
