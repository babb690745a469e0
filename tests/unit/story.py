"""A trajectory driven through `decide` and `fold`, the way the workflow drives it.

Tests build a trajectory up to the step they are about with the builders at the bottom,
then send the one command under test. Time is a fixed, aware clock that only a test moves.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from domain import trajectory
from tests import factories as f

T0 = datetime(2026, 11, 23, 9, tzinfo=UTC)
WEEK = timedelta(days=7)
TID = "traj-unit-0001"


class Story:
    """Events so far, the state they fold to, and the time it is now."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now
        self.rules = trajectory.CURRENT_RULES
        """The rules it decides by (a story from before a patch sets them so)."""
        self.events: list[trajectory.AnyEvent] = []
        self.state: trajectory.Trajectory | None = None

    @property
    def trajectory(self) -> trajectory.Trajectory:
        assert self.state is not None, "the story has not started a trajectory"
        return self.state

    @property
    def version(self) -> int:
        return len(self.events)

    def decide(self, command: trajectory.AnyCommand) -> list[trajectory.AnyEvent]:
        """What `command` would lead to now, without recording it."""
        return trajectory.decide(self.state, command, self.now, self.rules)

    def do(
        self, command: trajectory.AnyCommand, *, at: datetime | None = None
    ) -> list[trajectory.AnyEvent]:
        if at is not None:
            self.now = at
        new = trajectory.decide(self.state, command, self.now, self.rules)
        self.events.extend(new)
        self.state = trajectory.fold(new, self.state)
        return new

    def later(self, delta: timedelta) -> Story:
        self.now += delta
        return self

    def deadline(self, kind: trajectory.DeadlineKind) -> trajectory.Deadline:
        return next(x for x in trajectory.deadlines(self.state) if x.kind is kind)

    def reach(self, kind: trajectory.DeadlineKind) -> list[trajectory.AnyEvent]:
        """Let the pending `kind` timer fire, moving the clock to it if it lies ahead."""
        due = self.deadline(kind).at
        self.now = max(self.now, due)
        return self.do(
            trajectory.ReachDeadline(actor=trajectory.SYSTEM_ACTOR, deadline=kind, due_at=due)
        )


def envelope(story: Story, version: int, actor: str = f.COACH) -> dict[str, object]:
    """The envelope fields every event emitted by `story` now must carry."""
    return {"trajectory_id": TID, "version": version, "occurred_at": story.now, "actor": actor}


def started(**kw: object) -> Story:
    story = Story()
    story.do(f.start(T0, trajectory_id=TID, **kw))  # type: ignore[arg-type]
    return story


def mapped(guarantee_possible: bool = True) -> Story:
    story = started()
    story.do(f.map_possibilities(guarantee_possible))
    return story


def agreed(
    weeks: int = 52, commitment: trajectory.Commitment = trajectory.Commitment.INTENTION_TO_HIRE
) -> Story:
    story = mapped()
    story.do(f.establish_agreement(weeks, commitment))
    return story


def matched() -> Story:
    story = mapped()
    story.do(f.match())
    return story


def ready(weeks: int = 52) -> Story:
    story = agreed(weeks)
    story.do(f.match())
    return story


def learning(weeks: int = 52) -> Story:
    """Learning in since one week after the start (so T0 + 1 week)."""
    story = ready(weeks)
    story.later(WEEK).do(f.start_learning())
    return story


def learning_ended(weeks: int = 12) -> Story:
    story = learning(weeks)
    story.reach(trajectory.DeadlineKind.LEARNING_END)
    return story


OLD_FOLLOW_UP = trajectory.Rules(outcome_checkpoints=False)
"""The rules of a job recorded before the checkpoints: one follow-up closes the trajectory."""


def employed(hours: int = 32, benefit_ended: bool = True) -> Story:
    """A regular job recorded before the checkpoints (`OLD_FOLLOW_UP`): its one follow-up."""
    story = learning()
    story.rules = OLD_FOLLOW_UP
    story.later(10 * WEEK).do(f.regular_job(hours, benefit_ended=benefit_ended))
    return story


def placed(**job: object) -> Story:
    """A regular job with its checkpoints at 1, 3, 6 and 12 months (the current rules)."""
    story = learning()
    story.later(10 * WEEK).do(f.regular_job(**job))  # type: ignore[arg-type]
    return story


def follow_up_due() -> Story:
    story = employed()
    story.reach(trajectory.DeadlineKind.FOLLOW_UP)
    return story


def closed(reason: trajectory.ClosureReason = trajectory.ClosureReason.MOVED_AWAY) -> Story:
    story = learning()
    story.later(WEEK).do(trajectory.EndTrajectory(actor=f.COACH, reason=reason))
    return story


ASSESSMENT = trajectory.WageValueAssessment(
    wage_value_pct=70, assessed_by="assessor-uwv-1", assessed_on=date(2026, 12, 14)
)
"""A wage-value assessment before the factories' job begins (1 January 2027)."""
REASSESS_ON = date(2027, 7, 1)


def with_lks(**job: object) -> Story:
    """A regular job with a wage-cost subsidy on a 70% wage value, re-assessed in July."""
    story = learning()
    story.later(10 * WEEK).do(
        f.regular_job(  # type: ignore[arg-type]
            wage_value=ASSESSMENT,
            subsidy_decided_on=date(2027, 1, 15),
            reassess_on=REASSESS_ON,
            **job,
        )
    )
    return story


def checkpoint(
    month: int, still_employed: bool = True, **kw: object
) -> trajectory.RecordCheckpoint:
    return trajectory.RecordCheckpoint(
        actor=f.COACH,
        month=month,
        still_employed=still_employed,
        hours_per_week=kw.pop("hours_per_week", 32 if still_employed else None),  # type: ignore[arg-type]
        benefit_end=kw.pop("benefit_end", trajectory.BenefitEnd.FULLY),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def followed_up() -> Story:
    """Every aftercare event: the LKS decided and re-assessed, the 1-month checkpoint missed
    and recorded late, the others on time; the 12-month one closes the trajectory."""
    story = with_lks()
    story.reach(trajectory.DeadlineKind.CHECKPOINT)
    story.reach(trajectory.DeadlineKind.CHECKPOINT_MISSED)
    story.do(checkpoint(1))
    for month in (3, 6):
        story.reach(trajectory.DeadlineKind.CHECKPOINT)
        story.do(checkpoint(month))
    story.reach(trajectory.DeadlineKind.WAGE_VALUE_REASSESSMENT)
    story.do(
        trajectory.RecordWageValueReassessment(
            actor=f.COACH,
            wage_value=trajectory.WageValueAssessment(
                wage_value_pct=85, assessed_by="assessor-uwv-1", assessed_on=REASSESS_ON
            ),
            next_reassess_on=date(2028, 7, 1),
        )
    )
    story.reach(trajectory.DeadlineKind.CHECKPOINT)
    story.do(checkpoint(12))
    return story
