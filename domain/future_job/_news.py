"""What a trajectory's events mean for the future job it learns towards: pure, so the
trajectory's workflow only passes the news on (`news_for`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from .. import trajectory
from ..shared import COACH_TIME_ZONE
from ._commands import (
    AnyCommand,
    DetachCandidate,
    FillPlace,
    InviteToEvaluation,
    PlanLearning,
)
from ._values import DetachReason

PLACED = trajectory.OutcomeType.PLACED


def news_for(events: Iterable[trajectory.AnyEvent]) -> list[AnyCommand]:
    """The commands for the future job that `events` of one trajectory lead to.

    Learning planned or extended: when it ends (the vacancy confirmation comes before it).
    An evaluation scheduled: all parties invited, one evaluation ahead. A regular job: the
    place filled (a work-study job is learning on, not the place). Follow-on education, or
    an end without a job: the place let go.
    """
    found: list[AnyCommand] = []
    for event in events:
        tid = event.trajectory_id
        envelope = {"actor": event.actor, "request_id": f"{tid}.{event.version}"}
        match event:
            case trajectory.LearningStarted():
                found.append(
                    PlanLearning(trajectory_id=tid, ends_on=_day(event.ends_at), **envelope)
                )
                found.append(InviteToEvaluation(
                    trajectory_id=tid, due_on=_day(event.first_evaluation_at), **envelope
                ))  # fmt: skip
            case trajectory.LearningExtended():
                found.append(
                    PlanLearning(trajectory_id=tid, ends_on=_day(event.ends_at), **envelope)
                )
            case trajectory.EvaluationDue():
                found.append(InviteToEvaluation(
                    trajectory_id=tid, due_on=_day(event.next_evaluation_at), **envelope
                ))  # fmt: skip
            case trajectory.RegularJobStarted() if not event.work_study:
                found.append(FillPlace(trajectory_id=tid, started_on=event.start_date, **envelope))
            case trajectory.FollowOnEducationStarted():
                found.append(DetachCandidate(
                    trajectory_id=tid, reason=DetachReason.FOLLOW_ON_EDUCATION, **envelope
                ))  # fmt: skip
            case trajectory.TrajectoryClosed() if event.outcome_type is not PLACED:
                found.append(DetachCandidate(
                    trajectory_id=tid, reason=DetachReason.DROPPED_OUT, **envelope
                ))  # fmt: skip
    return found


def _day(moment: datetime) -> date:
    """The day in Amsterdam (a trajectory's moments are real ones, also on the demo clock)."""
    return moment.astimezone(COACH_TIME_ZONE).date()
