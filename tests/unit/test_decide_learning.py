"""Step 5, learning in: placements, evaluations, calamities, barriers, extensions, fallback."""

from __future__ import annotations

import pytest

from domain import trajectory
from domain.shared import RuleViolation, WrongStep
from tests import factories as f
from tests.unit.story import (
    WEEK,
    agreed,
    employed,
    envelope,
    learning,
    learning_ended,
    mapped,
    matched,
    ready,
    started,
)

ORIENTATION = trajectory.StartPlacement(
    actor=f.COACH,
    name="orientation internship",
    hours_per_week=16,
    deviation="not in the plan yet",  # the factories' agreement plans introduction, ADL
)
EVALUATION_SUMMARY = f.sealed_text("late twice; childcare not arranged")
EVALUATION = trajectory.RecordEvaluation(
    actor=f.COACH,
    verdict=trajectory.EvaluationVerdict.CONCERNS,
    employer_present=False,
    summary=EVALUATION_SUMMARY,
)
CALAMITY_SUMMARY = f.sealed_text("moved out last week")
CALAMITY = trajectory.RecordCalamity(
    actor=f.COACH, calamity_kind=trajectory.CalamityKind.DIVORCE, summary=CALAMITY_SUMMARY
)


def extend(weeks: int) -> trajectory.ExtendLearning:
    return trajectory.ExtendLearning(actor=f.COACH, weeks=weeks, reason="needs more practice")


def propose(employer_id: str = "employer-other") -> trajectory.ProposeOtherEmployer:
    return trajectory.ProposeOtherEmployer(
        actor=f.COACH, employer_id=employer_id, reason="no vacancy after all"
    )


# --- placements ---------------------------------------------------------------------------


def test_placements_are_numbered_in_order() -> None:
    story = learning().later(WEEK)
    assert story.do(ORIENTATION) == [
        trajectory.PlacementStarted(
            **envelope(story, 6),
            number=1,
            name="orientation internship",
            hours_per_week=16,
            deviation="not in the plan yet",
        )
    ]
    second = story.do(ORIENTATION.model_copy(update={"name": "ADL internship", "deviation": None}))
    assert [(e.number, e.version) for e in second] == [(2, 7)]  # type: ignore[union-attr]
    assert story.trajectory.current_placement is not None
    assert story.trajectory.current_placement.name == "ADL internship"
    assert story.trajectory.current_placement.started_at == story.now


def test_placement_before_an_agreement_is_refused() -> None:
    story = started(route=trajectory.Route.LARGE_SCALE_GROWTH)
    story.do(f.map_possibilities())
    story.do(f.match())
    with pytest.raises(WrongStep, match="no placement before an agreement"):
        story.decide(ORIENTATION)


def test_placement_before_learning_is_refused() -> None:
    with pytest.raises(WrongStep, match="no placement before the learning period has started"):
        ready().decide(ORIENTATION)


def test_placement_after_a_regular_job_is_refused() -> None:
    with pytest.raises(WrongStep, match="already has a regular job; a placement"):
        employed().decide(ORIENTATION)


# --- evaluations --------------------------------------------------------------------------


def test_evaluation_is_recorded() -> None:
    story = learning().later(6 * WEEK)
    assert story.do(EVALUATION) == [
        trajectory.EvaluationRecorded(
            **envelope(story, 6),
            verdict=trajectory.EvaluationVerdict.CONCERNS,
            employer_present=False,
            summary=EVALUATION_SUMMARY,
        )
    ]
    assert story.trajectory.evaluations == (
        trajectory.Evaluation(
            at=story.now,
            verdict=trajectory.EvaluationVerdict.CONCERNS,
            employer_present=False,
            version=6,
        ),
    )


def test_evaluation_before_learning_is_refused() -> None:
    with pytest.raises(WrongStep, match="evaluations start with the learning period"):
        ready().decide(EVALUATION)


def test_evaluation_after_a_regular_job_is_refused() -> None:
    with pytest.raises(WrongStep, match="already has a regular job"):
        employed().decide(EVALUATION)


# --- calamities: the work coach is brought in ---------------------------------------------


