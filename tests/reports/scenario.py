"""A caseload whose outcome figures are known by construction (the right answers below).

Programme `standard` (A): 12 trajectories started on Monday 4 January 2027.
  t1..t8 learn from the second week and find a regular job after 10, 12, 20, 25, 24, 40, 50
  and 60 weeks; t1..t5 moved to `employer-b` (a proposal to another employer) and were hired
  there; t7's job began on 20 December 2027 but was recorded on 10 January 2028 (it belongs
  to 2027); t8's job began in 2028 and its trajectory is still open (in aftercare): placed.
  t9 learns on; t10 was matched and withdrew; t11 has its possibilities mapped; t12 started.
  Budgets: t1..t5 EUR 5,000 for 52 weeks, with employer-paid training; t6..t10 EUR 3,000 for
  26 weeks. t1..t5: 32 hours, LKS 30 %, benefit ended fully; t6..t8: 20 hours, partly.
  The 1-month checkpoint of t1..t6: t1..t5 still employed, t6 not.
Programme `large-scale-growth` (B): 3 trajectories, started 1 February 2027: too few, withheld.
Programme `werkfit` (C): 6 trajectories entered on 1 February 2028 with their real start,
  1 March 2027 (effective dates decide: they belong to 2027).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from domain import trajectory
from tests import factories as f
from tests.unit.story import Story, checkpoint

AMS = ZoneInfo("Europe/Amsterdam")
START_A = datetime(2027, 1, 4, 9, tzinfo=AMS).astimezone(UTC)
START_B = datetime(2027, 2, 1, 9, tzinfo=AMS).astimezone(UTC)
START_C = datetime(2027, 3, 1, 9, tzinfo=AMS).astimezone(UTC)
ENTERED_C = datetime(2028, 2, 1, 10, tzinfo=AMS).astimezone(UTC)
WEEK = timedelta(days=7)
AS_OF = date(2028, 6, 30)
WEEKS_TO_JOB = (10, 12, 20, 25, 24, 40, 50, 60)
MOVED_TO = "employer-b"


def _agreement(weeks: int, budget: int, employer_paid: bool) -> trajectory.EstablishAgreement:
    base = f.establish_agreement(weeks)
    training = (
        trajectory.Training(institute="ROC Flevoland", course="VCA", paid_by_employer=True),
        *base.training,
    )
    return base.model_copy(
        update={"budget_eur": budget, "training": training if employer_paid else base.training}
    )


def _programme_a(i: int) -> Story:
    """Trajectory t{i} of programme A (1-based)."""
    story = Story(START_A)
    story.do(f.start(START_A, trajectory_id=f"traj-a{i:02d}", programme="standard"))
    if i == 12:
        return story
    story.do(f.map_possibilities())
    if i == 11:
        return story
    first = i <= 5
    story.do(_agreement(52 if first else 26, 5000 if first else 3000, employer_paid=first))
    story.do(f.match())
    if i == 10:
        story.later(WEEK).do(
            trajectory.EndTrajectory(
                actor=f.COACH, reason=trajectory.ClosureReason.CANDIDATE_WITHDREW
            )
        )
        return story
    story.later(WEEK).do(f.start_learning())
    if i == 9:
        return story
    if first:
        story.later(WEEK).do(
            trajectory.ProposeOtherEmployer(
                actor=f.COACH, employer_id=MOVED_TO, reason=f.sealed_text("no vacancy after all")
            )
        )
    job_day = (START_A + WEEK * WEEKS_TO_JOB[i - 1]).astimezone(AMS).date()
    recorded = datetime(2028, 1, 10, 10, tzinfo=AMS) if i == 7 else None
    story.now = (recorded or datetime.combine(job_day, datetime.min.time(), AMS)).astimezone(
        UTC
    ) + timedelta(hours=10)
    story.do(
        f.regular_job(
            32 if first else 20,
            employer_id=MOVED_TO if first else f.EMPLOYER,
            start_date=job_day,
            wage_cost_subsidy_pct=30 if first else None,
            benefit_end=trajectory.BenefitEnd.FULLY if first else trajectory.BenefitEnd.PARTLY,
        )
    )
    if i <= 6:
        story.reach(trajectory.DeadlineKind.CHECKPOINT)
        story.do(
            checkpoint(
                1,
                i <= 5,
                benefit_end=trajectory.BenefitEnd.FULLY if first else trajectory.BenefitEnd.PARTLY,
                **({} if first else {"hours_per_week": None}),
            )
        )
    return story


def _started_only(tid: str, programme: str, at: datetime, recorded: datetime) -> Story:
    story = Story(recorded)
    start = f.start(at, trajectory_id=tid, programme=programme)
    story.do(start.model_copy(update={"effective_at": at}))
    return story


def stories() -> list[Story]:
    a = [_programme_a(i) for i in range(1, 13)]
    b = [_started_only(f"traj-b{i}", "large-scale-growth", START_B, START_B) for i in range(3)]
    c = [_started_only(f"traj-c{i}", "werkfit", START_C, ENTERED_C) for i in range(6)]
    return [*a, *b, *c]


def streams() -> list[list[list[trajectory.AnyEvent]]]:
    """Each trajectory's events, one append each (they interleave in the global order)."""
    return [[[e] for e in s.events] for s in stories()]
