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

The CLI seals every candidate's personal data with the candidate's own key before it sends
it, so it needs the key store (NBM_DATABASE_URL and NBM_KEK; the embedded stack provides
both). The settings come from the environment or `data/stack.json`, as for the CLI. The names
and BSNs are fictional; each run uses new candidate references, as an erased one stays erased.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from nbm.settings import ConfigError, load_settings

NBM = Path(sys.executable).parent / "nbm"
COMMAND_TIMEOUT = 60  # seconds; a command waits for the worker at most this long


class DemoFailed(Exception):
    """A command of the demo did not end as the demo expects."""


def nbm(*args: str, env: dict[str, str], refused: bool = False) -> str:
    """Run `nbm args`, print it and its output; its stdout. `refused`: it must fail."""
    print(f"\n$ nbm {shlex.join(args)}", flush=True)
    proc = subprocess.run(
        [str(NBM), *args], env=env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT
    )
    for text in (proc.stdout, proc.stderr):
        if text.strip():
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


def demo_small_scale(env: dict[str, str], expected: str) -> str:
    banner("A. Small-scale growth (kleinschalige groei) on the demo clock: 1 week = 10 s")
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
    banner("B. WijkLeerbedrijf: the match before the agreement, through to a regular job")
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
    print("\n# A placement before the agreement is refused, with the domain's reason:")
    nbm("trajectory", "start-placement", tid, "--name", "orientation", "--hours", "16",
        env=env, refused=True)  # fmt: skip
    nbm(
        "trajectory", "establish-agreement", tid, "--commitment", "job-guarantee",
        "--weeks", "52", "--placement", "orientation:8:16", "--placement", "ADL internship:20:16",
        "--training", "ROC Flevoland:BBL level 2", "--training", "Taalhuis:NT2:employer",
        "--budget", "5000", *SIGNED, env=env,
    )  # fmt: skip
    nbm("trajectory", "start-learning", tid, env=env)
    print("\n# Cohort 1's lesson: the job guarantee becomes an intention, with who and why:")
    nbm(
        "trajectory", "amend-agreement", tid, "--commitment", "intention-to-hire",
        "--weeks", "52", "--placement", "orientation:8:16", "--placement", "ADL internship:20:16",
        "--training", "ROC Flevoland:BBL level 2", "--training", "Taalhuis:NT2:employer",
        "--budget", "5000", *SIGNED, "--reason", "fewer places than estimated", env=env,
    )  # fmt: skip
    nbm(
        "trajectory", "record-regular-job", tid, "--employer", "thuiszorg-flevoland",
        "--hours", "20", "--start-date", (date.today() + timedelta(days=14)).isoformat(),
        "--wage-cost-subsidy", "30", "--benefit-continues", env=env,
    )  # fmt: skip
    return tid


def demo_ended_early(env: dict[str, str], expected: str) -> tuple[str, str]:
    banner("C. Ended early: the candidate withdrew")
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
    print("\n# The candidate asks for erasure: their key is destroyed, the facts stay.")
    nbm("candidate", "erase", ref, "--yes", env=env)
    nbm("trajectory", "show", tid, "--show-personal", env=env)
    return tid, ref


def main() -> int:
    try:
        settings = load_settings()
        address = settings.resolved_temporal_address()
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    env = dict(os.environ)
    env.setdefault("NBM_ACTOR", "demo-coach")
    started = time.monotonic()
    print(f"Demo against Temporal at {address}, task queue {settings.task_queue!r}.")
    expected = (date.today() + timedelta(days=270)).isoformat()
    try:
        a = demo_small_scale(env, expected)
        b = demo_wijkleerbedrijf(env, expected)
        c, c_ref = demo_ended_early(env, expected)
        banner("Where A stands now (the candidate's name and BSN stay masked)")
        nbm("trajectory", "show", a, env=env)
    except (DemoFailed, subprocess.TimeoutExpired, OSError) as err:
        print(f"\nThe demo stops: {err}", file=sys.stderr)
        return 1
    print(
        f"\nDemo done in {time.monotonic() - started:.0f} s. The timers keep firing:\n"
        "  A: an evaluation falls due every 30 s; one left unrecorded is escalated when the\n"
        "     next falls due; learning ends after 2 minutes (escalated: an outcome is needed).\n"
        "  B: the follow-up falls due 1 minute after the job.\n"
        "Try:\n"
        f"  .venv/bin/nbm trajectory show {a}\n"
        f"  .venv/bin/nbm trajectory show {a} --show-personal\n"
        f"  .venv/bin/nbm trajectory events {a}\n"
        f"  .venv/bin/nbm trajectory show {b}\n"
        f"  .venv/bin/nbm trajectory record-follow-up {b} --still-employed --benefit-ended"
        "   (after 1 minute)\n"
        f"  .venv/bin/nbm trajectory show {c} --json\n"
        f"  .venv/bin/nbm candidate status {c_ref}\n"
        "  .venv/bin/nbm trajectory list --all\n"
        "and the Temporal Web UI for the workflows and their timers.",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
