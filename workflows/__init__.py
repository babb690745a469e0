"""Temporal workflows: thin, deterministic shells around the domain."""

from .messages import (
    WORKFLOW_TYPE,
    CoachRequest,
    CommandResult,
    TrajectoryInput,
    TrajectoryResult,
)
from .runner import workflow_runner
from .trajectory import TrajectoryWorkflow

__all__ = [
    "WORKFLOW_TYPE",
    "CoachRequest",
    "CommandResult",
    "TrajectoryInput",
    "TrajectoryResult",
    "TrajectoryWorkflow",
    "workflow_runner",
]
