"""The hard caseload limit per coach: how many open trajectories a coach may hold.

The limit is the coach's own in the people directory (`nbm people set-caseload-limit`); a
coach not in the directory gets the setting `NBM_CASELOAD_LIMIT` (default 35). A start past
it is refused, unless a supervisor above the coach allows it (`--override-by`, with a reason
code); the start event then records who allowed it and why (`trajectory.CaseloadOverride`).
`nbm trajectory start` and `nbm import` both come here.

Where the count comes from: Temporal's visibility, the coach's running trajectory workflows on
this task queue whose step is not `closed` (the `CoachId` and `Step` search attributes). It is
the workflows themselves, not the projector's read model that can lag behind. The race we
accept: visibility is eventually consistent, and two starts for the same coach at the same
moment both see the count before either, so a coach can end one or two over the limit when
starts coincide (a second coach's tool on the same caseload). A start entered while the
count is behind is still in the workflow's events, and the next start counts it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from temporalio.client import Client

from domain import people, trajectory
from domain.shared import N_, is_opaque_id
from workflows import WORKFLOW_TYPE
from workflows.search import COACH_ID, STEP

from . import stream_service as streams
from .service import ServiceError


class CaseloadFull(ServiceError):
    """The coach holds as many open trajectories as their limit allows."""

    def __init__(self, coach_id: str, open_trajectories: int, limit: int) -> None:
        super().__init__(
            N_("coach {coach} has {open} open trajectories already (limit {limit})"),
            code="caseload-full",
            coach=coach_id,
            open=open_trajectories,
            limit=limit,
        )
        self.coach_id, self.open_trajectories, self.limit = coach_id, open_trajectories, limit


class OverrideRefused(ServiceError):
    """`--override-by` names nobody who may allow it: not an active supervisor above the
    coach (`unknown`: not in the directory at all)."""

    def __init__(self, by: str, coach_id: str, *, unknown: bool) -> None:
        super().__init__(
            N_("{who} is not in the people directory")
            if unknown
            else N_("{who} is not an active supervisor above coach {coach}"),
            code="override-refused",
            who=by,
            coach=coach_id,
        )
        self.by, self.coach_id, self.unknown = by, coach_id, unknown


@dataclass(frozen=True)
class CaseloadCount:
    coach_id: str
    open_trajectories: int
    limit: int

    @property
    def full(self) -> bool:
        return self.open_trajectories >= self.limit


async def open_trajectories(client: Client, task_queue: str, coach_id: str) -> int:
    """The coach's open trajectories: their running, not closed trajectory workflows."""
    if not is_opaque_id(coach_id):  # it goes into a query: an id, no quotes
        raise ServiceError(f"{coach_id[:40]!r} is not a coach id")
    query = (
        f"WorkflowType = '{WORKFLOW_TYPE}' AND TaskQueue = '{task_queue}' "
        f"AND ExecutionStatus = 'Running' AND {COACH_ID.name} = '{coach_id}' "
        f"AND {STEP.name} != '{trajectory.Step.CLOSED.value}'"
    )
    counted = await client.count_workflows(query)
    return counted.count


def limit_of(directory: people.Directory, coach_id: str, default: int) -> int:
    """The coach's limit in the directory, else `default` (a coach not in it)."""
    person = directory.people.get(coach_id)
    if person is None or person.caseload_limit is None:
        return default
    return person.caseload_limit


async def count(
    client: Client, task_queue: str, coach_id: str, *, default_limit: int
) -> CaseloadCount:
    """How full the coach's caseload is, against their limit."""
    directory = await streams.directory(client)
    return CaseloadCount(
        coach_id=coach_id,
        open_trajectories=await open_trajectories(client, task_queue, coach_id),
        limit=limit_of(directory, coach_id, default_limit),
    )


def check_supervisor(directory: people.Directory, by: str, coach_id: str) -> None:
    """`OverrideRefused` unless `by` is an active supervisor above the coach."""
    person = directory.people.get(by)
    if person is None or not person.active:
        raise OverrideRefused(by, coach_id, unknown=person is None)
    if person.role is not people.Role.SUPERVISOR or by not in directory.chain_of(coach_id):
        raise OverrideRefused(by, coach_id, unknown=False)


async def check_caseload(
    client: Client,
    task_queue: str,
    coach_id: str,
    *,
    default_limit: int,
    override_by: str | None = None,
    reason: trajectory.OverrideReason | None = None,
) -> trajectory.CaseloadOverride | None:
    """Whether one more trajectory may start for the coach.

    Returns:
        None when it fits under the limit; the override to record in the start when it does
        not and `override_by` may allow it.

    Raises:
        CaseloadFull: past the limit, and no override given.
        OverrideRefused: `override_by` is not an active supervisor above the coach.
        ValueError: `override_by` without `reason`.
    """
    directory = await streams.directory(client)
    if override_by is not None:
        if reason is None:
            raise ValueError("an override needs a reason")
        check_supervisor(directory, override_by, coach_id)  # even when it turns out to fit
    opened = await open_trajectories(client, task_queue, coach_id)
    limit = limit_of(directory, coach_id, default_limit)
    if opened < limit:
        return None
    if override_by is None or reason is None:
        raise CaseloadFull(coach_id, opened, limit)
    return trajectory.CaseloadOverride(
        by=override_by, reason=reason, open_trajectories=opened, limit=limit
    )


class CaseloadBudget:
    """The limit for many starts in a row (`nbm import`): the directory read once and each
    coach's open trajectories counted once, then counted up here at each start admitted, so
    a file of thousands of rows asks the server once per coach, not once per row.

    The same race as `check_caseload`, over the batch's duration: starts by others meanwhile
    are not seen until the next batch.
    """

    def __init__(self, client: Client, task_queue: str, *, default_limit: int) -> None:
        self._client, self._queue, self._default = client, task_queue, default_limit
        self._directory: people.Directory | None = None
        self._open: dict[str, int] = {}
        # Rows run concurrently: without it, each first row of a coach would count the
        # server's figure afresh over the others' increments.
        self._lock = asyncio.Lock()

    async def admit(
        self,
        coach_id: str,
        *,
        override_by: str | None = None,
        reason: trajectory.OverrideReason | None = None,
    ) -> trajectory.CaseloadOverride | None:
        """As `check_caseload`, for one more start of the batch; counts it as started.

        Call `release` if the start then fails after all."""
        async with self._lock:
            return await self._admit(coach_id, override_by, reason)

    async def _admit(
        self,
        coach_id: str,
        override_by: str | None,
        reason: trajectory.OverrideReason | None,
    ) -> trajectory.CaseloadOverride | None:
        if self._directory is None:
            self._directory = await streams.directory(self._client)
        if override_by is not None:
            if reason is None:
                raise ValueError("an override needs a reason")
            check_supervisor(self._directory, override_by, coach_id)
        if coach_id not in self._open:
            self._open[coach_id] = await open_trajectories(self._client, self._queue, coach_id)
        opened, limit = self._open[coach_id], limit_of(self._directory, coach_id, self._default)
        override = None
        if opened >= limit:
            if override_by is None or reason is None:
                raise CaseloadFull(coach_id, opened, limit)
            override = trajectory.CaseloadOverride(
                by=override_by, reason=reason, open_trajectories=opened, limit=limit
            )
        self._open[coach_id] = opened + 1
        return override

    def release(self, coach_id: str) -> None:
        """A start admitted that did not happen after all: its place back."""
        if self._open.get(coach_id):
            self._open[coach_id] -= 1
