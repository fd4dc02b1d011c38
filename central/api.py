"""The HTTP face of the central server: static channels, publishing API, push, kiosk reports.

Channel files (``/channels/<name>/manifest.json``, ``.sig``, ``blobs/<sha256>``) are public and
static, exactly as nginx would serve the folder ``kioskctl publish`` writes (ETag, Last-Modified,
Range): they are signed, so anyone may fetch them, and a CDN can sit in front. Everything else needs a
bearer token: an admin token for publishing and fleet data, a kiosk token for a kiosk's own reports.

This is where HTTP meets the domain: request bodies are validated into :mod:`kiosk.wire` types by
pydantic (``central.bodies``), bodies are bounded before they are read, and the rooms' errors
(``central.errors``) become status codes here, each answered as ``{"error": "<one line>"}``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager
from typing import Annotated, Any

import anyio.from_thread
import anyio.to_thread
from fastapi import Depends, FastAPI, Header, Path, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.staticfiles import StaticFiles
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from central.bodies import MissingBody, ReleaseBody, ReportsBody, RollbackBody, SignatureBody
from central.errors import (
    CentralError,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    Rejected,
    StorageFull,
    TooLarge,
    Unavailable,
    Unsupported,
)
from central.preview import Previews
from central.push import Holder, PushHub, event_stream, push_running
from central.service import Central
from kiosk.wire import MAX_RELEASE, MAX_REPORT_BYTES

log = logging.getLogger(__name__)


class Unauthorized(CentralError):  # noqa: N818 - beside NotFound, Conflict, ...
    """No token, or one the server does not know: only the HTTP edge knows of tokens in headers."""


MAX_JSON_BYTES = 16 * 1024 * 1024  # any JSON body but a release's and a report batch's
MAX_RELEASE_BYTES = 48 * 1024 * 1024  # a manifest of up to 32 MB in base64, and its signature
MAX_SCREENSHOT_BYTES = 8 * 1024 * 1024

STATUS: dict[type[CentralError], int] = {
    Unauthorized: 401,
    Invalid: 400,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    TooLarge: 413,
    Unsupported: 415,
    Rejected: 422,
    Unavailable: 503,
    StorageFull: 507,
}


def status_of(exc: CentralError) -> int:
    """The HTTP status of a refusal: the nearest kind in :data:`STATUS` (400 for any other)."""
    for kind in type(exc).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 400


def _bearer(authorization: str | None) -> str:
    if not authorization:
        raise Unauthorized("this endpoint needs 'Authorization: Bearer <token>'")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("the Authorization header must be 'Bearer <token>'")
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
            raise Forbidden("a kiosk token cannot do this; use an admin token")
        raise Unauthorized("unknown or revoked token")
    return name


def _kiosk(request: Request, authorization: Annotated[str | None, Header()] = None) -> str:
    accounts = _central(request).accounts
    token = _bearer(authorization)
    kiosk_id = accounts.kiosk_for(token)
    if kiosk_id is None:
        if accounts.admin_for(token) is not None:
            raise Forbidden("this endpoint is for kiosks; use the kiosk's own token")
        raise Unauthorized("unknown or revoked token")
    return kiosk_id


def _anyone(request: Request, authorization: Annotated[str | None, Header()] = None) -> str:
    accounts = _central(request).accounts
    token = _bearer(authorization)
    who = accounts.kiosk_for(token) or accounts.admin_for(token)
    if who is None:
        raise Unauthorized("unknown or revoked token")
    return who


def _holder(request: Request, authorization: Annotated[str | None, Header()] = None) -> Holder:
    """A push stream's holder: the token is kept, so the stream can check it again while it is open."""
    accounts = _central(request).accounts
    token = _bearer(authorization)
    kiosk_id = accounts.kiosk_for(token)
    if kiosk_id is not None:
        return Holder("kiosk", kiosk_id, token)
    name = accounts.admin_for(token)
    if name is None:
        raise Unauthorized("unknown or revoked token")
    return Holder("admin", name, token)


Admin = Annotated[str, Depends(_admin)]
KioskId = Annotated[str, Depends(_kiosk)]
Anyone = Annotated[str, Depends(_anyone)]
StreamHolder = Annotated[Holder, Depends(_holder)]
ReleaseNumber = Annotated[int, Path(ge=1, le=MAX_RELEASE)]
DraftId = Annotated[int, Path(ge=1, le=MAX_RELEASE)]
Name = Annotated[str, Path(max_length=128)]


