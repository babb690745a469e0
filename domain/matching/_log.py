"""The matching's one stream: the profiles, and every decision a person took on a proposal.

The engine proposes; a person decides. A decision names who took it (never the system), why
(sealed: a free text about a person), which proposal they chose (its rank in the ranking the
profiles gave at that moment, computed here again rather than trusted from the client) and
whether that went against the top proposal. Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal, assert_never

from pydantic import Field, TypeAdapter

from ..shared import (
    N_,
    CommandEnvelope,
    DomainError,
    EventEnvelope,
    OpaqueId,
    RuleViolation,
    Sealed,
    Value,
)
from ._profiles import CandidateProfile, FunctionProfile
from ._ranking import RANKING_VERSION, rank_candidates, rank_jobs

MATCHING_ID = "matching"
"""The matching's stream id (and its workflow's id)."""

SYSTEM_ACTORS = frozenset({"system", "engine", "nbm"})
"""Actors that are not a person: they may not decide a match."""


class UnknownProfile(DomainError):
    code = "unknown-profile"


class Verdict(StrEnum):
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class Direction(StrEnum):
    """Which ranking the person chose from."""

    CANDIDATES = "candidates"  # the candidates for one function profile
    JOBS = "jobs"  # the function profiles for one candidate


# --- commands -----------------------------------------------------------------------------


class Command(CommandEnvelope):
    pass


class RecordCandidateProfile(Command):
    """A candidate's profile, new or replacing the one before."""

    kind: Literal["candidate"] = "candidate"
    profile: CandidateProfile


class RecordFunctionProfile(Command):
    """A function profile, new or replacing the one before."""

    kind: Literal["function"] = "function"
    profile: FunctionProfile


class RemoveCandidateProfile(Command):
    """The candidate leaves the ranking (found work, left the programme); their decisions
    stay in the log."""

    kind: Literal["remove-candidate"] = "remove-candidate"
    candidate_ref: OpaqueId


class RemoveFunctionProfile(Command):
    """The function leaves the ranking (its future job withdrawn or filled)."""

    kind: Literal["remove-function"] = "remove-function"
    profile_id: OpaqueId


class DecideMatch(Command):
    kind: Literal["decide"] = "decide"
    verdict: Verdict
    direction: Direction
    candidate_ref: OpaqueId
    profile_id: OpaqueId
    reason: Sealed
    """Why (sealed with the candidate's key: it is about them)."""


AnyCommand = Annotated[
    RecordCandidateProfile
    | RecordFunctionProfile
    | RemoveCandidateProfile
    | RemoveFunctionProfile
    | DecideMatch,
    Field(discriminator="kind"),
]


# --- events -------------------------------------------------------------------------------


class Event(EventEnvelope):
    matching_id: OpaqueId = MATCHING_ID

    @property
    def stream_id(self) -> str:
        return self.matching_id


class CandidateProfileRecorded(Event):
    type: Literal["CandidateProfileRecorded"] = "CandidateProfileRecorded"
    profile: CandidateProfile


class FunctionProfileRecorded(Event):
    type: Literal["FunctionProfileRecorded"] = "FunctionProfileRecorded"
    profile: FunctionProfile


class CandidateProfileRemoved(Event):
    type: Literal["CandidateProfileRemoved"] = "CandidateProfileRemoved"
    candidate_ref: OpaqueId


class FunctionProfileRemoved(Event):
    type: Literal["FunctionProfileRemoved"] = "FunctionProfileRemoved"
    profile_id: OpaqueId


class MatchDecision(Value):
    verdict: Verdict
    decided_by: OpaqueId
    """Who decided: a person (the event's actor, here for the log's reader)."""
    decided_at: datetime
    direction: Direction
    candidate_ref: OpaqueId
    profile_id: OpaqueId
    future_job_id: OpaqueId | None
    rank: int = Field(ge=1)
    """The chosen pair's place in the ranking the person saw."""
    proposals: int = Field(ge=1)
    top: OpaqueId
    """The top proposal: a candidate's reference, or a function profile's id."""
    score: float
    top_score: float
    overrode_top: bool
    """Confirmed one that scored below the top, or rejected one with the top score."""
    ranking_version: int
    reason: Sealed


