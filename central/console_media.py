"""The console's media library page: upload a file, see what each is, remove one no release uses.

The upload form is read as it arrives (python-multipart's streaming parser), not by Starlette's
``request.form()``, which would first spool a whole upload of any size to disk: here the CSRF field must
come before the file (it does in the page's form), the file goes straight into the library's temporary
file with its kind's byte limit, and the request has a deadline. So an oversized or hostile upload is
refused after at most its limit in bytes, and a stalled one after a minute.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from python_multipart.exceptions import ParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from central.api import status_of
from central.console import PREFIX, SECURITY_HEADERS, Console, Formats, _ConsoleRoute, language_of
from central.console_media_text import MEDIA_TEXTS
from central.console_text import TEXTS
from central.errors import CentralError, NotFound
from central.media import KINDS, MediaDiskFull, MediaItem, MediaRefused, MediaTooLarge, Upload
from central.media_probe import CODEC_NAMES
from central.sessions import ConsoleSession, same_secret

log = logging.getLogger(__name__)

UPLOAD_SECONDS = 30 * 60
"""A whole upload: 2 GB at 10 Mbit/s takes 27 minutes; slower than that is better copied to the server."""
STALL_SECONDS = 60.0
"""No byte for this long and the upload is given up (a slow or stuck client holds a connection)."""
FORM_OVERHEAD = 64 * 1024  # the form's other fields and the parts' headers
MAX_FIELD_BYTES = 1024
MAX_FIELDS = 8


class _StreamedFormRoute(_ConsoleRoute):
    """A console route whose handler streams its multipart form and checks the CSRF field itself."""

    reads_form = False


class _UploadRefused(Exception):  # noqa: N818 - an outcome of reading the form
    """The form itself is wrong (no CSRF first, no file, too slow): the page says which, with a status."""

    def __init__(self, status: int, key: str) -> None:
        super().__init__(key)
        self.status = status
        self.key = key


class _FormReader:
    """Feeds a multipart body to python-multipart and the file part into an :class:`Upload`."""

    def __init__(self, console: Console, session: ConsoleSession, boundary: bytes) -> None:
        self.console = console
        self.session = session
        self.fields: dict[str, str] = {}
        self.filename = ""
        self.upload: Upload | None = None
        self.pending: list[bytes] = []
        self.problem: _UploadRefused | None = None
        self.disk_full: MediaDiskFull | None = None
        self._header_field = b""
        self._header_value = b""
        self._disposition: dict[bytes, bytes] = {}
        self._field = bytearray()
        self._in_file = False
        self._files = 0
        self.complete = False  # the closing boundary arrived: the file is whole
        self.parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._part_begin,
                "on_header_field": self._header_field_data,
                "on_header_value": self._header_value_data,
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished,
                "on_part_data": self._part_data,
                "on_part_end": self._part_end,
                "on_end": self._end,
            },
        )

    def _refuse(self, status: int, key: str) -> None:
        if self.problem is None:
            self.problem = _UploadRefused(status, key)

    def _part_begin(self) -> None:
        self._disposition = {}
        self._field = bytearray()
        self._in_file = False

    def _header_field_data(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _header_value_data(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        if self._header_field.lower() == b"content-disposition":
            _kind, options = parse_options_header(self._header_value[:4096])
            self._disposition = dict(options)
        self._header_field = self._header_value = b""

    def _headers_finished(self) -> None:
        if b"filename" not in self._disposition:
            return
        self._files += 1
        if self._files > 1:
            self._refuse(400, "media_bad_form")
            return
        if not same_secret(self.fields.get("csrf"), self.session.csrf):
            self._refuse(403, "csrf_refused")
            return
        self.filename = self._disposition[b"filename"].decode("utf-8", "replace")
        kind = self.fields.get("kind") or None
        try:
            self.upload = self.console.central.media.start(kind if kind in KINDS else None)
        except CentralError:
            self._refuse(400, "media_bad_form")
            return
        self._in_file = True

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_file:
            self.pending.append(bytes(data[start:end]))
        elif len(self._field) + end - start > MAX_FIELD_BYTES:
            self._refuse(400, "media_bad_form")
        else:
            self._field += data[start:end]

    def _part_end(self) -> None:
        if self._in_file:
            self._in_file = False
            return
        name = self._disposition.get(b"name", b"").decode("utf-8", "replace")
        if len(self.fields) >= MAX_FIELDS:
            self._refuse(400, "media_bad_form")
            return
        self.fields[name[:64]] = self._field.decode("utf-8", "replace")

    def _end(self) -> None:
        self.complete = True

    async def feed(self, chunk: bytes) -> None:
        """One piece of the body: parsed, and any file bytes written (in a worker thread)."""
        try:
            self.parser.write(chunk)
        except ParseError as exc:
            raise _UploadRefused(400, "media_bad_form") from exc
        if self.problem is not None:
            raise self.problem
        if self.pending and self.upload is not None:
            pieces, self.pending = self.pending, []
            if self.disk_full is not None:
                return  # the rest is read and dropped, so the browser gets the page, not a reset
            try:
                await run_in_threadpool(_write_all, self.upload, pieces)
            except MediaDiskFull as exc:
                self.disk_full = exc
                await run_in_threadpool(self.upload.discard)


def _write_all(upload: Upload, pieces: list[bytes]) -> None:
    for piece in pieces:
        upload.write(piece)


async def _chunks(request: Request) -> AsyncIterator[bytes]:
    """The body's pieces; a minute without one ends the upload."""
    stream = request.stream().__aiter__()
    while True:
        try:
            yield await asyncio.wait_for(stream.__anext__(), STALL_SECONDS)
        except StopAsyncIteration:
            return
        except TimeoutError as exc:
            raise _UploadRefused(408, "media_too_slow") from exc


