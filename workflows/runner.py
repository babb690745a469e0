"""The sandbox the workflows run in, shared by the worker and by every replay."""

from __future__ import annotations

from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

PASSTHROUGH_MODULES = ("domain", "workflows.messages", "activities.trajectory_events", "pydantic")
"""Imported once, not per workflow run: deterministic and free of side effects. One class per
model is what pydantic needs, and it saves memory."""


def workflow_runner() -> SandboxedWorkflowRunner:
    """The sandbox: every module a workflow imports passed through, so a run re-imports only
    the module the workflow is defined in (a cached workflow costs its state, not a copy of
    the domain and pydantic). The sandbox still guards that module's own code: no clock, no
    I/O, no randomness outside `workflow.*`. `PASSTHROUGH_MODULES` are named too, so they
    stay passed through if the whole-sale passthrough is ever turned off."""
    return SandboxedWorkflowRunner(
        restrictions=SandboxRestrictions.default.with_passthrough_modules(
            *PASSTHROUGH_MODULES
        ).with_passthrough_all_modules()
    )
