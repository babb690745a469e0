"""The runner the workflows run in, shared by the worker and by every replay."""

from __future__ import annotations

from temporalio.worker import UnsandboxedWorkflowRunner, WorkflowRunner
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

PASSTHROUGH_MODULES = ("domain", "workflows.messages", "activities.trajectory_events", "pydantic")
"""Imported once, not per workflow run: deterministic and free of side effects. One class per
model is what pydantic needs, and it saves memory."""


def workflow_runner(*, sandboxed: bool = True) -> WorkflowRunner:
    """The sandbox, or (`sandboxed=False`) the workflows run as plain code.

    The sandbox passes every module a workflow imports through, so a run re-imports only the
    module the workflow is defined in (a cached workflow costs its state, not a copy of the
    domain and pydantic), and guards that module's own code: no clock, no I/O, no randomness
    outside `workflow.*`. `PASSTHROUGH_MODULES` are named too, so they stay passed through if
    the whole-sale passthrough is ever turned off.

    Its price is paid on every task: the SDK compiles and runs a snippet in the sandbox for
    every payload it encodes, and a run not in the cache first executes the workflow module
    again. Without it (`NBM_WORKFLOW_SANDBOX=false`) a worker does the same work for less;
    what the sandbox would have caught is caught before a deploy instead: the test suite and
    the replay of the recorded histories run every workflow in the sandbox.
    """
    if not sandboxed:
        return UnsandboxedWorkflowRunner()
    return SandboxedWorkflowRunner(
        restrictions=SandboxRestrictions.default.with_passthrough_modules(
            *PASSTHROUGH_MODULES
        ).with_passthrough_all_modules()
    )
