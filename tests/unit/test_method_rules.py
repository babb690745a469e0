"""The rules read against the seeds (issue 8, item 4): what the method says, in `decide`.

Each test names the defect it guards against; a trajectory from before the change keeps the
old rule on replay (`Rules(method_as_written=False)`), which the last tests show.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain import trajectory
from domain.shared import RuleViolation, WrongStep
from tests import factories as f
from tests.unit.story import T0, WEEK, Story, agreed, learning, mapped, ready, started

OLD = trajectory.Rules(method_as_written=False)
DAY = timedelta(days=1)


def wijkleerbedrijf(weeks: int = 104) -> Story:
    """A WijkLeerbedrijf trajectory learning in since T0 + 1 week."""
    story = started(route=trajectory.Route.WIJKLEERBEDRIJF, programme="wijkleerbedrijf")
    story.do(f.map_possibilities())
    story.do(f.establish_agreement(weeks))
    story.do(f.match())
    story.later(WEEK).do(f.start_learning())
    return story


# --- what happened is dated when it happened -----------------------------------------------


def test_a_command_keeps_when_it_took_effect_apart_from_when_it_was_recorded() -> None:
    story = ready().later(WEEK)
    friday = story.now - 3 * DAY  # recorded on Monday, learning began on Friday
    [started_] = story.do(trajectory.StartLearning(actor=f.COACH, effective_at=friday))
    assert isinstance(started_, trajectory.LearningStarted)
    assert (started_.occurred_at, started_.effective_at, started_.at) == (story.now, friday, friday)
    # The rules and the timers go by Friday: the period and its evaluations count from then.
    assert story.trajectory.learning_started_at == friday
    assert started_.ends_at == friday + 52 * WEEK
    assert started_.first_evaluation_at == friday + 6 * WEEK


def test_an_effective_time_in_the_future_is_refused() -> None:
    story = ready()
    tomorrow = story.now + DAY
    with pytest.raises(RuleViolation, match="which is in the future"):
        story.decide(trajectory.StartLearning(actor=f.COACH, effective_at=tomorrow))


def test_an_effective_time_before_the_trajectory_began_is_refused() -> None:
    story = ready().later(WEEK)
    with pytest.raises(RuleViolation, match="before the trajectory began"):
        story.decide(trajectory.StartLearning(actor=f.COACH, effective_at=T0 - DAY))


def test_what_happened_is_recorded_in_order() -> None:
    story = ready().later(2 * WEEK)
    story.do(trajectory.StartLearning(actor=f.COACH, effective_at=story.now - DAY))
    before_it = story.now - 2 * DAY
    with pytest.raises(RuleViolation, match="record what happened in order"):
        story.decide(
            trajectory.RecordCalamity(
                actor=f.COACH,
                calamity_kind=trajectory.CalamityKind.HOUSING,
                effective_at=before_it,
            )
        )


def test_an_existing_caseload_is_entered_with_its_history() -> None:
    # A trajectory that began a year ago, entered today with its real dates.
    now = T0
    a_year_ago = now - 52 * WEEK
    story = Story(now)
    start = f.start(a_year_ago, trajectory_id="traj-unit-0001", months_ahead=6)
    story.do(start.model_copy(update={"effective_at": a_year_ago}))
    assert story.trajectory.started_at == a_year_ago
    for command, at in [
        (f.map_possibilities(), a_year_ago + WEEK),
        (f.establish_agreement(), a_year_ago + 2 * WEEK),
        (f.match(), a_year_ago + 3 * WEEK),
        (f.start_learning(), a_year_ago + 4 * WEEK),
    ]:
        story.do(command.model_copy(update={"effective_at": at}))
    assert story.trajectory.learning_started_at == a_year_ago + 4 * WEEK
    # Its timers follow the effective dates: the first evaluation fell due long ago.
    evaluation = story.deadline(trajectory.DeadlineKind.EVALUATION)
    assert evaluation.at == a_year_ago + 10 * WEEK
    due = story.reach(trajectory.DeadlineKind.EVALUATION)
    assert due[0].occurred_at == now and due[0].effective_at == evaluation.at
    # A timer's event does not hold the coach's history back: what happened next still fits.
    story.do(
        trajectory.RecordEvaluation(
            actor=f.COACH,
            verdict=trajectory.EvaluationVerdict.ON_TRACK,
            employer_present=True,
            effective_at=a_year_ago + 5 * WEEK,
        )
    )


def test_a_start_in_the_past_checks_the_job_against_that_date() -> None:
    a_year_ago = T0 - 52 * WEEK
    start = f.start(a_year_ago, months_ahead=30)  # 30 months after then: too far ahead then
    with pytest.raises(RuleViolation, match="more than 24 months ahead"):
        trajectory.decide(None, start.model_copy(update={"effective_at": a_year_ago}), T0)


def test_a_job_that_began_before_the_trajectory_is_refused() -> None:
    # Defect: a job start six years before the trajectory began was accepted without a word.
    story = learning()
    with pytest.raises(RuleViolation, match="lies before the trajectory began"):
        story.decide(f.regular_job(start_date=date(2020, 11, 1)))
    assert trajectory.decide(
        story.state, f.regular_job(start_date=date(2020, 11, 1)), story.now, OLD
    )


# --- placements and the agreement -----------------------------------------------------------


def placement(name: str, hours: int, deviation: str | None = None) -> trajectory.StartPlacement:
    return trajectory.StartPlacement(
        actor=f.COACH, name=name, hours_per_week=hours, deviation=deviation
    )


def test_a_placement_not_in_the_agreement_is_refused_without_a_reason() -> None:
    with pytest.raises(RuleViolation, match=r"'canteen' is not in the agreement.*'introduction'"):
        learning().decide(placement("canteen", 16))


def test_a_placement_with_other_hours_is_refused_without_a_reason() -> None:
    with pytest.raises(RuleViolation, match="plans 'introduction' for 16 hours a week, not 32"):
        learning().decide(placement("introduction", 32))


def test_a_deviation_with_its_reason_is_recorded_as_one() -> None:
    story = learning()
    [started_] = story.do(placement("Introduction", 24, "the candidate asked for more hours"))
    assert isinstance(started_, trajectory.PlacementStarted)
    assert started_.deviation == "the candidate asked for more hours"
    assert story.trajectory.placements[-1].deviates


def test_a_placement_as_agreed_needs_no_reason() -> None:
    story = learning()
    story.do(placement("introduction", 16))
    assert not story.trajectory.placements[-1].deviates
    with pytest.raises(RuleViolation, match="there is no deviation to explain"):
        story.decide(placement("ADL internship", 16, "because"))


# --- the agreement amended during learning --------------------------------------------------


def amend(weeks: int = 52, **kw: object) -> trajectory.AmendAgreement:
    terms = f.establish_agreement(weeks).model_dump(exclude={"kind"})
    terms.update(reason="the employer can no longer guarantee the job", **kw)
    return trajectory.AmendAgreement(**terms)


def test_a_job_guarantee_becomes_an_intention_during_learning() -> None:
    # Cohort 1 of the WijkLeerbedrijf: the job guarantee had to become an intention.
    story = agreed(52, trajectory.Commitment.JOB_GUARANTEE)
    story.do(f.match())
    story.later(WEEK).do(f.start_learning())
    story.later(WEEK)
    [amended] = story.do(amend(52, commitment=trajectory.Commitment.INTENTION_TO_HIRE))
    assert isinstance(amended, trajectory.AgreementAmended)
    assert (
        amended.actor == f.COACH
        and amended.reason == "the employer can no longer guarantee the job"
    )
    assert story.trajectory.agreement is not None
    assert story.trajectory.agreement.commitment is trajectory.Commitment.INTENTION_TO_HIRE


def test_an_amended_length_moves_the_end_of_learning() -> None:
    story = learning(52)
    end = story.trajectory.learning_ends_at
    assert end is not None
    story.later(WEEK).do(amend(60))
    assert story.trajectory.learning_ends_at == end + 8 * WEEK
    assert story.trajectory.learning_weeks == 60
    assert story.deadline(trajectory.DeadlineKind.LEARNING_END).at == end + 8 * WEEK


def test_an_amendment_that_would_have_ended_learning_already_is_refused() -> None:
    story = learning(52).later(20 * WEEK)
    with pytest.raises(RuleViolation, match="would have ended on"):
        story.decide(amend(10))


def test_an_agreement_is_amended_only_during_learning() -> None:
    with pytest.raises(WrongStep, match="establish it again"):
        ready().decide(amend())


# --- the cap on learning, and a supervisor's approval ----------------------------------------


def extend(weeks: int, approved_by: str | None = None) -> trajectory.ExtendLearning:
    return trajectory.ExtendLearning(
        actor=f.COACH, weeks=weeks, reason="needs more practice", approved_by=approved_by
    )


def test_a_two_year_wijkleerbedrijf_can_be_extended_with_a_supervisors_approval() -> None:
    story = wijkleerbedrijf(104)
    with pytest.raises(RuleViolation, match=r"more than the 104 weeks.*a supervisor can approve"):
        story.decide(extend(8))
    [extended] = story.do(extend(8, approved_by="supervisor-marloes"))
    assert isinstance(extended, trajectory.LearningExtended)
    assert extended.approved_by == "supervisor-marloes"
    assert story.trajectory.learning_weeks == 112


def test_nobody_approves_their_own_extension() -> None:
    with pytest.raises(RuleViolation, match="approved by a supervisor, not by who asks"):
        wijkleerbedrijf(104).decide(extend(8, approved_by=f.COACH))


# --- small-scale growth: learning on the workplace before the agreement ---------------------


def test_small_scale_growth_starts_learning_before_the_agreement() -> None:
    story = mapped()
    story.do(f.match())
    with pytest.raises(RuleViolation, match="give how many weeks"):
        story.decide(f.start_learning())
    story.later(WEEK).do(trajectory.StartLearning(actor=f.COACH, duration_weeks=8))
    end = story.trajectory.learning_ends_at
    assert end == story.now + 8 * WEEK
    story.later(2 * WEEK).do(
        trajectory.StartPlacement(actor=f.COACH, name="try-out", hours_per_week=8)
    )
    # The agreement follows, and its length replaces the eight weeks it started with.
    story.later(WEEK).do(f.establish_agreement(26))
    assert story.trajectory.learning_ends_at == end + 18 * WEEK
    assert story.trajectory.learning_weeks == 26
    with pytest.raises(WrongStep, match="amend-agreement"):
        story.decide(f.establish_agreement(26))


def test_an_agreement_sets_the_length_when_there_is_one() -> None:
    with pytest.raises(RuleViolation, match="the agreement sets the learning period"):
        ready().decide(trajectory.StartLearning(actor=f.COACH, duration_weeks=8))


# --- a work-study (BBL) job alongside learning ----------------------------------------------


def test_a_work_study_job_goes_alongside_learning_in_the_wijkleerbedrijf() -> None:
    story = wijkleerbedrijf(104).later(52 * WEEK)
    [job] = story.do(f.regular_job(24, work_study=True, start_date=date(2027, 11, 29)))
    assert isinstance(job, trajectory.RegularJobStarted) and job.work_study
    assert job.follow_up_at is None
    state = story.trajectory
    assert state.step is trajectory.Step.LEARNING_IN and state.learning_in_progress
    kinds = [d.kind for d in trajectory.deadlines(state)]
    assert kinds == [
        trajectory.DeadlineKind.EVALUATION,
        trajectory.DeadlineKind.BENEFIT_RETENTION_WARNING,  # 8 weeks before the 104 with benefits
        trajectory.DeadlineKind.LEARNING_END,
    ]
    # Learning goes on: evaluations, placements; at the end, the regular job.
    story.do(
        trajectory.RecordEvaluation(
            actor=f.COACH, verdict=trajectory.EvaluationVerdict.ON_TRACK, employer_present=True
        )
    )
    story.later(40 * WEEK).do(f.regular_job(32, start_date=date(2028, 9, 1)))
    assert story.trajectory.step is trajectory.Step.OUTCOME
    # The regular job's checkpoints follow it (1, 3, 6, 12 months), the first one pending.
    assert [d.kind for d in trajectory.deadlines(story.state)] == [
        trajectory.DeadlineKind.CHECKPOINT
    ]
    assert [p.month for p in story.trajectory.checkpoints] == [1, 3, 6, 12]


def test_a_work_study_job_is_refused_where_the_programme_has_none() -> None:
    with pytest.raises(RuleViolation, match="has no work-study \\(BBL\\) job alongside"):
        learning().decide(f.regular_job(24, work_study=True))


def test_follow_on_education_can_follow_a_work_study_job() -> None:
    story = wijkleerbedrijf().later(52 * WEEK)
    story.do(f.regular_job(24, work_study=True, start_date=date(2027, 11, 29)))
    education = trajectory.RecordFollowOnEducation(
        actor=f.COACH, institute="ROC Flevoland", course="BBL mbo 3"
    )
    assert [type(e) for e in story.do(education)] == [
        trajectory.FollowOnEducationStarted,
        trajectory.TrajectoryClosed,
    ]


# --- what the method requires is recorded ---------------------------------------------------


def test_a_match_on_a_route_with_a_group_intake_needs_the_meeting_and_the_language_test() -> None:
    story = started(route=trajectory.Route.WIJKLEERBEDRIJF, programme="wijkleerbedrijf")
    story.do(f.map_possibilities())
    with pytest.raises(RuleViolation, match="information meeting and the language test"):
        story.decide(f.match(information_meeting_attended=False))
    with pytest.raises(RuleViolation, match="information meeting and the language test"):
        story.decide(f.match(language_level=None))
    assert story.decide(f.match())


def test_the_conversation_on_practical_matters_covers_every_matter() -> None:
    story = mapped()
    partial = f.practical_matters()[2:]
    with pytest.raises(RuleViolation, match="missing: communication, ict-skills"):
        story.decide(f.match(practical_matters=partial))
    twice = (*f.practical_matters(), f.practical_matters()[0])
    with pytest.raises(RuleViolation, match="more than once: communication"):
        story.decide(f.match(practical_matters=twice))
    na = trajectory.PracticalStatus.NOT_APPLICABLE
    matters = tuple(
        m.model_copy(update={"status": na}) if m.barrier is trajectory.Barrier.CHILDCARE else m
        for m in f.practical_matters(trajectory.Barrier.DEBTS)
    )
    [matched] = story.do(f.match(practical_matters=matters))
    assert isinstance(matched, trajectory.CandidateMatched)
    assert matched.barriers == (trajectory.Barrier.DEBTS,)
    assert {m.barrier: m.status for m in matched.practical_matters}[
        trajectory.Barrier.CHILDCARE
    ] is na


def test_the_agreement_names_who_signed_it() -> None:
    story = mapped()
    unsigned = f.establish_agreement().model_copy(update={"signed_by": ()})
    with pytest.raises(RuleViolation, match="not signed yet by: employer, werkbedrijf, training"):
        story.decide(unsigned)
    two = (trajectory.Signatory.EMPLOYER, trajectory.Signatory.WERKBEDRIJF)
    with pytest.raises(RuleViolation, match=r"not signed yet by: training-institute$"):
        story.decide(unsigned.model_copy(update={"signed_by": two}))


def test_no_training_institute_signs_where_there_is_none() -> None:
    story = started()
    story.do(
        f.map_possibilities().model_copy(
            update={
                "preconditions": f.map_possibilities().preconditions.model_copy(
                    update={"training_institute": None}
                )
            }
        )
    )
    two = (trajectory.Signatory.WERKBEDRIJF, trajectory.Signatory.EMPLOYER)
    agreement = f.establish_agreement().model_copy(update={"training": (), "signed_by": two})
    [established] = story.do(agreement)
    assert isinstance(established, trajectory.AgreementEstablished)
    assert established.signed_by == tuple(sorted(two, key=list(trajectory.Signatory).index))


def test_a_benefit_question_that_does_not_apply_is_answered_as_such() -> None:
    story = learning().later(10 * WEEK)
    [job, *_] = story.do(f.regular_job(32, benefit_ended=None))
    assert isinstance(job, trajectory.RegularJobStarted) and job.benefit_ended is None
    assert job.benefit_end is trajectory.BenefitEnd.NOT_APPLICABLE


# --- trajectories from before the change decide as they did ---------------------------------


def test_the_old_rules_accept_what_they_accepted() -> None:
    story = learning()
    assert trajectory.decide(story.state, placement("canteen", 40), story.now, OLD)
    unsigned = f.establish_agreement().model_copy(update={"signed_by": ()})
    assert trajectory.decide(mapped().state, unsigned, T0, OLD)
    bare = f.match(practical_matters=(), information_meeting_attended=False)
    assert trajectory.decide(mapped().state, bare, T0, OLD)


def test_under_the_old_rules_a_late_timer_takes_effect_when_it_fired() -> None:
    story = learning()
    due = story.deadline(trajectory.DeadlineKind.EVALUATION).at
    late = due + timedelta(hours=3)
    command = trajectory.ReachDeadline(
        actor=trajectory.SYSTEM_ACTOR, deadline=trajectory.DeadlineKind.EVALUATION, due_at=due
    )
    [old] = trajectory.decide(story.state, command, late, OLD)
    [new] = trajectory.decide(story.state, command, late)
    assert old.effective_at is None and new.effective_at == due
    assert old.occurred_at == new.occurred_at == late


# --- found by trying it as a new user ---------------------------------------------------------


def test_no_new_match_once_the_candidate_has_a_job() -> None:
    # A job without learning: the set-up is behind it; a second match would replace the
    # person who got the job.
    story = ready()
    story.do(f.regular_job(28))
    with pytest.raises(WrongStep, match="has a regular job; the match can no longer change"):
        story.decide(
            f.match(
                candidate_ref="cand-0002", personal=f.sealed_personal(candidate_ref="cand-0002")
            )
        )


def test_a_language_level_is_one_of_the_european_scale() -> None:
    with pytest.raises(RuleViolation, match="one of A1, A2, B1, B2, C1, C2"):
        mapped().decide(f.match(language_level="Z9"))
    assert trajectory.decide(mapped().state, f.match(language_level="Z9"), T0, OLD)
