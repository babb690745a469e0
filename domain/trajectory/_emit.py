"""What every rule shares: stamping new events, and the guards most rules use."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..shared import N_, FreeText, Phrase, RuleViolation, Sealed, WrongStep, coach_time
from ._events import AnyEvent, Event
from ._state import Trajectory

SMALL_CONTRACT_HOURS = 24
"""Below this many hours a week a contract rarely ends benefit dependence (pilot lesson)."""


class Emit:
    """Stamps the envelope on each new event: stream, next version, time, actor, request."""

    def __init__(
        self,
        trajectory_id: str,
        version: int,
        now: datetime,
        actor: str,
        request_id: str | None = None,
        effective_at: datetime | None = None,
    ) -> None:
        self._tid, self._version, self._now, self._actor = trajectory_id, version, now, actor
        self._request_id = request_id
        self.effective_at = effective_at
        """When the events take effect, if not when they are recorded (`now`)."""
        self.events: list[AnyEvent] = []

    def __call__(self, cls: type[Event], **fields: Any) -> None:
        # The fields are checked where it counts: the event model validates them on
        # construction (extra="forbid"), so a misspelt or mistyped field fails here.
        self._version += 1
        event = cls(
            trajectory_id=self._tid,
            version=self._version,
            occurred_at=self._now,
            actor=self._actor,
            request_id=self._request_id,
            effective_at=self.effective_at,
            **fields,
        )
        self.events.append(event)  # type: ignore[arg-type]


def before_learning(s: Trajectory, what: str) -> None:
    if s.learning_started_at is not None:
        raise WrongStep(
            N_("the learning period has started; {what} can no longer change"), what=Phrase(what)
        )
    if s.regular_job is not None:  # a job without learning: the set-up is behind it
        raise WrongStep(
            N_("the candidate has a regular job; {what} can no longer change"), what=Phrase(what)
        )


def sealed_for_candidate(s: Trajectory, summary: Sealed | None) -> None:
    # A text sealed with another candidate's key would be unreadable here, and erasing this
    # candidate would not erase it.
    if summary is not None and (s.candidate is None or summary.key_id != s.candidate.candidate_ref):
        raise RuleViolation(
            N_("the summary is sealed for another candidate than this trajectory's")
        )


def sealed_for_trajectory(s: Trajectory, text: FreeText | None) -> None:
    # A free text sealed for someone else would be unreadable here, and erasing this
    # trajectory's candidate (or its own key, before a match) would not erase it.
    if isinstance(text, Sealed) and text.key_id not in {
        s.trajectory_id,
        s.candidate.candidate_ref if s.candidate else None,
    }:
        raise RuleViolation(N_("the text is sealed for another candidate or trajectory than this"))


def no_job_yet(s: Trajectory, what: str) -> None:
    # A work-study (BBL) job goes alongside learning: it is no outcome yet.
    if s.placed:
        raise WrongStep(
            N_("the candidate already has a regular job; {what} no longer fits"), what=Phrase(what)
        )


def in_effect(s: Trajectory | None, at: datetime, now: datetime) -> None:
    """Refuse a time a command takes effect at that is not possible: one in the future,
    one before the trajectory began, or one before what it recorded last."""
    if at.tzinfo is None:
        raise ValueError(N_("a command's effective time must be aware (with a time zone)"))
    if at > now:
        raise RuleViolation(
            N_(
                "it cannot take effect at {at}, which is in the future; record it once it has "
                "happened"
            ),
            at=coach_time(at),
        )
    if s is None:
        return
    if at < s.started_at:
        raise RuleViolation(
            N_("it cannot take effect at {at}, before the trajectory began ({started_at})"),
            at=coach_time(at),
            started_at=coach_time(s.started_at),
        )
    last = s.effective_through
    if last is not None and at < last:
        raise RuleViolation(
            N_(
                "it cannot take effect at {at}, before the last change recorded took effect "
                "({last}); record what happened in order"
            ),
            at=coach_time(at),
            last=coach_time(last),
        )
