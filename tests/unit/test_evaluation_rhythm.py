"""Evaluations held ahead of time, pending ones at the end of learning, and the end after a job."""

from __future__ import annotations

from datetime import datetime

import pytest

from domain import trajectory
from tests import factories as f
from tests.unit.story import WEEK, employed, learning

EVALUATION = trajectory.DeadlineKind.EVALUATION


def evaluate() -> trajectory.RecordEvaluation:
    return trajectory.RecordEvaluation(
        actor=f.COACH, verdict=trajectory.EvaluationVerdict.ON_TRACK, employer_present=True
    )


def test_an_evaluation_held_shortly_before_it_is_due_answers_it() -> None:
    story = learning()
    due = story.deadline(EVALUATION).at
    story.do(evaluate(), at=due - WEEK)
    [fired] = story.reach(EVALUATION)
    assert isinstance(fired, trajectory.EvaluationDue) and fired.already_evaluated
    assert story.trajectory.evaluation_pending_since is None
    # And so the next due date does not escalate about it.
    assert [type(e) for e in story.reach(EVALUATION)] == [trajectory.EvaluationDue]


def test_an_evaluation_held_long_before_it_is_due_does_not_answer_it() -> None:
    story = learning()
    due = story.deadline(EVALUATION).at
    story.do(evaluate(), at=due - 5 * WEEK)
    [fired] = story.reach(EVALUATION)
    assert isinstance(fired, trajectory.EvaluationDue) and not fired.already_evaluated
    assert story.trajectory.evaluation_pending_since == due


def test_a_late_evaluation_answers_the_pending_one_not_the_next() -> None:
    story = learning()
    story.reach(EVALUATION)
    story.do(evaluate(), at=story.deadline(EVALUATION).at - WEEK)
    [fired] = story.reach(EVALUATION)
    assert isinstance(fired, trajectory.EvaluationDue) and not fired.already_evaluated


def test_the_end_of_learning_clears_a_pending_evaluation() -> None:
    story = learning(weeks=12)
    story.reach(EVALUATION)
    assert story.trajectory.evaluation_pending_since is not None
    story.reach(trajectory.DeadlineKind.LEARNING_END)
    assert story.trajectory.evaluation_pending_since is None
    story.do(trajectory.ExtendLearning(actor=f.COACH, weeks=12, reason="learns on"))
    # The first evaluation of the extension does not escalate about the old period.
    assert [type(e) for e in story.reach(EVALUATION)] == [trajectory.EvaluationDue]


def test_ending_after_a_regular_job_counts_the_placement() -> None:
    story = employed()
    [closed] = story.do(
        trajectory.EndTrajectory(actor=f.COACH, reason=trajectory.ClosureReason.CANDIDATE_WITHDREW)
    )
    assert isinstance(closed, trajectory.TrajectoryClosed)
    assert closed.outcome_type is trajectory.OutcomeType.PLACED
    assert story.trajectory.lasting_placement is None


def test_decide_refuses_a_time_without_a_zone() -> None:
    story = learning()
    with pytest.raises(ValueError, match="aware"):
        trajectory.decide(story.state, evaluate(), datetime(2027, 1, 1, 9))
