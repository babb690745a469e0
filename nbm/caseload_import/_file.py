"""The import file: its columns, its rows, and each row's request id.

Nothing here talks to a server: a file is read, its header checked (a problem there refuses
the whole file), and each row becomes a `Planned` row with its request id, or a `Refusal`
naming its line and field. No refusal ever holds what a cell said.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from domain.shared import is_opaque_id
from nbm.i18n import N_, _
from nbm.service import ServiceError

LIST_SEPARATOR = "|"
"""Between the skills in one cell (`ADL care|communication`): the cell's own separator, so
either delimiter of the file (`,` or `;`) can be used."""

REQUEST_KEY = "nbm-import/v1"
"""Part of every derived request id: the same row gives the same id in any file, on any
machine, and never an id another command of this tool makes."""


MAP, MATCH = "map", "match"
"""The optional column groups: step 2 (`nbm trajectory map-possibilities`) and step 4
(`nbm trajectory match`), each recorded after the start, in order, at its own date."""

STEP_OF = {MAP: 2, MATCH: 4}
GROUP_NAMES = {
    2: N_("the columns mapped_on to training_institute"),
    4: N_("the columns matched_on to other_matters"),
}


@dataclass(frozen=True)
class Column:
    name: str
    help: str
    required: bool = False
    group: str | None = None
    """None: the start (step 1); else the step whose group the column is in."""
    needed: bool = False
    """In its group: required in every row that fills any cell of the group."""
    personal: bool = False
    """Personal data: sealed with the candidate's key in this process, never repeated."""


COLUMNS: tuple[Column, ...] = (
    Column("coach", N_("the coach's id (the trajectory's werkcoach)"), required=True),
    Column(
        "started_on",
        N_("the day the trajectory began, YYYY-MM-DD (its effective start; not in the future)"),
        required=True,
    ),
    Column("future_job", N_("an existing future job (fj-...); or the job's own four columns")),
    Column("employer", N_("without future_job: the employer's id")),
    Column("function", N_("without future_job: the job's function")),
    Column("expected_date", N_("without future_job: when the job is expected, YYYY-MM-DD")),
    Column("skills", N_("without future_job: the skills it requires, separated by |")),
    Column("jobs", N_("without future_job: how many such jobs (default 1)")),
    Column("programme", N_("the programme (nbm programme list); default: standard")),
    Column("municipality", N_("the municipality whose benefit maximum applies")),
    Column("route", N_("the route; default: the programme's own")),
    Column("outgoing_employer", N_("Van Werk naar Werk: the employer the worker leaves")),
    Column("dismissal_date", N_("Van Werk naar Werk: the dismissal date, YYYY-MM-DD")),
    Column(
        "request_id",
        N_("optional: your id for the row (letters, digits, . _ : -), never a client number"),
    ),
    # Step 2, possibilities mapped (nbm trajectory map-possibilities).
    Column("mapped_on", N_("step 2: the day the possibilities were mapped, YYYY-MM-DD"),
           group=MAP, needed=True),
    Column("profile_skills", N_("step 2: the profile's skills (no diploma), separated by |"),
           group=MAP, needed=True),
    Column("employer_role", N_("step 2: what the employer does, e.g. workplace and mentor"),
           group=MAP, needed=True),
    Column("werkbedrijf_role", N_("step 2: what the Werkbedrijf does, e.g. coach, budget"),
           group=MAP, needed=True),
    Column("guarantee_possible",
           N_("step 2: yes if the employer can give a job guarantee, no for an intention only"),
           group=MAP, needed=True),
    Column("learning_location", N_("step 2: where the candidate learns"), group=MAP, needed=True),
    Column("training_institute", N_("step 2: the training institute, if any"), group=MAP),
    # Step 4, the match job-candidate (nbm trajectory match), with the personal data.
    Column("matched_on", N_("step 4: the day of the match, YYYY-MM-DD"), group=MATCH,
           needed=True),
    Column("name", N_("step 4: the candidate's name (sealed, never stored in the clear)"),
           group=MATCH, needed=True, personal=True),
    Column("bsn", N_("step 4: the candidate's BSN (sealed, never stored in the clear)"),
           group=MATCH, needed=True, personal=True),
    Column("email", N_("step 4: e-mail address (sealed)"), group=MATCH, personal=True),
    Column("phone", N_("step 4: phone number (sealed)"), group=MATCH, personal=True),
    Column("external_ref", N_("step 4: another system's reference for the person (sealed)"),
           group=MATCH, personal=True),
    Column("motivation_passed", N_("step 4: the motivation screen's result, yes or no"),
           group=MATCH, needed=True),
    Column("candidate_skills", N_("step 4: skills the candidate has, separated by |"),
           group=MATCH),
    Column("language_level", N_("step 4: the level the language test found, e.g. A2"),
           group=MATCH),
    Column("information_meeting",
           N_("step 4: yes if the candidate took part in the information meeting"), group=MATCH),
    Column("barriers", N_("step 4: the practical matters to solve, separated by |"),
           group=MATCH),
    Column("no_problem", N_("step 4: practical matters discussed that are no problem, by |"),
           group=MATCH),
    Column("not_applicable", N_("step 4: practical matters that do not apply, by |"),
           group=MATCH),
    Column("other_matters",
           N_("step 4: how every matter not named stands: no-problem or not-applicable"),
           group=MATCH),
)  # fmt: skip
BY_NAME: Mapping[str, Column] = {c.name: c for c in COLUMNS}
GROUPS: Mapping[str, tuple[Column, ...]] = {
    g: tuple(c for c in COLUMNS if c.group == g) for g in (MAP, MATCH)
}
START_COLUMNS = frozenset(c.name for c in COLUMNS if c.group is None)
OWN_JOB = ("employer", "function", "expected_date", "skills")


