"""The production docker-compose.yml, checked statically: no Docker engine runs here.

`config -q` needs only the compose client (the `docker compose` plugin, or the older
`docker-compose`); without one these tests skip. The shape test reads the file with PyYAML,
or through `docker compose config --format json`, whichever is there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import Any

import pytest

from nbm.settings import PROJECT_ROOT

COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yml"
PASSWORDS = {
    "TEMPORAL_DB_PASSWORD": "temporal-secret",
    "NBM_DB_PASSWORD": "nbm-secret",
    "NBM_WORKER_DB_PASSWORD": "worker-secret",
    "NBM_PROJECTOR_DB_PASSWORD": "projector-secret",
    "NBM_CODEC_KEYS": "codec1:" + "A" * 43 + "=",
    "NBM_AUDIT_SIGNING_KEY": "pem",
    "NBM_KEYS_DB_PASSWORD": "keys-secret",
    "NBM_KEK": "kek1:" + "B" * 43 + "=",
    "NBM_SMTP_URL": "smtp://mail.example.org:587",
    "NBM_LINK_SECRET": "a link secret of at least thirty-two characters",
    "NBM_EMPLOYER_PAGE_URL": "https://werkgever.example.org",
}


def compose_command() -> list[str] | None:
    """The compose client on this machine, plugin first."""
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def compose(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = compose_command()
    if command is None:
        pytest.skip("no compose client (docker compose plugin or docker-compose) installed")
    return subprocess.run(
        [*command, "-f", str(COMPOSE_FILE), *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def without_passwords() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in PASSWORDS}


def test_compose_file_is_valid() -> None:
    result = compose("config", "-q", env=without_passwords() | PASSWORDS)
    assert result.returncode == 0, result.stderr


def test_compose_refuses_to_run_without_passwords() -> None:
    result = compose("config", "-q", env=without_passwords())
    assert result.returncode != 0
    assert "set TEMPORAL_DB_PASSWORD" in result.stderr or "set NBM_DB_PASSWORD" in result.stderr


def load_compose() -> dict[str, Any]:
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError:
        command = compose_command()
        if command != ["docker", "compose"]:
            pytest.skip("neither PyYAML nor the docker compose plugin to read the file with")
        result = compose("config", "--format", "json", env=without_passwords() | PASSWORDS)
        assert result.returncode == 0, result.stderr
        return dict(json.loads(result.stdout))
    return dict(yaml.safe_load(COMPOSE_FILE.read_text()))


def test_compose_shape() -> None:
    services = load_compose()["services"]
    assert set(services) >= {
        "postgresql", "temporal", "temporal-ui", "app-db", "migrate", "worker", "projector",
        "mailer", "employer-page",
    }  # fmt: skip
    worker = services["worker"]
    assert worker["deploy"]["replicas"] == 2
    assert worker["environment"]["TEMPORAL_ADDRESS"] == "temporal:7233"
    # The worker and the projector log in each as its own role (neither may change an event);
    # the owner's password reaches only the one-shot migration.
    for name, variable, role in (
        ("worker", "NBM_DATABASE_URL", "nbm_worker"),
        ("projector", "NBM_PROJECTOR_DATABASE_URL", "nbm_projector"),
    ):
        url = services[name]["environment"][variable]
        assert url.startswith(f"postgresql://{role}:") and "@app-db:5432/nbm" in url
        assert "NBM_KEK" not in services[name]["environment"]
    # Only the mailer holds the KEK (the contacts' addresses), with the keys' role.
    mailer = services["mailer"]["environment"]
    assert services["mailer"]["command"] == ["python", "worker.py", "--mail"]
    assert mailer["NBM_KEYS_DATABASE_URL"].startswith("postgresql://nbm_keys:")
    assert {"NBM_KEK", "NBM_SMTP_URL", "NBM_LINK_SECRET"} <= set(mailer)
    page = services["employer-page"]
    assert "NBM_KEK" not in page["environment"] and "NBM_LINK_SECRET" in page["environment"]
    assert page["ports"][0].startswith("127.0.0.1:") or page["ports"][0]["host_ip"] == "127.0.0.1"
    assert worker["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"] == ["python", "-m", "nbm.migrate"]
    assert services["search-attributes"]["command"] == ["python", "-m", "nbm.search_attributes"]
    assert worker["depends_on"]["search-attributes"]["condition"] == (
        "service_completed_successfully"
    )
    # The event store is not Temporal's database.
    assert services["app-db"]["volumes"] != services["postgresql"]["volumes"]
    for name in ("postgresql", "temporal", "app-db"):
        assert "healthcheck" in services[name], name
