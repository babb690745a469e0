"""The domain's dispatch is complete, and mypy is what holds it so.

`decide` and `evolve` are `match` statements ending in `assert_never`: a command or event type
without a branch fails the type check (`make lint`; `tests/architecture` shows it failing).
These tests hold the unions the matches run over equal to the classes that exist, and
`TrajectoryChanges` (the typed keyword arguments of every state change) equal to the state's
fields.
"""

from __future__ import annotations

import typing

from domain import trajectory
from domain.trajectory._commands import Command
from domain.trajectory._events import Event
from domain.trajectory._evolve import TrajectoryChanges


def members(union: object) -> set[type]:
    """The classes of a (possibly `Annotated`, possibly nested) union."""
    found: set[type] = set()
    for arg in typing.get_args(union):
        if typing.get_origin(arg) is typing.Annotated or typing.get_args(arg):
            found |= members(arg)
        elif isinstance(arg, type):
            found.add(arg)
    return found


def concrete(cls: type) -> set[type]:
    """Every subclass of `cls` that is not a private base of others (`_AgreementTerms`)."""
    found: set[type] = set()
    for sub in cls.__subclasses__():
        found |= concrete(sub) if sub.__name__.startswith("_") else {sub}
    return found


def test_every_command_class_is_in_the_union_decide_matches_over() -> None:
    assert members(trajectory.AnyCommand) == concrete(Command)


def test_every_event_class_is_in_the_union_evolve_matches_over() -> None:
    assert members(trajectory.AnyEvent) == set(Event.__subclasses__())
    assert {cls.model_fields["type"].default for cls in Event.__subclasses__()} == (
        trajectory.EVENT_TYPES
    )


def test_typed_changes_are_the_state_fields_with_their_types() -> None:
    hints = typing.get_type_hints(TrajectoryChanges)
    fields = trajectory.Trajectory.model_fields
    # The envelope moves with every event (`_next` sets it); the start sets the rest once.
    moved_by_every_event = {"version", "updated_at"}
    set_once = {"trajectory_id", "started_at", "coach_id"}  # a handover moves route, programme
    assert set(hints) == set(fields) - moved_by_every_event - set_once
    for name, hint in hints.items():
        assert hint == fields[name].annotation, name


def test_every_closure_reason_is_a_reason_to_be_closed() -> None:
    for reason in trajectory.ClosureReason:
        assert trajectory.ClosedBecause.ended_early(reason).value == reason.value
