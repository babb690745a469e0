"""`nbm audit history`, `as-of`, `replay` and `checkpoint`: who did what, when, and proof."""

from __future__ import annotations

from .audit import app  # noqa: F401 - commands register on it
