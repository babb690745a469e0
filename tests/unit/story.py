"""A trajectory driven through `decide` and `fold`, the way the workflow drives it.

Tests build a trajectory up to the step they are about with the builders at the bottom,
then send the one command under test. Time is a fixed, aware clock that only a test moves.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain import trajectory
from tests import factories as f

T0 = datetime(2026, 11, 23, 9, tzinfo=UTC)
WEEK = timedelta(days=7)
TID = "traj-unit-0001"


class Story:
    """Events so far, the state they fold to, and the time it is now."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now
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
        return trajectory.decide(self.state, command, self.now)

    def do(
        self, command: trajectory.AnyCommand, *, at: datetime | None = None
    ) -> list[trajectory.AnyEvent]:
        if at is not None:
            self.now = at
        new = trajectory.decide(self.state, command, self.now)
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


def employed(hours: int = 32, benefit_ended: bool = True) -> Story:
    story = learning()
    story.later(10 * WEEK).do(f.regular_job(hours, benefit_ended=benefit_ended))
    return story


def follow_up_due() -> Story:
    story = employed()
    story.reach(trajectory.DeadlineKind.FOLLOW_UP)
    return story


def closed(reason: trajectory.ClosureReason = trajectory.ClosureReason.MOVED_AWAY) -> Story:
    story = learning()
    story.later(WEEK).do(trajectory.EndTrajectory(actor=f.COACH, reason=reason))
    return story
