"""The values of a future job: its status, why a candidate leaves it, its horizons."""

from __future__ import annotations

from enum import StrEnum

EXPIRES_AFTER_MONTHS = 6
"""A future job nobody learns towards expires this many calendar months after its expected
date: the employer did not create it in time, and its places are not offered any more."""

MAX_JOBS = 1000


class FutureJobStatus(StrEnum):
    OPEN = "open"
    FILLED = "filled"  # every place taken by a candidate who started in the job
    WITHDRAWN = "withdrawn"  # the employer withdrew it (or a person did, on its word)
    EXPIRED = "expired"  # its date long past, and nobody learning towards it


class DetachReason(StrEnum):
    """Why a candidate no longer learns towards this future job."""

    DROPPED_OUT = "dropped-out"  # the trajectory ended without a job here
    OTHER_EMPLOYER = "other-employer"  # proposed to another employer's future job
    WORK_STUDY = "work-study"  # learns on in a work-study (BBL) job elsewhere
    FOLLOW_ON_EDUCATION = "follow-on-education"
    OTHER_WORK = "other-work"  # found a job outside the method
