"""`nbm import`: an existing caseload from a CSV file, each row one trajectory.

The file's columns are in `COLUMNS` (and `docs/import.md`); `read_file` checks the header
and gives each row its request id, `run_import` starts the rows not started before and
reports what became of each (a refused row by its line and column, never by its content).
The same code path serves the CLI, the tests and `make bench` (`bench.import_bench`).
"""

from ._file import (
    COLUMNS,
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
    BeforeStart,
    ImportReport,
    Outcome,
    RowRefused,
    run_import,
    trajectory_id_for,
)

__all__ = [
    "COLUMNS",
    "DEFAULT_PARALLEL",
    "LIST_SEPARATOR",
    "BeforeStart",
    "Column",
    "ImportFile",
    "ImportFileError",
    "ImportReport",
    "Outcome",
    "Planned",
    "Refusal",
    "RowRefused",
    "read_file",
    "row_request_id",
    "run_import",
    "trajectory_id_for",
]
