"""Starting the rows of an import file: each row one trajectory, started at most once.

Each row's start carries the row's request id, and the trajectory's id is made from it
(`generated_id("traj", request_id)`), so a file imported again, after an interruption or
in full, finds the trajectories it started before instead of starting them twice. The rows
are started concurrently through one Temporal client, at most `parallel` at a time.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any, Protocol

from pydantic import ValidationError
from temporalio.client import Client

from activities.key_store import CandidateErased, KeyStoreError
from domain import future_job, trajectory
from domain.shared import COACH_TIME_ZONE, DomainError, PersonalData, Sealed, is_opaque_id
from nbm import programmes, service
from nbm import stream_service as streams
from nbm.i18n import _
from nbm.localize import localized, validation_rule
from privacy.seal import seal_personal

from ._file import (
    GROUPS,
    LIST_SEPARATOR,
    MAP,
    MATCH,
    NOT_AN_ID,
    STEP_OF,
    ImportFile,
    Planned,
    Refusal,
)

DEFAULT_PARALLEL = 16
"""Rows in flight at once: enough to keep the server busy, well under its limits."""


def trajectory_id_for(request_id: str) -> str:
    """The trajectory a row's request id starts: the id `nbm trajectory start --request-id`
    makes from the same request id (`generated_id`), so either way it is one trajectory."""
    return f"traj-{hashlib.sha256(f'traj:{request_id}'.encode()).hexdigest()[:12]}"


def step_request_id(request_id: str, group: str) -> str:
    """A later step's request id, from the row's: `<row>:map`, `<row>:match` (a digest of
    that when it would be longer than an id may be). Sent again, the step is answered as
    the first time, never recorded twice."""
    rid = f"{request_id}:{group}"
    if len(rid) <= 64:
        return rid
    return f"imp-{hashlib.sha256(rid.encode()).hexdigest()[:24]}:{group}"


def candidate_ref_for(request_id: str) -> str:
    """The candidate a row's match brings: made from the row's request id (as
    `generated_id("cand", ...)` makes one), so a resumed import seals with the same key and
    sends the same match; never from the person's data."""
    return f"cand-{hashlib.sha256(f'cand:{request_id}:match'.encode()).hexdigest()[:12]}"


class KeyStore(Protocol):
    """The candidates' keys (`activities.key_store.PostgresKeyStore`), as the match uses them."""

    async def obtain(self, candidate_ref: str, *, create: bool) -> tuple[bytes, bool]: ...

    async def discard(self, candidate_ref: str) -> bool: ...


class Outcome(StrEnum):
    STARTED = "started"
    ALREADY = "already-there"
    REFUSED = "refused"
    CHECKED = "checked"
    """`--check`: the row would be started (nothing was)."""
    STOPPED = "stopped"
    """Started (now or before), but a later step of the row was refused: imported again,
    the row continues from that step."""


class StepOutcome(StrEnum):
    RECORDED = "recorded"
    ALREADY = "already-there"
    REFUSED = "refused"
    CHECKED = "checked"


class RowRefused(Exception):
    """A row that cannot be started: the column it is about (None: the row as a whole), and
    why, in the coach's language, without the cell's value."""

    def __init__(self, field: str | None, reason: str, step: int | None = None) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason
        self.step = step


BeforeStart = Callable[[trajectory.StartTrajectory], Awaitable[None]]
AfterStart = Callable[[trajectory.StartTrajectory, "Outcome | None"], None]
"""Told what became of a start `before_start` let through: `Outcome.STARTED`, `ALREADY`
(started by an earlier run: no new trajectory) or None (the start was refused after all)."""
"""A check on each row's start before it is sent (e.g. a coach's caseload limit): raises
`RowRefused` to refuse the row. Called for rows that are new and for rows already there."""


