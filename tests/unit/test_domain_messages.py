"""The domain's refusals as templates: every raise site marks its message for the catalogue,
the English text stays what code and logs read, and the Dutch keeps every parameter.

The domain knows no language: a `DomainError` carries its English template and parameters,
`nbm.localize` translates them where a person reads them."""

from __future__ import annotations

import ast
import json
import string
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import domain
from domain import trajectory
from domain.shared import (
    N_,
    DomainError,
    InvalidValue,
    Phrase,
    RuleViolation,
    WrongStep,
    json_param,
)
from nbm import i18n
from nbm.localize import localized, render
from tests import factories as f
from tests.unit.story import employed

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_DIR = ROOT / "domain"


@pytest.fixture
def dutch() -> Iterator[None]:
    i18n.set_language("nl")
    yield
    i18n.set_language("en")  # the suite reads English (tests/conftest.py)


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def _import_all_of_the_domain() -> None:
    import importlib
    import pkgutil

    for module in pkgutil.walk_packages(domain.__path__, "domain."):
        importlib.import_module(module.name)


def error_names() -> set[str]:
    _import_all_of_the_domain()
    return {c.__name__ for c in _subclasses(DomainError) | {DomainError, InvalidValue}}


def unmarked_raises(source: str, names: set[str]) -> list[tuple[int, str]]:
    """`raise X(...)` of a domain error whose message is not `N_("...")` nor a name (a
    template passed on): (line, the message's source)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
            continue
        func = node.exc.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in names:
            continue
        first = node.exc.args[0] if node.exc.args else None
        marked = (
            isinstance(first, ast.Call)
            and isinstance(first.func, ast.Name)
            and first.func.id == "N_"
            and len(first.args) == 1
            and isinstance(first.args[0], ast.Constant)
            and isinstance(first.args[0].value, str)
        )
        if not (marked or isinstance(first, ast.Name)):
            found.append((node.lineno, ast.unparse(first) if first else "no message"))
    return found


def test_every_raise_site_of_the_domain_marks_its_template() -> None:
    names = error_names()
    assert {"RuleViolation", "WrongStep", "TrajectoryClosedError", "NoPlaceLeft"} <= names
    problems = [
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for path in sorted(DOMAIN_DIR.rglob("*.py"))
        for line, text in unmarked_raises(path.read_text(), names)
    ]
    assert problems == []


def unfilled_templates(source: str, names: set[str]) -> list[tuple[int, str]]:
    """`raise X(N_("..."), ...)` whose template names a parameter the call does not give,
    or gives one the template does not name: (line, the template)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
            continue
        call = node.exc
        if not (isinstance(call.func, ast.Name) and call.func.id in names and call.args):
            continue
        first = call.args[0]
        if not (isinstance(first, ast.Call) and getattr(first.func, "id", None) == "N_"):
            continue
        template = first.args[0].value  # type: ignore[attr-defined]
        named = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        given = {k.arg for k in call.keywords if k.arg not in (None, "stream_id")}
        if named != given:
            found.append((node.lineno, template))
    return found


def test_every_template_gets_exactly_its_parameters() -> None:
    names = error_names()
    problems = [
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for path in sorted(DOMAIN_DIR.rglob("*.py"))
        for line, text in unfilled_templates(path.read_text(), names)
    ]
    assert problems == []
    assert unfilled_templates('raise RuleViolation(N_("no {x}"), y=1)', {"RuleViolation"})


def test_the_scan_finds_an_unmarked_message() -> None:
    """The scan itself can fail: an f-string, a plain string, an N_ of an f-string."""
    source = (
        'raise RuleViolation(f"no {x}")\n'
        'raise WrongStep("plain")\n'
        'raise RuleViolation(N_(f"no {x}"))\n'
        'raise RuleViolation(N_("no {x}"), x=1)\n'
        "raise RuleViolation(template)\n"
        'raise ValueError("not a domain error")\n'
    )
    assert [line for line, _ in unmarked_raises(source, {"RuleViolation", "WrongStep"})] == [
        1,
        2,
        3,
    ]


