"""A future job (toekomstige baan): the job an employer expects to create, the root the
method starts from. Its places are promised to the candidates learning towards it, taken
when one starts in the job, and chased when the employer reduces them or withdraws.

Pure: no I/O, no clock. `decide(state, command, now)` gives the events, `evolve`/`fold` the
state, `next_deadline` the moment its own clock acts.
"""

from ._commands import (
    SYSTEM_ACTOR,
    AnyCommand,
    AttachCandidate,
    ChangeCommitment,
    Command,
    DetachCandidate,
    FillPlace,
    ForecastFutureJob,
    MoveExpectedDate,
    ReachExpiry,
    ReduceJobs,
    WithdrawFutureJob,
)
from ._decide import decide
from ._errors import (
    ERROR_TYPES,
    FutureJobAlreadyForecast,
    FutureJobClosed,
    FutureJobNotForecast,
    NoPlaceLeft,
)
from ._events import (
    AnyEvent,
    CandidateAttached,
    CandidateDetached,
    CommitmentChanged,
    Event,
    ExpectedDateMoved,
    FutureJobExpired,
    FutureJobFilled,
    FutureJobForecast,
    FutureJobWithdrawn,
    JobsReduced,
    PlaceFilled,
    load_event,
)
from ._rules import expires_on, next_deadline, today
from ._state import FutureJob, evolve, fold
from ._values import EXPIRES_AFTER_MONTHS, MAX_JOBS, DetachReason, FutureJobStatus

__all__ = [
    "ERROR_TYPES",
    "EXPIRES_AFTER_MONTHS",
    "MAX_JOBS",
    "SYSTEM_ACTOR",
    "AnyCommand",
    "AnyEvent",
    "AttachCandidate",
    "CandidateAttached",
    "CandidateDetached",
    "ChangeCommitment",
    "Command",
    "CommitmentChanged",
    "DetachCandidate",
    "DetachReason",
    "Event",
    "ExpectedDateMoved",
    "FillPlace",
    "ForecastFutureJob",
    "FutureJob",
    "FutureJobAlreadyForecast",
    "FutureJobClosed",
    "FutureJobExpired",
    "FutureJobFilled",
    "FutureJobForecast",
    "FutureJobNotForecast",
    "FutureJobStatus",
    "FutureJobWithdrawn",
    "JobsReduced",
    "MoveExpectedDate",
    "NoPlaceLeft",
    "PlaceFilled",
    "ReachExpiry",
    "ReduceJobs",
    "WithdrawFutureJob",
    "decide",
    "evolve",
    "expires_on",
    "fold",
    "load_event",
    "next_deadline",
    "today",
]
