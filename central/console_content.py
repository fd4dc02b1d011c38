"""The console's content editor: the channel's working copy, its forms, and drafts to compare or discard.

The pages are thin: :mod:`central.working_copy` keeps and checks the copy, :mod:`central.drafts` makes
the draft, :mod:`kiosk.content.diff` computes what a draft changes (the difference ``kioskctl approve``
prints), and :func:`central.media_choices.media_choices` is where every media list comes from.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData

from central.console import (
    PREFIX,
    Console,
    Formats,
    _ConsoleRoute,
    approve_command,
    describe_draft,
    language_of,
)
from central.console_content_text import CONTENT_TEXTS
from central.errors import NotFound
from central.media_choices import channel_blobs, media_choices
from central.working_copy import (
    ATTRACT_SLOTS,
    Copy,
    EditRefused,
    Problem,
    WorkingCopies,
    general_from_form,
    service_from_form,
    video_from_form,
)
from kiosk.content.diff import diff_releases, render_text, shown
from kiosk.content.manifest import parse_manifest
from kiosk.content.model import ATTRACT_STEPS
from kiosk.errors import ContentError
from kiosk.wire import LANGUAGES

log = logging.getLogger(__name__)

MAX_LIST = 500
LANGUAGE_NAMES = {"az": "Azərbaycanca", "en": "English", "ru": "Русский"}


def content_routes(console: Console) -> APIRouter:
    """``/console/channels/{name}/content…`` (the editor) and ``/console/channels/{name}/drafts/{id}…``."""
    central = console.central
    copies = WorkingCopies(
        central.database,
        central.publishing,
        central.drafting,
        lambda: central.clock(),
        lambda channel: channel_blobs(central, channel),
    )
    router = APIRouter(prefix=PREFIX, route_class=_ConsoleRoute, include_in_schema=False)

    def by(request: Request) -> str:
        return f"console:{request.state.console_session.user_name}"

    def to_content(name: str, anchor: str = "") -> RedirectResponse:
        return RedirectResponse(f"{PREFIX}/channels/{quote(name)}/content{anchor}", status_code=303)

    def known_centres(copy: Copy) -> list[str]:
        found = {k["centre"] for k in central.fleet.kiosks()} | {c["name"] for c in central.fleet.centres()}
        for table in ("services", "videos"):
            for item in copy.items(table):
                centres = item.get("centres")
                found.update(c for c in centres if isinstance(c, str)) if isinstance(centres, list) else None
        return sorted(found)

    def overview(
        request: Request, name: str, *, problems: Sequence[Problem] = (), note: str = "", status: int = 200
    ) -> HTMLResponse:
        copy = copies.current(name)
        return console.page(
            request,
            "content.html",
            status,
            e=CONTENT_TEXTS[language_of(request)],
            name=name,
            copy=copy,
            problems=_shown(problems, language_of(request)),
            note=note,
        )

    @router.get("/channels/{name}/content")
    def content_page(name: str, request: Request) -> HTMLResponse:
        return overview(request, name)

    def item_page(
        request: Request,
        name: str,
        table: str,
        item_id: str | None,
        values: Mapping[str, Any] | None = None,
        *,
        problems: Sequence[Problem] = (),
        status: int = 200,
    ) -> HTMLResponse:
        copy = copies.current(name)
        if values is None:
            values = _form_values(copy.item(table, item_id) if item_id is not None else {"category": "green"})
        lang = language_of(request)
        media = {kind: media_choices(central, name, kind) for kind in ("image", "video", "subtitles")}
        return console.page(
            request,
            "content_item.html",
            status,
            e=CONTENT_TEXTS[lang],
            name=name,
            table=table,
            item_id=item_id,
            values=values,
            media=media,
            centres=known_centres(copy),
            content_languages=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
            problems=_by_field(problems, lang),
        )

    @router.get("/channels/{name}/content/new/{table}")
    def new_item(name: str, table: str, request: Request) -> HTMLResponse:
        return item_page(request, name, _table(table), None)

    @router.get("/channels/{name}/content/{table}/{item_id}")
    def edit_item(name: str, table: str, item_id: str, request: Request) -> HTMLResponse:
        return item_page(request, name, _table(table), item_id[:64])

    async def save(request: Request, name: str, table: str, item_id: str | None) -> Response:
        form = await request.form()
        fields, centres, weekdays = _fields(form), _list(form, "centres"), _list(form, "schedule.weekdays")
        values = {**fields, "centres": centres, "schedule.weekdays": weekdays}

        def work() -> Response:
            try:
                copy = copies.current(name)
                reader = service_from_form if table == "services" else video_from_form
                item = reader(fields, centres, weekdays, known_centres(copy))
                copies.put_item(name, table, item_id, item, by=by(request))
            except EditRefused as refused:
                return item_page(request, name, table, item_id, values, problems=refused.problems, status=400)
            log.info("Console: %s saved %s %s in %s's working copy", by(request), table, item.get("id"), name)
            return to_content(name, f"#{table}")

        return await run_in_threadpool(work)

    @router.post("/channels/{name}/content/new/{table}")
    async def add_item(name: str, table: str, request: Request) -> Response:
        return await save(request, name, _table(table), None)

    @router.post("/channels/{name}/content/{table}/{item_id}")
    async def change_item(name: str, table: str, item_id: str, request: Request) -> Response:
        return await save(request, name, _table(table), item_id[:64])

    @router.post("/channels/{name}/content/{table}/{item_id}/move")
    async def move_item(name: str, table: str, item_id: str, request: Request) -> Response:
        form = await request.form()
        step = -1 if form.get("step") == "up" else 1
        await run_in_threadpool(
            lambda: copies.move_item(name, _table(table), item_id[:64], step, by=by(request))
        )
        return to_content(name, f"#{table}")

    @router.post("/channels/{name}/content/{table}/{item_id}/delete")
    async def delete_item(name: str, table: str, item_id: str, request: Request) -> Response:
        def work() -> Response:
            try:
                copies.delete_item(name, _table(table), item_id[:64], by=by(request))
            except EditRefused as refused:  # e.g. the attract loop needs the last video
                return overview(request, name, problems=refused.problems, status=400)
            return to_content(name, f"#{table}")

        return await run_in_threadpool(work)

    def general_page(
        request: Request,
        name: str,
        values: Mapping[str, Any] | None = None,
        *,
        problems: Sequence[Problem] = (),
        status: int = 200,
    ) -> HTMLResponse:
        copy = copies.current(name)
        if values is None:
            values = _general_values(copy.document)
        lang = language_of(request)
        return console.page(
            request,
            "content_general.html",
            status,
            e=CONTENT_TEXTS[lang],
            name=name,
            values=values,
            slots=range(ATTRACT_SLOTS),
            steps=ATTRACT_STEPS,
            content_languages=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
            problems=_by_field(problems, lang),
        )

    @router.get("/channels/{name}/content/general")
    def general(name: str, request: Request) -> HTMLResponse:
        return general_page(request, name)

    @router.post("/channels/{name}/content/general")
    async def save_general(name: str, request: Request) -> Response:
        fields = _fields(await request.form())

        def work() -> Response:
            try:
                channel_name, attract = general_from_form(fields)
                copies.set_general(name, channel_name, attract, by=by(request))
            except EditRefused as refused:
                return general_page(request, name, fields, problems=refused.problems, status=400)
            return to_content(name)

        return await run_in_threadpool(work)

    @router.post("/channels/{name}/content/reset")
    def reset(name: str, request: Request) -> RedirectResponse:
        copies.reset(name, by=by(request))
        log.info("Console: %s reset %s's working copy to the active release", by(request), name)
        return to_content(name)

    @router.post("/channels/{name}/content/propose")
    async def propose(name: str, request: Request) -> Response:
        note = str((await request.form()).get("note", ""))[:2000]

        def work() -> Response:
            try:
                draft = copies.propose(name, note, by=by(request))
            except EditRefused as refused:
                return overview(request, name, problems=refused.problems, note=note, status=400)
            return RedirectResponse(f"{PREFIX}/channels/{quote(name)}/drafts/{draft}", status_code=303)

        return await run_in_threadpool(work)

    @router.get("/channels/{name}/drafts/{draft_id}")
    def draft_page(name: str, draft_id: int, request: Request) -> HTMLResponse:
        draft = central.drafting.pending_draft(name, draft_id)
        lang = language_of(request)
        formats = Formats(lang, central.clock())
        draft["shown"] = describe_draft(draft, formats)
        active = central.publishing.active_manifest(name)
        try:
            diff = diff_releases(active, parse_manifest(base64.b64decode(draft["manifest"])))
            error = ""
        except ContentError as exc:
            diff, error = None, str(exc)[:2000]
        changes = [c for c in diff.changes if c.table != "release"] if diff else []
        return console.page(
            request,
            "draft.html",
            e=CONTENT_TEXTS[lang],
            name=name,
            draft=draft,
            diff=diff,
            changes=changes,
            counts={
                kind: sum(1 for c in changes if c.kind == kind) for kind in ("added", "removed", "changed")
            },
            text=render_text(diff) if diff else "",
            error=error,
            visible=visible,
            command=approve_command(str(request.base_url).rstrip("/"), name, draft_id),
        )

    @router.post("/channels/{name}/drafts/{draft_id}/discard")
    def discard(name: str, draft_id: int, request: Request) -> RedirectResponse:
        central.drafting.discard(name, draft_id, by=by(request))
        return RedirectResponse(f"{PREFIX}/channels/{quote(name)}#drafts", status_code=303)

    @router.post("/channels/{name}/drafts/{draft_id}/edit")
    def open_draft(name: str, draft_id: int, request: Request) -> RedirectResponse:
        copies.open_draft(name, draft_id, by=by(request))
        log.info("Console: %s opened draft %d of %s in the working copy", by(request), draft_id, name)
        return to_content(name)

    return router


def visible(value: str | None) -> str:
    """A value as the signer must see it: control and format characters (right-to-left overrides,
    zero-width letters) written as ``\\u....`` so nothing on the page hides text; line breaks kept."""
    return "\n".join(shown(line) for line in (value or "").split("\n"))


def _table(value: str) -> str:
    if value not in ("services", "videos"):
        raise NotFound(f"no content table {value[:20]!r}")
    return value


def _fields(form: FormData) -> dict[str, str]:
    """The form's single-valued fields as text (files are not expected here and are ignored)."""
    return {
        key: value
        for key, value in form.items()
        if isinstance(value, str) and key not in ("csrf", "centres", "schedule.weekdays")
    }


