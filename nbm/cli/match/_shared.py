"""What the parts of `nbm match` share: the options, the vocabulary, skills by label."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from domain.matching import Vocabulary, Weekday
from nbm import matching as service
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
        raise CliError(f"{option}: leeg / empty: say why")
    if has_control_characters(text):
        raise CliError(f"{option}: bevat een stuurteken / holds a control character")
    if len(text) > TEXT_LIMIT:
        raise CliError(f"{option}: langer dan / longer than {TEXT_LIMIT} tekens / characters")
    return text


EscoDir = Annotated[
    Path | None,
    typer.Option("--esco-dir", help="Map met de officiële ESCO-bestanden (skills_nl.csv, ...).",
                 envvar="NBM_ESCO_DIR", exists=True, file_okay=False),
]  # fmt: skip
Skills = Annotated[
    list[str] | None, typer.Option("--skill", help="Vaardigheid: label of URI (herhaal).")
]
Days = Annotated[
    list[Weekday] | None, typer.Option("--day", help="Werkdag: ma, di, wo, do, vr, za, zo.")
]
Reason = Annotated[str, typer.Option(help="Waarom / why (wordt versleuteld / sealed).")]
CandidateRef = Annotated[
    str,
    typer.Option(
        "--candidate",
        help="De referentie van de kandidaat (cand-...).",
        callback=lambda v: check_generated(v, "cand", "--candidate") if v else v,
    ),
]
ProfileId = Annotated[
    str, typer.Option("--profile", help="Het id van het functieprofiel (fp-...).")
]


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