def create_app(
    central: Central, *, trusted_proxies: Sequence[str] = (), previews: Previews | None = None
) -> FastAPI:
    """The ASGI application over ``central`` (uvicorn serves it; tests run it on 127.0.0.1).

    ``X-Forwarded-For`` and ``-Proto`` are believed only from ``trusted_proxies`` (the reverse proxy's
    addresses): anyone else could name a new client address for every login guess. Run it with
    uvicorn's own ``proxy_headers`` off, so that only this list counts. ``previews`` draws the
    console's previews (default: with the kiosk renderer found in this checkout, if any).
    """
    hub = PushHub()
    central.notifier.subscribe(hub.on_release)
    central.accounts.subscribe(hub.on_credentials)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(central.reconcile)  # the served files say what the database says
        current = central.publishing.current_releases
        async with push_running(hub, central.database.url, current) as listener:
            app.state.listener = listener
            try:
                yield
            finally:  # a render under way must not outlive the server
                await anyio.to_thread.run_sync(app.state.console.previews.close)

    app = FastAPI(
        title="Green Kiosk central server",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # served below, to admins only: the schema maps the attack surface
        max_body_size=MAX_JSON_BYTES,  # each route that takes more says so
    )
    app.state.central = central
    app.state.hub = hub
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(trusted_proxies))

    @app.exception_handler(CentralError)
    async def _refused(_request: Request, exc: CentralError) -> JSONResponse:
        status = status_of(exc)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse({"error": str(exc)}, status_code=status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _malformed(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": one_line(exc)}, status_code=400)

    @app.exception_handler(HTTPException)
    async def _http(_request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(_who: Admin) -> dict[str, Any]:
        return app.openapi()

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        return {"ok": True, "channels": central.channel_names()}

    # --- push ------------------------------------------------------------------------------------
    def _is_live(holder: Holder) -> bool:
        return central.accounts.is_live(holder.kind, holder.name, holder.token)

    @app.get("/channels/{channel}/events")
    async def events(channel: Name, request: Request, holder: StreamHolder) -> StreamingResponse:
        release = await run_in_threadpool(central.channel_release, channel)  # 404 before the stream
        hub.update(channel, release)
        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return StreamingResponse(
            event_stream(hub, channel, request, holder, _is_live),
            media_type="text/event-stream",
            headers=headers,
        )

    # --- publishing ------------------------------------------------------------------------------
    @app.post("/api/channels/{channel}/missing")
    def missing(channel: Name, body: MissingBody, _who: Admin) -> dict[str, Any]:
        return {"missing": central.missing_blobs(channel, body.blobs)}

    @app.put("/api/channels/{channel}/blobs/{sha}", max_body_size=central.max_blob_bytes)
    async def put_blob(channel: Name, sha: Name, request: Request, _who: Admin) -> Response:
        declared = request.headers.get("content-length")
        size = int(declared) if declared is not None and declared.isdigit() else None
        if size is not None and size > central.max_blob_bytes:
            raise TooLarge(f"blob of {size} bytes is over the {central.max_blob_bytes} allowed")
        stream = request.stream().__aiter__()

        def chunks() -> Iterator[bytes]:
            while True:
                try:
                    yield anyio.from_thread.run(_next, stream)
                except StopAsyncIteration:
                    return

        created = await anyio.to_thread.run_sync(central.store_blob, channel, sha, size, chunks())
        return Response(status_code=201 if created else 200)

    @app.post("/api/channels/{channel}/releases", max_body_size=MAX_RELEASE_BYTES)
    def post_release(channel: Name, body: ReleaseBody, who: Admin) -> dict[str, Any]:
        number = central.publish(channel, body.manifest, body.signature, by=who, note=body.note)
        return {"release": number}

    @app.get("/api/channels/{channel}/releases")
    def list_releases(channel: Name, _who: Admin) -> dict[str, Any]:
        return {
            "channel": channel,
            "active": central.channel_release(channel),
            "releases": central.releases(channel),
        }

    @app.get("/api/channels/{channel}/releases/{number}/manifest")
    def release_manifest(channel: Name, number: ReleaseNumber, _who: Admin) -> Response:
        return Response(central.release_manifest(channel, number), media_type="application/json")

    @app.get("/api/channels/{channel}/releases/{number}/signature")
    def release_signature(channel: Name, number: ReleaseNumber, _who: Admin) -> Response:
        return Response(central.release_signature(channel, number), media_type="application/octet-stream")

    @app.post("/api/channels/{channel}/rollback")
    def rollback(channel: Name, body: RollbackBody, who: Admin) -> dict[str, Any]:
        return {"draft": central.propose_rollback(channel, body.release, by=who)}

    @app.get("/api/channels/{channel}/drafts")
    def drafts(channel: Name, _who: Admin) -> dict[str, Any]:
        return {"channel": channel, "drafts": central.drafts(channel)}

    @app.get("/api/channels/{channel}/working-copy")
    def working_copy(channel: Name, _who: Admin) -> dict[str, Any]:
        return central.working_copy(channel)

    @app.post("/api/channels/{channel}/drafts/{draft_id}/signature")
    def approve(channel: Name, draft_id: DraftId, body: SignatureBody, who: Admin) -> dict[str, Any]:
        release = central.approve(channel, draft_id, body.signature, by=who, signed_sha256=body.sha256)
        return {"release": release}

    # --- kiosks ----------------------------------------------------------------------------------
    @app.post("/api/kiosk/reports", max_body_size=MAX_REPORT_BYTES)
    def reports(body: ReportsBody, kiosk_id: KioskId) -> dict[str, Any]:
        return central.ingest(kiosk_id, body.to_wire()).to_json()

    @app.put("/api/kiosk/screenshot", max_body_size=MAX_SCREENSHOT_BYTES)
    async def screenshot(request: Request, kiosk_id: KioskId) -> Response:
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_SCREENSHOT_BYTES:
                raise TooLarge(f"a screenshot may have at most {MAX_SCREENSHOT_BYTES} bytes")
        await run_in_threadpool(central.store_screenshot, kiosk_id, bytes(body))
        return Response(status_code=204)

    @app.get("/api/network")
    def network(_who: Anyone) -> dict[str, Any]:
        return central.network().to_json()

    @app.get("/api/kiosks")
    def fleet(_who: Admin) -> dict[str, Any]:
        return {"kiosks": [_jsonable(row) for row in central.fleet.kiosks()]}

    @app.get("/api/kiosks/{kiosk_id}")
    def kiosk_detail(kiosk_id: Name, _who: Admin) -> dict[str, Any]:
        return {
            "kiosk": _jsonable(central.kiosk(kiosk_id)),
            "history": [_jsonable(row) for row in central.history(kiosk_id)],
            "events": central.event_summary(kiosk_id),
        }

    @app.post("/api/kiosks/{kiosk_id}/screenshot-request")
    def ask_screenshot(kiosk_id: Name, _who: Admin) -> Response:
        central.request_screenshot(kiosk_id)
        return Response(status_code=202)

    @app.get("/api/kiosks/{kiosk_id}/screenshot.png")
    def kiosk_screenshot(kiosk_id: Name, _who: Admin) -> Response:
        path = central.screenshot_path(kiosk_id)
        if path is None:
            raise NotFound(f"no screenshot of {kiosk_id!r} yet")
        return FileResponse(path, media_type="image/png")

    from central.console import install_console  # the console maps errors with status_of from here

    install_console(app, central, previews)
    # Public, signed, static: last, so the routes above win for the paths they name.
    app.mount("/channels", ChannelFiles(directory=central.channels_dir, check_dir=True), name="channels")
    return app


CHANNEL_FILE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "X-Content-Type-Options": "nosniff",
}
"""Channel files share the console's origin: an SVG a console user uploaded must not run script there."""


class ChannelFiles(StaticFiles):
    """The channels' public files, each served so a browser treats it as inert data."""

    async def get_response(self, path: str, scope: Any) -> Response:
        response = await super().get_response(path, scope)
        response.headers.update(CHANNEL_FILE_HEADERS)
        return response


async def _next(stream: Any) -> bytes:
    chunk: bytes = await stream.__anext__()
    return chunk


def one_line(exc: RequestValidationError) -> str:
    """The first problem of a refused body, as ``heartbeats.0.power_w: <what is wrong>``."""
    errors = exc.errors()
    if not errors:
        return "the request is malformed"
    first = errors[0]
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    message = str(first.get("msg", "invalid")).splitlines()[0][:200]
    return f"{where}: {message}{more}" if where else f"{message}{more}"


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in row.items()}
