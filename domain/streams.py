"""Every aggregate's events as one kind of stored event: the event store keeps the streams of
all of them in one table, and its readers (the audit, the projections) take any row.

An event's `type` names its aggregate (the names are unique across the aggregates; a test
holds that), and its `stream_id` names its stream. Pure: no I/O.
"""

from __future__ import annotations

from typing import Any, get_args

from pydantic import TypeAdapter

from . import cohort, employer, future_job, matching, people, task, trajectory

DomainEvent = (
    trajectory.AnyEvent
    | future_job.AnyEvent
    | employer.AnyEvent
    | people.AnyEvent
    | task.AnyEvent
    | matching.AnyEvent
    | cohort.AnyEvent
)
"""An event of any aggregate."""


def _types_of(union: object) -> tuple[str, ...]:
    members = get_args(get_args(union)[0])  # Annotated[A | B | ..., Field(...)]
    return tuple(m.model_fields["type"].default for m in members)


TRAJECTORY_EVENT_TYPES = frozenset(_types_of(trajectory.AnyEvent))
FUTURE_JOB_EVENT_TYPES = frozenset(_types_of(future_job.AnyEvent))
EMPLOYER_EVENT_TYPES = frozenset(_types_of(employer.AnyEvent))
PEOPLE_EVENT_TYPES = frozenset(_types_of(people.AnyEvent))
TASK_EVENT_TYPES = frozenset(_types_of(task.AnyEvent))
MATCHING_EVENT_TYPES = frozenset(_types_of(matching.AnyEvent))
COHORT_EVENT_TYPES = frozenset(_types_of(cohort.AnyEvent))

AGGREGATE_OF_TYPE: dict[str, str] = {
    **dict.fromkeys(TRAJECTORY_EVENT_TYPES, "trajectory"),
    **dict.fromkeys(FUTURE_JOB_EVENT_TYPES, "future-job"),
    **dict.fromkeys(EMPLOYER_EVENT_TYPES, "employer"),
    **dict.fromkeys(PEOPLE_EVENT_TYPES, "people"),
    **dict.fromkeys(TASK_EVENT_TYPES, "task"),
    **dict.fromkeys(MATCHING_EVENT_TYPES, "matching"),
    **dict.fromkeys(COHORT_EVENT_TYPES, "cohort"),
}
"""The aggregate each event type belongs to."""

_Others = (
    future_job.AnyEvent
    | employer.AnyEvent
    | people.AnyEvent
    | task.AnyEvent
    | matching.AnyEvent
    | cohort.AnyEvent
)
_OTHERS: TypeAdapter[_Others] = TypeAdapter(_Others)


def load_any_event(data: dict[str, Any]) -> DomainEvent:
    """An event of any aggregate from its stored JSON; a trajectory's is upcast first.

    Raises:
        pydantic.ValidationError: not the JSON of an event.
    """
    if data.get("type") in TRAJECTORY_EVENT_TYPES:
        return trajectory.load_event(data)
    return _OTHERS.validate_python(data)


class NotATrajectoryEvent(TypeError):
    """An event of another aggregate where a trajectory's was expected."""


def as_trajectory_event(event: DomainEvent) -> trajectory.AnyEvent:
    """`event`, if it is a trajectory's.

    Raises:
        NotATrajectoryEvent: it is another aggregate's (names its type and stream only).
    """
    if isinstance(event, trajectory.Event):
        return event  # type: ignore[return-value]  # every trajectory.Event is in the union
    raise NotATrajectoryEvent(
        f"{event.type} of stream {event.stream_id} is a {AGGREGATE_OF_TYPE[event.type]} event, "
        "not a trajectory's"
    )
