"""`Trajectory.step`: the six steps read off the state, with steps 3 and 4 in either order."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from domain import trajectory
from tests import factories as f
from tests.unit.story import WEEK, Story, learning_ended, mapped, started

S = trajectory.Step


def steps_after_each(
    story: Story, commands: Sequence[trajectory.AnyCommand]
) -> list[trajectory.Step]:
    seen = []
    for command in commands:
        story.later(WEEK).do(command)
        seen.append(story.trajectory.step)
    return seen


def test_the_six_steps_with_the_agreement_first() -> None:
    story = started()
    assert story.trajectory.step is S.FUTURE_JOB_IN_VIEW
    commands: list[trajectory.AnyCommand] = [
        f.map_possibilities(),
        f.establish_agreement(),
        f.match(),
        f.start_learning(),
        f.regular_job(),
    ]
    assert steps_after_each(story, commands) == [
        S.POSSIBILITIES_MAPPED,
        S.AGREEMENT_OR_MATCH,
        S.AGREEMENT_OR_MATCH,
        S.LEARNING_IN,
        S.OUTCOME,
    ]
    for month in (1, 3, 6, 12):  # the follow-up checkpoints; the last one closes it
        assert story.trajectory.step is S.OUTCOME
        story.reach(trajectory.DeadlineKind.CHECKPOINT)
        story.do(
            trajectory.RecordCheckpoint(
                actor=f.COACH, month=month, still_employed=True, hours_per_week=32,
                benefit_end=trajectory.BenefitEnd.FULLY,
            )
        )  # fmt: skip
    assert story.trajectory.step is S.CLOSED


def test_the_match_may_come_before_the_agreement() -> None:
    story = mapped()
    commands: list[trajectory.AnyCommand] = [f.match(), f.establish_agreement(), f.start_learning()]
    assert steps_after_each(story, commands) == [
        S.AGREEMENT_OR_MATCH,
        S.AGREEMENT_OR_MATCH,
        S.LEARNING_IN,
    ]


def test_steps_three_and_four_may_iterate() -> None:
    story = mapped()
    commands: list[trajectory.AnyCommand] = [
        f.establish_agreement(weeks=26),
        f.match(candidate_ref="cand-0001"),
        f.establish_agreement(weeks=40),
        f.map_possibilities(),
        f.match(candidate_ref="cand-0002"),
        f.start_learning(),
    ]
    assert steps_after_each(story, commands)[:-1] == [S.AGREEMENT_OR_MATCH] * 5
    state = story.trajectory
    assert state.step is S.LEARNING_IN
    assert state.agreement is not None
    assert state.agreement.duration_weeks == 40
    assert state.candidate is not None
    assert state.candidate.candidate_ref == "cand-0002"


def test_the_end_of_learning_is_step_six_and_an_extension_steps_back() -> None:
    story = learning_ended()
    assert story.trajectory.step is S.OUTCOME
    story.do(trajectory.ExtendLearning(actor=f.COACH, weeks=4, reason="one module to finish"))
    assert story.trajectory.step is S.LEARNING_IN


@pytest.mark.parametrize("upto", [0, 1, 2, 3, 4, 5])
def test_a_trajectory_closes_from_any_step(upto: int) -> None:
    story = started()
    path: list[trajectory.AnyCommand] = [
        f.map_possibilities(),
        f.establish_agreement(),
        f.match(),
        f.start_learning(),
        f.regular_job(),
    ]
    for command in path[:upto]:
        story.do(command)
    story.do(
        trajectory.EndTrajectory(actor=f.COACH, reason=trajectory.ClosureReason.CANDIDATE_WITHDREW)
    )
    assert story.trajectory.step is S.CLOSED
    assert story.trajectory.closed
