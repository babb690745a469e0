"""What the parts of `nbm match` share: the options, the vocabulary, skills by label."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from domain.matching import Vocabulary, Weekday
from nbm import matching as service
from nbm.i18n import _
from nbm.localize import localized
from nbm.service import ServiceError

from .._common import CliError, check_generated, has_control_characters

TEXT_LIMIT = 2000
"""A coach's free text here: as long as a note elsewhere (`Note`)."""


def checked_text(value: str, option: str) -> str:
    """A free text as it is sealed: something said, printable, not too long; else one line
    that names the option and never the text (it can be personal)."""
    text = value.strip()
    if not text:
        raise CliError(_("{option}: empty: say why").format(option=option))
    if has_control_characters(text):
        raise CliError(_("{option}: holds a control character").format(option=option))
    if len(text) > TEXT_LIMIT:
        raise CliError(
            _("{option}: longer than {TEXT_LIMIT} characters").format(
                option=option, TEXT_LIMIT=TEXT_LIMIT
            )
        )
    return text


EscoDir = Annotated[
    Path | None,
    typer.Option("--esco-dir", help="Folder with the official ESCO files (skills_nl.csv, ...).",
                 envvar="NBM_ESCO_DIR", exists=True, file_okay=False),
]  # fmt: skip
Skills = Annotated[
    list[str] | None, typer.Option("--skill", help="Skill: a label or URI (repeat).")
]
Days = Annotated[
    list[Weekday] | None, typer.Option("--day", help="Working day: ma, di, wo, do, vr, za, zo.")
]
Reason = Annotated[str, typer.Option(help="Why (sealed).")]
CandidateRef = Annotated[
    str,
    typer.Option(
        "--candidate",
        help="The candidate's reference (cand-...).",
        callback=lambda v: check_generated(v, "cand", "--candidate") if v else v,
    ),
]
ProfileId = Annotated[str, typer.Option("--profile", help="The function profile's id (fp-...).")]


def vocab_of(esco_dir: Path | None) -> Vocabulary:
    try:
        return service.vocabulary(esco_dir)
    except ServiceError as err:
        raise CliError(localized(err)) from None


def uris_of(words: list[str] | None, vocab: Vocabulary) -> tuple[str, ...]:
    try:
        return service.skill_uris(words or [], vocab)
    except ServiceError as err:
        raise CliError(localized(err)) from None