class MatchConfirmed(Event):
    type: Literal["MatchConfirmed"] = "MatchConfirmed"
    decision: MatchDecision


class MatchRejected(Event):
    type: Literal["MatchRejected"] = "MatchRejected"
    decision: MatchDecision


AnyEvent = Annotated[
    CandidateProfileRecorded
    | FunctionProfileRecorded
    | CandidateProfileRemoved
    | FunctionProfileRemoved
    | MatchConfirmed
    | MatchRejected,
    Field(discriminator="type"),
]
_EVENT: TypeAdapter[AnyEvent] = TypeAdapter(AnyEvent)


def load_event(data: bytes | str) -> AnyEvent:
    return _EVENT.validate_json(data)


# --- state --------------------------------------------------------------------------------


class Overrides(Value):
    """How often the people deciding went against the proposal."""

    decisions: int
    confirmed: int
    rejected: int
    overrode_top: int

    @property
    def rate(self) -> float | None:
        return self.overrode_top / self.decisions if self.decisions else None


class Matching(Value):
    candidates: dict[str, CandidateProfile] = Field(default_factory=dict)
    functions: dict[str, FunctionProfile] = Field(default_factory=dict)
    decisions: tuple[MatchDecision, ...] = ()
    version: int = 0

    def candidate(self, ref: str) -> CandidateProfile:
        found = self.candidates.get(ref)
        if found is None:
            raise UnknownProfile(N_("no candidate profile {ref}"), ref=ref)
        return found

    def function(self, profile_id: str) -> FunctionProfile:
        found = self.functions.get(profile_id)
        if found is None:
            raise UnknownProfile(N_("no function profile {profile_id}"), profile_id=profile_id)
        return found

    def functions_of(self, future_job_id: str) -> list[FunctionProfile]:
        return [f for f in self.functions.values() if f.future_job_id == future_job_id]

    def confirmed(self) -> list[MatchDecision]:
        return [d for d in self.decisions if d.verdict is Verdict.CONFIRMED]

    def overrides(self) -> Overrides:
        d = self.decisions
        return Overrides(
            decisions=len(d),
            confirmed=sum(x.verdict is Verdict.CONFIRMED for x in d),
            rejected=sum(x.verdict is Verdict.REJECTED for x in d),
            overrode_top=sum(x.overrode_top for x in d),
        )


def evolve(state: Matching | None, event: AnyEvent) -> Matching:
    state = state or Matching()
    match event:
        case CandidateProfileRecorded():
            changes: dict[str, object] = {
                "candidates": {**state.candidates, event.profile.candidate_ref: event.profile}
            }
        case FunctionProfileRecorded():
            changes = {"functions": {**state.functions, event.profile.profile_id: event.profile}}
        case CandidateProfileRemoved():
            changes = {"candidates": {k: v for k, v in state.candidates.items()
                                      if k != event.candidate_ref}}  # fmt: skip
        case FunctionProfileRemoved():
            changes = {"functions": {k: v for k, v in state.functions.items()
                                     if k != event.profile_id}}  # fmt: skip
        case MatchConfirmed() | MatchRejected():
            changes = {"decisions": (*state.decisions, event.decision)}
        case _:
            assert_never(event)
    return state.model_copy(update={**changes, "version": event.version})


def fold(events: Iterable[AnyEvent], state: Matching | None = None) -> Matching:
    for event in events:
        state = evolve(state, event)
    return state or Matching()


# --- rules --------------------------------------------------------------------------------


