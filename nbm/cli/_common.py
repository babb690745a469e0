"""What every `nbm` command shares: the actor, settings and connection, errors and output.

A user error (a refused command, an unknown id, a bad value, no server) ends the command with
exit code 1 and one line on stderr. The line never echoes what was typed into a personal
field: pydantic errors are reduced to the field and the rule it breaks.
"""

from __future__ import annotations

import ast
import asyncio
import getpass
import gettext as _gettext
import hashlib
import json
import os
import re
import shlex
import uuid
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.segment import Segment
from temporalio.client import Client
from temporalio.service import RPCError
from typer._click import exceptions as click
from typer._click.core import Context as ClickContext
from typer._click.formatting import HelpFormatter
from typer.core import TyperGroup

from activities.chain import UnreadableEvent
from domain.shared import COACH_TIME_ZONE, DomainError, is_opaque_id, is_valid_bsn
from nbm import i18n, service
from nbm.i18n import N_, _, ngettext
from nbm.localize import localized, validation_rule
from nbm.logs import configure_logging
from nbm.service import CommandUnanswered, ServiceError
from nbm.settings import ConfigError, Settings, load_settings
from nbm.temporal import data_converter

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

CONNECT_TIMEOUT = 10.0


def _trajectory_id(value: str) -> str:
    if not is_opaque_id(value):
        raise typer.BadParameter(
            _("{value} is not a trajectory id (letters, digits, '.', '_', ':', '-')").format(
                value=excerpt(value)
            )
        )
    return value


COMPLETE_TIMEOUT = 2.0
"""Seconds a Tab waits for the running trajectories before it completes nothing."""


def complete_trajectory_id(incomplete: str) -> list[str]:
    """Tab where a trajectory id goes: the running trajectories whose id starts so (ids are
    opaque, never personal). Nothing when no server answers in time: a Tab never fails."""
    try:
        config = load_settings()
        address = config.resolved_temporal_address()
    except ConfigError:
        return []

    async def running() -> list[str]:
        # No codec needed: the list holds ids and times, no payloads.
        client = await Client.connect(address, namespace=config.temporal_namespace)
        found = await service.list_trajectories(client, limit=200)
        return [trajectory_id for trajectory_id, _status, _at in found]

    try:
        ids = asyncio.run(asyncio.wait_for(running(), COMPLETE_TIMEOUT))
    except Exception:
        return []
    return sorted(i for i in ids if i.startswith(incomplete))


