"""All configuration, read once from the environment (pydantic-settings).

With `TEMPORAL_ADDRESS` and `NBM_DATABASE_URL` set, the code talks to those servers. Without
them it uses the embedded stack that `make run` started, whose addresses it finds in
`<data dir>/stack.json`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.shared import N_
from privacy.keyring import Keyring, KeyringError, parse_keyring

from .local_files import (
    HostPort,
    LocalFileError,
    LocalSecrets,
    PostgresUrl,
    StackInfo,
    read_secrets,
    read_stack,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WORKFLOW_CACHE = 1000
"""Workflows one worker keeps cached: with 20,000 open trajectories one worker stays under
300 MB (`make bench`, `worker_rss_mb_20k_open`)."""


class ConfigError(Exception):
    """The configuration is missing or wrong; the message names the variable to set.

    `template` (marked with `N_`) and `params` as `nbm.service.ServiceError`'s: `str(err)`
    is the English text, the CLI shows it in the user's language."""

    def __init__(self, template: str, /, **params: Any) -> None:
        message = template.format(**params) if params else template
        super().__init__(message)
        self.template = template
        self.params = params


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    temporal_address: HostPort | None = Field(default=None, alias="TEMPORAL_ADDRESS")
    temporal_namespace: str = Field(default="default", alias="TEMPORAL_NAMESPACE")
    database_url: PostgresUrl | None = Field(default=None, alias="NBM_DATABASE_URL")
    task_queue: str = Field(default="nieuwe-banen", alias="NBM_TASK_QUEUE")
    data_dir: Path = Field(default=PROJECT_ROOT / "data", alias="NBM_DATA_DIR")
    log_format: Literal["auto", "console", "json"] = Field(default="auto", alias="NBM_LOG_FORMAT")
    log_level: Literal["debug", "info", "warning", "error"] = Field(
        default="info", alias="NBM_LOG_LEVEL"
    )
    actor: str | None = Field(default=None, alias="NBM_ACTOR")
    esco_dir: Path | None = Field(default=None, alias="NBM_ESCO_DIR")
    """A folder with ESCO's official `skills_<lang>.csv` files, read beside the shipped
    vocabulary (`nbm.skills`); none: the shipped one alone."""
    match_legal_basis: str | None = Field(default=None, alias="NBM_MATCH_LEGAL_BASIS")
    """The legal basis the municipality gives for the matching (its Algoritmeregister entry)."""
    organisation: str = Field(default="Werkbedrijf Lelystad", alias="NBM_ORGANISATION")
    accord_name: str = Field(default="Lelystad Akkoord", alias="NBM_ACCORD_NAME")
    accord_target_per_year: int = Field(default=150, ge=0, le=1_000_000, alias="NBM_ACCORD_TARGET")
    """The jobs a year the accord aims at (the Lelystad Akkoord: 150), in the outcome report."""
    statistics_salt: str | None = Field(default=None, alias="NBM_STATISTICS_SALT", repr=False)
    """The secret behind the statistics export's pseudonymous record ids (default: the
    organisation's name; set one of your own so the ids cannot be worked out)."""
    report_min_cell: int = Field(default=5, ge=1, le=1000, alias="NBM_REPORT_MIN_CELL")
    """The outcome report shows no figure based on fewer trajectories than this."""
    request_timeout: float = Field(default=30.0, gt=0, le=3600, alias="NBM_REQUEST_TIMEOUT")
    """Seconds a CLI command waits for its answer (a worker must pick it up and store it)."""
    caseload_limit: int = Field(default=35, ge=0, le=500, alias="NBM_CASELOAD_LIMIT")
    """How many open trajectories a coach may hold when the people directory gives no limit
    (a coach not in it); `nbm people add --role coach` takes it as the default too."""
    workflow_cache: int = Field(
        default=DEFAULT_WORKFLOW_CACHE, ge=0, le=1_000_000, alias="NBM_WORKFLOW_CACHE"
    )
    """How many workflows one worker keeps in memory; the others replay from their (short)
    histories when a command comes. About 100 KB each, most of it the SDK's own (measured:
    105 KB a trajectory, 35 KB of it Python objects): size it for the machine."""
    workflow_sandbox: bool = Field(default=True, alias="NBM_WORKFLOW_SANDBOX")
    """Whether the worker runs the workflows in the SDK's sandbox (`workflows.runner`)."""
    migration_database_url: PostgresUrl | None = Field(
        default=None, alias="NBM_MIGRATION_DATABASE_URL"
    )
    projector_database_url: PostgresUrl | None = Field(
        default=None, alias="NBM_PROJECTOR_DATABASE_URL"
    )
    """The projector's role (read events, keep the read models); default NBM_DATABASE_URL."""
    keys_database_url: PostgresUrl | None = Field(default=None, alias="NBM_KEYS_DATABASE_URL")
    """The CLI's key-store role (candidate keys, the access log); default NBM_DATABASE_URL."""
    auditor_database_url: PostgresUrl | None = Field(default=None, alias="NBM_AUDITOR_DATABASE_URL")
    """The auditor's role (read only); default NBM_DATABASE_URL."""
    """The schema owner's URL, for migrations; the application's role may not run DDL."""
    kek: str | None = Field(default=None, alias="NBM_KEK", repr=False)
    codec_keys: str | None = Field(default=None, alias="NBM_CODEC_KEYS", repr=False)
    audit_signing_key: str | None = Field(default=None, alias="NBM_AUDIT_SIGNING_KEY", repr=False)
    """An Ed25519 private key in PEM, or the path of a file holding one."""
    checkpoint_file: Path | None = Field(default=None, alias="NBM_CHECKPOINT_FILE")
    """Where signed audit checkpoints are appended, outside the database; default
    `<data dir>/audit/checkpoints.jsonl`."""
    smtp_url: str | None = Field(default=None, alias="NBM_SMTP_URL", repr=False)
    """Where mail goes: smtp://[user:password@]host:port (smtps:// for TLS); default the
    embedded stack's local server."""
    mail_from: str = Field(
        default="Werkbedrijf <werkbedrijf@nieuwe-banen.local>", alias="NBM_MAIL_FROM"
    )
    employer_page_url: str | None = Field(default=None, alias="NBM_EMPLOYER_PAGE_URL")
    """The public address of the employer web app, where the links in the mails lead."""
    employer_page_port: int = Field(default=8236, ge=0, le=65535, alias="NBM_EMPLOYER_PAGE_PORT")
    link_secret: str | None = Field(default=None, alias="NBM_LINK_SECRET", repr=False)
    """Signs the answer links (at least 32 characters); default the embedded stack's."""
    link_days: int = Field(default=21, ge=1, le=365, alias="NBM_LINK_DAYS")
    """How many days an answer link stays valid."""
    codec_server_port: int = Field(default=8234, ge=1, le=65535, alias="NBM_CODEC_SERVER_PORT")
    codec_server_origins: str | None = Field(default=None, alias="NBM_CODEC_SERVER_ORIGINS")
    """Comma-separated Web UI origins the codec server answers (default: the local UI)."""
    codec_server_token: str | None = Field(default=None, alias="NBM_CODEC_SERVER_TOKEN", repr=False)

    def _stack(self) -> StackInfo:
        """The embedded stack's `stack.json`; an empty one when no stack runs."""
        try:
            return read_stack(self.data_dir) or StackInfo(pid=0)
        except LocalFileError as err:
            raise ConfigError(N_("{reason}"), reason=str(err)) from None

    def resolved_temporal_address(self) -> str:
        """TEMPORAL_ADDRESS, or the embedded dev server's address."""
        address = self.temporal_address or self._stack().temporal_address
        if not address:
            raise ConfigError(
                N_(
                    "no Temporal server: set TEMPORAL_ADDRESS (host:port) or start the embedded "
                    "stack with `make run`"
                )
            )
        return address

    def resolved_database_url(self) -> str:
        """NBM_DATABASE_URL, or the embedded PostgreSQL's URL."""
        url = self.database_url or self._stack().database_url
        if not url:
            raise ConfigError(
                N_(
                    "no PostgreSQL: set NBM_DATABASE_URL (postgresql://...) or start the "
                    "embedded stack with `make run`"
                )
            )
        return url

    def resolved_projector_database_url(self) -> str:
        """NBM_PROJECTOR_DATABASE_URL, the embedded projector role's, or NBM_DATABASE_URL."""
        own = self.projector_database_url or self._stack().projector_database_url
        return own or self.resolved_database_url()

    def resolved_keys_database_url(self) -> str:
        """NBM_KEYS_DATABASE_URL, the embedded key-store role's, or NBM_DATABASE_URL."""
        own = self.keys_database_url or self._stack().keys_database_url
        return own or self.resolved_database_url()

    def resolved_auditor_database_url(self) -> str:
        """NBM_AUDITOR_DATABASE_URL, the embedded auditor role's, or NBM_DATABASE_URL."""
        own = self.auditor_database_url or self._stack().auditor_database_url
        return own or self.resolved_database_url()

    def resolved_smtp_url(self) -> str:
        """NBM_SMTP_URL, or the embedded stack's local SMTP server."""
        url = self.smtp_url or self._stack().smtp_url
        if not url:
            raise ConfigError(
                N_("no SMTP server: set NBM_SMTP_URL, or start the embedded stack with `make run`")
            )
        return url

    def resolved_employer_page_url(self) -> str:
        """NBM_EMPLOYER_PAGE_URL, the embedded stack's, or this machine's on its port."""
        url = self.employer_page_url or self._stack().employer_page_url
        return (url or f"http://127.0.0.1:{self.employer_page_port}").rstrip("/")

    def resolved_link_secret(self) -> bytes:
        """The key that signs answer links (NBM_LINK_SECRET, or the embedded stack's)."""
        text = self._secret(
            self.link_secret, "NBM_LINK_SECRET", lambda local: local.link_secret or ""
        )
        if len(text) < 32:
            raise ConfigError(N_("NBM_LINK_SECRET must be at least 32 characters"))
        return text.encode()

    def resolved_mail_dir(self) -> Path:
        """Where the embedded SMTP server keeps every mail it received."""
        return self.data_dir / "mail"

    def resolved_checkpoint_file(self) -> Path:
        """NBM_CHECKPOINT_FILE, else `audit/checkpoints.jsonl` in the data folder."""
        return self.checkpoint_file or self.data_dir / "audit" / "checkpoints.jsonl"

    def resolved_migration_database_url(self) -> str:
        """NBM_MIGRATION_DATABASE_URL, else the embedded stack's owner URL, else the app URL."""
        return (
            self.migration_database_url
            or self._stack().migration_database_url
            or self.resolved_database_url()
        )

    def _secret(self, value: str | None, variable: str, pick: Callable[[LocalSecrets], str]) -> str:
        if value:
            return value
        try:
            local = read_secrets(self.data_dir)
        except LocalFileError as err:
            raise ConfigError(
                N_("no {variable} set, and {reason}"), variable=variable, reason=str(err)
            ) from None
        if local is None:
            raise ConfigError(
                N_(
                    "no {variable}: set it, or start the embedded stack with `make run` "
                    "(which keeps generated secrets in the data folder)"
                ),
                variable=variable,
            )
        return pick(local)

    def kek_is_local(self) -> bool:
        """Whether the KEK is the embedded stack's, in the data folder: this machine may then
        retire a KEK itself (not one set in NBM_KEK by a secret store)."""
        if self.kek:
            return False
        try:
            return read_secrets(self.data_dir) is not None
        except LocalFileError:
            return False

    def resolved_kek(self) -> Keyring:
        """The key-encryption keys that wrap each candidate's key (NBM_KEK)."""
        return self._keyring(self._secret(self.kek, "NBM_KEK", lambda local: local.kek), "NBM_KEK")

    def resolved_codec_keys(self) -> Keyring:
        """The keys of the Temporal payload codec (NBM_CODEC_KEYS)."""
        text = self._secret(self.codec_keys, "NBM_CODEC_KEYS", lambda local: local.codec_keys)
        return self._keyring(text, "NBM_CODEC_KEYS")

    def resolved_audit_signing_key(self) -> bytes:
        """The PEM of the Ed25519 key that signs audit checkpoints (NBM_AUDIT_SIGNING_KEY)."""
        text = self._secret(
            self.audit_signing_key, "NBM_AUDIT_SIGNING_KEY", lambda local: local.audit_signing_key
        )
        if not text.lstrip().startswith("-----BEGIN"):
            try:
                text = Path(text).read_text()
            except OSError as err:
                raise ConfigError(
                    N_("NBM_AUDIT_SIGNING_KEY: cannot read {path}: {reason}"),
                    path=text,
                    reason=str(err),
                ) from None
        return text.encode()

    @staticmethod
    def _keyring(text: str, variable: str) -> Keyring:
        try:
            return parse_keyring(text, variable)
        except KeyringError as err:
            raise ConfigError(N_("{reason}"), reason=str(err)) from None


def load_settings() -> Settings:
    """The settings from the environment; a bad value raises `ConfigError` naming it."""
    try:
        return Settings()
    except ValidationError as err:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
            for e in err.errors(include_input=False, include_url=False)
        )
        raise ConfigError(N_("invalid configuration: {problems}"), problems=problems) from None
