"""The console's preview pages: a draft or a release as kiosks will draw it, each language and screen.

Its own router, included by :func:`central.console.install_console`, behind the same session guard as
every console page. The pictures come from :class:`central.preview.Previews` (the kiosk's renderer in a
child process); this module only asks for them, lays them out and serves them. Every part of the path
and query is hostile: an id that is not a number or a name that is not a rendered picture is a 404, an
unknown language or screen a 400, never a 500.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from central.console import PREFIX, Console, Formats, _ConsoleRoute, describe_draft, language_of
from central.console_preview_text import PREVIEW_TEXTS
from central.errors import Invalid, NotFound, Rejected
from central.preview import LANGUAGES, ORIENTATIONS, THUMBNAIL_WIDTH, PreviewState, Variant
from kiosk.content.manifest import BLOBS_DIR, parse_manifest
from kiosk.content.model import Content
from kiosk.content.preview import preview_content
from kiosk.errors import ContentError
from kiosk.wire import MAX_RELEASE

log = logging.getLogger(__name__)

REFRESH_SECONDS = {"queued": 3, "rendering": 3, "busy": 30}
MAX_FILE_NAME = 300


@dataclass(frozen=True)
class Picture:
    """One rendered view as the page shows it: a caption, where its PNG is served and where its
    thumbnail is (what the page shows; the PNG when there is none)."""

    caption: str
    url: str
    file: str
    thumbnail: str


@dataclass(frozen=True)
class Pictures:
    sections: tuple[Picture, ...]
    services: tuple[Picture, ...]
    announcements: tuple[Picture, ...]
    size: tuple[int, int]
    """The thumbnails' width and height, for the page's layout before they arrive."""


def preview_router(console: Console) -> APIRouter:
    central = console.central
    router = APIRouter(prefix=PREFIX, route_class=_ConsoleRoute, include_in_schema=False)

    @router.get("/channels/{name}/drafts/{draft_id}/preview")
    def draft_preview(
        name: str, draft_id: str, request: Request, lang: str = "", screen: str = "landscape"
    ) -> Response:
        number = _number(draft_id, "draft")
        variant = _variant(lang or language_of(request), screen)
        data = central.drafting.manifest_of(name, number)
        draft = next((d for d in central.drafts(name, pending_only=False) if d["id"] == number), None)
        shown = describe_draft(draft, Formats(language_of(request), central.clock())) if draft else ""
        texts = PREVIEW_TEXTS[language_of(request)]
        return _page(request, name, data, variant, texts["preview_title_draft"], number, shown)

    @router.get("/channels/{name}/releases/{release}/preview")
    def release_preview(
        name: str, release: str, request: Request, lang: str = "", screen: str = "landscape"
    ) -> Response:
        number = _number(release, "release")
        variant = _variant(lang or language_of(request), screen)
        data = central.release_manifest(name, number)
        texts = PREVIEW_TEXTS[language_of(request)]
        return _page(request, name, data, variant, texts["preview_title_release"], number, "")

    @router.get("/previews/{sha}/{variant_name}/{file}")
    def picture(sha: str, variant_name: str, file: str) -> FileResponse:
        language, _, orientation = variant_name.partition("-")
        variant = Variant.parse(language, orientation)
        path = console.previews.image(sha, variant, file) if variant and len(file) <= MAX_FILE_NAME else None
        if path is None:
            raise NotFound("no such preview picture")
        # The same bytes always draw the same picture: the browser may keep it.
        return FileResponse(
            path,
            media_type="image/jpeg" if path.suffix == ".jpg" else "image/png",
            headers={"Cache-Control": "private, max-age=86400", "X-Content-Type-Options": "nosniff"},
        )

    def _page(
        request: Request, name: str, data: bytes, variant: Variant, title: str, number: int, shown: str
    ) -> Response:
        texts = PREVIEW_TEXTS[language_of(request)]
        try:
            manifest = parse_manifest(data)
            content = preview_content(manifest)
        except ContentError as exc:
            raise Rejected(f"this manifest cannot be drawn: {str(exc).splitlines()[0]}") from exc
        blob_dir = central.publishing.channel_dir(name) / BLOBS_DIR
        state = console.previews.state(data, blob_dir, variant)
        sha = hashlib.sha256(data).hexdigest()
        pictures = _pictures(state, content, variant, sha, texts) if state.status == "ready" else None
        status = 503 if state.status in ("busy", "unavailable") else 200
        response = console.page(
            request,
            "preview.html",
            status,
            p=texts,
            name=name,
            title=title.format(id=number, n=manifest.release),
            shown=shown,
            state=state,
            pictures=pictures,
            refresh=REFRESH_SECONDS.get(state.status),
            choices=_choices(request.url.path, variant),
            variant=variant,
            seconds=Formats(language_of(request), central.clock()).number(state.seconds),
        )
        if state.status == "busy":
            response.headers["Retry-After"] = str(REFRESH_SECONDS["busy"])
        return response

    return router


def _number(text: str, what: str) -> int:
    """A draft or release number from the path; NotFound for anything else (``-1``, ``1e3``, ``../x``)."""
    if not (text.isascii() and text.isdigit() and len(text) <= 10) or not 0 < int(text) <= MAX_RELEASE:
        raise NotFound(f"no {what} {text[:20]!r}")
    return int(text)


def _variant(lang: str, screen: str) -> Variant:
    """The language and screen a preview is drawn in; a link without ``?lang=`` shows the reader's own
    console language (az or en) first, and ru stays one click away."""
    variant = Variant.parse(lang, screen)
    if variant is None:
        raise Invalid(
            f"a preview is in {', '.join(LANGUAGES)} on a {' or '.join(ORIENTATIONS)} screen, "
            f"not {lang[:10]!r} on {screen[:12]!r}"
        )
    return variant


def _choices(path: str, chosen: Variant) -> dict[str, list[tuple[str, str, bool]]]:
    """The links to the other languages and orientations: (value, link, whether it is the one shown)."""

    def link(lang: str, screen: str) -> str:
        return f"{path}?{urlencode({'lang': lang, 'screen': screen})}"

    return {
        "lang": [(lang, link(lang, chosen.orientation), lang == chosen.language) for lang in LANGUAGES],
        "screen": [
            (screen, link(chosen.language, screen), screen == chosen.orientation) for screen in ORIENTATIONS
        ],
    }


def _pictures(
    state: PreviewState, content: Content, variant: Variant, sha: str, texts: dict[str, str]
) -> Pictures:
    """The rendered files in the kiosk's order, each captioned in the reader's words."""
    views = {file.removesuffix(".png").rsplit("_", 2)[0]: file for file in state.files}
    folder = f"{PREFIX}/previews/{sha}/{variant.name}"

    def picture(view: str, caption: str) -> Picture:
        file = views.pop(view)
        thumbnail = file.removesuffix(".png") + ".jpg"
        shown = thumbnail if thumbnail in state.thumbnails else file
        return Picture(caption, f"{folder}/{quote(file)}", file, f"{folder}/{quote(shown)}")

    sections = [picture(v, texts[f"view_{v}"]) for v in ("energy", "video", "services") if v in views]
    page = 2
    while f"services-page{page}" in views:
        sections.append(picture(f"services-page{page}", texts["view_services_page"].format(n=page)))
        page += 1
    services = [
        picture(
            f"service-{s.id}",
            texts["view_featured" if s.featured else "view_service"].format(
                title=s.title.get(variant.language)
            ),
        )
        for s in content.services
        if f"service-{s.id}" in views
    ]
    announcements = [
        picture(
            f"announcement-{a.id}",
            texts["view_announcement"].format(text=_short(a.text.get(variant.language))),
        )
        for a in content.announcements
        if f"announcement-{a.id}" in views
    ]
    sections += [picture(view, view) for view in sorted(views)]  # anything the renderer added since
    width, height = variant.size
    size = (THUMBNAIL_WIDTH, round(height * THUMBNAIL_WIDTH / width)) if state.thumbnails else variant.size
    return Pictures(tuple(sections), tuple(services), tuple(announcements), size)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
