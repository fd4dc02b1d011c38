"""A draft's page: what it changes, compared with a release the page names, and for a pending draft the
actions on it (reopen in the editor, discard, the approve command).

A pending draft is compared with the active release, which is what approving it would change. A draft
that is no longer pending (published, superseded, discarded) is compared with the release it was built
on when that is kept (a content draft's ``base_release``), else with the release before its own number.
The difference is :func:`kiosk.content.diff.diff_releases`, the one ``kioskctl approve`` prints.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from central.console import PREFIX, Formats, approve_command, describe_draft, language_of
from central.console_content_text import CONTENT_TEXTS
from central.console_editor import Editor
from central.drafts import ContentDraft, params_of
from central.errors import NotFound
from central.service import Central
from central.working_copy import Stale
from kiosk.content.diff import diff_releases, render_text, shown
from kiosk.content.manifest import Manifest, parse_manifest
from kiosk.errors import ContentError
from kiosk.wire import MAX_RELEASE

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Baseline:
    """What a draft is compared with: a release (None: nothing kept) and why that one (a text key)."""

    manifest: Manifest | None
    number: int | None
    why: str


def baseline(central: Central, channel: str, draft: dict[str, Any]) -> Baseline:
    if draft["status"] == "pending":
        active = central.publishing.active_manifest(channel)
        if active is not None:
            return Baseline(active, active.release, "compare_with_active")
        return Baseline(None, None, "compare_with_nothing")
    params = params_of(str(draft["kind"]), draft.get("params"))
    candidates = []
    if isinstance(params, ContentDraft) and params.base_release > 0:
        candidates.append((params.base_release, "compare_with_base"))
    candidates.append((int(draft["release"]) - 1, "compare_with_before"))
    for number, why in candidates:
        if number < 1:
            continue
        try:
            manifest = parse_manifest(central.publishing.release_manifest(channel, number))
        except NotFound:
            continue  # not kept (or never published): try the next
        except ContentError as exc:
            log.warning("Channel %s: release %d cannot be read to compare with: %s", channel, number, exc)
            continue
        return Baseline(manifest, number, why)
    return Baseline(None, None, "compare_with_nothing")


def find_draft(central: Central, channel: str, draft_id: int) -> dict[str, Any]:
    """One draft of the channel, whatever its status (NotFound otherwise)."""
    if 0 < draft_id <= MAX_RELEASE:
        for draft in central.drafts(channel, pending_only=False):
            if draft["id"] == draft_id:
                return draft
    raise NotFound(f"channel {channel!r} has no draft {draft_id}")


def draft_routes(router: APIRouter, editor: Editor) -> None:
    """``/console/channels/{name}/drafts/{id}`` (compare) and its ``/discard`` and ``/edit`` actions."""
    central, console = editor.central, editor.console

    @router.get("/channels/{name}/drafts/{draft_id}")
    def draft_page(name: str, draft_id: int, request: Request) -> HTMLResponse:
        draft = find_draft(central, name, draft_id)
        lang = language_of(request)
        formats = Formats(lang, central.clock())
        draft["shown"] = describe_draft(draft, formats)
        base = baseline(central, name, draft)
        try:
            diff = diff_releases(base.manifest, parse_manifest(base64.b64decode(draft["manifest"])))
            error = ""
        except ContentError as exc:
            diff, error = None, str(exc)[:2000]
        changes = [c for c in diff.changes if c.table != "release"] if diff else []
        # "Open in the working copy" replaces the copy: it carries the copy's state as drawn here
        reopenable = draft["status"] == "pending" and draft["kind"] == "content"
        revision = editor.copies.current(name).revision if reopenable else ""
        return console.page(
            request,
            "draft.html",
            e=CONTENT_TEXTS[lang],
            name=name,
            draft=draft,
            base=base,
            diff=diff,
            changes=changes,
            counts={
                kind: sum(1 for c in changes if c.kind == kind) for kind in ("added", "removed", "changed")
            },
            text=render_text(diff) if diff else "",
            error=error,
            visible=visible,
            command=approve_command(str(request.base_url).rstrip("/"), name, draft_id),
            revision=revision,
        )

    @router.post("/channels/{name}/drafts/{draft_id}/discard")
    def discard(name: str, draft_id: int, request: Request) -> RedirectResponse:
        central.drafting.discard(name, draft_id, by=editor.by(request))
        return RedirectResponse(f"{PREFIX}/channels/{quote(name)}#drafts", status_code=303)

    @router.post("/channels/{name}/drafts/{draft_id}/edit")
    async def open_draft(name: str, draft_id: int, request: Request) -> Response:
        since = str((await request.form()).get("revision", ""))

        def work() -> Response:
            try:
                editor.copies.open_draft(name, draft_id, by=editor.by(request), since=since)
            except Stale as stale:  # a colleague saved edits since this page was drawn: keep them
                return editor.overview(request, name, stale=stale.copy, status=409)
            who = editor.by(request)
            log.info("Console: %s opened draft %d of %s in the working copy", who, draft_id, name)
            return editor.to_content(name)

        return await run_in_threadpool(work)


def visible(value: str | None) -> str:
    """A value as the signer must see it: control and format characters (right-to-left overrides,
    zero-width letters) written as ``\\u....`` so nothing on the page hides text; line breaks kept."""
    return "\n".join(shown(line) for line in (value or "").split("\n"))
