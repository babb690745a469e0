"""The error tree: stable codes, the trajectory each error is about, no personal data."""

from __future__ import annotations

import pytest

import domain as d
from tests import factories as f
from tests.unit.story import TID, Story, closed, learning, matched


def test_error_types_by_code() -> None:
    assert {
        "domain-error": d.DomainError,
        "rule-violation": d.RuleViolation,
        "wrong-step": d.WrongStep,
        "trajectory-closed": d.TrajectoryClosedError,
        "trajectory-not-started": d.TrajectoryNotStarted,
        "trajectory-already-started": d.TrajectoryAlreadyStarted,
    } == d.ERROR_TYPES
    assert all(issubclass(cls, d.DomainError) for cls in d.ERROR_TYPES.values())


def test_an_error_keeps_its_message_for_people() -> None:
    error = d.RuleViolation("a contract must state its hours per week", trajectory_id="t-1")
    assert str(error) == error.message == "a contract must state its hours per week"
    assert error.trajectory_id == "t-1"


@pytest.mark.parametrize(
    ("story", "command", "error"),
    [
        (matched, f.start_learning(), d.WrongStep),
        (matched, f.match(motivation_screen_passed=False), d.RuleViolation),
        (closed, f.map_possibilities(), d.TrajectoryClosedError),
    ],
    ids=["wrong-step", "rule-violation", "closed"],
)
def test_refusals_name_the_trajectory(
    story: object, command: d.AnyCommand, error: type[d.DomainError]
) -> None:
    with pytest.raises(error) as caught:
        story().decide(command)  # type: ignore[operator]
    assert caught.value.trajectory_id == TID


def refusals_with_a_candidate() -> list[tuple[Story, d.AnyCommand]]:
    """A refusal of every kind, on a trajectory that holds the candidate's personal data."""
    m, lrn = matched(), learning()
    return [
        (m, f.match(motivation_screen_passed=False)),
        (m, f.start_learning()),
        (m, d.ResolveBarrier(actor=f.COACH, barrier=d.Barrier.DEBTS)),
        (m, d.ResolveCalamity(actor=f.COACH, number=3)),
        (m, d.EndTrajectory(actor=f.COACH, reason=d.ClosureReason.OTHER)),
        (lrn, f.match()),
        (lrn, f.regular_job(None)),
        (lrn, f.regular_job(41)),
        (lrn, d.ExtendLearning(actor=f.COACH, weeks=60, reason="more")),
        (lrn, d.ProposeOtherEmployer(actor=f.COACH, employer_id=f.EMPLOYER, reason="none")),
        (lrn, d.RecordFollowUp(actor=f.COACH, still_employed=True, benefit_ended=True)),
        (
            lrn,
            d.ReachDeadline(
                actor=d.SYSTEM_ACTOR, deadline=d.DeadlineKind.FOLLOW_UP, due_at=lrn.now
            ),
        ),
        (lrn, f.start(lrn.now, trajectory_id=TID)),
        (closed(), f.match()),
    ]


def test_no_refusal_holds_the_candidates_name_or_bsn() -> None:
    for story, command in refusals_with_a_candidate():
        with pytest.raises(d.DomainError) as caught:
            story.decide(command)
        for text in (str(caught.value), repr(caught.value), caught.value.message):
            assert f.CANDIDATE_NAME not in text, command.kind
            assert f.CANDIDATE_BSN not in text, command.kind


def test_the_state_shows_the_candidate_redacted() -> None:
    # A state is what a workflow query or an audit log prints.
    state = matched().trajectory
    assert f.CANDIDATE_NAME not in repr(state)
    assert f.CANDIDATE_BSN not in repr(state)