def decide(state: Matching | None, command: AnyCommand, now: datetime) -> list[AnyEvent]:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    state = state or Matching()
    stamp = {"version": state.version + 1, "occurred_at": now, "actor": command.actor,
             "request_id": command.request_id}  # fmt: skip
    match command:
        case RecordCandidateProfile():
            if state.candidates.get(command.profile.candidate_ref) == command.profile:
                raise RuleViolation(N_("this profile is recorded as is"))
            return [CandidateProfileRecorded(profile=command.profile, **stamp)]  # type: ignore[arg-type]
        case RecordFunctionProfile():
            if state.functions.get(command.profile.profile_id) == command.profile:
                raise RuleViolation(N_("this profile is recorded as is"))
            return [FunctionProfileRecorded(profile=command.profile, **stamp)]  # type: ignore[arg-type]
        case RemoveCandidateProfile():
            state.candidate(command.candidate_ref)
            return [CandidateProfileRemoved(candidate_ref=command.candidate_ref, **stamp)]  # type: ignore[arg-type]
        case RemoveFunctionProfile():
            state.function(command.profile_id)
            return [FunctionProfileRemoved(profile_id=command.profile_id, **stamp)]  # type: ignore[arg-type]
        case DecideMatch():
            decision = _decision(state, command, now)
            if decision.verdict is Verdict.CONFIRMED:
                return [MatchConfirmed(decision=decision, **stamp)]  # type: ignore[arg-type]
            return [MatchRejected(decision=decision, **stamp)]  # type: ignore[arg-type]
        case _:
            assert_never(command)


def _decision(state: Matching, command: DecideMatch, now: datetime) -> MatchDecision:
    if command.actor.casefold() in SYSTEM_ACTORS:
        raise RuleViolation(N_("a person decides a match, never the system"))
    candidate = state.candidate(command.candidate_ref)
    function = state.function(command.profile_id)
    if command.reason.key_id != candidate.candidate_ref:
        raise RuleViolation(N_("the reason must be sealed with the candidate's key"))
    if command.verdict is Verdict.CONFIRMED and any(
        d.candidate_ref == candidate.candidate_ref and d.profile_id == function.profile_id
        for d in state.confirmed()
    ):
        raise RuleViolation(
            N_("{candidate_ref} is already confirmed for {profile_id}"),
            candidate_ref=candidate.candidate_ref,
            profile_id=function.profile_id,
        )
    earlier = [
        d for d in state.decisions
        if d.candidate_ref == candidate.candidate_ref and d.profile_id == function.profile_id
    ]  # fmt: skip
    if earlier and earlier[-1].verdict is command.verdict:
        # The same decision again would count twice in the override rate.
        raise RuleViolation(
            N_("{candidate_ref} is already rejected for {profile_id}"),
            candidate_ref=candidate.candidate_ref,
            profile_id=function.profile_id,
        )
    if command.direction is Direction.CANDIDATES:
        ranking = rank_candidates(function, state.candidates.values())
        chosen = next(p for p in ranking if p.candidate_ref == candidate.candidate_ref)
        top = ranking[0].candidate_ref
    else:
        ranking = rank_jobs(candidate, state.functions.values())
        chosen = next(p for p in ranking if p.profile_id == function.profile_id)
        top = ranking[0].profile_id
    confirmed = command.verdict is Verdict.CONFIRMED
    return MatchDecision(
        verdict=command.verdict,
        decided_by=command.actor,
        decided_at=now,
        direction=command.direction,
        candidate_ref=candidate.candidate_ref,
        profile_id=function.profile_id,
        future_job_id=function.future_job_id,
        rank=chosen.rank,
        proposals=len(ranking),
        top=top,
        score=chosen.score,
        top_score=ranking[0].score,
        # Against the proposal: another than the best score confirmed, or a best one rejected
        # (of two equal scores, neither is the engine's choice over the other).
        overrode_top=(chosen.score < ranking[0].score)
        if confirmed
        else (chosen.score == ranking[0].score),
        ranking_version=RANKING_VERSION,
        reason=command.reason,
    )
