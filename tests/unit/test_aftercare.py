"""After the regular job: the checkpoints at 1, 3, 6 and 12 months, the wage-cost subsidy
(LKS) with its wage-value re-assessments, and whether the benefit ends fully or partly."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from domain import trajectory
from domain.shared import COACH_TIME_ZONE, RuleViolation, WrongStep
from domain.trajectory._checkpoints import checkpoint_times
from nbm import programmes
from tests import factories as f
from tests.unit.story import (
    ASSESSMENT,
    REASSESS_ON,
    TID,
    WEEK,
    checkpoint,
    envelope,
    learning,
    placed,
    with_lks,
)

K = trajectory.DeadlineKind
R = trajectory.EscalationReason
B = trajectory.BenefitEnd

# --- the checkpoints ----------------------------------------------------------------------


def test_a_regular_job_schedules_its_checkpoints_at_nine_in_amsterdam_after_its_start() -> None:
    story = placed()
    [job, scheduled] = story.events[-2:]
    assert isinstance(job, trajectory.RegularJobStarted) and job.follow_up_at is None
    assert scheduled == trajectory.CheckpointsScheduled(
        **envelope(story, job.version + 1),
        months=(1, 3, 6, 12),
        due_at=(
            datetime(2027, 2, 1, 8, tzinfo=UTC),  # winter time: 9:00 there is 8:00 UTC
            datetime(2027, 4, 1, 7, tzinfo=UTC),  # summer time: 7:00 UTC
            datetime(2027, 7, 1, 7, tzinfo=UTC),
            datetime(2028, 1, 1, 8, tzinfo=UTC),
        ),
    )
    assert trajectory.deadlines(story.state) == [
        trajectory.Deadline(kind=K.CHECKPOINT, at=datetime(2027, 2, 1, 8, tzinfo=UTC))
    ]


def test_a_checkpoint_before_it_is_due_is_refused() -> None:
    with pytest.raises(WrongStep, match="the 1-month checkpoint is due on 2027-02-01 09:00"):
        placed().decide(checkpoint(1))


def test_a_due_checkpoint_calls_the_coach_in_and_its_answer_resolves_that() -> None:
    story = placed()
    due = story.reach(K.CHECKPOINT)
    assert [type(e) for e in due] == [trajectory.CheckpointDue, trajectory.EscalationRaised]
    assert isinstance(due[1], trajectory.EscalationRaised) and due[1].reason is R.CHECKPOINT_DUE
    number = len(story.trajectory.escalations)
    recorded = story.do(checkpoint(1, hours_per_week=28, benefit_end=B.PARTLY))
    assert [type(e) for e in recorded] == [
        trajectory.CheckpointRecorded,
        trajectory.EscalationResolved,
    ]
    assert recorded[1] == trajectory.EscalationResolved(
        **envelope(story, recorded[0].version + 1), number=number
    )
    first = story.trajectory.checkpoints[0]
    assert (first.still_employed, first.hours_per_week, first.benefit_end) == (True, 28, B.PARTLY)
    assert not story.trajectory.open_escalations
    assert [d.kind for d in trajectory.deadlines(story.state)] == [K.CHECKPOINT]  # the 3-month
    assert not story.trajectory.closed


def test_a_checkpoint_left_unrecorded_escalates_once_like_a_missed_evaluation() -> None:
    story = placed()
    story.reach(K.CHECKPOINT)
    missed_at = story.deadline(K.CHECKPOINT_MISSED).at
    assert missed_at == story.trajectory.checkpoints[0].due_at + 4 * WEEK
    missed = story.reach(K.CHECKPOINT_MISSED)
    assert [type(e) for e in missed] == [trajectory.CheckpointMissed, trajectory.EscalationRaised]
    assert K.CHECKPOINT_MISSED not in {d.kind for d in trajectory.deadlines(story.state)}
    assert len(story.trajectory.open_escalations) == 2
    story.do(checkpoint(1))  # late, but recorded: both escalations resolved
    assert not story.trajectory.open_escalations


@pytest.mark.parametrize(
    ("still_employed", "hours", "message"),
    [
        (True, None, "still employed: say how many hours a week"),
        (False, 20, "no longer employed: there are no hours a week"),
    ],
)
def test_a_checkpoint_states_hours_only_while_employed(
    still_employed: bool, hours: int | None, message: str
) -> None:
    story = placed()
    story.reach(K.CHECKPOINT)
    with pytest.raises(RuleViolation, match=message):
        story.decide(checkpoint(1, still_employed, hours_per_week=hours))


def test_an_unknown_or_repeated_checkpoint_is_refused() -> None:
    story = placed()
    story.reach(K.CHECKPOINT)
    with pytest.raises(RuleViolation, match="there is no 2-month checkpoint; there are: 1, 3"):
        story.decide(checkpoint(2))
    story.do(checkpoint(1))
    with pytest.raises(WrongStep, match="the 1-month checkpoint is recorded already"):
        story.decide(checkpoint(1))


def test_checkpoints_without_a_job_are_refused() -> None:
    with pytest.raises(WrongStep, match="has no follow-up checkpoints"):
        learning().decide(checkpoint(1))


@pytest.mark.parametrize("still_employed", [True, False])
def test_the_twelve_month_checkpoint_closes_the_trajectory(still_employed: bool) -> None:
    story = placed()
    for month in (1, 3, 6):
        story.reach(K.CHECKPOINT)
        if month != 6:  # the 6-month one is never recorded: its escalation ends with it
            story.do(checkpoint(month))
    story.reach(K.CHECKPOINT)
    assert len(story.trajectory.open_escalations) == 2
    events = story.do(checkpoint(12, still_employed))
    assert [type(e) for e in events] == [
        trajectory.CheckpointRecorded,
        trajectory.EscalationResolved,
        trajectory.EscalationResolved,
        trajectory.TrajectoryClosed,
    ]
    state = story.trajectory
    assert state.closed and state.outcome_type is trajectory.OutcomeType.PLACED
    assert state.closure_reason is trajectory.ClosedBecause.REGULAR_JOB_FOLLOWED_UP
    assert state.lasting_placement is still_employed
    assert not state.open_escalations and trajectory.deadlines(state) == []


def test_an_early_end_resolves_the_aftercare_escalations_so_no_task_stays_open() -> None:
    story = placed()
    story.reach(K.CHECKPOINT)
    events = story.later(WEEK).do(
        trajectory.EndTrajectory(actor=f.COACH, reason=trajectory.ClosureReason.MOVED_AWAY)
    )
    assert [type(e) for e in events] == [trajectory.EscalationResolved, trajectory.TrajectoryClosed]
    assert not story.trajectory.open_escalations


def test_a_programme_refuses_checkpoints_out_of_order() -> None:
    base = programmes.programme("standard")
    for months in ((3, 1), (1, 1), (0, 6), (1, 25)):
        with pytest.raises(ValidationError, match="ascending, each from 1 to 24"):
            trajectory.Programme(**{**base.model_dump(), "checkpoint_months": months})


def test_a_compressed_clock_counts_its_own_weeks_to_a_month() -> None:
    demo = programmes.programme("demo").model_copy(update={"checkpoint_months": (1, 12)})
    now = datetime(2027, 1, 1, 12, tzinfo=UTC)
    assert checkpoint_times(demo, date(2027, 1, 1), now) == (
        now + demo.week * 4,
        now + demo.week * 52,
    )


@given(st.dates(date(2026, 1, 1), date(2035, 12, 31)))
def test_checkpoints_fall_on_the_same_day_of_the_month_at_nine_there(start: date) -> None:
    standard = programmes.programme("standard")
    times = checkpoint_times(standard, start, datetime(2026, 1, 1, tzinfo=UTC))
    assert list(times) == sorted(times) and len(set(times)) == 4
    for at, months in zip(times, (1, 3, 6, 12), strict=True):
        there = at.astimezone(COACH_TIME_ZONE)
        assert there.time() == time(9)
        assert (there.year * 12 + there.month) - (start.year * 12 + start.month) == months
        assert there.day == start.day or there.day < start.day  # the month's last day


# --- the wage-cost subsidy (LKS) ----------------------------------------------------------


def test_a_wage_cost_subsidy_records_its_assessment_and_its_reassessment_timer() -> None:
    story = with_lks()
    [lks] = [e for e in story.events if isinstance(e, trajectory.WageCostSubsidyDecided)]
    assert (lks.subsidy_pct, lks.assessment, lks.decided_on, lks.reassess_on) == (
        30, ASSESSMENT, date(2027, 1, 15), REASSESS_ON,
    )  # fmt: skip
    assert lks.reassess_at == datetime(2027, 7, 1, 7, tzinfo=UTC)
    kinds = {d.kind: d.at for d in trajectory.deadlines(story.state)}
    assert kinds[K.WAGE_VALUE_REASSESSMENT] == lks.reassess_at


@pytest.mark.parametrize(
    ("decided", "reassess", "message"),
    [
        (date(2026, 12, 1), REASSESS_ON, "comes after the wage-value assessment"),
        (date(2027, 1, 15), date(2027, 1, 10), "lies after the decision and the job's start"),
        (date(2030, 1, 1), date(2031, 1, 1), "not after today"),
    ],
)
def test_a_subsidy_with_dates_out_of_order_is_refused(
    decided: date, reassess: date, message: str
) -> None:
    story = learning().later(10 * WEEK)
    job = f.regular_job(wage_value=ASSESSMENT, subsidy_decided_on=decided, reassess_on=reassess)
    with pytest.raises(RuleViolation, match=message):
        story.decide(job)


def test_a_subsidy_needs_its_assessment_and_both_dates() -> None:
    with pytest.raises(ValidationError, match="needs its wage-value assessment, decision date"):
        f.regular_job(wage_value=ASSESSMENT, subsidy_decided_on=date(2027, 1, 15))


def test_the_reassessment_falls_due_as_a_task_and_is_recorded_with_the_next_date() -> None:
    story = with_lks()
    due = story.reach(K.WAGE_VALUE_REASSESSMENT)
    assert [type(e) for e in due] == [
        trajectory.WageValueReassessmentDue,
        trajectory.EscalationRaised,
    ]
    assert story.now == datetime(2027, 7, 1, 7, tzinfo=UTC)
    again = trajectory.WageValueAssessment(
        wage_value_pct=80, assessed_by="assessor-uwv-2", assessed_on=date(2027, 7, 1)
    )
    command = trajectory.RecordWageValueReassessment(
        actor=f.COACH, wage_value=again, next_reassess_on=date(2028, 7, 1)
    )
    events = story.do(command)
    assert [type(e) for e in events] == [
        trajectory.WageValueReassessed,
        trajectory.EscalationResolved,
    ]
    lks = story.trajectory.wage_cost_subsidy
    assert lks is not None and (lks.subsidy_pct, lks.reassessments) == (20, 1)
    assert lks.reassess_at == datetime(2028, 7, 1, 7, tzinfo=UTC)
    assert not [
        e for e in story.trajectory.open_escalations if e.reason in trajectory.AFTERCARE_REASONS
    ]


def test_a_full_wage_value_ends_the_subsidy() -> None:
    story = with_lks()
    story.reach(K.WAGE_VALUE_REASSESSMENT)
    full = trajectory.WageValueAssessment(
        wage_value_pct=100, assessed_by="assessor-uwv-1", assessed_on=date(2027, 7, 1)
    )
    story.do(trajectory.RecordWageValueReassessment(actor=f.COACH, wage_value=full))
    lks = story.trajectory.wage_cost_subsidy
    assert lks is not None and lks.subsidy_pct is None and lks.reassess_on is None
    assert K.WAGE_VALUE_REASSESSMENT not in {d.kind for d in trajectory.deadlines(story.state)}
    with pytest.raises(WrongStep, match="no wage-cost subsidy awaits a re-assessment"):
        story.decide(trajectory.RecordWageValueReassessment(actor=f.COACH, wage_value=full))


def test_a_next_reassessment_already_past_is_refused() -> None:
    # Found by the state machine: a past date would fire at once, dated before the start.
    story = with_lks()
    story.reach(K.WAGE_VALUE_REASSESSMENT)
    again = ASSESSMENT.model_copy(update={"assessed_on": date(2027, 7, 1)})
    command = trajectory.RecordWageValueReassessment(
        actor=f.COACH, wage_value=again, next_reassess_on=date(2027, 7, 1)
    )
    with pytest.raises(RuleViolation, match=r"the next re-assessment \(2027-07-01\) lies after"):
        story.decide(command)


def test_a_reassessment_before_the_last_assessment_is_refused() -> None:
    story = with_lks()
    early = ASSESSMENT.model_copy(update={"assessed_on": date(2026, 12, 1)})
    with pytest.raises(RuleViolation, match="comes after the last one"):
        story.decide(trajectory.RecordWageValueReassessment(actor=f.COACH, wage_value=early))


# --- the benefit: fully, partly, continues, not applicable --------------------------------


def test_a_benefit_that_ends_partly_is_escalated_as_continuing_in_part() -> None:
    story = learning().later(10 * WEEK)
    events = story.do(f.regular_job(20, benefit_end=B.PARTLY))
    [job] = [e for e in events if isinstance(e, trajectory.RegularJobStarted)]
    assert (job.benefit_end, job.benefit_ended) == (B.PARTLY, False)
    [alert] = [e for e in events if isinstance(e, trajectory.EscalationRaised)]
    assert alert.message.endswith("benefit dependence continues in part")
    regular = story.trajectory.regular_job
    assert regular is not None and regular.benefit_end_kind is B.PARTLY


def test_the_command_refuses_a_benefit_end_that_contradicts_the_yes_or_no() -> None:
    with pytest.raises(ValidationError, match="contradicts"):
        f.regular_job(benefit_ended=True, benefit_end=B.PARTLY)
    with pytest.raises(ValidationError, match="say whether the benefit ends"):
        trajectory.RecordRegularJob(actor=f.COACH, employer_id="e", start_date=date(2027, 1, 1))


@pytest.mark.parametrize(
    ("ended", "kind"), [(True, B.FULLY), (False, B.CONTINUES), (None, B.NOT_APPLICABLE)]
)
def test_a_stored_job_of_schema_1_is_read_with_its_benefit_end(
    ended: bool | None, kind: trajectory.BenefitEnd
) -> None:
    stored = {
        "type": "RegularJobStarted", "trajectory_id": TID, "version": 8,
        "occurred_at": "2027-01-04T09:00:00+00:00", "actor": f.COACH, "employer_id": "e",
        "contract_hours_per_week": 32, "start_date": "2027-01-01",
        "wage_cost_subsidy_pct": None, "benefit_ended": ended, "follow_up_at": None,
    }  # fmt: skip
    event = trajectory.load_event(stored)
    assert isinstance(event, trajectory.RegularJobStarted)
    assert (event.schema_version, event.benefit_end, event.benefit_ended) == (2, kind, ended)
    assert "benefit_end" not in stored  # the stored record itself is never changed


@given(st.sampled_from(trajectory.BenefitEnd))
def test_the_old_yes_or_no_is_what_each_benefit_end_means(kind: trajectory.BenefitEnd) -> None:
    # Every kind reads back as the yes/no the old readers know; only "partly" is new.
    assert trajectory.BenefitEnd.of(kind.ended) in {kind, trajectory.BenefitEnd.CONTINUES}
    assert (trajectory.BenefitEnd.of(kind.ended) is kind) is (kind is not B.PARTLY)


# --- what the coach reads -----------------------------------------------------------------


def test_the_trajectory_page_shows_the_subsidy_the_benefit_and_the_checkpoints() -> None:
    from rich.console import Console

    from nbm.cli._render import state_view
    from nbm.cli._timeline import why

    story = with_lks(benefit_end=B.PARTLY, contract_hours_per_week=20)
    story.reach(K.CHECKPOINT)
    story.do(checkpoint(1, hours_per_week=20, benefit_end=B.PARTLY))
    console = Console(width=160, record=True)
    console.print(state_view(story.trajectory))
    page = console.export_text()
    for shown in (
        "Wage-cost subsidy (LKS)", "wage value", "70%", "30%",
        "2026-12-14 by assessor-uwv-1", "2027-07-01", "ended partly",
        "Checkpoints", "recorded", "coming",
    ):  # fmt: skip
        assert shown in page, shown
    assert "follow-up due" not in page  # a job with checkpoints has no single follow-up
    lines = [why(e) for e in story.events[-6:]]
    assert any(line.startswith("LKS 30% on a wage value of 70%") for line in lines)
    assert "1 months" not in " ".join(why(e) for e in story.events)
    assert "1 month: still employed: yes, 20 h/week; benefit ended: partly" in lines
