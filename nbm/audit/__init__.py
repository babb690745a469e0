"""The auditors' tools, apart from how they are shown: the CLI's `nbm audit` renders these.

Each raises `AuditError` (a `ServiceError`) with one line for people; none prints personal
data.
"""

from ._chain import (
    BATCH,
    EXPORT_FORMAT,
    EXPORT_VERSION,
    Checked,
    export_stream,
    read_export,
    verify_file,
    verify_store,
)
from ._errors import AuditError
from ._trail import (
    CHECKPOINT_WORKFLOW_ID,
    SCHEDULE_ID,
    History,
    Replayed,
    StreamHistory,
    Verified,
    event_facts,
    load_checkpoints,
    read_history,
    read_stream_history,
    replay_trajectories,
    schedule_checkpoints,
    state_as_of,
    utc,
    verify_all,
)

__all__ = [
    "BATCH",
    "CHECKPOINT_WORKFLOW_ID",
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "SCHEDULE_ID",
    "AuditError",
    "Checked",
    "History",
    "Replayed",
    "StreamHistory",
    "Verified",
    "event_facts",
    "export_stream",
    "load_checkpoints",
    "read_export",
    "read_history",
    "read_stream_history",
    "replay_trajectories",
    "schedule_checkpoints",
    "state_as_of",
    "utc",
    "verify_all",
    "verify_file",
    "verify_store",
]