TrajectoryId = Annotated[
    str,
    typer.Argument(
        help="The trajectory's id.",
        show_default=False,
        callback=_trajectory_id,
        autocompletion=complete_trajectory_id,
    ),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
RequestId = Annotated[
    str | None,
    typer.Option(
        "--request-id",
        help="Repeat a command safely: the request id it printed (applied at most once). "
        "Default: a new one.",
        show_default=False,
    ),
]

PERSONAL_OPTIONS = frozenset(
    ("--name", "--bsn", "--email", "--phone", "--address", "--health-notes", "--debt-notes",
     "--family-notes", "--summary", "--reason", "--explanation", "--external-ref",
     "--strengths", "--contact-name", "--contact-email")
)  # fmt: skip
"""Options whose values are personal data: never repeated in an error line."""

_ARGV = "nbm.argv"
_RETRY_ARGS = "nbm.retry-args"


def option(help: str, *names: str) -> Any:
    """A required-looking option: its help, and no `[default: None]` beside it."""
    return typer.Option(*names, help=help, show_default=False)


class CliError(Exception):
    """A user error; the message is the one line the user reads."""


class ErrorHandlingGroup(TyperGroup):
    """The root group: turns user errors from any command into `error: ...` and exit 1.

    click's usage errors too (a missing option, a value not among the choices, an unknown
    command or option): one line that names what is wrong and where the help is, exit 1, no
    usage block. A group called without its subcommand prints its help (exit 0). Anything
    else is a bug and keeps its traceback.
    """

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        ctx.meta[_ARGV] = list(args)  # as typed: the line to repeat a command with
        # The language first: help texts and click's own messages are in it.
        try:
            i18n.set_language(i18n.language_from(args, os.environ))
        except i18n.UnknownLanguage as err:
            fail(str(err))
        i18n.translate_commands(self)
        where = _personal_where_an_id_belongs(args)
        if where is not None:
            fail(
                _(
                    "{where}: this looks like a BSN or an e-mail address; ids and codes never "
                    "hold personal data (what was typed is not repeated)"
                ).format(where=where)
            )
        for command in i18n.walk_commands(self):
            command.context_class = TranslatedContext  # `Usage:` in the language
            helper = command.get_help_option(ctx)
            if helper is not None:  # made by click, not by us: translated here
                helper.help = _("Show this message and exit.")
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as err:
            usage_failure(err)

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except click.UsageError as err:
            usage_failure(err)
        except CommandUnanswered as err:
            again = repeat_command(ctx, err.request_id) if err.request_id else None
            fail(
                _("{problem}. To repeat it safely: {command}").format(
                    problem=localized(err), command=again
                )
                if again
                else localized(err)
            )
        except (CliError, ServiceError, ConfigError, UnreadableEvent, DomainError) as err:
            fail(localized(err))  # a template and its parameters, in the coach's language
        except ValidationError as err:
            fail(describe_validation_error(err))
        except RPCError as err:
            fail(_("Temporal refused the request: {message}").format(message=err.message))


def usage_failure(err: click.UsageError) -> NoReturn:
    """A usage error as one line and exit 1; a group without its subcommand: its help."""
    if isinstance(err, click.NoArgsIsHelpError):
        typer.echo(err.ctx.get_help())
        raise typer.Exit(0)
    command = err.ctx.command_path if err.ctx is not None else "nbm"
    fail(
        _("{problem}; see '{command} --help'").format(
            problem=usage_problem(err).rstrip(". "), command=command
        )
    )


def usage_problem(err: click.UsageError) -> str:
    """What is wrong, in the current language, without a personal value typed.

    click's messages are English f-strings (Typer's copy of click does not ask gettext), so
    each kind of usage error is said here again, through the catalogue.
    """
    param = getattr(err, "param", None)
    if isinstance(err, click.MissingParameter) and param is not None:
        names = [*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ())]
        if param.param_type_name == "option":
            # A required --x/--no-x pair left out: both halves named, either one answers it.
            problem = _("option {name} is missing").format(name=" / ".join(names))
        else:
            name = (param.metavar or param.name or "").strip("{}").upper()
            problem = _("argument {name} is missing").format(name=name)
        choices = _choices(param, err.ctx)
        return f"{problem} ({choices})" if choices else problem
    if isinstance(err, click.BadParameter) and param is not None:
        names = [*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ())]
        option = (
            " / ".join(names) if param.param_type_name == "option" else (param.name or "").upper()
        )
        if set(names) & PERSONAL_OPTIONS:  # the value typed is personal: never repeated
            return _("invalid value for {option}").format(option=option)
        choices = _choices(param, err.ctx)
        if choices:
            return _("invalid value for {option}: {choices}").format(option=option, choices=choices)
        detail = one_line(re.sub(r"^Value error, ", "", err.message))
        for english, said in _TYPE_ERRORS.items():
            if english in detail:
                detail = _(said)
        return _("invalid value for {option}: {detail}").format(option=option, detail=detail)
    if isinstance(err, click.NoSuchOption):
        problem = _("unknown option {name}").format(name=excerpt(err.option_name))
        if err.possibilities:
            return _("{problem} (did you mean {names}?)").format(
                problem=problem, names=", ".join(sorted(err.possibilities))
            )
        return problem
    if isinstance(err, click.BadOptionUsage):
        if "does not take a value" in err.message:
            return _("option {name} takes no value").format(name=err.option_name)
        return _("option {name} needs a value").format(name=err.option_name)
    extra_arguments = _extra_arguments(err.format_message())
    if extra_arguments is not None:
        # Words left over, e.g. a name typed without quotes: perhaps personal, never repeated.
        count = max(1, len(extra_arguments.split()))
        return ngettext(
            "{count} unexpected extra argument (a value with spaces needs quotes)",
            "{count} unexpected extra arguments (a value with spaces needs quotes)",
            count,
        ).format(count=count)
    unknown = _unknown_command(err)
    if unknown is not None:
        name, suggestions = unknown
        problem = _("unknown command {name}").format(name=excerpt(name))
        if suggestions:
            return _("{problem} (did you mean {names}?)").format(problem=problem, names=suggestions)
        return problem
    return one_line(err.format_message())


