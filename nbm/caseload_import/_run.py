"""Starting the rows of an import file: each row one trajectory, started at most once.

Each row's start carries the row's request id, and the trajectory's id is made from it
(`generated_id("traj", request_id)`), so a file imported again, after an interruption or
in full, finds the trajectories it started before instead of starting them twice. The rows
are started concurrently through one Temporal client, at most `parallel` at a time.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any

from pydantic import ValidationError
from temporalio.client import Client

from domain import future_job, trajectory
from domain.shared import COACH_TIME_ZONE, DomainError, is_opaque_id
from nbm import programmes, service
from nbm import stream_service as streams
from nbm.i18n import _

from ._file import LIST_SEPARATOR, NOT_AN_ID, ImportFile, Planned, Refusal

DEFAULT_PARALLEL = 16
"""Rows in flight at once: enough to keep the server busy, well under its limits."""


def trajectory_id_for(request_id: str) -> str:
    """The trajectory a row's request id starts: the id `nbm trajectory start --request-id`
    makes from the same request id (`generated_id`), so either way it is one trajectory."""
    return f"traj-{hashlib.sha256(f'traj:{request_id}'.encode()).hexdigest()[:12]}"


class Outcome(StrEnum):
    STARTED = "started"
    ALREADY = "already-there"
    REFUSED = "refused"
    CHECKED = "checked"
    """`--check`: the row would be started (nothing was)."""


class RowRefused(Exception):
    """A row that cannot be started: the column it is about (None: the row as a whole), and
    why, in the coach's language, without the cell's value."""

    def __init__(self, field: str | None, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


BeforeStart = Callable[[trajectory.StartTrajectory], Awaitable[None]]
"""A check on each row's start before it is sent (e.g. a coach's caseload limit): raises
`RowRefused` to refuse the row. Called for rows that are new and for rows already there."""


@dataclass
class ImportReport:
    """What became of the file's rows; filled while the import runs, so an interrupted
    import can still say how far it came."""

    file: ImportFile
    outcomes: dict[int, tuple[Outcome, str | None]] = field(default_factory=dict)
    """line: (outcome, trajectory id)."""
    refused: list[Refusal] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.refused = list(self.file.refused)
        for r in self.file.refused:
            self.outcomes[r.line] = (Outcome.REFUSED, None)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for o, _tid in self.outcomes.values() if o is outcome)

    @property
    def read(self) -> int:
        return self.file.read

    @property
    def done(self) -> int:
        return len(self.outcomes)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file.path.name,
            "read": self.read,
            "started": self.count(Outcome.STARTED),
            "already_there": self.count(Outcome.ALREADY),
            "checked": self.count(Outcome.CHECKED),
            "refused": len(self.refused),
            "not_done": self.read - self.done,
            "refusals": [
                {"line": r.line, "field": r.field, "reason": r.reason}
                for r in sorted(self.refused, key=lambda r: r.line)
            ],
            "rows": [
                {"line": line, "outcome": o.value, "trajectory_id": tid}
                for line, (o, tid) in sorted(self.outcomes.items())
            ],
        }


async def run_import(
    client: Client,
    task_queue: str,
    file: ImportFile,
    *,
    actor: str,
    parallel: int = DEFAULT_PARALLEL,
    check_only: bool = False,
    before_start: BeforeStart | None = None,
    on_row: Callable[[ImportReport], None] | None = None,
    report: ImportReport | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Start every row of `file` not started before; the report says what became of each.

    `before_start`: the caseload limit's hook (see `BeforeStart`). `on_row`: called after
    each row (a progress bar). `report`: the one to fill (the caller keeps it if the import
    is interrupted). `now`: the clock the starts are checked against (a test's server time).
    """
    report = report or ImportReport(file)
    builder = _Builder(client, actor, now)
    limiter = asyncio.Semaphore(max(1, parallel))

    async def one(row: Planned) -> None:
        async with limiter:
            try:
                command = await builder.command(row)
                if before_start is not None:
                    await before_start(command)
                if check_only:
                    outcome = Outcome.CHECKED
                else:
                    outcome = await _start(client, task_queue, command, builder.now)
            except RowRefused as err:
                report.refused.append(Refusal(row.line, err.field, err.reason))
                report.outcomes[row.line] = (Outcome.REFUSED, None)
            else:
                report.outcomes[row.line] = (outcome, command.trajectory_id)
        if on_row is not None:
            on_row(report)

    await asyncio.gather(*(one(row) for row in file.rows))
    return report


