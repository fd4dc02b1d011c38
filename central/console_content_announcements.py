"""The editor's announcements: add, change or delete one in the working copy, with the level explained.

An announcement edited here goes into the next content draft with the other edits, checked as the quick
announcement of the Announcements page is (:func:`central.content_forms.announcement_from_form`) and then
by the kiosk's own parser with the rest of the copy. The quick page and "end now" stay for one-off
drafts made straight from the active release.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from central.console import BAKU
from central.console_editor import (
    Editor,
    form_fields,
    form_list,
    holds,
)
from central.content_forms import EditRefused, Problem, announcement_from_form, announcement_values
from central.working_copy import Copy, Stale
from kiosk.wire import LEVELS

log = logging.getLogger(__name__)

TABLE = "announcements"


def announcement_routes(router: APIRouter, editor: Editor) -> None:
    """``/console/channels/{name}/content/new/announcements`` and ``…/content/announcements/{id}``
    (form, save, ``/delete``), added to ``router`` before the editor's general item routes."""
    central, copies = editor.central, editor.copies

    def announcement_page(
        request: Request,
        name: str,
        item_id: str | None,
        values: Mapping[str, Any] | None = None,
        *,
        problems: Sequence[Problem] = (),
        stale: Copy | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        copy = copies.current(name)
        if values is None:
            values = (
                announcement_values(copy.item(TABLE, item_id)) if item_id else fresh_values(central.clock())
            )
        return editor.form_page(
            request,
            "content_announcement.html",
            status,
            copy,
            values,
            problems,
            stale,
            name=name,
            item_id=item_id,
            gone=stale is not None and item_id is not None and not holds(stale, TABLE, item_id),
            levels=LEVELS,
            centres=editor.known_centres(copy),
        )

    @router.get("/channels/{name}/content/new/announcements")
    def new_announcement(name: str, request: Request) -> HTMLResponse:
        return announcement_page(request, name, None)

    @router.get("/channels/{name}/content/announcements/{item_id}")
    def edit_announcement(name: str, item_id: str, request: Request) -> HTMLResponse:
        return announcement_page(request, name, item_id[:64])

    async def save(request: Request, name: str, item_id: str | None) -> Response:
        form = await request.form()
        fields, centres = form_fields(form), form_list(form, "centres")
        values = {**fields, "centres": centres}

        def work() -> Response:
            try:
                copy = copies.current(name)
                present = item_id is not None and holds(copy, TABLE, item_id)
                old = (
                    copy.item(TABLE, item_id) if present and item_id else {"id": item_id} if item_id else None
                )
                item = announcement_from_form(
                    fields,
                    centres,
                    editor.known_centres(copy),
                    now=central.clock(),
                    old=old,
                    taken={str(a.get("id")) for a in copy.items(TABLE)},
                )
                since = fields.get("revision", "")
                copies.put_item(
                    name, TABLE, item_id if present else None, item, by=editor.by(request), since=since
                )
            except EditRefused as refused:
                return announcement_page(
                    request, name, item_id, values, problems=refused.problems, status=400
                )
            except Stale as stale:
                return announcement_page(request, name, item_id, values, stale=stale.copy, status=409)
            log.info(
                "Console: %s saved announcement %s in %s's working copy", editor.by(request), item["id"], name
            )
            return editor.to_content(name, f"#{TABLE}")

        return await run_in_threadpool(work)

    @router.post("/channels/{name}/content/new/announcements")
    async def add_announcement(name: str, request: Request) -> Response:
        return await save(request, name, None)

    @router.post("/channels/{name}/content/announcements/{item_id}")
    async def change_announcement(name: str, item_id: str, request: Request) -> Response:
        return await save(request, name, item_id[:64])

    @router.post("/channels/{name}/content/announcements/{item_id}/delete")
    async def delete_announcement(name: str, item_id: str, request: Request) -> Response:
        since = str((await request.form()).get("revision", ""))

        def work() -> Response:
            try:
                copies.delete_item(name, TABLE, item_id[:64], by=editor.by(request), since=since)
            except EditRefused as refused:
                return editor.overview(request, name, problems=refused.problems, status=400)
            except Stale as stale:
                return editor.overview(request, name, stale=stale.copy, status=409)
            return editor.to_content(name, f"#{TABLE}")

        return await run_in_threadpool(work)


def fresh_values(now: Any) -> dict[str, Any]:
    """A new announcement's form: from now for four hours, as the quick announcement page starts."""
    start = now.astimezone(BAKU).replace(second=0, microsecond=0, tzinfo=None)
    return {
        "level": "info",
        "starts": start.isoformat(timespec="minutes"),
        "ends": (start + timedelta(hours=4)).isoformat(timespec="minutes"),
        "centres": [],
    }