@dataclass
class ImportReport:
    """What became of the file's rows; filled while the import runs, so an interrupted
    import can still say how far it came."""

    file: ImportFile
    outcomes: dict[int, tuple[Outcome, str | None]] = field(default_factory=dict)
    """line: (outcome, trajectory id)."""
    steps: dict[int, dict[str, StepOutcome]] = field(default_factory=dict)
    """line: what became of each later step the row brings ("map", "match")."""
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
            "stopped": self.count(Outcome.STOPPED),
            "refusals": [
                {"line": r.line, "field": r.field, "step": r.step, "reason": r.reason}
                for r in sorted(self.refused, key=lambda r: r.line)
            ],
            "rows": [
                {
                    "line": line,
                    "outcome": o.value,
                    "trajectory_id": tid,
                    **(
                        {"steps": {k: v.value for k, v in self.steps[line].items()}}
                        if line in self.steps
                        else {}
                    ),
                }
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
    after_start: AfterStart | None = None,
    on_row: Callable[[ImportReport], None] | None = None,
    report: ImportReport | None = None,
    now: datetime | None = None,
    keys: KeyStore | None = None,
) -> ImportReport:
    """Start every row of `file` not started before; the report says what became of each.

    A row with the columns of step 2 or 4 then records those steps, in order, each at its
    own date and by its own request id (`step_request_id`): a step recorded before is not
    recorded again, a step refused before is tried again.

    `before_start`: the caseload limit's hook (see `BeforeStart`). `on_row`: called after
    each row (a progress bar). `report`: the one to fill (the caller keeps it if the import
    is interrupted). `now`: the clock the starts are checked against (a test's server time).
    `keys`: the candidates' key store, needed (unless `check_only`) when a row has a match:
    its personal cells are sealed here with the candidate's own key, as `nbm trajectory
    match` seals them, before anything is sent.
    """
    report = report or ImportReport(file)
    builder = _Builder(client, actor, now)
    limiter = asyncio.Semaphore(max(1, parallel))
    if keys is None and not check_only and any(r.has(MATCH) for r in file.rows):
        raise ValueError("rows with a match need the key store (keys=...)")

    async def one(row: Planned) -> None:
        async with limiter:
            steps: dict[str, StepOutcome] = {}
            tid: str | None = None
            admitted: trajectory.StartTrajectory | None = None
            try:
                command = await builder.command(row)
                later = builder.steps(row, command)
                if before_start is not None:
                    await before_start(command)
                    admitted = command
                tid = command.trajectory_id
                if check_only:
                    outcome = Outcome.CHECKED
                    if later.groups:
                        _check_steps(command, later, builder.now, steps)
                else:
                    try:
                        outcome = await _start(client, task_queue, command, builder.now)
                    except RowRefused:
                        if admitted is not None and after_start is not None:
                            after_start(admitted, None)
                        raise
                    if admitted is not None and after_start is not None:
                        after_start(admitted, outcome)
                    if later.groups:
                        await _later_steps(client, command, later, outcome, keys, steps)
            except RowRefused as err:
                report.refused.append(Refusal(row.line, err.field, err.reason, err.step))
                # The start is there and a later step refused (never with --check: nothing is).
                started = err.step is not None and not check_only
                report.outcomes[row.line] = (
                    (Outcome.STOPPED, tid) if started else (Outcome.REFUSED, None)
                )
            else:
                report.outcomes[row.line] = (outcome, tid)
            if steps:
                report.steps[row.line] = steps
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
            raise RowRefused(None, localized(err)) from None
        try:
            await streams.future_job_command(
                client, job_id,
                future_job.AttachCandidate(actor=command.actor, request_id=f"{rid}.attach",
                                           trajectory_id=command.trajectory_id),
            )  # fmt: skip
        except service.ServiceError as err:
            raise RowRefused("future_job", localized(err)) from None
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
        raise RowRefused(None, localized(err)) from None
    except service.ServiceError as err:
        raise RowRefused(None, localized(err)) from None
    return Outcome.ALREADY if already else Outcome.STARTED


