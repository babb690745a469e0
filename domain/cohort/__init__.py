"""A WijkLeerbedrijf cohort (lichting): one edition of about 20 candidates who learn as a
group towards the places of several employers. Its own stream; its candidates by trajectory
id only (their personal data stays in their trajectories).

Its life: the group start, the introduction weeks in the Leerhome, the selection day with
both sides' preferences, work-study (BBL) hires at the start of year 2, places that change,
and at the end an optimal assignment of the candidates to the places (`assign`), proposed
to the coach and confirmed by a person. Pure: no I/O, no clock.
"""

from ._assign import assign, assignment_for, preference_cost
from ._commands import (
    SYSTEM_ACTOR,
    AnyCommand,
    CandidatePreference,
    ChangePlaces,
    Command,
    ConfirmAssignment,
    EmployerPreference,
    HireWorkStudy,
    ProposeAssignment,
    ReachMilestone,
    RecordDropOut,
    RecordSelectionDay,
    StartCohort,
)
from ._decide import decide
from ._errors import CohortAlreadyStarted, CohortClosed, CohortNotStarted, NotInCohort
from ._events import (
    AnyEvent,
    AssignmentConfirmed,
    AssignmentProposed,
    CandidateDroppedOut,
    CohortStarted,
    Event,
    MilestoneReached,
    PlacesChanged,
    SelectionDayHeld,
    WorkStudyHired,
    load_event,
)
from ._lessons import Lessons, lessons
from ._rules import check_assignment, placement
from ._state import Cohort, evolve, fold
from ._values import (
    MAX_CANDIDATES,
    MAX_EMPLOYERS,
    MAX_PLACES,
    MILESTONES,
    Assignment,
    CohortCandidate,
    CohortEmployer,
    DropOutReason,
    Milestone,
    Move,
    Phase,
    Placement,
    Schedule,
    WorkStudyJob,
)

__all__ = [
    "MAX_CANDIDATES",
    "MAX_EMPLOYERS",
    "MAX_PLACES",
    "MILESTONES",
    "SYSTEM_ACTOR",
    "AnyCommand",
    "AnyEvent",
    "Assignment",
    "AssignmentConfirmed",
    "AssignmentProposed",
    "CandidateDroppedOut",
    "CandidatePreference",
    "ChangePlaces",
    "Cohort",
    "CohortAlreadyStarted",
    "CohortCandidate",
    "CohortClosed",
    "CohortEmployer",
    "CohortNotStarted",
    "CohortStarted",
    "Command",
    "ConfirmAssignment",
    "DropOutReason",
    "EmployerPreference",
    "Event",
    "HireWorkStudy",
    "Lessons",
    "Milestone",
    "MilestoneReached",
    "Move",
    "NotInCohort",
    "Phase",
    "Placement",
    "PlacesChanged",
    "ProposeAssignment",
    "ReachMilestone",
    "RecordDropOut",
    "RecordSelectionDay",
    "Schedule",
    "SelectionDayHeld",
    "StartCohort",
    "WorkStudyHired",
    "WorkStudyJob",
    "assign",
    "assignment_for",
    "check_assignment",
    "decide",
    "evolve",
    "fold",
    "lessons",
    "load_event",
    "placement",
    "preference_cost",
]
