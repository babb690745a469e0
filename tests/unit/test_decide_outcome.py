"""Step 6 and the end of the road: a regular job, follow-on education, the follow-up, closure."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain import trajectory
from domain.shared import COACH_TIME_ZONE, RuleViolation, WrongStep
from tests import factories as f
from tests.unit.story import (
    OLD_FOLLOW_UP,
    WEEK,
    employed,
    envelope,
    follow_up_due,
    learning,
    learning_ended,
    mapped,
    ready,
    started,
)

EDUCATION = trajectory.RecordFollowOnEducation(
    actor=f.COACH, institute="ROC Flevoland", course="BBL mbo 3 Verzorgende IG"
)


def follow_up(still_employed: bool = True) -> trajectory.RecordFollowUp:
    return trajectory.RecordFollowUp(
        actor=f.COACH, still_employed=still_employed, benefit_ended=True
    )


# --- the regular job ----------------------------------------------------------------------


FOLLOW_UP = datetime(2027, 7, 2, 7, tzinfo=UTC)
"""26 weeks after the factories' job begins (1 January 2027): 2 July, 09:00 in Amsterdam,
which in summer time is 07:00 UTC."""


def test_regular_job_at_full_hours_emits_only_the_job() -> None:
    story = learning_ended()
    story.rules = OLD_FOLLOW_UP
    command = f.regular_job(36, wage_cost_subsidy_pct=30, employer_id="employer-other")
    assert story.do(command) == [
        trajectory.RegularJobStarted(
            **envelope(story, 8),
            employer_id="employer-other",
            contract_hours_per_week=36,
            start_date=date(2027, 1, 1),
            wage_cost_subsidy_pct=30,
            benefit_ended=True,
            follow_up_at=FOLLOW_UP,
            benefit_end=trajectory.BenefitEnd.FULLY,
        )
    ]
    assert story.trajectory.step is trajectory.Step.OUTCOME
    assert story.trajectory.employer_id == "employer-other"
    assert story.trajectory.regular_job is not None


def test_the_follow_up_counts_from_the_jobs_first_day_not_from_when_it_was_recorded() -> None:
    later = date(2027, 6, 1)  # a job agreed now that begins in three months
    story = learning_ended()
    story.rules = OLD_FOLLOW_UP
    [job] = story.do(f.regular_job(36, start_date=later))[:1]
    assert isinstance(job, trajectory.RegularJobStarted)
    # 26 weeks on: 30 November, 09:00 in Amsterdam, in winter time 08:00 UTC
    assert job.follow_up_at == datetime(2027, 11, 30, 8, tzinfo=UTC)


def test_a_trajectory_from_before_the_rule_keeps_its_old_follow_up() -> None:
    # What its workflow replays: the rule of the time, as the events it stored say.
    story = learning_ended()
    old = trajectory.Rules(follow_up_from_job_start=False, outcome_checkpoints=False)
    [job] = trajectory.decide(story.state, f.regular_job(36), story.now, old)[:1]
    assert isinstance(job, trajectory.RegularJobStarted)
    assert job.follow_up_at == story.now + 26 * WEEK


def test_regular_job_may_come_during_learning_and_stops_its_timers() -> None:
    story = learning()
    story.rules = OLD_FOLLOW_UP
    story.later(4 * WEEK).do(f.regular_job(24))
    assert story.trajectory.step is trajectory.Step.OUTCOME
    assert trajectory.deadlines(story.state) == [
        trajectory.Deadline(kind=trajectory.DeadlineKind.FOLLOW_UP, at=FOLLOW_UP)
    ]


@pytest.mark.parametrize(
    ("hours", "benefit_ended", "message"),
    [
        (32, False, "contract of 32 hours a week; benefit dependence continues"),
        (12, False, "contract of 12 hours a week (a small contract); benefit dependence continues"),
    ],
)
def test_a_contract_while_benefits_continue_is_escalated(
    hours: int, benefit_ended: bool, message: str
) -> None:
    story = learning_ended()
    story.rules = OLD_FOLLOW_UP
    events = story.do(f.regular_job(hours, benefit_ended=benefit_ended))
    assert [type(e) for e in events] == [trajectory.RegularJobStarted, trajectory.EscalationRaised]
    assert events[1] == trajectory.EscalationRaised(
        **envelope(story, 9), reason=trajectory.EscalationReason.SMALL_CONTRACT, message=message
    )
    assert trajectory.SMALL_CONTRACT_HOURS == 24


def test_regular_job_without_hours_is_refused() -> None:
    with pytest.raises(RuleViolation, match="a contract must state its hours"):
        learning_ended().decide(f.regular_job(None))


@pytest.mark.parametrize("hours", [0, -8, 41, 60])
def test_contract_hours_outside_1_to_40_are_refused(hours: int) -> None:
    with pytest.raises(RuleViolation, match=f"between 1 and 40 a week, not {hours}"):
        learning_ended().decide(f.regular_job(hours))


@pytest.mark.parametrize("hours", [1, 40])
def test_contract_hours_at_the_bounds_are_accepted(hours: int) -> None:
    assert learning_ended().decide(f.regular_job(hours))


def test_a_second_regular_job_is_refused() -> None:
    with pytest.raises(WrongStep, match="already has a regular job; a second regular job"):
        employed().decide(f.regular_job())


@pytest.mark.parametrize("benefit_ended", [True, None])
def test_no_small_contract_alert_once_benefits_end_or_when_there_were_none(
    benefit_ended: bool | None,
) -> None:
    # The seeds: the alert is about benefit dependence; a 16-hour job that ends the benefit,
    # or one for someone who had none, is no concern of it.
    story = learning_ended()
    story.rules = OLD_FOLLOW_UP
    events = story.do(f.regular_job(16, benefit_ended=benefit_ended))
    assert [type(e) for e in events] == [trajectory.RegularJobStarted]


def test_the_old_small_contract_rule_decides_what_it_decided() -> None:
    # A trajectory from before the change replays its history with the old rule.
    old = trajectory.Rules(method_as_written=False, outcome_checkpoints=False)
    story = learning_ended()
    events = trajectory.decide(story.state, f.regular_job(16), story.now, old)
    assert [type(e) for e in events] == [trajectory.RegularJobStarted, trajectory.EscalationRaised]


def test_a_regular_job_without_learning_is_recorded_with_its_hours() -> None:
    # Someone who finds other work before learning starts: a job, not a closure without hours.
    story = ready()
    story.rules = OLD_FOLLOW_UP
    [job] = story.do(f.regular_job(28))
    assert isinstance(job, trajectory.RegularJobStarted) and job.contract_hours_per_week == 28
    assert story.trajectory.step is trajectory.Step.OUTCOME
    assert [d.kind for d in trajectory.deadlines(story.state)] == [
        trajectory.DeadlineKind.FOLLOW_UP
    ]


def test_a_regular_job_before_a_match_is_refused() -> None:
    with pytest.raises(WrongStep, match="match a candidate first"):
        mapped().decide(f.regular_job())


# --- the follow-up: a lasting placement? --------------------------------------------------


def test_follow_up_before_it_is_due_is_refused() -> None:
    story = employed()
    due = story.trajectory.follow_up_at
    assert due is not None
    shown = f"{due.astimezone(COACH_TIME_ZONE):%Y-%m-%d %H:%M} \\(Europe/Amsterdam\\)"
    with pytest.raises(WrongStep, match=f"the follow-up is due on {shown}; record it"):
        story.decide(follow_up())


def test_follow_up_without_a_regular_job_is_refused() -> None:
    with pytest.raises(WrongStep, match="comes after a regular job, which has not been"):
        learning_ended().decide(follow_up())


@pytest.mark.parametrize("still_employed", [True, False])
def test_follow_up_closes_as_placed(still_employed: bool) -> None:
    story = follow_up_due().later(WEEK)
    version = story.version
    assert story.do(follow_up(still_employed)) == [
        trajectory.FollowUpRecorded(
            **envelope(story, version + 1), still_employed=still_employed, benefit_ended=True
        ),
        trajectory.TrajectoryClosed(
            **envelope(story, version + 2),
            reason="regular-job-followed-up",
            outcome_type=trajectory.OutcomeType.PLACED,
            lasting_placement=still_employed,
        ),
    ]
    state = story.trajectory
    assert state.step is trajectory.Step.CLOSED
    assert state.outcome_type is trajectory.OutcomeType.PLACED
    assert state.lasting_placement is still_employed
    assert state.closed_at == story.now


# --- follow-on education ------------------------------------------------------------------


def test_follow_on_education_closes_with_outcome_education() -> None:
    story = learning_ended().later(WEEK)
    assert story.do(EDUCATION) == [
        trajectory.FollowOnEducationStarted(
            **envelope(story, 8), institute="ROC Flevoland", course="BBL mbo 3 Verzorgende IG"
        ),
        trajectory.TrajectoryClosed(
            **envelope(story, 9),
            reason="follow-on-education",
            outcome_type=trajectory.OutcomeType.EDUCATION,
        ),
    ]
    assert story.trajectory.outcome_type is trajectory.OutcomeType.EDUCATION
    assert trajectory.deadlines(story.state) == []


def test_follow_on_education_before_learning_is_refused() -> None:
    with pytest.raises(WrongStep, match="comes after learning in, which has not started"):
        ready().decide(EDUCATION)


def test_follow_on_education_after_a_regular_job_is_refused() -> None:
    with pytest.raises(WrongStep, match="already has a regular job; follow-on education"):
        employed().decide(EDUCATION)


# --- ending a trajectory ------------------------------------------------------------------


@pytest.mark.parametrize("reason", list(trajectory.ClosureReason), ids=str)
def test_ending_maps_the_reason_to_its_outcome(reason: trajectory.ClosureReason) -> None:
    story = learning().later(WEEK)
    command = trajectory.EndTrajectory(actor=f.COACH, reason=reason, explanation="see the file")
    assert story.do(command) == [
        trajectory.TrajectoryClosed(
            **envelope(story, 6),
            reason=reason.value,
            outcome_type=reason.outcome_type,
            explanation="see the file",
        )
    ]
    assert story.trajectory.closure_reason == reason.value
    assert story.trajectory.outcome_type is reason.outcome_type
    assert trajectory.deadlines(story.state) == []


def test_ending_for_reason_other_needs_an_explanation() -> None:
    with pytest.raises(RuleViolation, match="reason 'other' needs an explanation"):
        started().decide(
            trajectory.EndTrajectory(actor=f.COACH, reason=trajectory.ClosureReason.OTHER)
        )


def test_ending_for_a_named_reason_needs_no_explanation() -> None:
    command = trajectory.EndTrajectory(
        actor=f.COACH, reason=trajectory.ClosureReason.EMPLOYER_WITHDREW
    )
    [closed] = started().decide(command)
    assert isinstance(closed, trajectory.TrajectoryClosed)
    assert closed.explanation is None


def test_a_trajectory_can_end_in_step_one() -> None:
    story = started()
    story.do(
        trajectory.EndTrajectory(
            actor=f.COACH, reason=trajectory.ClosureReason.NO_SUITABLE_CANDIDATE
        )
    )
    assert story.trajectory.step is trajectory.Step.CLOSED