class ImportFileError(ServiceError):
    """The file as a whole cannot be imported (not readable, not a CSV, a wrong header)."""


@dataclass(frozen=True)
class Refusal:
    """A row that was not imported: where, and why; never what the cell said."""

    line: int
    field: str | None
    reason: str
    step: int | None = None
    """A step after the start that the domain refused (2 or 4): `field` is then None and the
    text names the step's column group (the trajectory itself is there)."""

    def text(self) -> str:
        if self.step is not None:
            group = _(GROUP_NAMES[self.step])
            return _("line {line}, step {step} ({group}): {reason}").format(
                line=self.line, step=self.step, group=group, reason=self.reason
            )
        if self.field is None:
            return _("line {line}: {reason}").format(line=self.line, reason=self.reason)
        return _("line {line}, field {field}: {reason}").format(
            line=self.line, field=self.field, reason=self.reason
        )


@dataclass(frozen=True)
class Planned:
    """A row of the file that can be tried: its cells by column, and its request id."""

    line: int
    request_id: str
    cells: Mapping[str, str]

    def cell(self, name: str) -> str | None:
        return self.cells.get(name) or None

    def has(self, group: str) -> bool:
        """Whether the row fills any cell of this step's group (then it records the step)."""
        return any(self.cell(c.name) for c in GROUPS[group])


@dataclass
class ImportFile:
    path: Path
    columns: tuple[str, ...]
    rows: list[Planned] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)

    @property
    def read(self) -> int:
        return len(self.rows) + len(self.refused)

    @property
    def has_candidates(self) -> bool:
        """Whether the header has the match's columns (then the import needs the key store)."""
        return any(c.name in self.columns for c in GROUPS[MATCH])


def row_request_id(cells: Mapping[str, str]) -> str:
    """The row's own request id: its `request_id` cell, else a digest of its start.

    The digest covers every non-empty cell of the start's columns (step 1) by column name,
    so the order of the columns, an added empty column or the file's name do not change it:
    the same row is the same start. The later steps' cells are not in it: a personal cell
    never goes into an id (a digest of a BSN is still the BSN), and a step corrected after a
    refusal continues the same trajectory.
    """
    given = cells.get("request_id")
    if given:
        return given
    digest = hashlib.sha256(REQUEST_KEY.encode())
    for name in sorted(cells):
        if cells[name] and name in START_COLUMNS:
            digest.update(f"\0{name}\0{cells[name]}".encode())
    return f"imp-{digest.hexdigest()[:24]}"


