"""The aftercare's commands refuse bad input in one line, before anything is sent: the
benefit answered twice or not at all, a wage-value assessment in part, a date that is none."""

from __future__ import annotations

import pytest

from domain import trajectory
from nbm.cli.trajectory._aftercare import benefit_end_answer

from .conftest import assert_user_error, invoke

JOB = ["trajectory", "record-regular-job", "traj-1", "--employer", "e1", "--hours", "24",
       "--start-date", "2027-01-01"]  # fmt: skip
CHECKPOINT = ["trajectory", "record-checkpoint", "traj-1", "--month", "3", "--still-employed",
              "--hours", "24"]  # fmt: skip
REASSESS = ["trajectory", "record-wage-value-reassessment", "traj-1"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([*JOB, "--benefit-partly", "--benefit-ended"], "not two"),
        ([*JOB, "--benefit-partly", "--no-benefit"], "not two"),
        ([*JOB], "say whether the benefit ends"),
        ([*JOB, "--benefit-partly", "--wage-value", "70"], "missing: --assessed-by, --assessed-on"),
        (
            [
                *JOB,
                "--benefit-partly",
                "--wage-value",
                "70",
                "--assessed-by",
                "uwv-1",
                "--assessed-on",
                "1 januari",
            ],
            "--assessed-on",
        ),
        (
            [
                *JOB,
                "--benefit-partly",
                "--wage-value",
                "170",
                "--assessed-by",
                "uwv-1",
                "--assessed-on",
                "2026-12-01",
                "--lks-decided-on",
                "2026-12-15",
                "--reassess-on",
                "2027-12-01",
            ],
            "--wage-value: Input should be less than or equal to 100",
        ),
        (
            [
                *JOB,
                "--benefit-partly",
                "--wage-value",
                "70",
                "--assessed-by",
                "uwv-1",
                "--assessed-on",
                "2026-12-01",
            ],
            "needs its wage-value assessment, decision date",
        ),
        (
            [
                *JOB,
                "--benefit-partly",
                "--wage-value",
                "70",
                "--assessed-by",
                "uwv 1",
                "--assessed-on",
                "2026-12-01",
                "--lks-decided-on",
                "2026-12-15",
                "--reassess-on",
                "2027-12-01",
            ],
            "--assessed-by: must be an id",
        ),
        ([*CHECKPOINT], "say whether the benefit ends"),
        ([*CHECKPOINT, "--benefit-partly", "--benefit-continues"], "not two"),
        ([*CHECKPOINT[:-2], "--hours", "60", "--benefit-partly"], "--hours"),
        ([*CHECKPOINT[:4], "30", *CHECKPOINT[5:], "--benefit-ended"], "--month"),
        ([*REASSESS], "give the new wage value"),
        ([*REASSESS, "--wage-value", "80", "--assessed-by", "uwv-1"], "missing: --assessed-on"),
        (
            [
                *REASSESS,
                "--wage-value",
                "80",
                "--assessed-by",
                "uwv-1",
                "--assessed-on",
                "2027-07-01",
                "--next-reassess-on",
                "volgend jaar",
            ],
            "--next-reassess-on",
        ),
    ],
)
def test_bad_input_is_one_line_before_anything_is_sent(
    offline_env: dict[str, str | None], args: list[str], expected: str
) -> None:
    assert_user_error(invoke(args, offline_env), expected)


@pytest.mark.parametrize(
    ("ended", "partly", "none", "kind"),
    [
        (True, False, False, trajectory.BenefitEnd.FULLY),
        (None, True, False, trajectory.BenefitEnd.PARTLY),
        (False, False, False, trajectory.BenefitEnd.CONTINUES),
        (None, False, True, trajectory.BenefitEnd.NOT_APPLICABLE),
    ],
)
def test_each_benefit_option_is_its_answer(
    ended: bool | None, partly: bool, none: bool, kind: trajectory.BenefitEnd
) -> None:
    assert benefit_end_answer(ended, partly, none) is kind
