"""All configuration, read once from the environment (pydantic-settings).

With `TEMPORAL_ADDRESS` and `NBM_DATABASE_URL` set, the code talks to those servers. Without
them it uses the embedded stack that `make run` started, whose addresses it finds in
`<data dir>/stack.json`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STACK_FILE = "stack.json"


class ConfigError(Exception):
    """The configuration is missing or wrong; the message names the variable to set."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    temporal_address: str | None = Field(default=None, alias="TEMPORAL_ADDRESS")
    temporal_namespace: str = Field(default="default", alias="TEMPORAL_NAMESPACE")
    database_url: str | None = Field(default=None, alias="NBM_DATABASE_URL")
    task_queue: str = Field(default="nieuwe-banen", alias="NBM_TASK_QUEUE")
    data_dir: Path = Field(default=PROJECT_ROOT / "data", alias="NBM_DATA_DIR")
    log_format: Literal["auto", "console", "json"] = Field(default="auto", alias="NBM_LOG_FORMAT")
    log_level: Literal["debug", "info", "warning", "error"] = Field(
        default="info", alias="NBM_LOG_LEVEL"
    )
    actor: str | None = Field(default=None, alias="NBM_ACTOR")

    def stack_file(self) -> Path:
        return self.data_dir / STACK_FILE

    def _stack(self) -> dict[str, str]:
        path = self.stack_file()
        if not path.exists():
            return {}
        try:
            return dict(json.loads(path.read_text()))
        except (OSError, ValueError) as err:
            raise ConfigError(
                f"{path} is unreadable ({err}); remove it and run `make run`"
            ) from err

    def resolved_temporal_address(self) -> str:
        """TEMPORAL_ADDRESS, or the embedded dev server's address."""
        address = self.temporal_address or self._stack().get("temporal_address")
        if not address:
            raise ConfigError(
                "no Temporal server: set TEMPORAL_ADDRESS (host:port) or start the embedded "
                "stack with `make run`"
            )
        return address

    def resolved_database_url(self) -> str:
        """NBM_DATABASE_URL, or the embedded PostgreSQL's URL."""
        url = self.database_url or self._stack().get("database_url")
        if not url:
            raise ConfigError(
                "no PostgreSQL: set NBM_DATABASE_URL (postgresql://...) or start the embedded "
                "stack with `make run`"
            )
        return url


def load_settings() -> Settings:
    """The settings from the environment; a bad value raises `ConfigError` naming it."""
    try:
        return Settings()
    except ValidationError as err:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in err.errors()
        )
        raise ConfigError(f"invalid configuration: {problems}") from None