@dataclass(frozen=True)
class _LaterSteps:
    """A row's steps after the start, checked in this process before anything is sent."""

    map: trajectory.MapPossibilities | None = None
    match: trajectory.MatchCandidate | None = None
    """With `UNSEALED` in place of the personal data until the key is obtained."""
    personal: PersonalData | None = None

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(g for g, c in ((MAP, self.map), (MATCH, self.match)) if c is not None)


UNSEALED = Sealed(key_id="unsealed", nonce="AA==", ciphertext="AA==")
"""Stands in for the sealed data while the row is checked, before any key is made (a typo
must not leave a key behind); replaced by the real seal before anything is sent."""


def _check_steps(
    start: trajectory.StartTrajectory,
    later: _LaterSteps,
    now: datetime,
    steps: dict[str, StepOutcome],
) -> None:
    """`--check`: the row's steps decided by the domain on the state its start would make,
    as the workflow decides them (found by a trial: a check that only read the cells passed
    a row the import then left stopped at its match). Nothing is sent or kept; the match's
    personal data is sealed with a throwaway key, as the domain wants it sealed."""
    try:
        state = trajectory.fold(trajectory.decide(None, start, now))
    except DomainError as err:
        raise RowRefused(None, localized(err)) from None
    match = later.match
    if match is not None and later.personal is not None:
        throwaway = os.urandom(32)
        match = match.model_copy(
            update={"personal": seal_personal(later.personal, throwaway, match.candidate_ref)}
        )
    commands: tuple[
        tuple[str, int, trajectory.MapPossibilities | trajectory.MatchCandidate | None], ...
    ] = (
        (MAP, 2, later.map),
        (MATCH, 4, match),
    )
    for group, number, command in commands:
        if command is None:
            continue
        try:
            state = trajectory.fold(trajectory.decide(state, command, now), state)
        except DomainError as err:
            steps[group] = StepOutcome.REFUSED
            raise RowRefused(None, localized(err), number) from None
        steps[group] = StepOutcome.CHECKED


async def _later_steps(
    client: Client,
    start: trajectory.StartTrajectory,
    later: _LaterSteps,
    outcome: Outcome,
    keys: KeyStore | None,
    steps: dict[str, StepOutcome],
) -> None:
    """The row's step 2 and 4, in order; a step the trajectory already has is not sent again
    (the file never overwrites what was recorded since), a refused one raises `RowRefused`
    naming the step, with the domain's reason in the coach's language."""
    tid = start.trajectory_id
    state: trajectory.Trajectory | None = None
    if outcome is Outcome.ALREADY:  # imported before: which steps are there already
        try:
            state = await service.state(client, tid)
        except service.ServiceError as err:
            raise RowRefused(None, localized(err), STEP_OF[later.groups[0]]) from None
    if later.map is not None:
        if state is not None and state.preconditions is not None:
            steps[MAP] = StepOutcome.ALREADY
        else:
            await _send_step(client, tid, later.map, 2, steps, MAP)
    if later.match is not None:
        assert later.personal is not None and keys is not None
        ref = later.match.candidate_ref
        current = state.candidate if state is not None else None
        if current is not None and current.candidate_ref == ref:
            steps[MATCH] = StepOutcome.ALREADY
            return
        if current is not None:
            steps[MATCH] = StepOutcome.REFUSED
            raise RowRefused(
                None,
                _("the trajectory has another candidate already (matched since the import); "
                  "the row's candidate is not recorded"),
                4,
            )  # fmt: skip
        try:
            key, made = await keys.obtain(ref, create=True)
        except CandidateErased:
            steps[MATCH] = StepOutcome.REFUSED
            raise RowRefused(
                None, _("this row's candidate was erased (nbm candidate erase); not again"), 4
            ) from None
        except KeyStoreError as err:
            steps[MATCH] = StepOutcome.REFUSED
            raise RowRefused(None, localized(err), 4) from None
        sealed = later.match.model_copy(
            update={"personal": seal_personal(later.personal, key, ref)}
        )
        try:
            await _send_step(client, tid, sealed, 4, steps, MATCH)
        except RowRefused:
            if made:  # sealed nothing that is kept: a refused match leaves no key behind
                await keys.discard(ref)
            raise


