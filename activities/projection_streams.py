"""The projector's other streams: what the tasks' and the cohorts' events change in the read
models (`task_summary`, `cohort_members`), and what the projector shares with them: how an
event is set aside (`Quarantined`) and why (`unusable`, `HELD`).

`activities.projections.Projector` applies these in its batch's transaction, beside the
trajectories' read models.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import asyncpg

from domain import cohort, task
from domain.streams import COHORT_EVENT_TYPES, TASK_EVENT_TYPES

from .chain import StoredEvent, UnreadableEvent
from .event_store import PostgresEventStore
from .read_model_rows import DROP_COHORT_MEMBER, UPSERT_COHORT_MEMBER, UPSERT_TASK, task_row

HELD = "an earlier event of this stream is quarantined"
"""Why every event of a stream after one set aside is set aside too."""


@dataclass(frozen=True)
class Quarantined:
    """An event set aside: where it is and why, never what it says."""

    position: int
    stream_id: str
    version: int
    reason: str


def unusable(err: Exception) -> str:
    """Why an event is set aside: it cannot be read (`UnreadableEvent`), or applying it
    failed (a bug on one event must not stop every stream)."""
    if isinstance(err, UnreadableEvent):
        return f"cannot be read: {err.reason}"
    return f"cannot be applied ({type(err).__name__}: {' '.join(str(err).split())[:160]})"


@dataclass
class OtherChanges:
    """A batch's changes to the tasks and the cohorts' members."""

    tasks: dict[str, task.Task] = field(default_factory=dict)
    joined: list[tuple[str, str]] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)

    async def write(self, conn: asyncpg.Connection) -> None:
        """The changes, on `conn`'s transaction (the projector's batch)."""
        if self.tasks:
            await conn.executemany(UPSERT_TASK, [task_row(t) for t in self.tasks.values()])
        if self.joined:
            await conn.executemany(UPSERT_COHORT_MEMBER, self.joined)
        if self.dropped:
            await conn.executemany(DROP_COHORT_MEMBER, self.dropped)


class OtherStreams:
    """Reads the tasks' and cohorts' events of a batch into `OtherChanges`."""

    def __init__(self, store: PostgresEventStore) -> None:
        self._store = store

    async def after(self, stored: Sequence[StoredEvent], held: set[str]) -> OtherChanges:
        """What the tasks' and cohorts' events in `stored` change, with the same quarantine
        as a trajectory's (an event that cannot be read or applied holds its stream)."""
        others = OtherChanges()
        for record in stored:
            is_task = record.event_type in TASK_EVENT_TYPES
            if not is_task and record.event_type not in COHORT_EVENT_TYPES:
                continue
            sid = record.stream_id
            if sid in held:
                others.quarantined.append(Quarantined(record.position, sid, record.version, HELD))
                continue
            try:
                event = record.event()
                if is_task:
                    before = others.tasks.get(sid) or await self._task_at(sid, record.version - 1)
                    others.tasks[sid] = task.evolve(before, event)  # type: ignore[arg-type]
                elif isinstance(event, cohort.CohortStarted):
                    others.joined += [(c.trajectory_id, sid) for c in event.candidates]
                elif isinstance(event, cohort.CandidateDroppedOut):
                    others.dropped.append((event.trajectory_id, sid))
            except Exception as err:  # as for a trajectory: one bad event stops one stream
                reason = unusable(err)
            else:
                continue
            held.add(sid)
            others.quarantined.append(Quarantined(record.position, sid, record.version, reason))
        return others

    async def _task_at(self, stream_id: str, version: int) -> task.Task | None:
        """A task's state after `version` events, folded from the store (a task has a few)."""
        if version == 0:
            return None
        events = await self._store.read(stream_id, until_version=version)
        return task.fold(events)  # type: ignore[arg-type]