async def _start(
    client: Client, task_queue: str, command: trajectory.StartTrajectory, now: datetime
) -> Outcome:
    job_id = command.future_job.future_job_id
    rid = command.request_id
    assert rid is not None, "an imported row's start has its request id"
    if job_id is not None:
        # As `nbm trajectory start --future-job`: the start checked, then the place, given
        # back if the start is refused after all; both keyed by the row's request id, so a
        # repeat claims no second place.
        try:
            service.check_start(command, now=now)
        except service.CommandRefused as err:
            raise RowRefused(None, str(err)) from None
        try:
            await streams.future_job_command(
                client, job_id,
                future_job.AttachCandidate(actor=command.actor, request_id=f"{rid}.attach",
                                           trajectory_id=command.trajectory_id),
            )  # fmt: skip
        except service.ServiceError as err:
            raise RowRefused("future_job", str(err)) from None
    try:
        _result, already = await service.start_or_find(client, task_queue, command, now=now)
    except service.CommandRefused as err:
        if err.code == "trajectory-closed":  # imported before, and closed since
            return Outcome.ALREADY
        if job_id is not None:
            await streams.future_job_command(
                client, job_id,
                future_job.DetachCandidate(
                    actor=command.actor, request_id=f"{rid}.detach",
                    trajectory_id=command.trajectory_id,
                    reason=future_job.DetachReason.DROPPED_OUT,
                ),
            )  # fmt: skip
        raise RowRefused(None, str(err)) from None
    except service.ServiceError as err:
        raise RowRefused(None, str(err)) from None
    return Outcome.ALREADY if already else Outcome.STARTED


class _Builder:
    """Each row's `StartTrajectory`, with the programmes and future jobs read once each."""

    def __init__(self, client: Client, actor: str, now: datetime | None) -> None:
        self.client = client
        self.actor = actor
        self.now = now or datetime.now(UTC)
        self._programmes: dict[tuple[str, str | None], trajectory.Programme] = {}
        self._jobs: dict[str, asyncio.Task[future_job.FutureJob | None]] = {}

    async def command(self, row: Planned) -> trajectory.StartTrajectory:
        coach = _id(row, "coach", required=True)
        started = self._started_on(row)
        programme = self._programme(row)
        route = _route(row, programme)
        work_to_work = _work_to_work(row)
        job = await self._job(row)
        try:
            return trajectory.StartTrajectory(
                actor=self.actor,
                request_id=row.request_id,
                effective_at=started,
                trajectory_id=trajectory_id_for(row.request_id),
                route=route,
                programme=programme,
                coach_id=coach,
                future_job=job,
                work_to_work=work_to_work,
            )
        except ValidationError as err:
            raise _validation(err) from None

    def _started_on(self, row: Planned) -> datetime:
        day = _date(row, "started_on", required=True)
        assert day is not None
        today = self.now.astimezone(COACH_TIME_ZONE).date()
        if day > today:
            raise RowRefused("started_on", _("lies in the future; give the day it began"))
        morning = datetime.combine(day, time(9), tzinfo=COACH_TIME_ZONE)
        return min(morning, self.now) if day == today else morning

    def _programme(self, row: Planned) -> trajectory.Programme:
        key = (row.cell("programme") or "standard", row.cell("municipality"))
        if key not in self._programmes:
            try:
                self._programmes[key] = programmes.programme(*key)
            except KeyError:
                raise RowRefused(
                    "programme", _("unknown programme (see nbm programme list)")
                ) from None
            except trajectory.ProgrammeFileError:
                raise RowRefused("programme", _("the programme's file is refused")) from None
            except DomainError as err:
                raise RowRefused("municipality", err.message) from None
        return self._programmes[key]

    async def _job(self, row: Planned) -> trajectory.FutureJob:
        job_id = row.cell("future_job")
        if job_id is None:
            return self._own_job(row)
        own = [
            n for n in ("employer", "function", "expected_date", "skills", "jobs") if row.cell(n)
        ]
        if own:
            raise RowRefused(
                "future_job",
                _("brings its own job; leave {columns} empty").format(columns=", ".join(own)),
            )
        if not is_opaque_id(job_id):
            raise RowRefused("future_job", _(NOT_AN_ID))
        if job_id not in self._jobs:
            self._jobs[job_id] = asyncio.create_task(self._read_job(job_id))
        found = await self._jobs[job_id]
        if found is None:
            raise RowRefused("future_job", _("no future job with this id (nbm future-job list)"))
        return trajectory.FutureJob(
            employer_id=found.employer_id,
            function=found.function,
            expected_date=found.expected_on,
            number_of_jobs=found.jobs,
            required_skills=found.required_skills,
            future_job_id=job_id,
        )

    async def _read_job(self, job_id: str) -> future_job.FutureJob | None:
        try:
            return await streams.future_job_state(self.client, job_id)
        except service.ServiceError:
            return None

    def _own_job(self, row: Planned) -> trajectory.FutureJob:
        employer = _id(row, "employer", required=True)
        function = row.cell("function")
        if function is None:
            raise RowRefused("function", _("missing (an empty cell)"))
        expected = _date(row, "expected_date", required=True)
        skills = tuple(s.strip() for s in (row.cell("skills") or "").split(LIST_SEPARATOR))
        if not any(skills):
            raise RowRefused("skills", _("missing (at least one skill, separated by |)"))
        jobs = _count(row, "jobs")
        try:
            return trajectory.FutureJob(
                employer_id=employer,
                function=function,
                expected_date=expected,
                number_of_jobs=jobs,
                required_skills=tuple(s for s in skills if s),
            )
        except ValidationError as err:
            raise _validation(err) from None