async def _send_step(
    client: Client,
    trajectory_id: str,
    command: trajectory.CoachCommand,
    step: int,
    steps: dict[str, StepOutcome],
    group: str,
) -> None:
    try:
        await service.send(client, trajectory_id, command)
    except service.ServiceError as err:
        steps[group] = StepOutcome.REFUSED
        raise RowRefused(None, localized(err), step) from None
    steps[group] = StepOutcome.RECORDED


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
        return self._effective(row, "started_on", _("lies in the future; give the day it began"))

    def _effective(self, row: Planned, name: str, future: str) -> datetime:
        """The day in the cell as a time a command takes effect: 09:00 that day (now, if
        that is later than now)."""
        day = _date(row, name, required=True)
        assert day is not None
        today = self.now.astimezone(COACH_TIME_ZONE).date()
        if day > today:
            raise RowRefused(name, future)
        morning = datetime.combine(day, time(9), tzinfo=COACH_TIME_ZONE)
        return min(morning, self.now) if day == today else morning

    def steps(self, row: Planned, start: trajectory.StartTrajectory) -> _LaterSteps:
        """The row's step 2 and 4, if it brings them, checked in full; nothing sealed yet."""
        map_, match, personal = None, None, None
        last, last_column = start.effective_at, "started_on"
        assert last is not None
        future = _("lies in the future; give the day it happened")
        if row.has(MAP):
            _needed(row, MAP)
            at = self._effective(row, "mapped_on", future)
            if at < last:
                raise RowRefused("mapped_on", _("before {column}: the steps come in order").format(
                    column=last_column))  # fmt: skip
            last, last_column = at, "mapped_on"
            preconditions = {
                "employer_role": row.cell("employer_role"),
                "werkbedrijf_role": row.cell("werkbedrijf_role"),
                "guarantee_possible": _yes_no(row, "guarantee_possible"),
                "learning_location": row.cell("learning_location"),
                "training_institute": row.cell("training_institute"),
            }
            try:
                map_ = trajectory.MapPossibilities(
                    actor=self.actor,
                    request_id=step_request_id(row.request_id, MAP),
                    effective_at=at,
                    profile_skills=_list(row, "profile_skills"),
                    preconditions=preconditions,
                )
            except ValidationError as err:
                raise _step_validation(err, _MAP_COLUMNS) from None
        if row.has(MATCH):
            _needed(row, MATCH)
            at = self._effective(row, "matched_on", future)
            if at < last:
                raise RowRefused("matched_on", _("before {column}: the steps come in order").format(
                    column=last_column))  # fmt: skip
            fields = {c.name: row.cell(c.name) for c in GROUPS[MATCH] if c.personal}
            try:
                personal = PersonalData.model_validate(fields)
            except ValidationError as err:
                raise _step_validation(err, {}) from None
            try:
                match = trajectory.MatchCandidate(
                    actor=self.actor,
                    request_id=step_request_id(row.request_id, MATCH),
                    effective_at=at,
                    candidate_ref=candidate_ref_for(row.request_id),
                    personal=UNSEALED,
                    skills=_list(row, "candidate_skills", required=False),
                    motivation_screen_passed=_yes_no(row, "motivation_passed"),
                    language_level=row.cell("language_level"),
                    information_meeting_attended=_yes_no(row, "information_meeting", default=False),
                    practical_matters=_practical_matters(row),
                )
            except ValidationError as err:
                raise _step_validation(err, _MATCH_COLUMNS) from None
        return _LaterSteps(map_, match, personal)

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


