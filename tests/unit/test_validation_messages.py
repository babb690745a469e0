"""pydantic's refusals in the coach's language: the option and the rule it breaks, by the
error's type and context, never the value typed (it can be personal data)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

import pytest
from pydantic import BaseModel, Field, ValidationError
from pydantic_core._pydantic_core import list_all_errors

from domain import trajectory
from domain.shared import PersonalData
from nbm import i18n
from nbm.cli._common import describe_validation_error
from nbm.localize import VALIDATION_RULES
from tests import factories as f

OWN_WORDING = {
    # pydantic's text ends in its parser's English reason ("{error}"); ours stops before it.
    "date_parsing", "date_from_datetime_parsing", "datetime_parsing",
    "datetime_from_date_parsing", "time_parsing", "url_parsing", "uuid_parsing",
    "json_invalid",
    # The pattern's regex says little to a coach.
    "string_pattern_mismatch",
}  # fmt: skip


@pytest.fixture
def dutch() -> Iterator[None]:
    i18n.set_language("nl")
    yield
    i18n.set_language("en")


class Form(BaseModel):
    weeks: int = Field(ge=1, le=52)
    kind: Literal["job-guarantee", "intention"]
    on: str = Field(max_length=10)


def problems(**fields: object) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        Form(**fields)  # type: ignore[arg-type]
    return caught.value


OPTIONS = {"weeks": "--weeks", "kind": "--commitment", "on": "--note"}


def test_the_rules_read_in_dutch_with_the_option_and_never_the_input(dutch: None) -> None:
    secret = "Fenna-Zwanenburg-1985"
    line = describe_validation_error(
        problems(weeks=0, kind="guaranteed", on=secret, extra=secret), OPTIONS
    )
    assert line.startswith("ongeldig commando: ")
    assert "--weeks: moet minstens 1 zijn" in line
    assert "--commitment: moet een van deze zijn: 'job-guarantee', 'intention'" in line
    assert "--note: mag hoogstens 10 tekens lang zijn" in line
    assert secret not in line and "guaranteed" not in line
    line = describe_validation_error(problems(weeks="veel", kind="intention", on="x"), OPTIONS)
    assert line == "ongeldig commando: --weeks: moet een geheel getal zijn"
    line = describe_validation_error(problems(weeks=60, on="x"), OPTIONS)
    assert line == "ongeldig commando: --weeks: mag hoogstens 52 zijn; --commitment: is verplicht"


def test_the_same_rules_in_english_are_pydantics(dutch: None) -> None:
    i18n.set_language("en")
    line = describe_validation_error(problems(weeks=0, kind="x", on="y"), OPTIONS)
    assert line == (
        "invalid command: --weeks: Input should be greater than or equal to 1; "
        "--commitment: Input should be 'job-guarantee', 'intention'"
    )


def test_a_validators_own_message_is_translated_and_holds_no_input(dutch: None) -> None:
    bad_bsn = "123456789"  # fails the eleven-test
    with pytest.raises(ValidationError) as caught:
        PersonalData.model_validate({**f.personal_data().model_dump(), "bsn": bad_bsn})
    line = describe_validation_error(caught.value, {"bsn": "--bsn"})
    assert line == (
        "ongeldig commando: --bsn: is geen geldig BSN (9 cijfers die de elfproef doorstaan)"
    )
    assert bad_bsn not in line


def test_a_domain_command_refused_by_pydantic_in_dutch(dutch: None) -> None:
    with pytest.raises(ValidationError) as caught:
        trajectory.StartPlacement(actor=f.COACH, name="intro", hours_per_week=99)
    line = describe_validation_error(caught.value, {"hours_per_week": "--hours"})
    assert line == "ongeldig commando: --hours: mag hoogstens 40 zijn"


def test_an_invalid_value_with_parameters_is_translated(dutch: None) -> None:
    with pytest.raises(ValidationError) as caught:
        f.regular_job(benefit_ended=True, benefit_end="partly")
    line = describe_validation_error(caught.value)
    assert "spreekt benefit_end=partly tegen" in line


def test_our_templates_are_pydantics_own_english() -> None:
    """A pydantic upgrade that renames a type or rewords a rule fails here, not in front of
    a coach."""
    known: dict[str, str] = {e["type"]: e["message_template_python"] for e in list_all_errors()}
    for kind, template in VALIDATION_RULES.items():
        theirs = known.get(kind)
        if kind in OWN_WORDING:
            assert theirs, kind  # the type still exists
        else:
            assert template == theirs, kind