def media_routes(console: Console) -> APIRouter:
    """``/console/channels/{name}/media``: the list, the upload, a picture's preview, removing."""
    central = console.central
    library = central.media
    router = APIRouter(prefix=PREFIX, route_class=_ConsoleRoute, include_in_schema=False)
    upload_router = APIRouter(prefix=PREFIX, route_class=_StreamedFormRoute, include_in_schema=False)
    largest = max(library.limit(kind) for kind in KINDS)

    def page(
        request: Request,
        name: str,
        *,
        error: str = "",
        notice: str = "",
        added: str = "",
        kind: str = "",
        status: int = 200,
    ) -> HTMLResponse:
        lang = language_of(request)
        formats = Formats(lang, central.clock())
        texts = MEDIA_TEXTS[lang]
        items = library.items(name)
        return console.page(
            request,
            "media.html",
            status,
            m=texts,
            name=name,
            items=[_shown(item, texts, formats) for item in items],
            kinds=KINDS,
            chosen=kind if kind in KINDS else "",
            rules=texts["media_rules"].format(
                image_mb=_mb(library.limit("image")),
                video_mb=_mb(library.limit("video")),
                subtitles_mb=_mb(library.limit("subtitles")),
            ),
            error=error,
            notice=notice,
            added=added,
            used=library.in_use(name),
        )

    def refusal(request: Request, exc: CentralError) -> str:
        if isinstance(exc, MediaRefused):
            return MEDIA_TEXTS[language_of(request)]["media_" + exc.reason].format(**exc.params)
        return str(exc)

    @router.get("/channels/{name}/media")
    def media_page(name: str, request: Request, added: str = "") -> HTMLResponse:
        central.channel_release(name)  # an unknown channel is a 404
        notice = ""
        if added:
            try:
                shown = library.get(name, added[:64])
                notice = MEDIA_TEXTS[language_of(request)]["media_added"].format(name=shown.name)
            except CentralError:
                added = ""
        return page(request, name, notice=notice, added=added[:64])

    @router.get("/channels/{name}/media/{sha}")
    def media_file(name: str, sha: str) -> Response:
        item = library.get(name, sha[:64])
        if not item.media_type.startswith("image/"):  # the page previews pictures only
            raise NotFound(f"{item.name} has no preview")
        headers = dict(SECURITY_HEADERS, **{"Cache-Control": "private, max-age=86400"})
        return FileResponse(library.blob_path(name, item.sha256), media_type=item.media_type, headers=headers)

    # This handler counts the body itself (so an oversized one gets the page, not a bare 413): the
    # application's limit is lifted here, and the loop below cuts the body at ``largest``.
    @upload_router.post("/channels/{name}/media", max_body_size=1 << 62)
    async def upload(name: str, request: Request) -> Response:
        lang = language_of(request)
        session: ConsoleSession = request.state.console_session
        await run_in_threadpool(central.channel_release, name)

        def refused(status: int, key: str, kind: str = "") -> Response:
            text = MEDIA_TEXTS[lang].get(key) or TEXTS[lang][key]
            log.info("Console: upload to %s by %s refused (%d): %s", name, session.user_name, status, key)
            response = page(request, name, error=text, kind=kind, status=status)
            response.headers["Connection"] = "close"  # the rest of the body is not read
            return response

        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > largest + FORM_OVERHEAD:
            error = MEDIA_TEXTS[lang]["media_too_large"].format(limit=_mb(largest))
            return await run_in_threadpool(lambda: _closing(page(request, name, error=error, status=413)))
        content_type, options = parse_options_header(request.headers.get("content-type", ""))
        boundary = options.get(b"boundary")
        if content_type != b"multipart/form-data" or not boundary:
            return await run_in_threadpool(refused, 400, "media_bad_form")
        reader = _FormReader(console, session, boundary)

        def chosen() -> str:  # the kind the admin picked, kept picked on a refusal
            return reader.fields.get("kind", "")

        try:
            try:
                async with asyncio.timeout(UPLOAD_SECONDS):
                    received = 0
                    async for chunk in _chunks(request):
                        received += len(chunk)
                        if received > largest + FORM_OVERHEAD:
                            raise MediaTooLarge("too_large", limit=_mb(largest))
                        await reader.feed(chunk)
                    if reader.disk_full is not None:
                        raise reader.disk_full
            except TimeoutError:
                return await run_in_threadpool(refused, 408, "media_too_slow", chosen())
            except ClientDisconnect:
                log.info("Console: upload to %s by %s: the browser went away", name, session.user_name)
                return Response(status_code=400)
            except _UploadRefused as exc:
                return await run_in_threadpool(refused, exc.status, exc.key, chosen())
            except MediaRefused as exc:  # over the kind's limit while it arrived
                error, status = refusal(request, exc), status_of(exc)
                return await run_in_threadpool(
                    lambda: _closing(page(request, name, error=error, kind=chosen(), status=status))
                )
            if not reader.complete:
                return await run_in_threadpool(refused, 400, "media_bad_form", chosen())
            if reader.upload is None or not reader.filename:
                return await run_in_threadpool(refused, 400, "media_no_file", chosen())
            by = f"console:{session.user_name}"
            upload = reader.upload
            try:
                item = await run_in_threadpool(lambda: library.finish(name, upload, reader.filename, by=by))
            except CentralError as exc:
                error, status = refusal(request, exc), status_of(exc)
                log.info("Console: upload to %s by %s refused: %s", name, by, exc)
                return await run_in_threadpool(
                    lambda: page(request, name, error=error, kind=chosen(), status=status)
                )
        finally:
            if reader.upload is not None:
                await run_in_threadpool(reader.upload.discard)
        return RedirectResponse(
            f"{PREFIX}/channels/{quote(name)}/media?added={item.sha256}#media-{item.sha256}", status_code=303
        )

    @router.post("/channels/{name}/media/{sha}/remove")
    def remove(name: str, sha: str, request: Request) -> Response:
        by = f"console:{request.state.console_session.user_name}"
        try:
            library.remove(name, sha[:64], by=by)
        except MediaRefused as exc:
            return page(request, name, error=refusal(request, exc), status=status_of(exc))
        return RedirectResponse(f"{PREFIX}/channels/{quote(name)}/media", status_code=303)

    combined = APIRouter()
    combined.include_router(router)
    combined.include_router(upload_router)
    return combined


