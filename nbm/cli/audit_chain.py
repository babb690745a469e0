"""`nbm audit verify` and `nbm audit export`: the hash chains, in the database or a file."""

from __future__ import annotations

from .audit import app  # noqa: F401 - commands register on it
