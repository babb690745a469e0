"""Steps 1 to 4 and the start of learning: the rules before the candidate learns in."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain import trajectory
from domain.shared import RuleViolation, WrongStep
from nbm import programmes
from tests import factories as f
from tests.unit.story import (
    T0,
    TID,
    WEEK,
    Story,
    agreed,
    closed,
    envelope,
    learning,
    mapped,
    ready,
    started,
)

# --- step 1: a future job in view ---------------------------------------------------------


def test_start_emits_trajectory_started() -> None:
    story = Story()
    command = f.start(T0, trajectory_id=TID)
    assert story.do(command) == [
        trajectory.TrajectoryStarted(
            **envelope(story, 1),
            route=trajectory.Route.SMALL_SCALE_GROWTH,
            programme=programmes.programme("standard"),
            coach_id=f.COACH,
            future_job=command.future_job,
        )
    ]
    assert story.trajectory.step is trajectory.Step.FUTURE_JOB_IN_VIEW
    assert story.trajectory.employer_id == f.EMPLOYER


def test_expected_date_in_the_past_is_refused() -> None:
    command = f.start(T0, expected_date=date(2026, 11, 22))
    with pytest.raises(RuleViolation, match="2026-11-22 is in the past: a future job lies ahead"):
        trajectory.decide(None, command, T0)


def test_expected_date_today_is_accepted() -> None:
    assert trajectory.decide(None, f.start(T0, expected_date=T0.date()), T0)


def test_expected_date_exactly_24_months_ahead_is_accepted() -> None:
    assert trajectory.decide(None, f.start(T0, expected_date=date(2028, 11, 23)), T0)


def test_expected_date_more_than_24_months_ahead_is_refused() -> None:
    command = f.start(T0, expected_date=date(2028, 11, 24))
    with pytest.raises(RuleViolation, match="more than 24 months ahead") as caught:
        trajectory.decide(None, command, T0)
    assert caught.value.stream_id == command.trajectory_id


def test_starting_twice_is_refused() -> None:
    story = started()
    with pytest.raises(
        trajectory.TrajectoryAlreadyStarted, match=f"trajectory {TID} already exists"
    ):
        story.decide(f.start(T0, trajectory_id=TID))


@pytest.mark.parametrize(
    "command",
    [
        f.map_possibilities(),
        f.establish_agreement(),
        f.match(),
        f.start_learning(),
        trajectory.EndTrajectory(actor=f.COACH, reason=trajectory.ClosureReason.HEALTH),
        trajectory.ReachDeadline(
            actor=trajectory.SYSTEM_ACTOR, deadline=trajectory.DeadlineKind.EVALUATION, due_at=T0
        ),
    ],
    ids=lambda c: c.kind,
)
def test_commands_on_a_trajectory_not_started_are_refused(command: trajectory.AnyCommand) -> None:
    with pytest.raises(trajectory.TrajectoryNotStarted, match="has not been started"):
        trajectory.decide(None, command, T0)


@pytest.mark.parametrize(
    "command",
    [
        f.map_possibilities(),
        f.match(),
        trajectory.StartPlacement(actor=f.COACH, name="orientation", hours_per_week=16),
        trajectory.RecordEvaluation(
            actor=f.COACH, verdict=trajectory.EvaluationVerdict.ON_TRACK, employer_present=True
        ),
        trajectory.RecordCalamity(actor=f.COACH, calamity_kind=trajectory.CalamityKind.FINANCES),
        trajectory.ExtendLearning(actor=f.COACH, weeks=4, reason="needs more practice"),
        f.regular_job(),
        trajectory.EndTrajectory(actor=f.COACH, reason=trajectory.ClosureReason.HEALTH),
        trajectory.ReachDeadline(
            actor=trajectory.SYSTEM_ACTOR, deadline=trajectory.DeadlineKind.EVALUATION, due_at=T0
        ),
    ],
    ids=lambda c: c.kind,
)
def test_anything_on_a_closed_trajectory_is_refused(command: trajectory.AnyCommand) -> None:
    story = closed()
    with pytest.raises(
        trajectory.TrajectoryClosedError, match=r"is closed \(moved-away\); nothing more"
    ):
        story.decide(command)


# --- step 2: possibilities mapped ---------------------------------------------------------


def test_map_possibilities_emits_possibilities_mapped() -> None:
    story = started().later(WEEK)
    command = f.map_possibilities()
    assert story.do(command) == [
        trajectory.PossibilitiesMapped(
            **envelope(story, 2),
            profile_skills=command.profile_skills,
            preconditions=command.preconditions,
        )
    ]
    assert story.trajectory.step is trajectory.Step.POSSIBILITIES_MAPPED


def test_possibilities_may_be_mapped_again_before_learning() -> None:
    story = mapped()
    assert [type(e) for e in story.do(f.map_possibilities(False))] == [
        trajectory.PossibilitiesMapped
    ]
    assert story.trajectory.preconditions is not None
    assert not story.trajectory.preconditions.guarantee_possible


def test_remapping_cannot_undercut_an_agreed_job_guarantee() -> None:
    story = agreed(commitment=trajectory.Commitment.JOB_GUARANTEE)
    with pytest.raises(RuleViolation, match=r"holds a job guarantee; .* only an intention"):
        story.decide(f.map_possibilities(guarantee_possible=False))


def test_possibilities_cannot_change_after_learning_started() -> None:
    with pytest.raises(WrongStep, match="learning period has started; the possibilities"):
        learning().decide(f.map_possibilities())


# --- step 3: the agreement ----------------------------------------------------------------


def test_agreement_before_possibilities_mapped_is_refused() -> None:
    with pytest.raises(WrongStep, match=r"map the possibilities first \(step 2\)"):
        started().decide(f.establish_agreement())


def test_agreement_emits_agreement_established() -> None:
    story = mapped().later(WEEK)
    command = f.establish_agreement(weeks=26, commitment=trajectory.Commitment.JOB_GUARANTEE)
    assert story.do(command) == [
        trajectory.AgreementEstablished(
            **envelope(story, 3),
            commitment=trajectory.Commitment.JOB_GUARANTEE,
            duration_weeks=26,
            placements=command.placements,
            training=command.training,
            budget_eur=5000,
            signed_by=tuple(trajectory.Signatory),
        )
    ]
    assert story.trajectory.learning_weeks == 26


def test_job_guarantee_refused_when_only_an_intention_is_possible() -> None:
    story = mapped(guarantee_possible=False)
    with pytest.raises(RuleViolation, match="only an intention to hire, not a job guarantee"):
        story.decide(f.establish_agreement(commitment=trajectory.Commitment.JOB_GUARANTEE))


def test_intention_to_hire_is_fine_when_only_an_intention_is_possible() -> None:
    assert mapped(guarantee_possible=False).decide(f.establish_agreement())


def test_duration_above_programme_maximum_is_refused() -> None:
    story = started(programme="werkfit")
    story.do(f.map_possibilities())
    with pytest.raises(RuleViolation, match="27 weeks is longer than the 26 weeks"):
        story.decide(f.establish_agreement(weeks=27))
    assert story.decide(f.establish_agreement(weeks=26))


def test_placements_longer_than_the_duration_are_refused() -> None:
    command = f.establish_agreement(weeks=10).model_copy(
        update={
            "placements": (
                trajectory.PlannedPlacement(name="introduction", weeks=4, hours_per_week=16),
                trajectory.PlannedPlacement(name="ADL internship", weeks=7, hours_per_week=16),
            )
        }
    )
    with pytest.raises(RuleViolation, match="placements take 11 weeks, more than the 10"):
        mapped().decide(command)


def test_placements_filling_the_duration_exactly_are_accepted() -> None:
    assert mapped().decide(f.establish_agreement(weeks=4))


def test_agreement_is_amended_not_established_again_after_learning_started() -> None:
    with pytest.raises(WrongStep, match="learning period has started; adjust the agreement"):
        learning().decide(f.establish_agreement())


# --- step 4: the match --------------------------------------------------------------------


def test_match_before_possibilities_mapped_is_refused() -> None:
    with pytest.raises(WrongStep, match="a match needs the profile"):
        started().decide(f.match())


def test_match_emits_candidate_matched_without_duplicate_barriers() -> None:
    story = mapped().later(WEEK)
    barriers = (
        trajectory.Barrier.CHILDCARE,
        trajectory.Barrier.DEBTS,
        trajectory.Barrier.CHILDCARE,
    )
    command = f.match(barriers=barriers, practical_matters=f.practical_matters(*barriers))
    assert story.do(command) == [
        trajectory.CandidateMatched(
            **envelope(story, 3),
            candidate_ref="cand-0001",
            personal=command.personal,
            skills=("care",),
            language_level="A2",
            barriers=(trajectory.Barrier.CHILDCARE, trajectory.Barrier.DEBTS),
            information_meeting_attended=True,
            practical_matters=tuple(sorted(command.practical_matters, key=lambda m: m.barrier)),
        )
    ]
    assert story.trajectory.open_barriers == (
        trajectory.Barrier.CHILDCARE,
        trajectory.Barrier.DEBTS,
    )


def test_match_without_passed_motivation_screen_is_refused() -> None:
    with pytest.raises(RuleViolation, match="did not pass the motivation screen"):
        mapped().decide(f.match(motivation_screen_passed=False))


def test_match_with_personal_data_sealed_for_another_candidate_is_refused() -> None:
    # Erasing cand-0001 would not erase data sealed with cand-0002's key.
    command = f.match(personal=f.sealed_personal(candidate_ref="cand-0002"))
    with pytest.raises(RuleViolation, match="sealed for another candidate reference"):
        mapped().decide(command)


def test_match_cannot_change_after_learning_started() -> None:
    with pytest.raises(WrongStep, match="learning period has started; the match"):
        learning().decide(f.match())


# --- step 5 begins ------------------------------------------------------------------------


def test_start_learning_emits_learning_started_with_its_deadlines() -> None:
    story = ready(weeks=12).later(timedelta(days=3))
    assert story.do(trajectory.StartLearning(actor=f.COACH, benefits_retained=True)) == [
        trajectory.LearningStarted(
            **envelope(story, 5),
            benefits_retained=True,
            ends_at=story.now + 12 * WEEK,
            first_evaluation_at=story.now + 6 * WEEK,
        )
    ]
    assert story.trajectory.step is trajectory.Step.LEARNING_IN


def test_learning_without_agreement_is_refused() -> None:
    story = started(route=trajectory.Route.LARGE_SCALE_GROWTH)
    story.do(f.map_possibilities())
    story.do(f.match())
    with pytest.raises(WrongStep, match="no learning before an agreement"):
        story.decide(f.start_learning())


def test_learning_without_match_is_refused() -> None:
    with pytest.raises(WrongStep, match="no learning before a match"):
        agreed().decide(f.start_learning())


def test_learning_cannot_start_twice() -> None:
    with pytest.raises(WrongStep, match="already started"):
        learning().decide(f.start_learning())
