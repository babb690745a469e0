"""`nbm completion SHELL`: the script that lets the shell complete `nbm`'s commands and
options (Tab). `eval "$(nbm completion bash)"` in `~/.bashrc`; zsh and fish alike. Typer's
own `--install-completion` writes it into the shell's start file for you."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from typer._completion_shared import get_completion_script

COMPLETE_VAR = "_NBM_COMPLETE"
"""The variable the shell sets when it asks `nbm` for completions (click's convention)."""


class Shell(StrEnum):
    BASH = "bash"
    ZSH = "zsh"
    FISH = "fish"
    POWERSHELL = "powershell"


def completion(
    shell: Annotated[
        Shell, typer.Argument(help="The shell: bash, zsh, fish or powershell.", show_default=False)
    ],
) -> None:
    """Print the shell's completion script for nbm, e.g. eval "$(nbm completion bash)"."""
    typer.echo(get_completion_script(prog_name="nbm", complete_var=COMPLETE_VAR, shell=shell))