def _unknown_command(err: click.UsageError) -> tuple[str, str] | None:
    """The name in Typer's "No such command 'x'." (in the current language: Typer asks
    gettext for it) and the names of its English "Did you mean 'y'?", or None."""
    head = _gettext.gettext("No such command {name!r}.").partition("{name!r}")[0]
    if not err.message.startswith(head):
        return None
    found = re.match(r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")(.*)""", err.message[len(head) :])
    if found is None:
        return None
    suggested = re.search(r"Did you mean (.*)\?$", found[2])
    return ast.literal_eval(found[1]), suggested[1] if suggested else ""


_TYPE_ERRORS = {
    "valid integer": N_("must be a whole number"),
    "valid number": N_("must be a number"),
    "valid boolean": N_("must be yes or no (true, false)"),
    "valid date": N_("must be a date, YYYY-MM-DD"),
}
"""Typer's (pydantic's) English words for a value of the wrong type, said again."""


def _choices(param: Any, ctx: Any) -> str:
    """`choose from a, b, c` for a parameter with choices, else empty."""
    extra = param.get_missing_message(ctx=ctx) or ""
    if not extra.startswith("Choose from:"):
        return ""
    choices = [c.strip() for c in extra.partition(":")[2].split(",")]
    return _("choose from {choices}").format(choices=", ".join(c for c in choices if c))


def _extra_arguments(message: str) -> str | None:
    """The words in click's "Got unexpected extra argument(s) (...)", or None."""
    found = re.fullmatch(r"Got unexpected extra argument\(s\) \((.*)\)", message, re.DOTALL)
    return found.group(1) if found else None