def test_calamity_is_recorded_and_escalated() -> None:
    story = learning().later(3 * WEEK)
    assert story.do(CALAMITY) == [
        trajectory.CalamityRecorded(
            **envelope(story, 6),
            number=1,
            calamity_kind=trajectory.CalamityKind.DIVORCE,
            summary=CALAMITY_SUMMARY,
        ),
        trajectory.EscalationRaised(
            **envelope(story, 7),
            reason=trajectory.EscalationReason.CALAMITY,
            # Not the kind: a divorce or a health matter is not for every reader of messages.
            message="calamity 1 recorded: the work coach is brought in",
        ),
    ]
    assert [c.number for c in story.trajectory.open_calamities] == [1]
    assert story.trajectory.escalations[-1].reason is trajectory.EscalationReason.CALAMITY


def test_calamity_may_come_before_learning_once_a_candidate_is_matched() -> None:
    assert [type(e) for e in matched().decide(CALAMITY)] == [
        trajectory.CalamityRecorded,
        trajectory.EscalationRaised,
    ]


@pytest.mark.parametrize("command", [CALAMITY, EVALUATION], ids=["calamity", "evaluation"])
def test_a_summary_sealed_for_another_candidate_is_refused(
    command: trajectory.RecordCalamity | trajectory.RecordEvaluation,
) -> None:
    other = command.model_copy(update={"summary": f.sealed_text("x", candidate_ref="cand-0002")})
    with pytest.raises(RuleViolation, match="sealed for another candidate"):
        learning().decide(other)


def test_calamity_without_candidate_is_refused() -> None:
    with pytest.raises(WrongStep, match="no candidate has been matched yet"):
        agreed().decide(CALAMITY)


def test_resolving_a_calamity() -> None:
    story = learning()
    story.do(CALAMITY)
    story.do(CALAMITY)
    story.later(WEEK)
    assert story.do(trajectory.ResolveCalamity(actor=f.COACH, number=2)) == [
        trajectory.CalamityResolved(**envelope(story, 10), number=2)
    ]
    assert [c.number for c in story.trajectory.open_calamities] == [1]
    assert story.trajectory.calamities[1].resolved_at == story.now


def test_resolving_an_unknown_calamity_is_refused() -> None:
    story = learning()
    story.do(CALAMITY)
    with pytest.raises(RuleViolation, match="there is no open calamity number 2"):
        story.decide(trajectory.ResolveCalamity(actor=f.COACH, number=2))


def test_resolving_a_calamity_twice_is_refused() -> None:
    story = learning()
    story.do(CALAMITY)
    story.do(trajectory.ResolveCalamity(actor=f.COACH, number=1))
    with pytest.raises(RuleViolation, match="there is no open calamity number 1"):
        story.decide(trajectory.ResolveCalamity(actor=f.COACH, number=1))


# --- barriers -----------------------------------------------------------------------------


def test_resolving_an_open_barrier() -> None:
    story = matched().later(WEEK)
    command = trajectory.ResolveBarrier(actor=f.COACH, barrier=trajectory.Barrier.CHILDCARE)
    assert story.do(command) == [
        trajectory.BarrierResolved(**envelope(story, 4), barrier=trajectory.Barrier.CHILDCARE)
    ]
    assert story.trajectory.open_barriers == (trajectory.Barrier.MOBILITY,)


def test_resolving_a_barrier_that_is_not_open_is_refused() -> None:
    story = matched()
    with pytest.raises(RuleViolation, match="'debts' is not an open barrier"):
        story.decide(trajectory.ResolveBarrier(actor=f.COACH, barrier=trajectory.Barrier.DEBTS))


# --- extending the learning period --------------------------------------------------------


def test_extension_during_learning_moves_the_end_and_keeps_the_evaluation() -> None:
    story = learning(weeks=52)
    start = story.now
    story.later(10 * WEEK)
    assert story.do(extend(8)) == [
        trajectory.LearningExtended(
            **envelope(story, 6),
            weeks=8,
            reason="needs more practice",
            ends_at=start + 60 * WEEK,
            next_evaluation_at=start + 6 * WEEK,
        )
    ]
    assert story.trajectory.learning_weeks == 60


def test_extension_up_to_the_programme_maximum_is_accepted() -> None:
    assert learning(weeks=52).decide(extend(52))


