"""The error tree: stable codes, the trajectory each error is about, no personal data."""

from __future__ import annotations

import pytest

from domain import trajectory
from domain.shared import DomainError, RuleViolation, WrongStep
from tests import factories as f
from tests.unit.story import TID, Story, agreed, closed, learning, matched


def test_error_types_by_code() -> None:
    assert {
        "domain-error": DomainError,
        "rule-violation": RuleViolation,
        "wrong-step": WrongStep,
        "trajectory-closed": trajectory.TrajectoryClosedError,
        "trajectory-not-started": trajectory.TrajectoryNotStarted,
        "trajectory-already-started": trajectory.TrajectoryAlreadyStarted,
    } == trajectory.ERROR_TYPES
    assert all(issubclass(cls, DomainError) for cls in trajectory.ERROR_TYPES.values())


def test_an_error_keeps_its_message_for_people() -> None:
    error = RuleViolation("a contract must state its hours per week", stream_id="t-1")
    assert str(error) == error.message == "a contract must state its hours per week"
    assert error.stream_id == "t-1"


@pytest.mark.parametrize(
    ("story", "command", "error"),
    [
        (agreed, f.start_learning(), WrongStep),
        (matched, f.match(motivation_screen_passed=False), RuleViolation),
        (closed, f.map_possibilities(), trajectory.TrajectoryClosedError),
    ],
    ids=["wrong-step", "rule-violation", "closed"],
)
def test_refusals_name_the_trajectory(
    story: object, command: trajectory.AnyCommand, error: type[DomainError]
) -> None:
    with pytest.raises(error) as caught:
        story().decide(command)  # type: ignore[operator]
    assert caught.value.stream_id == TID


def refusals_with_a_candidate() -> list[tuple[Story, trajectory.AnyCommand]]:
    """A refusal of every kind, on a trajectory that holds the candidate's personal data."""
    m, lrn = matched(), learning()
    return [
        (m, f.match(motivation_screen_passed=False)),
        (m, f.start_learning()),
        (m, trajectory.ResolveBarrier(actor=f.COACH, barrier=trajectory.Barrier.DEBTS)),
        (m, trajectory.ResolveCalamity(actor=f.COACH, number=3)),
        (m, trajectory.EndTrajectory(actor=f.COACH, reason=trajectory.ClosureReason.OTHER)),
        (lrn, f.match()),
        (lrn, f.regular_job(None)),
        (lrn, f.regular_job(41)),
        (lrn, trajectory.ExtendLearning(actor=f.COACH, weeks=60, reason="more")),
        (
            lrn,
            trajectory.ProposeOtherEmployer(actor=f.COACH, employer_id=f.EMPLOYER, reason="none"),
        ),
        (lrn, trajectory.RecordFollowUp(actor=f.COACH, still_employed=True, benefit_ended=True)),
        (
            lrn,
            trajectory.ReachDeadline(
                actor=trajectory.SYSTEM_ACTOR,
                deadline=trajectory.DeadlineKind.FOLLOW_UP,
                due_at=lrn.now,
            ),
        ),
        (lrn, f.start(lrn.now, trajectory_id=TID)),
        (closed(), f.match()),
    ]


def test_no_refusal_holds_the_candidates_name_or_bsn() -> None:
    for story, command in refusals_with_a_candidate():
        with pytest.raises(DomainError) as caught:
            story.decide(command)
        for text in (str(caught.value), repr(caught.value), caught.value.message):
            assert f.CANDIDATE_NAME not in text, command.kind
            assert f.CANDIDATE_BSN not in text, command.kind


def test_the_state_shows_the_candidate_redacted() -> None:
    # A state is what a workflow query or an audit log prints.
    state = matched().trajectory
    assert f.CANDIDATE_NAME not in repr(state)
    assert f.CANDIDATE_BSN not in repr(state)