def _closing(response: HTMLResponse) -> HTMLResponse:
    response.headers["Connection"] = "close"
    return response


def _mb(limit: int) -> str:
    return f"{limit / (1 << 20):g}"


def _shown(item: MediaItem, texts: dict[str, str], formats: Formats) -> dict[str, Any]:
    """One row of the list, every figure in the reader's language."""
    if item.size < 1 << 20:
        kilobytes = formats.number(item.size / 1024, 0 if item.size >= 10240 else 1)
        size = texts["media_size_kb"].format(n=kilobytes)
    else:
        size = texts["media_size_mb"].format(n=formats.number(item.size / (1 << 20)))
    details = ""
    if item.codec and item.width and item.height:
        details = texts["media_video_details"].format(
            codec=CODEC_NAMES.get(item.codec, item.codec),
            width=item.width,
            height=item.height,
            duration=_length(item.duration_s or 0.0, texts, formats),
            fps=formats.number(item.frame_rate or 0.0, 0 if float(item.frame_rate or 0).is_integer() else 2),
        )
    elif item.width and item.height:
        details = texts["media_image_details"].format(width=item.width, height=item.height)
    return {
        "sha": item.sha256,
        "name": item.name,
        "kind": texts["media_kind_" + item.kind],
        "media_type": item.media_type,
        "size": size,
        "details": details,
        "picture": item.media_type.startswith("image/"),
        "uploaded": texts["media_uploaded"].format(who=item.uploaded_by, when=formats.when(item.uploaded_at)),
    }


def _length(seconds: float, texts: dict[str, str], formats: Formats) -> str:
    """A clip's length: ``0,4 san`` under a minute (a loop is often seconds long), else ``0:02:05``."""
    if seconds < 60:
        return texts["media_seconds"].format(n=formats.number(seconds, 1))
    return formats.duration(seconds)
