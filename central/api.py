"""The HTTP face of the central server: static channels, publishing API, push, kiosk reports.

Channel files (``/channels/<name>/manifest.json``, ``.sig``, ``blobs/<sha256>``) are public and
static, exactly as nginx would serve the folder ``kioskctl publish`` writes (ETag, Last-Modified,
Range): they are signed, so anyone may fetch them, and a CDN can sit in front. Everything else needs a
bearer token: an admin token for publishing and fleet data, a kiosk token for a kiosk's own reports.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager
from typing import Annotated, Any

import anyio.from_thread
import anyio.to_thread
from fastapi import Depends, FastAPI, Header, Request, Response
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.staticfiles import StaticFiles
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from central.console import install_console
from central.errors import DomainError, http_status
from central.service import Central, CentralError

log = logging.getLogger(__name__)

KEEPALIVE_SECONDS = 15.0
MAX_JSON_BYTES = 16 * 1024 * 1024  # a manifest (32 MB at most in base64 is refused earlier by size)
MAX_SCREENSHOT_BYTES = 8 * 1024 * 1024


class PushHub:
    """Wakes the push (SSE) connections of a channel when a release is published from any thread."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiters: dict[str, asyncio.Event] = {}
        self.connections = 0

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def on_release(self, channel: str, _release: int) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._fire, channel)

    def _fire(self, channel: str) -> None:
        waiter = self._waiters.pop(channel, None)
        if waiter is not None:
            waiter.set()

    def waiter(self, channel: str) -> asyncio.Event:
        return self._waiters.setdefault(channel, asyncio.Event())


def _bearer(authorization: str | None) -> str:
    if not authorization:
        raise CentralError(401, "this endpoint needs 'Authorization: Bearer <token>'")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise CentralError(401, "the Authorization header must be 'Bearer <token>'")
    return token.strip()


def _central(request: Request) -> Central:
    central: Central = request.app.state.central
    return central


def _admin(request: Request, authorization: Annotated[str | None, Header()] = None) -> str:
    accounts = _central(request).accounts
    token = _bearer(authorization)
    name = accounts.admin_for(token)
    if name is None:
        if accounts.kiosk_for(token) is not None:
            raise CentralError(403, "a kiosk token cannot do this; use an admin token")
        raise CentralError(401, "unknown or revoked token")
    return name


def _kiosk(request: Request, authorization: Annotated[str | None, Header()] = None) -> str:
    accounts = _central(request).accounts
    token = _bearer(authorization)
    kiosk_id = accounts.kiosk_for(token)
    if kiosk_id is None:
        if accounts.admin_for(token) is not None:
            raise CentralError(403, "this endpoint is for kiosks; use the kiosk's own token")
        raise CentralError(401, "unknown or revoked token")
    return kiosk_id


def _anyone(request: Request, authorization: Annotated[str | None, Header()] = None) -> str:
    accounts = _central(request).accounts
    token = _bearer(authorization)
    who = accounts.kiosk_for(token) or accounts.admin_for(token)
    if who is None:
        raise CentralError(401, "unknown or revoked token")
    return who


Admin = Annotated[str, Depends(_admin)]
KioskId = Annotated[str, Depends(_kiosk)]
Anyone = Annotated[str, Depends(_anyone)]


