"""Read models kept up to date from the events' global order, exactly once.

Four read models, all derived from the events and nothing else, so each can be dropped and
rebuilt from position zero:

- `trajectory_summary`: one row per trajectory: its step, route, coach, employer and key dates;
- `caseload`: per work coach, the open trajectories, those learning in and their escalations;
- `outcomes`: per route and outcome type, how many trajectories closed so (placement rate);
- `checkpoint_results`: per regular job's follow-up checkpoint (1, 3, 6, 12 months) its due
  date and answer: still employed, hours, benefit (lasting placement, benefit dependence);
- the outcome report's `trajectory_milestones`, `trajectory_employers` and
  `trajectory_report_facts` (`outcome_rows`): what an event did once (a step first reached,
  an employer attached), kept beside the states.

- for the coach's morning lists (`nbm caseload`, 0204): `trajectory_contact` (the latest
  contact with the candidate), `cohort_members` (from the cohorts' events) and `task_summary`
  (from the tasks' events: who has each, until when to acknowledge), read by
  `projection_streams.OtherStreams`.

They hold only non-personal facts: ids of trajectories, coaches, employers and programmes,
codes, dates and counts. No name, BSN, candidate reference, free text or sealed blob.

Exactly once: `projection_tracking` holds the global position the read models reflect. A
batch locks that row (`FOR UPDATE`), reads the events after it, writes the read models and
moves the position, all in one transaction. A crash before the commit leaves both as they
were; a second projector waits on the lock and then starts from the moved position, so no
event is applied twice (the tracking table of the eventsourcing library's PostgreSQL
recorder, written in the same transaction as the projection's output).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg
import structlog

from domain import trajectory
from domain.streams import (
    TRAJECTORY_EVENT_TYPES,
    as_trajectory_event,
)

from .chain import StoredEvent, UnreadableEvent
from .event_store import PostgresEventStore
from .outcome_rows import (
    INSERT_EMPLOYER,
    INSERT_MILESTONE,
    OUTCOME_READ_MODELS,
    UPSERT_FACTS,
    employer_rows,
    fact_row,
    milestone_rows,
)
from .projection_streams import HELD, OtherStreams, Quarantined, unusable
from .read_model_rows import READ_MODELS as SUMMARY_READ_MODELS
from .read_model_rows import (  # summary_row: also read from here
    REFRESH_CASELOAD,
    REFRESH_OUTCOMES,
    REPLACE_CHECKPOINTS,
    UPSERT_CONTACT,
    UPSERT_SUMMARY,
    checkpoint_rows,
    contact_at,
    summary_row,
)

READ_MODELS = (*SUMMARY_READ_MODELS, *OUTCOME_READ_MODELS)
"""Every read model the projector keeps (a rebuild empties them all)."""

Progress = Callable[[int, int], None]
"""Told (done, total) as long work goes on: what a progress bar draws."""

PROJECTION = "read_models"
"""The one projection the tracking table knows; the three read models move together."""

log = structlog.get_logger("nbm.projector")


@dataclass(frozen=True)
class Tracking:
    """Where the read models stand against the store."""

    position: int
    head: int

    @property
    def lag(self) -> int:
        return self.head - self.position


@dataclass(frozen=True)
class Rebuilt:
    events: int
    seconds: float
    quarantined: int = 0


@dataclass
class _History:
    """What a batch's events did once, beside the states they led to: the steps reached and
    the employers attached (`outcome_rows`)."""

    milestones: list[tuple[object, ...]]
    employers: list[tuple[object, ...]]


class Projector:
    """Keeps the read models up to date from the store's global order, exactly once.

    Safe to run in several processes at once: they take turns on the tracking row. The pool
    needs two connections: one holds the batch's transaction while the store reads on another.
    """

    STATE_CACHE_SIZE = 10_000

    def __init__(self, pool: asyncpg.Pool, store: PostgresEventStore | None = None) -> None:
        if pool.get_max_size() < 2:
            raise ValueError("a projector needs a pool of at least two connections")
        self._pool = pool
        self._store = store or PostgresEventStore(pool)
        self._others = OtherStreams(self._store)
        # The state of a stream at a version is a fact (events never change), so a cached
        # state is right whenever its version is the one wanted, whatever was committed or
        # rolled back since. It only saves re-reading streams; the store stays the authority.
        self._states: OrderedDict[str, trajectory.Trajectory] = OrderedDict()

    async def catch_up(self, batch: int = 500) -> int:
        """Apply every event after the tracked position; returns how many were applied."""
        applied = 0
        while (done := await self.apply_batch(batch)) > 0:
            applied += done
        return applied

    async def apply_batch(self, batch: int = 500) -> int:
        """Apply up to `batch` events in one transaction; returns how many (0: caught up).

        An event that cannot be read or applied is quarantined with the rest of its stream
        after it (`quarantined`); the other streams go on.
        """
        async with self._pool.acquire() as conn, conn.transaction():
            return await self._apply(conn, batch)

    async def rebuild(self, batch: int = 500, progress: Progress | None = None) -> Rebuilt:
        """The read models and the quarantine made again from zero, in one transaction.

        All or nothing: a rebuild that fails leaves the previous read models in place.
        `progress(done, total)` is told after each batch how many events were applied of
        the store's head when the rebuild began (a bar's counts; it reaches the total).
        """
        started = time.perf_counter()
        self._states.clear()
        events = 0
        async with self._pool.acquire() as conn, conn.transaction():
            # The lock first: a live projector's batch finishes or waits, never interleaves.
            await conn.execute(
                "SELECT position FROM projection_tracking WHERE projection = $1 FOR UPDATE",
                PROJECTION,
            )
            for table in (*READ_MODELS, "projection_quarantine"):
                await conn.execute(f"DELETE FROM {table}")  # names from this module, not input
            await conn.execute(
                "UPDATE projection_tracking SET position = 0 WHERE projection = $1", PROJECTION
            )
            # Gap-free positions: the head is the number of events (later ones come on top).
            total = await conn.fetchval("SELECT coalesce(max(position), 0) FROM events")
            if progress is not None:
                progress(0, total)
            while done := await self._apply(conn, batch):
                events += done
                if progress is not None:
                    progress(events, max(total, events))
            held = await conn.fetchval("SELECT count(*) FROM projection_quarantine")
        return Rebuilt(events=events, seconds=time.perf_counter() - started, quarantined=held)

    async def quarantined(self) -> list[Quarantined]:
        """The events set aside, in position order."""
        async with self._pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT position, stream_id, version, reason FROM projection_quarantine "
                "ORDER BY position"
            )
        return [Quarantined(**dict(r)) for r in rows]

    async def _apply(self, conn: asyncpg.Connection, batch: int) -> int:
        """One batch on `conn`'s transaction: the read models, the quarantine, the position."""
        # Held until the commit: a second projector waits here, then reads the new position.
        position = await conn.fetchval(
            "SELECT position FROM projection_tracking WHERE projection = $1 FOR UPDATE",
            PROJECTION,
        )
        if position is None:  # the migration inserts it; someone removed it by hand
            raise RuntimeError(f"projection_tracking has no row {PROJECTION!r}")
        stored = await self._store.read_all(after_position=position, limit=batch)
        if not stored:
            return 0
        held = {r["stream_id"] for r in await conn.fetch(_HELD_STREAMS)}
        history = _History([], [])
        states, quarantined, contacts = await self._states_after(stored, held, history)
        if states:
            await self._write(conn, list(states.values()))
        if contacts:
            await conn.executemany(UPSERT_CONTACT, sorted(contacts.items()))
        await _write_history(conn, history)
        others = await self._others.after(stored, held)
        await others.write(conn)
        quarantined = sorted([*quarantined, *others.quarantined], key=lambda q: q.position)
        if quarantined:
            await conn.executemany(
                _QUARANTINE, [(q.position, q.stream_id, q.version, q.reason) for q in quarantined]
            )
            for q in quarantined:
                log.warning(
                    "event quarantined",
                    position=q.position,
                    stream_id=q.stream_id,
                    version=q.version,
                    reason=q.reason,
                )
        await conn.execute(
            "UPDATE projection_tracking SET position = $2 WHERE projection = $1",
            PROJECTION,
            stored[-1].position,
        )
        return len(stored)

    async def tracking(self) -> Tracking:
        async with self._pool.acquire() as conn:
            row = await conn.fetchrow(
                "SELECT (SELECT position FROM projection_tracking WHERE projection = $1) AS pos,"
                " (SELECT coalesce(max(position), 0) FROM events) AS head",
                PROJECTION,
            )
        assert row is not None
        return Tracking(position=row["pos"] or 0, head=row["head"])

    async def _states_after(
        self, stored: Sequence[StoredEvent], held: set[str], history: _History
    ) -> tuple[dict[str, trajectory.Trajectory], list[Quarantined], dict[str, datetime]]:
        """Each touched stream's state after its last good event in `stored`, the events
        set aside (one that cannot be read or applied, and every later one of its stream),
        and each stream's latest contact with the candidate in `stored` (`contact_at`).
        What each applied event did once (a step reached, an employer) goes into `history`."""
        states: dict[str, trajectory.Trajectory] = {}
        quarantined: list[Quarantined] = []
        contacts: dict[str, datetime] = {}
        for record in stored:
            if record.event_type not in TRAJECTORY_EVENT_TYPES:
                continue  # another aggregate's: the trajectories' read models do not hold it
            sid = record.stream_id
            if sid in held:
                quarantined.append(Quarantined(record.position, sid, record.version, HELD))
                continue
            try:
                # Outside the broad catch below: a database error is no reason to set aside.
                before = states.get(sid) or await self._state_at(sid, record.version - 1)
                try:
                    event = as_trajectory_event(record.event())
                    state = trajectory.evolve(before, event)
                except Exception as err:  # a bug on one event must not stop every stream
                    raise _Unusable(unusable(err)) from None
            except _Unusable as err:
                reason = err.reason
            else:
                states[sid] = state
                self._remember(state)
                history.milestones.extend(milestone_rows(before, event, state))
                history.employers.extend(employer_rows(before, event, state))
                if (contact := contact_at(event)) is not None:
                    contacts[sid] = max(contact, contacts.get(sid, contact))
                continue
            held.add(sid)
            quarantined.append(Quarantined(record.position, sid, record.version, reason))
        return states, quarantined, contacts

    async def _state_at(self, stream_id: str, version: int) -> trajectory.Trajectory | None:
        """The stream's state after `version` events: from the cache, else folded from the store."""
        if version == 0:
            return None
        cached = self._states.get(stream_id)
        if cached is not None and cached.version == version:
            return cached
        try:
            events = await self._store.read(stream_id, until_version=version)
        except UnreadableEvent as err:
            raise _Unusable(f"an earlier event cannot be read: {err}") from None
        try:
            state = trajectory.fold(as_trajectory_event(e) for e in events)
        except Exception as err:
            raise _Unusable(f"an earlier event cannot be applied ({type(err).__name__})") from None
        if state is None or state.version != version:  # a row missing: the chain says where
            raise _Unusable(f"the stream has no events up to version {version}")
        return state

    def _remember(self, state: trajectory.Trajectory) -> None:
        self._states[state.trajectory_id] = state
        self._states.move_to_end(state.trajectory_id)
        while len(self._states) > self.STATE_CACHE_SIZE:
            self._states.popitem(last=False)

    async def _write(self, conn: asyncpg.Connection, states: list[trajectory.Trajectory]) -> None:
        """Upsert the summaries, then refresh the aggregates they feed, on `conn`'s transaction."""
        old = await conn.fetch(
            "SELECT coach_id, route FROM trajectory_summary WHERE trajectory_id = ANY($1::text[])",
            [s.trajectory_id for s in states],
        )
        await self._upsert_summaries(conn, states)
        # A trajectory's coach does not change today; counting the old one too keeps it right.
        coaches = {s.coach_id for s in states} | {r["coach_id"] for r in old}
        routes = {s.route.value for s in states} | {r["route"] for r in old}
        for statement in REFRESH_CASELOAD:
            await conn.execute(statement, sorted(coaches))
        for statement in REFRESH_OUTCOMES:
            await conn.execute(statement, sorted(routes))

    async def _upsert_summaries(
        self, conn: asyncpg.Connection, states: list[trajectory.Trajectory]
    ) -> None:
        await conn.executemany(UPSERT_SUMMARY, [summary_row(s) for s in states])
        await conn.executemany(UPSERT_FACTS, [fact_row(s) for s in states])
        # A trajectory's checkpoints, replaced whole: a handful of rows, right by construction.
        await conn.execute(REPLACE_CHECKPOINTS[0], [s.trajectory_id for s in states])
        rows = [row for s in states for row in checkpoint_rows(s)]
        if rows:
            await conn.executemany(REPLACE_CHECKPOINTS[1], rows)


class _Unusable(Exception):
    """The event before this one cannot be read or applied (the reason is for the quarantine)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def _write_history(conn: asyncpg.Connection, history: _History) -> None:
    for statement, rows in (
        (INSERT_MILESTONE, history.milestones),
        (INSERT_EMPLOYER, history.employers),
    ):
        if rows:
            await conn.executemany(statement, rows)


_HELD_STREAMS = "SELECT DISTINCT stream_id FROM projection_quarantine"
_QUARANTINE = (
    "INSERT INTO projection_quarantine (position, stream_id, version, reason) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (position) DO NOTHING"
)