class TranslatedFormatter(HelpFormatter):
    """click's help formatter with its `Usage:` in the current language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)


class TranslatedContext(ClickContext):
    formatter_class = TranslatedFormatter


# The root's own context is made before its arguments are read (and its subcommands' class
# set): `nbm --help` and a bare `nbm` say `Gebruik:` too.
ErrorHandlingGroup.context_class = TranslatedContext


def fail(message: str) -> NoReturn:
    """Print one error line on stderr and exit 1; nothing in it can steer the terminal."""
    line = _("error: {message}").format(message=safe_text(one_line(message)))
    typer.echo(line, err=True)
    raise typer.Exit(1)


def warn(message: str) -> None:
    """Print one warning line on stderr; nothing in it can steer the terminal."""
    line = _("warning: {message}").format(message=safe_text(one_line(message)))
    typer.echo(line, err=True)


def one_line(text: str) -> str:
    return " ".join(text.split())


# --- the actor -------------------------------------------------------------------------


@dataclass(frozen=True)
class CliState:
    """What the root callback hands to every command."""

    actor: str


def sanitise_actor(name: str) -> str:
    """An OS user name made into an id the domain accepts (letters, digits, `._:-`)."""
    cleaned = re.sub(r"[^A-Za-z0-9._:-]+", "-", name).lstrip("._:-")[:64]
    return cleaned or "coach"


def default_actor() -> str:
    try:
        return sanitise_actor(getpass.getuser())
    except (KeyError, OSError):  # no user name (a container without passwd entry)
        return "coach"


def check_actor(actor: str) -> str:
    if not is_opaque_id(actor):
        raise CliError(
            _(
                "--actor / NBM_ACTOR: {value} is not a valid id "
                "(letters, digits, '.', '_', ':', '-'; at most 64)"
            ).format(value=excerpt(actor))
        )
    return actor


def generated_id(kind: str, request_id: str | None = None) -> str:
    """A fresh id of this tool's own: random, so it never carries personal data. With the
    request id a user gave (`--request-id`), the one id that request makes: a create sent
    again with its request id finds what it made the first time instead of a second one."""
    if request_id is not None:
        return f"{kind}-{hashlib.sha256(f'{kind}:{request_id}'.encode()).hexdigest()[:12]}"
    return f"{kind}-{uuid.uuid4().hex[:12]}"


def check_generated(value: str, kind: str, option: str) -> str:
    """`value` if it is an id this tool made (`kind-` and 12 hex digits), else a `CliError`.

    Ids are opaque: a reference of another system (a client number, a BSN) is personal data
    and goes sealed into `--external-ref`, never into an id.
    """
    if not re.fullmatch(rf"{kind}-[0-9a-f]{{12}}", value):
        raise CliError(
            _(
                "{option}: {value} is not a reference this tool made ({kind}-<12 hex "
                "digits>); another system's reference goes in --external-ref, sealed"
            ).format(option=option, value=excerpt(value), kind=kind)
        )
    return value


def new_request(given: str | None) -> str:
    """The request id typed with `--request-id`, or a new random one (no personal data)."""
    if given is None:
        return f"req-{uuid.uuid4().hex[:20]}"
    if not is_opaque_id(given):
        raise CliError(_("--request-id: must be an id of letters, digits, '.', '_', ':', '-'"))
    return given


def repeat_with(ctx: typer.Context, *args: str) -> None:
    """Options a repeat of this command needs besides its request id (a generated `--id`)."""
    ctx.find_root().meta[_RETRY_ARGS] = list(args)


def repeat_command(ctx: typer.Context, request_id: str) -> str | None:
    """The command as typed, with `--request-id`; personal values left out as `…`."""
    argv = ctx.meta.get(_ARGV)
    if argv is None:
        return None
    words: list[str] = []  # each already quoted for a shell
    masked, i = False, 0
    while i < len(argv):
        name, eq, _value = argv[i].partition("=")
        if name == "--request-id":
            i += 1 if eq else 2
        elif name in PERSONAL_OPTIONS:
            words += [f"{name}=…"] if eq else [name, "…"]
            masked, i = True, i + (1 if eq else 2)
        else:
            words.append(shlex.quote(safe_text(argv[i])))
            i += 1
    words += [shlex.quote(w) for w in (*ctx.meta.get(_RETRY_ARGS, []), "--request-id", request_id)]
    line = " ".join(["nbm", *words])
    return line + (_(" (with the personal data typed again for each …)") if masked else "")


def safe_text(text: str, *, keep: str = "") -> str:
    """`text` with terminal control characters shown as escapes, never sent to the terminal.

    `keep`: characters to let through (a newline, where the text is laid out in lines).
    """
    return "".join(c if c.isprintable() or c in keep else repr(c)[1:-1] for c in text)


EXCERPT = 40
"""At most this many characters of what was typed are repeated in an error line."""


def looks_personal(value: str) -> bool:
    """What a person's data looks like when typed where an id or a code belongs: a BSN
    (nine digits passing the eleven-test), an e-mail address, or two or more capitalised
    words (a name: `Jan Jansen`, `Jan de Vries`). Such a value is never repeated in an error
    line."""
    text = value.strip()
    return (
        is_valid_bsn(text)
        or re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text) is not None
        or len(re.findall(r"(?:^|\s)[A-ZÀ-Þ][^\W\d_]*", text)) >= 2
    )


def excerpt(value: str) -> str:
    """A short, quoted and escaped excerpt of what was typed, for an error line; nothing of
    it when it looks like personal data (`looks_personal`)."""
    if looks_personal(value):
        return _("(not repeated: it looks like personal data)")
    short = value if len(value) <= EXCERPT else value[:EXCERPT] + "…"
    return repr(safe_text(short))


def _personal_where_an_id_belongs(args: list[str]) -> str | None:
    """The option (or `an argument`) whose value typed on the command line looks like a BSN
    or an e-mail address, outside the options meant for personal data; None if none."""
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--":
            break
        name, eq, inline = word.partition("=")
        if name.startswith("--") and eq:
            if not _meant_for_personal(name) and _bsn_or_mail(inline):
                return name
        elif name.startswith("--"):
            if _meant_for_personal(name):
                i += 1  # its value is meant to be personal: sealed, never echoed
            elif i + 1 < len(args) and _bsn_or_mail(args[i + 1]):
                return name
        elif _bsn_or_mail(word):
            return _("an argument")
        i += 1
    return None


def _meant_for_personal(option: str) -> bool:
    return option in PERSONAL_OPTIONS or any(
        word in option for word in ("mail", "phone", "name", "bsn", "address")
    )


def _bsn_or_mail(value: str) -> bool:
    text = value.strip()
    return is_valid_bsn(text) or re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text) is not None


def has_control_characters(value: str) -> bool:
    return any(not c.isprintable() and c not in " " for c in value)


def actor(ctx: typer.Context) -> str:
    state = ctx.find_root().obj
    return state.actor if isinstance(state, CliState) else default_actor()


# --- building commands from options ----------------------------------------------------

FIELD_OPTIONS: Mapping[str, str] = {
    "actor": "--actor",
    "trajectory_id": "--id",
    "coach_id": "--coach",
    "future_job.employer_id": "--employer",
    "future_job.function": "--function",
    "future_job.number_of_jobs": "--jobs",
    "future_job.required_skills": "--skill",
    "profile_skills": "--profile-skill",
    "preconditions.employer_role": "--employer-role",
    "preconditions.werkbedrijf_role": "--werkbedrijf-role",
    "preconditions.learning_location": "--learning-location",
    "preconditions.training_institute": "--training-institute",
    "duration_weeks": "--weeks",
    "weeks": "--weeks",
    "placements": "--placement",
    "training": "--training",
    "budget_eur": "--budget",
    "candidate_ref": "--candidate",
    "personal.name": "--name",
    "personal.bsn": "--bsn",
    "language_level": "--language-level",
    "hours_per_week": "--hours",
    "name": "--name",
    "reason": "--reason",
    "explanation": "--explanation",
    "institute": "--institute",
    "course": "--course",
    "employer_id": "--employer",
    "contract_hours_per_week": "--hours",
    "wage_cost_subsidy_pct": "--wage-cost-subsidy",
    "effective_at": "--effective",
    "signed_by": "--signed-by",
    "deviation": "--deviation",
    "approved_by": "--approved-by",
    "practical_matters": "--barrier/--no-problem/--not-applicable",
}
"""Model fields by the option a user typed them with, so an error names the option."""


def describe_validation_error(
    err: ValidationError, options: Mapping[str, str] = FIELD_OPTIONS
) -> str:
    """`--option: rule` for each problem (`options`: field to option); never the input."""
    errors = err.errors(include_input=False, include_url=False)
    problems = []
    for e in errors:
        if e["type"] == "too_short" and any(
            len(o["loc"]) > len(e["loc"]) and o["loc"][: len(e["loc"])] == e["loc"] for o in errors
        ):
            continue  # "too few items" only because an item itself was refused: said below
        loc = ".".join(str(p) for p in e["loc"])
        generic = re.sub(r"\.\d+(?=\.|$)", "", loc)  # placements.0.weeks -> placements.weeks
        head, _sep, rest = generic.partition(".")
        if generic in options:
            name = options[generic]
        elif head in options:  # a part of a value typed as one option (--placement)
            name = f"{options[head]} {rest}".strip()
        else:
            name = loc
        if e["loc"] and str(e["loc"][-1]) in _UNION_TAGS:
            # A free text is plain text or a sealed one: say what is wrong with the text,
            # not that it is not a sealed value either.
            if str(e["loc"][-1]) == "Sealed":
                continue
            name = re.sub(r"[ .](constrained-str|str)$", "", name)
        # The rule in the coach's language, by its type (`nbm.localize`); never the input.
        message = validation_rule(e)
        if e["type"] == "string_too_short":
            message = _("is empty; type the text, or leave the option out")
        problems.append(f"{name}: {message}")
    return _("invalid command: {problems}").format(problems="; ".join(dict.fromkeys(problems)))


_UNION_TAGS = frozenset({"Sealed", "constrained-str", "str"})
"""The branches pydantic names in the location of an error in a union (`FreeText`)."""


def build(cls: type[M], *, options: Mapping[str, str] = FIELD_OPTIONS, **fields: Any) -> M:
    """The command `cls` from the options; a broken rule becomes a one-line `CliError`.

    `options` names the option each field was typed with, for the error line. Text with
    terminal control characters is refused: it would be stored for years and shown to
    whoever reads the trajectory.
    """
    for path in _control_characters(fields):
        generic = re.sub(r"\.\d+(?=\.|$)", "", path)
        head = generic.partition(".")[0]
        raise CliError(
            _(
                "{option}: holds a control character (an escape, a bell, ...); type plain text"
            ).format(option=options.get(generic) or options.get(head) or path)
        )
    try:
        return cls(**fields)
    except ValidationError as err:
        raise CliError(describe_validation_error(err, options)) from None


def _control_characters(value: Any, path: str = "") -> Iterator[str]:
    """The dotted paths of the strings in `value` (options, nested) with control characters."""
    if isinstance(value, str):
        if has_control_characters(value):
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _control_characters(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for number, item in enumerate(value):
            yield from _control_characters(item, f"{path}.{number}")


Effective = Annotated[
    str | None,
    typer.Option(
        "--effective",
        metavar="WHEN",
        help="When it took effect, if not now: YYYY-MM-DD (9:00 that morning) or "
        "YYYY-MM-DDTHH:MM, Amsterdam time unless an offset follows (+01:00, Z). Not in the "
        "future, not before what was recorded last; both times are kept.",
        show_default=False,
    ),
]


def parse_effective(value: str | None, *, now: datetime | None = None) -> datetime | None:
    """`--effective`: a date (9 o'clock that morning, or now if that is still to come
    today) or a date and time, in the coaches' time zone unless the value names one."""
    if value is None:
        return None
    now = now or datetime.now(UTC)
    try:
        if "T" not in value and " " not in value:  # a date: 2026-11-27 (or 20261127)
            day = date.fromisoformat(value)
            morning = datetime.combine(day, time(9), tzinfo=COACH_TIME_ZONE)
            today = now.astimezone(COACH_TIME_ZONE).date()
            return min(morning, now) if day == today else morning
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CliError(
            _(
                "--effective: {value} is not a date or time; use YYYY-MM-DD or YYYY-MM-DDTHH:MM"
            ).format(value=excerpt(value))
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=COACH_TIME_ZONE)


