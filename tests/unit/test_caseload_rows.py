"""What counts as contact with the candidate (`nbm caseload`), and the record of a start past
the caseload limit: pure, no I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from activities.chain import canonical_json
from activities.read_model_rows import CONTACT_EVENT_TYPES, contact_at
from domain import trajectory
from domain.streams import TRAJECTORY_EVENT_TYPES
from tests import factories as f
from tests.unit.story import Story

T0 = datetime(2026, 11, 23, 9, tzinfo=UTC)

NOT_CONTACT = frozenset(
    {
        "BenefitRetentionEnding", "EvaluationDue", "EscalationRaised", "EmployerAnswered",
        "FutureJobChanged", "LearningPeriodEnded", "WageValueReassessmentDue",
        "CheckpointsScheduled", "CheckpointDue", "CheckpointMissed", "FollowUpDue",
        "TrajectoryClosed",
    }
)  # fmt: skip
"""The engine's own events, the employer's answers and the future job's news; the closure
(the end, not contact with the candidate)."""


def test_every_event_type_is_contact_or_not_by_a_decision() -> None:
    # A new event type must be put on one side: the caseload's "no contact" list reads it.
    assert CONTACT_EVENT_TYPES | NOT_CONTACT == TRAJECTORY_EVENT_TYPES
    assert not CONTACT_EVENT_TYPES & NOT_CONTACT


@given(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=300)))
def test_contact_is_taken_at_its_effective_time(back: timedelta) -> None:
    story = Story(T0 + timedelta(days=300))
    start = f.start(T0, trajectory_id="traj-contact-1")
    (started,) = story.do(start.model_copy(update={"effective_at": T0 + back}))
    assert contact_at(started) == T0 + back
    engine = started.model_copy(update={"actor": trajectory.SYSTEM_ACTOR})
    assert contact_at(engine) is None  # recorded by the engine: no person spoke to anyone


def test_a_start_past_the_limit_records_the_override_and_a_start_within_keeps_its_bytes() -> None:
    start = f.start(T0, trajectory_id="traj-override-1")
    (plain,) = trajectory.decide(None, start, T0)
    assert b"caseload_override" not in canonical_json(plain.model_dump(mode="json"))
    override = trajectory.CaseloadOverride(
        by="sup-1", reason=trajectory.OverrideReason.COVER, open_trajectories=35, limit=35
    )
    (past,) = trajectory.decide(None, start.model_copy(update={"caseload_override": override}), T0)
    stored = past.model_dump(mode="json")
    assert stored["caseload_override"] == {
        "by": "sup-1", "reason": "cover", "open_trajectories": 35, "limit": 35,
    }  # fmt: skip
    again = trajectory.load_event(stored)
    assert isinstance(again, trajectory.TrajectoryStarted)
    assert again.caseload_override == override
    # The state it folds to is the same: the override is for the auditors, not a rule.
    assert trajectory.fold([past]) == trajectory.fold([plain])
