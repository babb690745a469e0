"""The trajectory's own timers: which are pending (`deadlines`) and what firing one decides."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain import trajectory
from domain.shared import WrongStep
from tests import factories as f
from tests.unit.story import (
    T0,
    WEEK,
    closed,
    employed,
    envelope,
    follow_up_due,
    learning,
    learning_ended,
    mapped,
    ready,
    started,
)

EVALUATION = trajectory.DeadlineKind.EVALUATION
LEARNING_END = trajectory.DeadlineKind.LEARNING_END
FOLLOW_UP = trajectory.DeadlineKind.FOLLOW_UP

# Learning starts one week after T0, the first evaluation is six weeks later.
LEARNING_AT = T0 + WEEK
FIRST_EVALUATION = datetime(2027, 1, 11, 9, tzinfo=UTC)


def reach(kind: trajectory.DeadlineKind, due_at: datetime) -> trajectory.ReachDeadline:
    return trajectory.ReachDeadline(actor=trajectory.SYSTEM_ACTOR, deadline=kind, due_at=due_at)


def system(story: object, version: int) -> dict[str, object]:
    return envelope(story, version, actor=trajectory.SYSTEM_ACTOR)  # type: ignore[arg-type]


# --- which deadlines are pending ----------------------------------------------------------


def test_no_deadlines_without_a_trajectory() -> None:
    assert trajectory.deadlines(None) == []
    assert trajectory.next_deadline(None) is None


@pytest.mark.parametrize("build", [started, mapped, ready], ids=lambda b: b.__name__)
def test_no_deadlines_before_learning(build: object) -> None:
    assert trajectory.deadlines(build().state) == []  # type: ignore[operator]


def test_learning_asks_for_an_evaluation_and_its_end_earliest_first() -> None:
    state = learning(weeks=52).state
    assert LEARNING_AT + 6 * WEEK == FIRST_EVALUATION
    assert trajectory.deadlines(state) == [
        trajectory.Deadline(kind=EVALUATION, at=FIRST_EVALUATION),
        trajectory.Deadline(kind=LEARNING_END, at=LEARNING_AT + 52 * WEEK),
    ]
    assert trajectory.next_deadline(state) == trajectory.Deadline(
        kind=EVALUATION, at=FIRST_EVALUATION
    )


def test_a_short_learning_period_ends_before_its_first_evaluation() -> None:
    assert [x.kind for x in trajectory.deadlines(learning(weeks=4).state)] == [
        LEARNING_END,
        EVALUATION,
    ]


def test_on_a_tie_the_evaluation_comes_before_the_end_of_learning() -> None:
    deadlines = trajectory.deadlines(learning(weeks=6).state)
    assert deadlines[0].at == deadlines[1].at
    assert [x.kind for x in deadlines] == [EVALUATION, LEARNING_END]


def test_after_the_learning_period_ended_nothing_is_pending() -> None:
    assert trajectory.deadlines(learning_ended().state) == []


def test_a_regular_job_asks_only_for_the_follow_up() -> None:
    story = employed()
    assert trajectory.deadlines(story.state) == [
        # 26 weeks after the job's first morning (1 January 2027): 2 July, 09:00 in Amsterdam
        trajectory.Deadline(kind=FOLLOW_UP, at=datetime(2027, 7, 2, 7, tzinfo=UTC)),
    ]


@pytest.mark.parametrize("build", [follow_up_due, closed], ids=lambda b: b.__name__)
def test_nothing_is_pending_once_the_follow_up_is_due_or_closed(build: object) -> None:
    assert trajectory.deadlines(build().state) == []  # type: ignore[operator]


# --- reaching a deadline ------------------------------------------------------------------


def test_reaching_the_evaluation_deadline_asks_for_an_evaluation() -> None:
    story = learning()
    assert story.reach(EVALUATION) == [
        trajectory.EvaluationDue(
            **system(story, 6),
            due_at=FIRST_EVALUATION,
            next_evaluation_at=FIRST_EVALUATION + 6 * WEEK,
        )
    ]
    assert story.trajectory.evaluation_pending_since == FIRST_EVALUATION
    assert story.deadline(EVALUATION).at == FIRST_EVALUATION + 6 * WEEK


def test_a_late_timer_keeps_the_evaluation_rhythm() -> None:
    story = learning()
    late = FIRST_EVALUATION + timedelta(days=2)
    [due] = story.do(reach(EVALUATION, FIRST_EVALUATION), at=late)
    assert due.occurred_at == late
    assert due.next_evaluation_at == FIRST_EVALUATION + 6 * WEEK  # type: ignore[union-attr]


def test_a_second_evaluation_deadline_without_an_evaluation_escalates() -> None:
    story = learning()
    story.reach(EVALUATION)
    second = FIRST_EVALUATION + 6 * WEEK
    assert story.reach(EVALUATION) == [
        trajectory.EscalationRaised(
            **system(story, 7),
            reason=trajectory.EscalationReason.EVALUATION_MISSED,
            message="the evaluation due 2027-01-11 10:00 (Europe/Amsterdam) was not recorded",
        ),
        trajectory.EvaluationDue(
            **system(story, 8), due_at=second, next_evaluation_at=second + 6 * WEEK
        ),
    ]
    # Still the first missed one: the escalation names the oldest evaluation not recorded.
    assert story.trajectory.evaluation_pending_since == FIRST_EVALUATION


def test_one_missed_evaluation_brings_the_coach_in_once() -> None:
    story = learning()
    for _ in range(4):  # one missed, and three more due dates while it stays unrecorded
        story.reach(EVALUATION)
    missed = [e for e in story.events if isinstance(e, trajectory.EscalationRaised)]
    assert len(missed) == 1
    # Recorded at last, then missed again: a new miss, a new escalation.
    story.later(WEEK).do(
        trajectory.RecordEvaluation(
            actor=f.COACH, verdict=trajectory.EvaluationVerdict.ON_TRACK, employer_present=True
        )
    )
    story.reach(EVALUATION)
    story.reach(EVALUATION)
    assert len([e for e in story.events if isinstance(e, trajectory.EscalationRaised)]) == 2


def test_a_trajectory_from_before_the_rule_escalates_each_due_date_as_it_did() -> None:
    story = learning()
    story.reach(EVALUATION)
    story.reach(EVALUATION)
    old = trajectory.Rules(one_escalation_per_missed_evaluation=False)
    due = trajectory.next_deadline(story.state)
    assert due is not None
    command = trajectory.ReachDeadline(
        actor=trajectory.SYSTEM_ACTOR, deadline=due.kind, due_at=due.at
    )
    again = trajectory.decide(story.state, command, due.at, old)
    assert [type(e) for e in again] == [trajectory.EscalationRaised, trajectory.EvaluationDue]
    assert "09:00 UTC" in again[0].message  # type: ignore[union-attr]
    now = trajectory.decide(story.state, command, due.at)
    assert [type(e) for e in now] == [trajectory.EvaluationDue]


def test_an_evaluation_recorded_in_time_prevents_the_escalation() -> None:
    story = learning()
    story.reach(EVALUATION)
    story.later(WEEK).do(
        trajectory.RecordEvaluation(
            actor=f.COACH, verdict=trajectory.EvaluationVerdict.ON_TRACK, employer_present=True
        )
    )
    assert story.trajectory.evaluation_pending_since is None
    assert [type(e) for e in story.reach(EVALUATION)] == [trajectory.EvaluationDue]


def test_reaching_the_end_of_learning_asks_for_an_outcome() -> None:
    story = learning(weeks=12)
    assert story.reach(LEARNING_END) == [
        trajectory.LearningPeriodEnded(**system(story, 6)),
        trajectory.EscalationRaised(
            **system(story, 7),
            reason=trajectory.EscalationReason.OUTCOME_NEEDED,
            message="the learning period has ended: record a regular job, follow-on education, "
            "another employer or an extension",
        ),
    ]
    assert story.now == LEARNING_AT + 12 * WEEK
    assert story.trajectory.step is trajectory.Step.OUTCOME
    assert story.trajectory.learning_ended


def test_reaching_the_follow_up_deadline_asks_for_the_follow_up() -> None:
    story = employed()
    version = story.version
    assert story.reach(FOLLOW_UP) == [
        trajectory.FollowUpDue(**system(story, version + 1)),
        trajectory.EscalationRaised(
            **system(story, version + 2),
            reason=trajectory.EscalationReason.FOLLOW_UP_DUE,
            message="the follow-up is due: record whether the candidate is still employed",
        ),
    ]
    assert story.trajectory.follow_up_pending


def test_a_deadline_that_is_not_pending_is_refused() -> None:
    story = learning()
    # 09:00 UTC is 10:00 in the coach's winter time, and the message says which zone.
    match = r"no follow-up deadline is due at 2027-01-11 10:00 \(Europe/Amsterdam\)"
    with pytest.raises(WrongStep, match=match):
        story.decide(reach(FOLLOW_UP, FIRST_EVALUATION))


def test_a_deadline_at_the_wrong_time_is_refused() -> None:
    story = learning().later(10 * WEEK)
    with pytest.raises(WrongStep, match="no evaluation deadline is due at 2027-01-12 10:00"):
        story.decide(reach(EVALUATION, FIRST_EVALUATION + timedelta(days=1)))


def test_a_deadline_that_already_fired_is_refused() -> None:
    story = learning()
    story.reach(EVALUATION)
    with pytest.raises(WrongStep, match="no evaluation deadline is due at 2027-01-11"):
        story.decide(reach(EVALUATION, FIRST_EVALUATION))


def test_a_deadline_not_yet_due_is_refused() -> None:
    story = learning().later(2 * WEEK)
    with pytest.raises(WrongStep, match="evaluation deadline is not due before 2027-01-11"):
        story.decide(reach(EVALUATION, FIRST_EVALUATION))


def test_a_deadline_is_due_at_exactly_its_time() -> None:
    story = learning()
    assert story.do(reach(EVALUATION, FIRST_EVALUATION), at=FIRST_EVALUATION)