def _fields(text: str) -> list[str]:
    """The `{placeholders}` of a template, with their conversion and format spec."""
    found = []
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            found.append(f"{name}!{conversion or ''}:{spec or ''}")
    return sorted(found)


def test_every_dutch_translation_keeps_its_placeholders() -> None:
    catalogue = i18n.read_catalogue("nl")
    checked = 0
    for message in catalogue:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            assert _fields(text) == _fields(ids[0]), (ids[0], text)
        checked += 1
    assert checked > 200  # the domain's and the services' messages are there


def test_each_of_the_domain_po_files_is_there_and_translates() -> None:
    folder = ROOT / "nbm" / "locale" / "nl" / "LC_MESSAGES"
    assert (folder / "domain.po").exists() and (folder / "service.po").exists()
    missing = {
        text: where
        for text, where in i18n.missing_translations("nl").items()
        if where.startswith(("domain/", "workflows/", "activities/"))
        or where.startswith(("nbm/service.py", "nbm/stream_service.py", "nbm/settings.py"))
        or where.startswith(("nbm/localize.py", "nbm/matching.py"))
    }
    assert missing == {}


def test_the_english_message_is_the_template_filled_in() -> None:
    on = date(2027, 3, 1)
    err = RuleViolation(N_("learning cannot start before {date}"), date=on, stream_id="t-1")
    assert str(err) == err.message == "learning cannot start before 2027-03-01"
    assert err.template == "learning cannot start before {date}"
    assert err.params == {"date": on}
    assert err.stream_id == "t-1"
    assert json.loads(json.dumps(err.json_params())) == {"date": "2027-03-01"}


def test_a_phrase_is_translated_inside_the_message(dutch: None) -> None:
    story = employed()
    command = trajectory.StartPlacement(actor=f.COACH, name="intro", hours_per_week=16)
    with pytest.raises(WrongStep) as caught:
        story.decide(command)
    err = caught.value
    assert err.message == "the candidate already has a regular job; a placement no longer fits"
    assert localized(err) == (
        "de kandidaat heeft al een reguliere baan; niet meer mogelijk: een stage"
    )
    # The same after crossing a boundary as JSON (Temporal's failure details).
    crossed = json.loads(json.dumps(err.json_params()))
    assert crossed == {"what": {"template": "a placement", "params": {}}}
    assert render(err.template, crossed) == localized(err)
    i18n.set_language("en")
    assert localized(err) == err.message


def test_a_translation_that_does_not_fit_falls_back_to_english(dutch: None) -> None:
    # A template without a catalogue entry, with parameters: itself, filled in.
    assert render("no {thing} here", {"thing": "x-1"}) == "no x-1 here"
    assert render("") == ""  # never the catalogue's header
    err = RuleViolation(N_("there is no escalation number {number}"), number=3)
    assert localized(err) == "er is geen escalatie nummer 3"
    err.params = {}  # broken: the template's parameter is gone
    assert localized(err) == err.message


params = st.dictionaries(
    st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True),
    st.one_of(
        st.integers(),
        st.text(string.ascii_letters + string.digits + "-_", max_size=12),
        st.dates(),
        st.datetimes(timezones=st.just(UTC)),
        st.booleans(),
    ),
    max_size=4,
)


@given(params)
def test_any_parameters_cross_as_json_and_read_the_same(values: dict[str, object]) -> None:
    template = " / ".join(f"{name}={{{name}}}" for name in values) or "nothing"
    err = DomainError(template, **values)  # type: ignore[arg-type]
    crossed = json.loads(json.dumps(err.json_params()))
    assert set(crossed) == set(values)
    for name, value in values.items():
        expected = value.isoformat() if isinstance(value, date | datetime) else value
        assert crossed[name] == expected == json_param(value)
    # Dates read the same on both sides; a datetime's ISO form is the one that crosses.
    if not any(isinstance(v, datetime) for v in values.values()):
        assert render(err.template, crossed) == err.message


def test_a_phrase_is_its_english_text() -> None:
    phrase = Phrase(N_("municipality {municipality}"), municipality="lelystad")
    assert str(phrase) == "municipality lelystad"
    assert f"in {phrase}" == "in municipality lelystad"
    assert phrase == Phrase("municipality {municipality}", municipality="lelystad")