def parse_date(value: str, option: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise CliError(
            _("{option}: {value} is not a date; use YYYY-MM-DD").format(
                option=option, value=excerpt(value)
            )
        ) from None


# --- running against Temporal ----------------------------------------------------------


def configure_cli_logging() -> None:
    """Logging for a command-line process: warnings only, as stderr is for the error line.

    Called once by the console script, not by the commands, so tests that run commands in
    their own process keep their logging. Debug on demand with NBM_LOG_LEVEL=debug.
    """
    try:
        found = load_settings()
    except ConfigError:  # the command itself reports it
        configure_logging("auto", "warning")
        return
    configure_logging(found.log_format, "debug" if found.log_level == "debug" else "warning")


async def connect_client(config: Settings) -> Client:
    """A client for the configured server, or a one-line `CliError` saying why not."""
    address = config.resolved_temporal_address()
    # Outside the try: missing codec keys are a ConfigError, not a connection problem.
    converter = data_converter(config)
    try:
        return await asyncio.wait_for(
            Client.connect(address, namespace=config.temporal_namespace, data_converter=converter),
            CONNECT_TIMEOUT,
        )
    except (TimeoutError, RuntimeError, OSError) as err:
        text = str(err)
        if "refused" in text.lower():
            reason = _("connection refused")
        elif isinstance(err, TimeoutError):
            reason = _("no answer within {seconds} s").format(seconds=f"{CONNECT_TIMEOUT:.0f}")
        else:  # the core's message is long; its start says enough
            reason = one_line(text)[:120]
        raise CliError(
            _(
                "cannot connect to Temporal at {address} ({reason}); is the stack running? "
                "(`make run`, or set TEMPORAL_ADDRESS)"
            ).format(address=address, reason=reason)
        ) from None


def run(
    work: Callable[[Client, Settings], Awaitable[T]],
    *,
    timeout: float | None = None,
    request_id: str | None = None,
) -> T:
    """Load the settings, connect, and run `work(client, settings)` in a fresh event loop.

    With the command's `request_id`, no answer in time says how to repeat it safely.
    """
    config = load_settings()
    # A ConfigError (no server, no codec keys) before any event loop starts.
    config.resolved_temporal_address()
    config.resolved_codec_keys()

    wait = timeout or config.request_timeout

    async def main() -> T:
        client = await connect_client(config)
        try:
            return await asyncio.wait_for(work(client, config), wait)
        except TimeoutError:
            if request_id is not None:
                raise CommandUnanswered(request_id) from None
            raise CliError(
                _(
                    "no answer within {seconds} s: is a worker running on task queue "
                    "{queue}? A command may still be applied once it runs"
                ).format(seconds=f"{wait:.0f}", queue=repr(config.task_queue))
            ) from None

    return asyncio.run(main())


# --- output ----------------------------------------------------------------------------


class SafeConsole(Console):
    """A Rich console that shows control characters in what it prints as escapes.

    What is printed comes from the store, and may have been typed before anything refused
    control characters: an escape sequence in a name must not recolour, clear or retitle the
    reader's terminal. Rich's own styling is added after this, so it still works.
    """

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            segment if segment.control else Segment(safe_text(segment.text, keep="\n"),
                                                    segment.style, segment.control)
            for segment in buffer
        )  # fmt: skip


def console() -> Console:
    # Created per call: Rich then writes to the sys.stdout of the moment (tests swap it).
    return SafeConsole(highlight=False, soft_wrap=False)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def when(value: datetime | None) -> str:
    """A moment in the coaches' time (Amsterdam), to the second (demo weeks last 10 seconds),
    its zone named: CET or CEST."""
    return value.astimezone(COACH_TIME_ZONE).strftime("%Y-%m-%d %H:%M:%S %Z") if value else "—"