def create_app(central: Central, *, trusted_proxies: Sequence[str] = ()) -> FastAPI:
    """The ASGI application over ``central`` (uvicorn serves it; tests run it on 127.0.0.1).

    ``X-Forwarded-For`` and ``-Proto`` are believed only from ``trusted_proxies`` (the reverse proxy's
    addresses): anyone else could name a new client address for every login guess. Run it with
    uvicorn's own ``proxy_headers`` off, so that only this list counts.
    """
    hub = PushHub()
    central.notifier.subscribe(hub.on_release)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        hub.attach(asyncio.get_running_loop())
        yield

    # The schema (every route and field) is for admins: served below behind an admin token.
    app = FastAPI(
        title="Green Kiosk central server",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.central = central
    app.state.hub = hub
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(trusted_proxies))

    @app.exception_handler(DomainError)
    async def _domain(_request: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=http_status(exc))

    @app.exception_handler(CentralError)
    async def _refused(_request: Request, exc: CentralError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse({"error": str(exc)}, status_code=exc.status, headers=headers)

    async def json_body(request: Request, limit: int = MAX_JSON_BYTES) -> Any:
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise CentralError(413, f"request body over {limit} bytes")
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise CentralError(413, f"request body over {limit} bytes")
        try:
            return json.loads(body)
        except ValueError as exc:
            raise CentralError(400, f"request body is not JSON: {exc}") from exc

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(_who: Admin) -> dict[str, Any]:
        return app.openapi()

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        return {"ok": True, "channels": central.channel_names()}

    # --- push ------------------------------------------------------------------------------------
    @app.get("/channels/{channel}/events")
    async def events(channel: str, request: Request, _who: Anyone) -> StreamingResponse:
        await run_in_threadpool(central.channel_release, channel)  # 404 before the stream starts

        async def stream() -> AsyncIterator[str]:
            hub.connections += 1
            try:
                yield f"retry: 5000\n: connected to channel {channel}\n\n"
                last: int | None = None
                while True:
                    waiter = hub.waiter(channel)  # taken before reading: no release slips between
                    release = await run_in_threadpool(central.channel_release, channel)
                    if release != last:
                        yield f"event: release\nid: {release}\ndata: {json.dumps({'release': release})}\n\n"
                        last = release
                    try:
                        await asyncio.wait_for(waiter.wait(), KEEPALIVE_SECONDS)
                    except TimeoutError:
                        if await request.is_disconnected():
                            return
                        yield ": keep-alive\n\n"
            finally:
                hub.connections -= 1

        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)

    # --- publishing ------------------------------------------------------------------------------
    @app.post("/api/channels/{channel}/missing")
    async def missing(channel: str, request: Request, _who: Admin) -> dict[str, Any]:
        doc = await json_body(request)
        blobs = doc.get("blobs") if isinstance(doc, dict) else None
        if not isinstance(blobs, dict) or not all(
            isinstance(size, int) and not isinstance(size, bool) and size >= 0 for size in blobs.values()
        ):
            raise CentralError(400, 'expected {"blobs": {"<sha256>": <size>, ...}}')
        return {"missing": await run_in_threadpool(central.missing_blobs, channel, blobs)}

    @app.put("/api/channels/{channel}/blobs/{sha}")
    async def put_blob(channel: str, sha: str, request: Request, _who: Admin) -> Response:
        declared = request.headers.get("content-length")
        size = int(declared) if declared is not None and declared.isdigit() else None
        if size is not None and size > central.max_blob_bytes:
            raise CentralError(413, f"blob of {size} bytes is over the {central.max_blob_bytes} allowed")
        stream = request.stream().__aiter__()

        def chunks() -> Iterator[bytes]:
            while True:
                try:
                    yield anyio.from_thread.run(_next, stream)
                except StopAsyncIteration:
                    return

        created = await anyio.to_thread.run_sync(central.store_blob, channel, sha, size, chunks())
        return Response(status_code=201 if created else 200)

    @app.post("/api/channels/{channel}/releases")
    async def post_release(channel: str, request: Request, who: Admin) -> dict[str, Any]:
        doc = await json_body(request, limit=48 * 1024 * 1024)
        manifest, signature = _b64(doc, "manifest"), _b64(doc, "signature")
        note = doc.get("note", "") if isinstance(doc.get("note", ""), str) else ""
        number = await run_in_threadpool(
            lambda: central.publish(channel, manifest, signature, by=who, note=note[:256])
        )
        return {"release": number}

    @app.get("/api/channels/{channel}/releases")
    def list_releases(channel: str, _who: Admin) -> dict[str, Any]:
        return {
            "channel": channel,
            "active": central.channel_release(channel),
            "releases": central.releases(channel),
        }

    @app.get("/api/channels/{channel}/releases/{number}/manifest")
    def release_manifest(channel: str, number: int, _who: Admin) -> Response:
        return Response(central.release_manifest(channel, number), media_type="application/json")

    @app.post("/api/channels/{channel}/rollback")
    async def rollback(channel: str, request: Request, who: Admin) -> dict[str, Any]:
        doc = await json_body(request)
        number = doc.get("release") if isinstance(doc, dict) else None
        if not isinstance(number, int) or isinstance(number, bool):
            raise CentralError(400, 'expected {"release": <number>}')
        draft = await run_in_threadpool(lambda: central.propose_rollback(channel, number, by=who))
        return {"draft": draft}

    @app.get("/api/channels/{channel}/drafts")
    def drafts(channel: str, _who: Admin) -> dict[str, Any]:
        return {"channel": channel, "drafts": central.drafts(channel)}

    @app.post("/api/channels/{channel}/drafts/{draft_id}/signature")
    async def approve(channel: str, draft_id: int, request: Request, who: Admin) -> dict[str, Any]:
        signature = _b64(await json_body(request), "signature")
        number = await run_in_threadpool(lambda: central.approve(channel, draft_id, signature, by=who))
        return {"release": number}

    # --- kiosks ----------------------------------------------------------------------------------
    @app.post("/api/kiosk/reports")
    async def reports(request: Request, kiosk_id: KioskId) -> dict[str, Any]:
        doc = await json_body(request, limit=4 * 1024 * 1024)
        if not isinstance(doc, dict):
            raise CentralError(400, 'expected {"heartbeats": [...], "events": [...]}')
        heartbeats, kiosk_events = doc.get("heartbeats", []), doc.get("events", [])
        if not isinstance(heartbeats, list) or not isinstance(kiosk_events, list):
            raise CentralError(400, "heartbeats and events must be lists")
        return await run_in_threadpool(central.ingest, kiosk_id, heartbeats, kiosk_events)

    @app.put("/api/kiosk/screenshot")
    async def screenshot(request: Request, kiosk_id: KioskId) -> Response:
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_SCREENSHOT_BYTES:
                raise CentralError(413, f"a screenshot may have at most {MAX_SCREENSHOT_BYTES} bytes")
        await run_in_threadpool(central.store_screenshot, kiosk_id, bytes(body))
        return Response(status_code=204)

    @app.get("/api/network")
    def network(_who: Anyone) -> dict[str, Any]:
        return central.network().as_json()

    @app.get("/api/kiosks")
    def fleet(_who: Admin) -> dict[str, Any]:
        return {"kiosks": [_jsonable(row) for row in central.fleet()]}

    @app.get("/api/kiosks/{kiosk_id}")
    def kiosk_detail(kiosk_id: str, _who: Admin) -> dict[str, Any]:
        return {
            "kiosk": _jsonable(central.kiosk(kiosk_id)),
            "history": [_jsonable(row) for row in central.history(kiosk_id)],
            "events": central.event_summary(kiosk_id),
        }

    @app.post("/api/kiosks/{kiosk_id}/screenshot-request")
    def ask_screenshot(kiosk_id: str, _who: Admin) -> Response:
        central.request_screenshot(kiosk_id)
        return Response(status_code=202)

    @app.get("/api/kiosks/{kiosk_id}/screenshot.png")
    def kiosk_screenshot(kiosk_id: str, _who: Admin) -> Response:
        path = central.screenshot_path(kiosk_id)
        if path is None:
            raise CentralError(404, f"no screenshot of {kiosk_id!r} yet")
        return FileResponse(path, media_type="image/png")

    install_console(app, central)
    # Public, signed, static: last, so the routes above win for the paths they name.
    app.mount("/channels", StaticFiles(directory=central.channels_dir, check_dir=True), name="channels")
    return app


async def _next(stream: Any) -> bytes:
    chunk: bytes = await stream.__anext__()
    return chunk


def _b64(doc: Any, key: str) -> bytes:
    value = doc.get(key) if isinstance(doc, dict) else None
    if not isinstance(value, str):
        raise CentralError(400, f"expected {key!r}: base64 text")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CentralError(400, f"{key}: not valid base64") from exc


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in row.items()}
