"""The console's content editor: the channel's working copy, its service, video and channel forms,
resetting and proposing it (announcements and drafts have their own modules, on the same router).

The pages are thin: :mod:`central.working_copy` keeps and checks the copy, :mod:`central.content_forms`
reads the forms, and :func:`central.media_choices.media_choices` is where every media list comes from.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse

from central.console import PREFIX, Console, _ConsoleRoute
from central.console_content_announcements import announcement_routes
from central.console_drafts import draft_routes
from central.console_editor import (
    Editor,
    form_fields,
    form_list,
    holds,
)
from central.content_forms import (
    ATTRACT_SLOTS,
    EditRefused,
    Problem,
    general_from_form,
    service_from_form,
    video_from_form,
)
from central.errors import NotFound
from central.media_choices import media_choices
from central.working_copy import Copy, Stale
from kiosk.content.model import ATTRACT_STEPS

log = logging.getLogger(__name__)


def content_routes(console: Console) -> APIRouter:
    """``/console/channels/{name}/content…`` (the editor) and ``/console/channels/{name}/drafts/{id}…``."""
    editor = Editor(console)
    central, copies, by, to_content = console.central, editor.copies, editor.by, editor.to_content
    router = APIRouter(prefix=PREFIX, route_class=_ConsoleRoute, include_in_schema=False)
    announcement_routes(router, editor)  # before ``/content/{table}/{item_id}`` would take their paths

    @router.get("/channels/{name}/content")
    def content_page(name: str, request: Request) -> HTMLResponse:
        return editor.overview(request, name)

    def item_page(
        request: Request,
        name: str,
        table: str,
        item_id: str | None,
        values: Mapping[str, Any] | None = None,
        *,
        problems: Sequence[Problem] = (),
        stale: Copy | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        copy = copies.current(name)
        if values is None:
            values = _form_values(copy.item(table, item_id) if item_id is not None else {"category": "green"})
        media = {kind: media_choices(central, name, kind) for kind in ("image", "video", "subtitles")}
        return editor.form_page(
            request,
            "content_item.html",
            status,
            copy,
            values,
            problems,
            stale,
            name=name,
            table=table,
            item_id=item_id,
            gone=stale is not None and item_id is not None and not holds(stale, table, item_id),
            media=media,
            centres=editor.known_centres(copy),
        )

    @router.get("/channels/{name}/content/new/{table}")
    def new_item(name: str, table: str, request: Request) -> HTMLResponse:
        return item_page(request, name, _table(table), None)

    @router.get("/channels/{name}/content/{table}/{item_id}")
    def edit_item(name: str, table: str, item_id: str, request: Request) -> HTMLResponse:
        return item_page(request, name, _table(table), item_id[:64])

    async def save(request: Request, name: str, table: str, item_id: str | None) -> Response:
        form = await request.form()
        fields, centres, weekdays = (
            form_fields(form),
            form_list(form, "centres"),
            form_list(form, "schedule.weekdays"),
        )
        values = {**fields, "centres": centres, "schedule.weekdays": weekdays}

        def work() -> Response:
            try:
                copy = copies.current(name)
                reader = service_from_form if table == "services" else video_from_form
                item = reader(fields, centres, weekdays, editor.known_centres(copy))
                # Deleted meanwhile and saved again from the refusal page: it comes back.
                target = item_id if item_id is None or holds(copy, table, item_id) else None
                copies.put_item(name, table, target, item, by=by(request), since=fields.get("revision", ""))
            except EditRefused as refused:
                return item_page(request, name, table, item_id, values, problems=refused.problems, status=400)
            except Stale as stale:
                return item_page(request, name, table, item_id, values, stale=stale.copy, status=409)
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
        step, since = -1 if form.get("step") == "up" else 1, str(form.get("revision", ""))

        def work() -> Response:
            try:
                copies.move_item(name, _table(table), item_id[:64], step, by=by(request), since=since)
            except Stale as stale:
                return editor.overview(request, name, stale=stale.copy, status=409)
            return to_content(name, f"#{table}")

        return await run_in_threadpool(work)

    @router.post("/channels/{name}/content/{table}/{item_id}/delete")
    async def delete_item(name: str, table: str, item_id: str, request: Request) -> Response:
        since = str((await request.form()).get("revision", ""))

        def work() -> Response:
            try:
                copies.delete_item(name, _table(table), item_id[:64], by=by(request), since=since)
            except EditRefused as refused:  # e.g. the attract loop needs the last video
                return editor.overview(request, name, problems=refused.problems, status=400)
            except Stale as stale:
                return editor.overview(request, name, stale=stale.copy, status=409)
            return to_content(name, f"#{table}")

        return await run_in_threadpool(work)

    def general_page(
        request: Request,
        name: str,
        values: Mapping[str, Any] | None = None,
        *,
        problems: Sequence[Problem] = (),
        stale: Copy | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        copy = copies.current(name)
        if values is None:
            values = _general_values(copy.document)
        return editor.form_page(
            request,
            "content_general.html",
            status,
            copy,
            values,
            problems,
            stale,
            name=name,
            slots=range(ATTRACT_SLOTS),
            steps=ATTRACT_STEPS,
        )

    @router.get("/channels/{name}/content/general")
    def general(name: str, request: Request) -> HTMLResponse:
        return general_page(request, name)

    @router.post("/channels/{name}/content/general")
    async def save_general(name: str, request: Request) -> Response:
        fields = form_fields(await request.form())

        def work() -> Response:
            try:
                channel_name, attract = general_from_form(fields)
                copies.set_general(
                    name, channel_name, attract, by=by(request), since=fields.get("revision", "")
                )
            except EditRefused as refused:
                return general_page(request, name, fields, problems=refused.problems, status=400)
            except Stale as stale:
                return general_page(request, name, fields, stale=stale.copy, status=409)
            return to_content(name)

        return await run_in_threadpool(work)

    @router.post("/channels/{name}/content/reset")
    async def reset(name: str, request: Request) -> Response:
        since = str((await request.form()).get("revision", ""))

        def work() -> Response:
            try:
                copies.reset(name, by=by(request), since=since)
            except Stale as stale:
                return editor.overview(request, name, stale=stale.copy, status=409)
            log.info("Console: %s reset %s's working copy to the active release", by(request), name)
            return to_content(name)

        return await run_in_threadpool(work)

    @router.post("/channels/{name}/content/propose")
    async def propose(name: str, request: Request) -> Response:
        form = await request.form()
        note, since = str(form.get("note", ""))[:2000], str(form.get("revision", ""))

        def work() -> Response:
            try:
                draft = copies.propose(name, note, by=by(request), since=since)
            except EditRefused as refused:
                return editor.overview(request, name, problems=refused.problems, note=note, status=400)
            except Stale as stale:
                return editor.overview(request, name, note=note, stale=stale.copy, status=409)
            return RedirectResponse(f"{PREFIX}/channels/{quote(name)}/drafts/{draft}", status_code=303)

        return await run_in_threadpool(work)

    draft_routes(router, editor)
    return router


def _table(value: str) -> str:
    if value not in ("services", "videos"):
        raise NotFound(f"no content table {value[:20]!r}")
    return value


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
