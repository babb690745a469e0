"""`as-of` on real PostgreSQL: the state at a moment is the fold of the events up to it.

Property-style over one long trajectory: at every event's own moment, a microsecond either
side of it, and at random moments between, `state_as_of` equals `fold` of the events with
`occurred_at <= moment`, computed here from the events as they were decided.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from activities import PostgresEventStore
from domain import trajectory
from domain.shared import COACH_TIME_ZONE
from nbm.audit import AuditError, state_as_of
from nbm.cli._common import CliError
from nbm.cli.audit._trail import parse_moment
from tests import factories as f

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
MICRO = timedelta(microseconds=1)


def long_trajectory(
    commands: int, *, trajectory_id: str, start: datetime = T0
) -> list[trajectory.AnyEvent]:
    """A two-year trajectory of about 1.4 events per command, driven through `decide`.

    Learning lasts 104 weeks; the coach records an evaluation, a calamity (and its
    escalation) or its resolution at even steps over 100 weeks, and every deadline the
    domain asks for fires when due, as the workflow would fire it. It ends with a closure.
    """
    events: list[trajectory.AnyEvent] = []
    state: trajectory.Trajectory | None = None

    def do(command: trajectory.AnyCommand, at: datetime) -> None:
        nonlocal state
        new = trajectory.decide(state, command, at)
        events.extend(new)
        state = trajectory.fold(new, state)

    def fire_deadlines_until(at: datetime) -> None:
        while (due := trajectory.next_deadline(state)) is not None and due.at <= at:
            do(
                trajectory.ReachDeadline(
                    actor=trajectory.SYSTEM_ACTOR, deadline=due.kind, due_at=due.at
                ),
                due.at,
            )

    for command in (
        f.start(start, trajectory_id=trajectory_id),
        f.map_possibilities(),
        f.establish_agreement(weeks=104),
        f.match(),
    ):
        do(command, start)
    learning_start = start + timedelta(days=7)
    do(f.start_learning(), learning_start)
    step = timedelta(weeks=100) / commands
    for n in range(commands):
        at = learning_start + step * (n + 1)
        fire_deadlines_until(at)
        assert state is not None
        if n % 3 == 1:
            do(
                trajectory.RecordCalamity(
                    actor=f.COACH, calamity_kind=trajectory.CalamityKind.HOUSING
                ),
                at,
            )
        elif n % 3 == 2 and state.open_calamities:
            do(
                trajectory.ResolveCalamity(actor=f.COACH, number=state.open_calamities[0].number),
                at,
            )
        else:
            verdict = random.Random(n).choice(list(trajectory.EvaluationVerdict))
            do(
                trajectory.RecordEvaluation(actor=f.COACH, verdict=verdict, employer_present=True),
                at,
            )
    end = learning_start + timedelta(weeks=100, days=1)
    fire_deadlines_until(end)
    do(
        trajectory.EndTrajectory(
            actor=f.COACH,
            reason=trajectory.ClosureReason.MOVED_AWAY,
            explanation="moved to Groningen",
        ),
        end,
    )
    return events


def fold_until(events: list[trajectory.AnyEvent], moment: datetime) -> trajectory.Trajectory | None:
    return trajectory.fold(e for e in events if e.occurred_at <= moment)


@pytest.fixture
async def stored(store: PostgresEventStore) -> list[trajectory.AnyEvent]:
    events = long_trajectory(300, trajectory_id="traj-long-0001")
    await store.append(events)
    return events


async def test_as_of_equals_the_fold_of_the_events_up_to_that_moment(
    store: PostgresEventStore, stored: list[trajectory.AnyEvent]
) -> None:
    rng = random.Random(20261123)
    first, last = stored[0].occurred_at, stored[-1].occurred_at
    # Each event's own moment is where an off-by-one (< for <=) would show.
    boundaries = [e.occurred_at for e in rng.sample(stored, 60)] + [first, last]
    moments = [m + delta for m in boundaries for delta in (-MICRO, timedelta(0), MICRO)]
    moments += [first + (last - first) * rng.random() for _ in range(60)]
    moments.append(last + timedelta(days=365))
    checked = 0
    for moment in moments:
        expected = fold_until(stored, moment)
        if expected is None:  # the microsecond before the start: covered by the next test
            continue
        found = await state_as_of(store, "traj-long-0001", moment)
        assert found.state == expected and found.unreadable_later == [], moment
        checked += 1
    assert checked >= 180
    assert len(stored) > 400


async def test_a_moment_before_the_trajectory_existed_is_refused(
    store: PostgresEventStore, stored: list[trajectory.AnyEvent]
) -> None:
    with pytest.raises(AuditError, match="did not exist yet"):
        await state_as_of(store, "traj-long-0001", stored[0].occurred_at - MICRO)
    with pytest.raises(AuditError, match="no trajectory traj-unknown"):
        await state_as_of(store, "traj-unknown", stored[-1].occurred_at)


def test_a_date_means_the_end_of_that_day_in_amsterdam() -> None:
    # Where the coaches are: an --effective 2027-03-02T00:30 is not "as of the 1st".
    end = datetime(2027, 3, 1, 23, 59, 59, 999999, tzinfo=COACH_TIME_ZONE)
    assert parse_moment("2027-03-01") == end
    assert parse_moment("2027-03-01T12:30") == datetime(2027, 3, 1, 11, 30, tzinfo=UTC)
    assert parse_moment("2027-03-01T12:30+01:00") == datetime(2027, 3, 1, 11, 30, tzinfo=UTC)
    with pytest.raises(CliError, match="not an ISO date"):
        parse_moment("1 March")
