"""The trajectory's search attributes: what the Web UI, `temporal workflow list --query` and
`nbm trajectory list --coach/--step` filter on.

Ids, codes and steps only, never personal data: search attributes are not encrypted by the
payload codec. Each must be registered on the server once, as Keyword
(`temporal operator search-attribute create`, see the README); the embedded stack and the
tests register them themselves.
"""

from __future__ import annotations

from temporalio.common import SearchAttributeKey

from domain.trajectory import Trajectory

STEP = SearchAttributeKey.for_keyword("Step")
ROUTE = SearchAttributeKey.for_keyword("Route")
PROGRAMME = SearchAttributeKey.for_keyword("Programme")
COACH_ID = SearchAttributeKey.for_keyword("CoachId")
EMPLOYER_ID = SearchAttributeKey.for_keyword("EmployerId")

SEARCH_ATTRIBUTES: tuple[SearchAttributeKey[str], ...] = (
    STEP,
    ROUTE,
    PROGRAMME,
    COACH_ID,
    EMPLOYER_ID,
)

PATCH = "search-attributes-v1"
"""Trajectories started before this version replay without upserting them."""


def attributes_of(state: Trajectory) -> dict[SearchAttributeKey[str], str]:
    """The values the trajectory's search attributes should have in `state`."""
    return {
        STEP: state.step.value,
        ROUTE: state.route.value,
        PROGRAMME: state.programme.programme_id,
        COACH_ID: state.coach_id,
        EMPLOYER_ID: state.employer_id,
    }
