"""The codec server over HTTP: Temporal's remote codec protocol, CORS for the Web UI, a token."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from google.protobuf import json_format
from temporalio.api.common.v1 import Payload, Payloads

from devstack.processes import free_port, port_answers
from nbm.codec_server import build_app
from nbm.settings import PROJECT_ROOT
from privacy.codec import ENCODING, KEY_ID, EncryptionCodec
from privacy.keyring import Keyring, generate_keyring
from tests import factories as f

psutil = pytest.importorskip("psutil", reason="installed with the 'embedded' extra")

UI = "http://127.0.0.1:8233"
TOKEN = "operator-token-for-tests"
NAME = json.dumps(f.CANDIDATE_NAME).encode()


def body(*payloads: Payload) -> dict[str, Any]:
    """The JSON the Web UI posts: protobuf JSON of `Payloads`."""
    return dict(json_format.MessageToDict(Payloads(payloads=payloads)))


def payloads_of(answer: dict[str, Any]) -> list[Payload]:
    return list(json_format.ParseDict(answer, Payloads()).payloads)


def plain(data: bytes = NAME) -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=data)


@pytest.fixture
def keyring() -> Keyring:
    return generate_keyring("codec1")


async def client_for(keyring: Keyring, **options: Any) -> TestClient[Any, Any]:
    client: TestClient[Any, Any] = TestClient(TestServer(build_app(keyring, **options)))
    await client.start_server()
    return client


@pytest.fixture
async def http(keyring: Keyring) -> AsyncIterator[TestClient[Any, Any]]:
    client = await client_for(keyring)
    yield client
    await client.close()


@pytest.fixture
async def guarded(keyring: Keyring) -> AsyncIterator[TestClient[Any, Any]]:
    client = await client_for(keyring, token=TOKEN)
    yield client
    await client.close()


async def test_encode_then_decode_round_trips(http: TestClient[Any, Any]) -> None:
    response = await http.post("/encode", json=body(plain()))
    assert response.status == 200
    [encoded] = payloads_of(await response.json())
    assert encoded.metadata["encoding"] == ENCODING
    assert encoded.metadata[KEY_ID] == b"codec1"
    assert f.CANDIDATE_NAME.encode() not in encoded.data

    response = await http.post("/decode", json=body(encoded))
    assert response.status == 200
    assert payloads_of(await response.json()) == [plain()]


async def test_decode_reads_what_a_worker_encrypted(
    http: TestClient[Any, Any], keyring: Keyring
) -> None:
    [encrypted] = await EncryptionCodec(keyring).encode([plain()])
    response = await http.post("/decode", json=body(encrypted, plain(b"null")))
    assert payloads_of(await response.json()) == [plain(), plain(b"null")]


async def test_a_payload_under_another_key_is_refused_with_its_key_id(
    http: TestClient[Any, Any],
) -> None:
    [foreign] = await EncryptionCodec(generate_keyring("elsewhere")).encode([plain()])
    response = await http.post("/decode", json=body(foreign))
    assert response.status == 400
    error = (await response.json())["error"]
    assert "'elsewhere'" in error and f.CANDIDATE_NAME not in error


async def test_the_endpoints_may_sit_under_a_prefix(http: TestClient[Any, Any]) -> None:
    # The protocol: only the last part of the path says /encode or /decode.
    response = await http.post("/codec/default/encode", json=body(plain()))
    [encoded] = payloads_of(await response.json())
    response = await http.post("/codec/default/decode", json=body(encoded))
    assert payloads_of(await response.json()) == [plain()]
    assert (await http.post("/codec/other", json=body(plain()))).status == 404


async def test_a_body_that_is_not_payloads_is_refused(http: TestClient[Any, Any]) -> None:
    response = await http.post("/decode", data=b"not json", headers={"Content-Type": "text/plain"})
    assert response.status == 400


async def test_preflight_from_the_web_ui_is_allowed(http: TestClient[Any, Any]) -> None:
    response = await http.options(
        "/decode",
        headers={
            "Origin": UI,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-namespace,authorization",
        },
    )
    assert response.status == 204
    assert response.headers["Access-Control-Allow-Origin"] == UI
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    assert {"content-type", "x-namespace", "authorization"} <= {
        h.strip() for h in allowed.split(",")
    }


async def test_answers_carry_cors_headers_for_the_web_ui_only(http: TestClient[Any, Any]) -> None:
    ours = await http.post("/decode", json=body(plain()), headers={"Origin": UI})
    assert ours.headers["Access-Control-Allow-Origin"] == UI
    # Another site open in the operator's browser gets no CORS grant: it cannot read answers.
    theirs = await http.post(
        "/decode", json=body(plain()), headers={"Origin": "https://evil.example"}
    )
    assert "Access-Control-Allow-Origin" not in theirs.headers
    preflight = await http.options("/decode", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in preflight.headers


async def test_configured_origins_replace_the_default(keyring: Keyring) -> None:
    client = await client_for(keyring, origins=["http://127.0.0.1:9999"])
    try:
        response = await client.options("/decode", headers={"Origin": "http://127.0.0.1:9999"})
        assert response.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:9999"
        response = await client.options("/decode", headers={"Origin": UI})
        assert "Access-Control-Allow-Origin" not in response.headers
    finally:
        await client.close()


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token", f"Basic {TOKEN}", "Bearer " + TOKEN[:-1]],
    ids=["missing", "wrong", "not-bearer", "prefix"],
)
async def test_with_a_token_configured_a_bad_token_is_refused(
    guarded: TestClient[Any, Any], authorization: str | None, keyring: Keyring
) -> None:
    [encrypted] = await EncryptionCodec(keyring).encode([plain()])
    headers = {"Origin": UI} | ({"Authorization": authorization} if authorization else {})
    for path in ("/decode", "/encode"):
        response = await guarded.post(path, json=body(encrypted), headers=headers)
        assert response.status == 401
        assert f.CANDIDATE_NAME not in await response.text()
        # The browser can read the refusal, so the Web UI can say why.
        assert response.headers["Access-Control-Allow-Origin"] == UI


async def test_with_a_token_configured_the_right_token_is_served(
    guarded: TestClient[Any, Any], keyring: Keyring
) -> None:
    [encrypted] = await EncryptionCodec(keyring).encode([plain()])
    response = await guarded.post(
        "/decode", json=body(encrypted), headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status == 200
    assert payloads_of(await response.json()) == [plain()]
    # A preflight never carries the token; it must not be refused for lacking one.
    preflight = await guarded.options("/decode", headers={"Origin": UI})
    assert preflight.status == 204


async def test_the_module_serves_on_localhost_with_keys_and_token_from_the_environment(
    keyring: Keyring, tmp_path: Any
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "NBM_CODEC_KEYS": keyring.dumps(),
        "NBM_CODEC_SERVER_TOKEN": TOKEN,
        "NBM_DATA_DIR": str(tmp_path),
        "NBM_LOG_FORMAT": "json",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "nbm.codec_server", "--port", str(port),
        cwd=PROJECT_ROOT, env=env, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        for _ in range(100):
            if await port_answers(port):
                break
            assert proc.returncode is None, "the codec server exited"
            await asyncio.sleep(0.1)
        listening = [
            c.laddr.ip
            for c in psutil.Process(proc.pid).net_connections(kind="inet")
            if c.status == psutil.CONN_LISTEN
        ]
        assert listening == ["127.0.0.1"]  # not reachable from another machine
        [encrypted] = await EncryptionCodec(keyring).encode([plain()])
        async with aiohttp.ClientSession() as session:
            url = f"http://127.0.0.1:{port}/decode"
            headers = {"Authorization": f"Bearer {TOKEN}"}
            async with session.post(url, json=body(encrypted), headers=headers) as response:
                assert response.status == 200
                assert payloads_of(await response.json()) == [plain()]
            async with session.post(url, json=body(encrypted)) as response:
                assert response.status == 401
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(proc.communicate(), 15)
    assert proc.returncode == 0, output.decode()
    assert f.CANDIDATE_NAME.encode() not in output  # nothing decrypted reaches the log
    assert keyring.dumps().split(":", 1)[1].encode() not in output
