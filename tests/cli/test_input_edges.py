"""Input at the edge: what a user (or an attacker) types never steers the terminal, is
echoed at most as a short escaped excerpt, and a bad setting is one line naming it."""

from __future__ import annotations

import io

import pytest
from rich.table import Table

from nbm.cli._common import console, excerpt

from .conftest import assert_user_error, invoke

CODEC = "codec1:" + "A" * 43 + "="


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("not a host:7233", "the host must be a name or an address"),
        ("127.0.0.1:99999", "the port must be a number from 1 to 65535"),
        ("127.0.0.1:-1", "the port must be a number from 1 to 65535"),
        ("localhost", "must be host:port"),
        ("[not-ipv6]:7233", "not an IPv6 address"),
    ],
)
def test_a_bad_temporal_address_is_one_line_naming_it(
    offline_env: dict[str, str | None], address: str, problem: str
) -> None:
    env = {**offline_env, "TEMPORAL_ADDRESS": address, "NBM_CODEC_KEYS": CODEC}
    line = assert_user_error(invoke(["trajectory", "list"], env), "TEMPORAL_ADDRESS", problem)
    assert address not in line or address == "localhost"  # the rule, not the input


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("NBM_CODEC_SERVER_PORT", "70000"),
        ("NBM_DATABASE_URL", "mysql://x"),
        ("NBM_REQUEST_TIMEOUT", "-3"),
    ],
)
def test_other_bad_settings_name_the_variable(
    offline_env: dict[str, str | None], variable: str, value: str
) -> None:
    env = {**offline_env, variable: value}
    assert_user_error(invoke(["trajectory", "list"], env), variable)


def test_a_stack_file_with_a_bad_address_is_one_line(
    offline_env: dict[str, str | None], tmp_path: object
) -> None:
    data_dir = offline_env["NBM_DATA_DIR"]
    assert data_dir is not None
    with open(f"{data_dir}/stack.json", "w") as out:
        out.write('{"pid": 1, "temporal_address": "no host:0"}')
    assert_user_error(
        invoke(["trajectory", "list"], {**offline_env, "NBM_CODEC_KEYS": CODEC}),
        "stack.json is malformed",
        "temporal_address",
    )


@pytest.mark.parametrize("every", ["99999999999999999d", "400d", "0m", "1w"])
def test_an_interval_that_overflows_or_is_odd_is_refused(
    offline_env: dict[str, str | None], every: str
) -> None:
    line = assert_user_error(
        invoke(["audit", "schedule-checkpoints", "--every", every], offline_env)
    )
    assert "--every" in line


def test_control_characters_are_refused_in_what_is_stored(
    offline_env: dict[str, str | None],
) -> None:
    args = [
        "trajectory",
        "start-placement",
        "traj-1",
        "--name",
        "intro\x1b]0;pwned\x07",
        "--hours",
        "8",
    ]
    line = assert_user_error(invoke(args, offline_env), "--name", "control character")
    assert "\x1b" not in line and "pwned" not in line


def test_an_id_with_control_characters_is_a_usage_error_without_them(
    offline_env: dict[str, str | None],
) -> None:
    result = invoke(["trajectory", "show", "traj\x1b[2J"], offline_env)
    line = assert_user_error(result, "not a trajectory id")
    assert "\x1b" not in line


def test_an_error_line_repeats_only_a_short_excerpt(offline_env: dict[str, str | None]) -> None:
    typed = "2027-" + "9" * 5000
    args = ["trajectory", "record-regular-job", "traj-1", "--employer", "e", "--start-date",
            typed, "--benefit-ended", "--hours", "32"]  # fmt: skip
    line = assert_user_error(invoke(args, offline_env), "--start-date", "is not a date")
    assert len(line) < 200


def test_excerpts_are_short_and_escaped() -> None:
    assert excerpt("a\x1b[31mb") == "'a\\\\x1b[31mb'"
    assert excerpt("x" * 100) == repr("x" * 40 + "…")


def test_what_is_printed_from_the_store_cannot_steer_the_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    table = Table()
    table.add_column("placement")
    table.add_row("ADL\x1b[2J\x1b]0;title\x07 internship")  # typed before anything refused it
    console().print(table)
    console().print("name\x1b[31m")
    printed = out.getvalue()
    assert "\x1b" not in printed and "\x07" not in printed
    assert "ADL\\x1b[2J" in printed and "name\\x1b[31m" in printed