def _needed(row: Planned, group: str) -> None:
    for c in GROUPS[group]:
        if c.needed and row.cell(c.name) is None:
            raise RowRefused(
                c.name,
                _("missing: a row with step {step} fills every column it needs").format(
                    step=STEP_OF[group]
                ),
            )


YES, NO = ("yes", "ja", "true", "1"), ("no", "nee", "false", "0")


def _yes_no(row: Planned, name: str, *, default: bool | None = None) -> bool:
    value = (row.cell(name) or "").casefold()
    if not value and default is not None:
        return default
    if value in YES:
        return True
    if value in NO:
        return False
    raise RowRefused(name, _("not yes or no (ja or nee)"))


def _list(row: Planned, name: str, *, required: bool = True) -> tuple[str, ...]:
    items = tuple(s.strip() for s in (row.cell(name) or "").split(LIST_SEPARATOR) if s.strip())
    if required and not items:
        raise RowRefused(name, _("missing (at least one, separated by |)"))
    return items


def _matters(row: Planned, name: str) -> list[trajectory.Barrier]:
    found = []
    for item in _list(row, name, required=False):
        try:
            found.append(trajectory.Barrier(item))
        except ValueError:
            raise RowRefused(
                name,
                _("not a practical matter; the matters are {matters}").format(
                    matters=", ".join(b.value for b in trajectory.Barrier)
                ),
            ) from None
    return found


def _practical_matters(row: Planned) -> tuple[trajectory.PracticalMatter, ...]:
    """The conversation on practical matters, as `nbm trajectory match` takes it: each
    matter once, every matter covered (or `other_matters` for the rest)."""
    status: dict[trajectory.Barrier, trajectory.PracticalStatus] = {}
    for name, given in (
        ("barriers", trajectory.PracticalStatus.TO_SOLVE),
        ("no_problem", trajectory.PracticalStatus.NO_PROBLEM),
        ("not_applicable", trajectory.PracticalStatus.NOT_APPLICABLE),
    ):
        for b in _matters(row, name):
            if status.setdefault(b, given) is not given:
                raise RowRefused(name, _("practical matter {matter} is given twice").format(
                    matter=b.value))  # fmt: skip
    others = row.cell("other_matters")
    if others is not None:
        try:
            rest = trajectory.PracticalStatus(others)
        except ValueError:
            raise RowRefused("other_matters", _("not no-problem or not-applicable")) from None
        if rest is trajectory.PracticalStatus.TO_SOLVE:
            raise RowRefused("other_matters", _("not no-problem or not-applicable"))
        for b in trajectory.Barrier:
            status.setdefault(b, rest)
    missing = [b.value for b in trajectory.Barrier if b not in status]
    if missing:
        raise RowRefused(
            "other_matters",
            _("the conversation on practical matters covers every matter; not given: "
              "{missing} (name them in barriers, no_problem or not_applicable, or give "
              "other_matters for the rest)").format(missing=", ".join(missing)),
        )  # fmt: skip
    return tuple(
        trajectory.PracticalMatter(barrier=b, status=status[b]) for b in trajectory.Barrier
    )


_MAP_COLUMNS = {
    "profile_skills": "profile_skills",
    "employer_role": "employer_role",
    "werkbedrijf_role": "werkbedrijf_role",
    "learning_location": "learning_location",
    "training_institute": "training_institute",
}
_MATCH_COLUMNS = {
    "skills": "candidate_skills",
    "language_level": "language_level",
}


def _step_validation(err: ValidationError, columns: dict[str, str]) -> RowRefused:
    """The first problem pydantic found in a step's cells, by column, in the coach's
    language, never with the input (the personal cells' names are their fields')."""
    first = err.errors(include_input=False, include_url=False)[0]
    names = [str(p) for p in first["loc"]]
    column = next((columns.get(n, n) for n in reversed(names) if n in columns), None)
    if column is None:
        column = next((n for n in names if n in {c.name for c in GROUPS[MATCH]}), None)
    return RowRefused(column, validation_rule(first))


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
