"""The codec server: lets the Temporal Web UI show decrypted payloads to an operator.

It speaks Temporal's remote codec protocol: `POST /decode` and `POST /encode` take and return
`{"payloads": [...]}` (the protobuf JSON of `Payloads`). The Web UI calls it from the
operator's browser (`--ui-codec-endpoint`), so the keys stay on the operator's side and the
Temporal server never sees plaintext.

It listens on 127.0.0.1 only, answers cross-origin requests only from the configured Web UI
origins, and, with NBM_CODEC_SERVER_TOKEN set, only requests carrying
`Authorization: Bearer <token>` (the Web UI forwards the signed-in user's token).

    python -m nbm.codec_server [--port PORT] [--origin URL ...]

Port: --port, else NBM_CODEC_SERVER_PORT (8234). Keys: NBM_CODEC_KEYS, else the embedded
stack's generated secrets. Origins: --origin, else NBM_CODEC_SERVER_ORIGINS (comma-separated),
else the local Web UI (http://127.0.0.1:8233 and http://localhost:8233).
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import signal
import sys
from collections.abc import Awaitable, Callable, Collection, Sequence

from aiohttp import hdrs, web
from google.protobuf import json_format
from temporalio.api.common.v1 import Payload, Payloads

from privacy.codec import CodecError, EncryptionCodec
from privacy.keyring import Keyring

from .logs import configure_logging, get_logger
from .settings import ConfigError, load_settings

HOST = "127.0.0.1"  # never another interface: whoever reaches this port reads the payloads
DEFAULT_ORIGINS = ("http://127.0.0.1:8233", "http://localhost:8233")
MAX_REQUEST_BYTES = 16 * 1024 * 1024  # a page of large payloads; aiohttp's 1 MiB is too small
# What the Web UI sends: JSON, the namespace it shows, and the user's token if configured.
# A preflight asking for more gets those too: the origin check, not the header list, is what
# keeps other sites out, and a UI version that adds a header must not lose its decoding.
ALLOWED_HEADERS = "Content-Type, X-Namespace, Authorization"

log = get_logger("nbm.codec_server")
Transform = Callable[[Sequence[Payload]], Awaitable[list[Payload]]]


def build_app(
    keyring: Keyring, *, origins: Collection[str] = DEFAULT_ORIGINS, token: str | None = None
) -> web.Application:
    """The aiohttp application; `token` (if given) is required as a bearer token."""
    codec = EncryptionCodec(keyring)
    allowed = frozenset(o.rstrip("/") for o in origins)

    def cors(request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
        # Only the Web UI's own origin may read answers in a browser; any other site the
        # operator has open gets no CORS headers, so its script cannot read the plaintext.
        origin = request.headers.get(hdrs.ORIGIN)
        if origin and origin.rstrip("/") in allowed:
            response.headers[hdrs.ACCESS_CONTROL_ALLOW_ORIGIN] = origin
            response.headers[hdrs.ACCESS_CONTROL_ALLOW_METHODS] = "POST, OPTIONS"
            response.headers[hdrs.ACCESS_CONTROL_ALLOW_HEADERS] = request.headers.get(
                hdrs.ACCESS_CONTROL_REQUEST_HEADERS, ALLOWED_HEADERS
            )
            response.headers[hdrs.ACCESS_CONTROL_ALLOW_CREDENTIALS] = "true"
            response.headers[hdrs.VARY] = "Origin"
        return response

    def error(request: web.Request, status: int, message: str) -> web.StreamResponse:
        return cors(request, web.json_response({"error": message}, status=status))

    def authorised(request: web.Request) -> bool:
        if token is None:
            return True
        scheme, _, given = request.headers.get(hdrs.AUTHORIZATION, "").partition(" ")
        # Constant time: the comparison must not reveal how much of a guess was right.
        return scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), token.encode())

    async def preflight(request: web.Request) -> web.StreamResponse:
        # The browser's preflight carries no Authorization header, so it is never checked.
        return cors(request, web.Response(status=204))

    def endpoint(
        transform: Transform, name: str
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def handle(request: web.Request) -> web.StreamResponse:
            if not authorised(request):
                log.warning("codec request refused: bad or missing token", endpoint=name)
                return error(request, 401, "a valid bearer token is required")
            try:
                payloads = json_format.Parse(await request.read(), Payloads())
            except (json_format.ParseError, UnicodeDecodeError):
                return error(request, 400, 'the body must be {"payloads": [...]} in protobuf JSON')
            try:
                result = await transform(payloads.payloads)
            except CodecError as err:  # its message holds a key id, never a key or data
                log.warning("codec request failed", endpoint=name, reason=str(err))
                return error(request, 400, str(err))
            body = json_format.MessageToJson(Payloads(payloads=result))
            return cors(request, web.Response(text=body, content_type="application/json"))

        return handle

    handlers = {
        "decode": endpoint(codec.decode, "decode"),
        "encode": endpoint(codec.encode, "encode"),
    }

    async def route(request: web.Request) -> web.StreamResponse:
        # The protocol asks to look only at the last part of the path, so a proxy may mount
        # the server under any prefix (`/codec/decode`, `/ns/default/decode`).
        name = request.path.rstrip("/").rpartition("/")[2]
        if name not in handlers:
            return error(request, 404, "only /encode and /decode are served")
        if request.method == hdrs.METH_OPTIONS:
            return await preflight(request)
        return await handlers[name](request)

    app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    app.add_routes([web.post("/{path:.*}", route), web.options("/{path:.*}", route)])
    return app


async def serve(app: web.Application, port: int, stop: asyncio.Event) -> None:
    """Serve `app` on 127.0.0.1:`port` until `stop` is set."""
    runner = web.AppRunner(app, access_log=None)  # request lines say nothing an operator needs
    await runner.setup()
    try:
        await web.TCPSite(runner, HOST, port).start()
        log.info("codec server started", address=f"http://{HOST}:{port}")
        await stop.wait()
    finally:
        await runner.cleanup()
    log.info("codec server stopped")


def parse_origins(text: str | None) -> list[str]:
    return [o.strip() for o in (text or "").split(",") if o.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nbm.codec_server", description=__doc__)
    parser.add_argument("--port", type=int, help="default: NBM_CODEC_SERVER_PORT or 8234")
    parser.add_argument(
        "--origin", action="append", help="a Web UI origin allowed to call (repeatable)"
    )
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        keyring = settings.resolved_codec_keys()
    except ConfigError as err:
        print(err, file=sys.stderr)
        return 2
    configure_logging(settings.log_format, settings.log_level)
    origins = args.origin or parse_origins(settings.codec_server_origins) or DEFAULT_ORIGINS
    app = build_app(keyring, origins=origins, token=settings.codec_server_token or None)

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await serve(app, args.port or settings.codec_server_port, stop)

    try:
        asyncio.run(run())
    except OSError as err:  # the port is taken: one line, not a traceback
        print(f"the codec server cannot listen: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