def _list(form: FormData, key: str) -> list[str]:
    return [value[:128] for value in form.getlist(key) if isinstance(value, str)][:MAX_LIST]


def _form_values(item: Mapping[str, Any]) -> dict[str, Any]:
    """A service or video table as the form's fields."""
    values: dict[str, Any] = {}
    for key, value in item.items():
        if isinstance(value, dict) and key in ("title", "summary", "body", "subtitles"):
            values.update({f"{key}.{language}": str(text) for language, text in value.items()})
        elif key == "schedule" and isinstance(value, dict):
            for part in ("from", "until", "hours"):
                if part in value:
                    values[f"schedule.{part}"] = str(value[part])
            values["schedule.weekdays"] = [str(d) for d in value.get("weekdays", [])]
        elif key == "centres" and isinstance(value, list):
            values["centres"] = [str(c) for c in value]
        elif key == "featured":
            values["featured"] = "yes" if value is True else ""
        else:
            values[key] = str(value)
    values.setdefault("centres", [])
    values.setdefault("schedule.weekdays", [])
    return values


def _general_values(document: Mapping[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    channel = document.get("channel")
    name = channel.get("name") if isinstance(channel, dict) else None
    if isinstance(name, dict):
        values.update({f"name.{language}": str(text) for language, text in name.items()})
    attract = document.get("attract")
    attract = attract if isinstance(attract, dict) else {}
    sequence = attract.get("sequence", list(ATTRACT_STEPS))
    for i, step in enumerate(sequence[:ATTRACT_SLOTS] if isinstance(sequence, list) else []):
        values[f"sequence.{i}"] = str(step)
    for step in ATTRACT_STEPS:
        if f"{step}_seconds" in attract:
            values[f"{step}_seconds"] = str(attract[f"{step}_seconds"])
    return values


def _message(problem: Problem, lang: str) -> str:
    return CONTENT_TEXTS[lang][problem.code].format(detail=problem.detail)


def _shown(problems: Sequence[Problem], lang: str) -> list[str]:
    return [_message(p, lang) for p in problems]


def _by_field(problems: Sequence[Problem], lang: str) -> dict[str, list[str]]:
    """Messages per form field; ``""`` holds those for the whole form."""
    placed: dict[str, list[str]] = {}
    for problem in problems:
        placed.setdefault(problem.field, []).append(_message(problem, lang))
    return placed