def read_file(path: Path) -> ImportFile:
    """The file's rows; `ImportFileError` if it cannot be imported at all."""
    text = _text(path)
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), None)
    if header_line is None:
        raise ImportFileError(_("{file}: the file is empty").format(file=path.name))
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        records = list(_records(reader))
    except csv.Error:
        raise ImportFileError(
            _("{file}: not a readable CSV file (an unclosed quote?)").format(file=path.name)
        ) from None
    _header_at, header = records[0]
    columns = tuple(_columns(path, header))
    found = ImportFile(path, columns)
    seen: dict[str, int] = {}
    for line, cells in records[1:]:
        if len(cells) != len(columns):
            found.refused.append(
                Refusal(
                    line,
                    None,
                    _("{count} cells where the header has {columns}").format(
                        count=len(cells), columns=len(columns)
                    ),
                )
            )
            continue
        by_name = {name: cell.strip() for name, cell in zip(columns, cells, strict=True)}
        given = by_name.get("request_id")
        if given and not is_opaque_id(given):
            found.refused.append(Refusal(line, "request_id", _(NOT_AN_ID)))
            continue
        request_id = row_request_id(by_name)
        if request_id in seen:
            found.refused.append(
                Refusal(
                    line,
                    "request_id" if given else None,
                    _(
                        "the same row as line {line} (imported once); two trajectories that "
                        "look the same need their own request_id each"
                    ).format(line=seen[request_id]),
                )
            )
            continue
        seen[request_id] = line
        found.rows.append(Planned(line, request_id, by_name))
    return found


NOT_AN_ID = N_("not an id (letters, digits, '.', '_', ':', '-'; at most 64)")


def _text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(_("{file}: no such file").format(file=path.name)) from None
    except IsADirectoryError:
        raise ImportFileError(_("{file}: a folder, not a file").format(file=path.name)) from None
    except OSError as err:
        raise ImportFileError(
            _("{file}: cannot be read ({reason})").format(file=path.name, reason=err.strerror)
        ) from None
    if b"\0" in raw:
        raise ImportFileError(_("{file}: not a CSV file (binary content)").format(file=path.name))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("{file}: not UTF-8 text; save the CSV as UTF-8").format(file=path.name)
        ) from None


def _records(reader: Any) -> list[tuple[int, list[str]]]:
    """(line where the record begins, cells), blank lines left out."""
    out: list[tuple[int, list[str]]] = []
    before = 0
    for cells in reader:
        begins = before + 1
        before = reader.line_num
        if cells and any(c.strip() for c in cells):
            out.append((begins, cells))
    return out


def _columns(path: Path, header: list[str]) -> list[str]:
    names = [h.strip().lower() for h in header]
    unknown = [(i, n) for i, n in enumerate(names, start=1) if n not in BY_NAME]
    if unknown:
        position, name = unknown[0]
        # Named only when it reads as a column's name (`client_number`): a file without its
        # header row has a person's name or BSN where the header belongs.
        if re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)+", name) and len(name) <= 40:
            shown = repr(name)
        else:
            shown = _("number {n} (not repeated: is the first line the header?)").format(n=position)
        raise ImportFileError(
            _("{file}: unknown column {column}; the columns are: {known}").format(
                file=path.name, column=shown, known=", ".join(BY_NAME)
            )
        )
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ImportFileError(
            _("{file}: column {column} appears twice").format(file=path.name, column=twice[0])
        )
    missing = [c.name for c in COLUMNS if c.required and c.name not in names]
    if missing:
        raise ImportFileError(
            _("{file}: missing column(s): {columns}").format(
                file=path.name, columns=", ".join(missing)
            )
        )
    no_job = [n for n in OWN_JOB if n not in names]
    if "future_job" not in names and no_job:
        raise ImportFileError(
            _("{file}: no future_job column, and of the job's own columns missing: "
              "{columns}").format(file=path.name, columns=", ".join(no_job))
        )  # fmt: skip
    for group, columns in GROUPS.items():
        lacking = [c.name for c in columns if c.needed and c.name not in names]
        if lacking and any(c.name in names for c in columns):
            raise ImportFileError(
                _("{file}: the columns of step {step} are incomplete; missing: {columns}").format(
                    file=path.name, step=STEP_OF[group], columns=", ".join(lacking)
                )
            )
    return names
