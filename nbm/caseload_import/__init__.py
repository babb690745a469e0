"""`nbm import`: an existing caseload from a CSV file, each row one trajectory.

The file's columns are in `COLUMNS` (and `docs/import.md`); `read_file` checks the header
and gives each row its request id, `run_import` starts the rows not started before, records
the later steps a row brings (step 2, and step 4 with the candidate's personal data, sealed
in this process with their own key) and reports what became of each (a refused row by its
line and column, never by its content).
The same code path serves the CLI, the tests and `make bench` (`bench.import_bench`).
"""

from ._file import (
    COLUMNS,
    GROUPS,
    LIST_SEPARATOR,
    Column,
    ImportFile,
    ImportFileError,
    Planned,
    Refusal,
    read_file,
    row_request_id,
)
from ._run import (
    DEFAULT_PARALLEL,
    AfterStart,
    BeforeStart,
    ImportReport,
    KeyStore,
    Outcome,
    RowRefused,
    StepOutcome,
    candidate_ref_for,
    run_import,
    step_request_id,
    trajectory_id_for,
)

__all__ = [
    "COLUMNS",
    "DEFAULT_PARALLEL",
    "GROUPS",
    "LIST_SEPARATOR",
    "AfterStart",
    "BeforeStart",
    "Column",
    "ImportFile",
    "ImportFileError",
    "ImportReport",
    "KeyStore",
    "Outcome",
    "Planned",
    "Refusal",
    "RowRefused",
    "StepOutcome",
    "candidate_ref_for",
    "read_file",
    "row_request_id",
    "run_import",
    "step_request_id",
    "trajectory_id_for",
]