def _id(row: Planned, name: str, *, required: bool = False) -> str:
    value = row.cell(name)
    if value is None:
        if required:
            raise RowRefused(name, _("missing (an empty cell)"))
        return ""
    if not is_opaque_id(value):
        raise RowRefused(name, _(NOT_AN_ID))
    return value


def _date(row: Planned, name: str, *, required: bool = False) -> date | None:
    value = row.cell(name)
    if value is None:
        if required:
            raise RowRefused(name, _("missing (an empty cell)"))
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise RowRefused(name, _("not a date (YYYY-MM-DD)")) from None


def _count(row: Planned, name: str) -> int:
    value = row.cell(name)
    if value is None:
        return 1
    if not value.isdigit() or not 1 <= int(value) <= 1000:
        raise RowRefused(name, _("not a whole number from 1 to 1000"))
    return int(value)


def _route(row: Planned, programme: trajectory.Programme) -> trajectory.Route:
    value = row.cell("route")
    if value is None:
        return programme.route or trajectory.Route.SMALL_SCALE_GROWTH
    try:
        return trajectory.Route(value)
    except ValueError:
        raise RowRefused(
            "route",
            _("not a route; one of {routes}").format(
                routes=", ".join(r.value for r in trajectory.Route)
            ),
        ) from None


def _work_to_work(row: Planned) -> trajectory.WorkToWorkStart | None:
    outgoing, dismissal = row.cell("outgoing_employer"), row.cell("dismissal_date")
    if outgoing is None and dismissal is None:
        return None
    if outgoing is None or dismissal is None:
        raise RowRefused(
            "outgoing_employer" if outgoing is None else "dismissal_date",
            _("Van Werk naar Werk needs both outgoing_employer and dismissal_date"),
        )
    return trajectory.WorkToWorkStart(
        outgoing_employer_id=_id(row, "outgoing_employer"),
        dismissal_date=_date(row, "dismissal_date"),
    )


_FIELD_COLUMNS = {
    "coach_id": "coach",
    "employer_id": "employer",
    "function": "function",
    "expected_date": "expected_date",
    "number_of_jobs": "jobs",
    "required_skills": "skills",
    "outgoing_employer_id": "outgoing_employer",
    "dismissal_date": "dismissal_date",
}


def _validation(err: ValidationError) -> RowRefused:
    """The first problem pydantic found, by column, without the input."""
    first = err.errors(include_input=False, include_url=False)[0]
    names = [str(p) for p in first["loc"]]
    column = next((_FIELD_COLUMNS[n] for n in reversed(names) if n in _FIELD_COLUMNS), None)
    return RowRefused(column, _("invalid: {rule}").format(rule=first["msg"]))
