"""The sandbox the workflows run in, shared by the worker and by every replay."""

from __future__ import annotations

from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

PASSTHROUGH_MODULES = ("domain", "workflows.messages", "activities.trajectory_events", "pydantic")
"""Imported once, not per workflow run: deterministic and free of side effects. One class per
model is what pydantic needs, and it saves memory."""


def workflow_runner() -> SandboxedWorkflowRunner:
    """The sandbox, with the pure modules passed through (`PASSTHROUGH_MODULES`)."""
    return SandboxedWorkflowRunner(
        restrictions=SandboxRestrictions.default.with_passthrough_modules(*PASSTHROUGH_MODULES)
    )
