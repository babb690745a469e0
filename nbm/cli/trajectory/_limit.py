"""The caseload limit at a start (`nbm trajectory start`, `nbm import`): the service's
refusals (`nbm.caseload_limit`) as one line for the coach."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from domain import trajectory
from nbm import caseload_limit
from nbm.i18n import _
from nbm.settings import Settings

from .._common import CliError


async def caseload_check(
    client: Client,
    config: Settings,
    coach_id: str,
    *,
    override_by: str | None = None,
    reason: trajectory.OverrideReason | None = None,
) -> trajectory.CaseloadOverride | None:
    """`caseload_limit.check_caseload` with its refusals as one line for the coach (`nbm
    import` starts through this too)."""
    try:
        return await caseload_limit.check_caseload(
            client, config.task_queue, coach_id, default_limit=config.caseload_limit,
            override_by=override_by, reason=reason,
        )  # fmt: skip
    except caseload_limit.CaseloadFull as err:
        raise CliError(
            _(
                "coach {coach} has {open} open trajectories already (limit {limit}); a "
                "supervisor can allow it with --override-by <id> and --override-reason"
            ).format(coach=err.coach_id, open=err.open_trajectories, limit=err.limit)
        ) from None
    except caseload_limit.OverrideRefused as err:
        message = (
            _("--override-by: {who} is not in the people directory")
            if err.unknown
            else _("--override-by: {who} is not an active supervisor above coach {coach}")
        )
        raise CliError(message.format(who=err.by, coach=err.coach_id)) from None


async def exists(client: Client, trajectory_id: str) -> bool:
    try:
        await client.get_workflow_handle(trajectory_id).describe()
    except RPCError as err:
        if err.status is RPCStatusCode.NOT_FOUND:
            return False
        raise
    return True