def test_extension_beyond_the_programme_maximum_is_refused() -> None:
    story = learning(weeks=52)
    story.do(extend(40))
    with pytest.raises(RuleViolation, match="makes the learning period 105 weeks, more than"):
        story.decide(extend(13))


def test_extension_before_learning_is_refused() -> None:
    with pytest.raises(WrongStep, match="has not started, so it cannot be extended"):
        ready().decide(extend(4))


def test_extension_after_a_regular_job_is_refused() -> None:
    with pytest.raises(WrongStep, match="already has a regular job"):
        employed().decide(extend(4))


def test_extension_after_learning_ended_reopens_learning() -> None:
    story = learning_ended(weeks=12)
    assert story.trajectory.step is trajectory.Step.OUTCOME
    assert trajectory.deadlines(story.state) == []
    story.later(2 * WEEK)
    events = story.do(extend(8))
    assert events == [
        trajectory.LearningExtended(
            **envelope(story, 8),
            weeks=8,
            reason="needs more practice",
            ends_at=story.now + 8 * WEEK,
            next_evaluation_at=story.now + 6 * WEEK,
        )
    ]
    assert story.trajectory.step is trajectory.Step.LEARNING_IN
    assert trajectory.deadlines(story.state) == [
        trajectory.Deadline(kind=trajectory.DeadlineKind.EVALUATION, at=story.now + 6 * WEEK),
        trajectory.Deadline(kind=trajectory.DeadlineKind.LEARNING_END, at=story.now + 8 * WEEK),
    ]


# --- the fallback: another employer -------------------------------------------------------


def test_proposing_another_employer_changes_the_intended_employer() -> None:
    story = learning_ended()
    assert story.do(propose()) == [
        trajectory.ProposedToOtherEmployer(
            **envelope(story, 8), employer_id="employer-other", reason="no vacancy after all"
        )
    ]
    assert story.trajectory.employer_id == "employer-other"
    assert story.trajectory.future_job.employer_id == f.EMPLOYER


def test_proposing_the_same_employer_is_refused() -> None:
    with pytest.raises(RuleViolation, match=f"{f.EMPLOYER} is already the intended employer"):
        learning().decide(propose(f.EMPLOYER))


def test_proposing_another_employer_before_a_match_is_refused() -> None:
    with pytest.raises(WrongStep, match="match one first"):
        mapped().decide(propose())


def test_another_employer_can_be_proposed_before_learning() -> None:
    # The seeds: another employer is a fallback at any time, not only once learning started.
    story = ready()
    [proposed] = story.do(propose())
    assert isinstance(proposed, trajectory.ProposedToOtherEmployer)
    assert story.trajectory.employer_id == proposed.employer_id


def test_proposing_another_employer_after_a_regular_job_is_refused() -> None:
    with pytest.raises(WrongStep, match="already has a regular job"):
        employed().decide(propose())


def test_a_free_text_sealed_for_someone_else_is_refused() -> None:
    from domain.shared import Sealed

    story = learning()
    elsewhere = Sealed(key_id="cand-someone-else", nonce="AAAA", ciphertext="AAAA")
    with pytest.raises(RuleViolation, match="sealed for another candidate or trajectory"):
        story.do(trajectory.ExtendLearning(actor=f.COACH, weeks=2, reason=elsewhere))
    own = Sealed(key_id=f.CANDIDATE_REF, nonce="AAAA", ciphertext="AAAA")
    [extended] = story.do(trajectory.ExtendLearning(actor=f.COACH, weeks=2, reason=own))
    assert isinstance(extended, trajectory.LearningExtended) and extended.reason == own


def test_an_escalation_is_resolved_once_and_then_no_longer_open() -> None:
    story = learning().later(WEEK)
    story.do(CALAMITY)
    assert len(story.trajectory.open_escalations) == 1
    story.do(trajectory.ResolveEscalation(actor=f.COACH, number=1))
    assert story.trajectory.open_escalations == ()
    assert story.trajectory.escalations[0].resolved_at is not None
    for number, why in ((1, "resolved already"), (2, "no escalation number 2")):
        with pytest.raises(RuleViolation, match=why):
            story.do(trajectory.ResolveEscalation(actor=f.COACH, number=number))
