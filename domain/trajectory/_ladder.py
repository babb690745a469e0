"""The placement ladder: successive placements of growing complexity, each rung gated by an
evaluation before the next can start; the coach may skip or repeat a rung, with a reason.

The ladder is the agreement's placements in their order (the programme's template proposes
them); the programme's rungs marked `alongside` (a school day a week, NT2 lessons) run beside
it, outside the order and the gate. A programme without a ladder has no gate (as before).
"""

from __future__ import annotations

from ..shared import N_, RuleViolation
from ._commands import StartPlacement
from ._state import Trajectory
from ._values import EvaluationVerdict, LadderMove


def move(s: Trajectory, c: StartPlacement) -> tuple[LadderMove | None, tuple[str, ...]]:
    """How placement `c` follows the ladder, and the rungs it skips; refuses a rung whose
    gate (an evaluation since the rung before it started) is not passed."""
    if not s.programme.ladder or s.agreement is None:
        return None, ()
    alongside = {r.name.casefold() for r in s.programme.ladder if r.alongside}
    name = c.name.casefold()
    if name in alongside:
        return LadderMove.ALONGSIDE, ()
    plan = [p.name for p in s.agreement.placements if p.name.casefold() not in alongside]
    keys = [n.casefold() for n in plan]
    if name not in keys:
        return None, ()  # outside the plan: a deviation with its reason (`_as_agreed`)
    target = keys.index(name)
    done = [p for p in s.placements if p.name.casefold() in keys]
    if not done:
        if target == 0:
            return LadderMove.FIRST, ()
        return LadderMove.SKIP, tuple(plan[:target])
    last = done[-1]
    current = keys.index(last.name.casefold())
    since = [e for e in s.evaluations if e.version > last.version]
    if not since:
        raise RuleViolation(
            N_(
                "rung {name!r} has had no evaluation since it started: record one before "
                "{next_name!r} can start (each rung of the ladder is gated by an evaluation)"
            ),
            name=last.name,
            next_name=c.name,
        )
    if target <= current:
        return LadderMove.REPEAT, ()
    if since[-1].verdict is EvaluationVerdict.OFF_TRACK:
        raise RuleViolation(
            N_(
                "the last evaluation of rung {name!r} found the candidate off track: repeat the "
                "rung (with the reason) or record a new evaluation before the next rung"
            ),
            name=last.name,
        )
    if target == current + 1:
        return LadderMove.NEXT, ()
    return LadderMove.SKIP, tuple(plan[current + 1 : target])
