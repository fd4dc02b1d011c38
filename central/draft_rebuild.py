"""Rebuilding a channel's pending drafts on the release just published, so none publishes stale bytes.

Runs inside the approving transaction, under the channel's lock: each other pending draft, in the order
the drafts were made, is built again on the new release from its typed parameters (a rollback keeps its
content, a content draft is merged) with the next release numbers, and one that cannot be is superseded
with the reason. A failure rebuilding one draft never undoes the approval.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.content_merge import merge_content
from central.draft_builds import (
    Built,
    Unbuildable,
    announcement_build,
    content_rebuild,
    end_build,
    rollback_build,
    settings_build,
    unique_id,
)
from central.draft_params import (
    AnnouncementDraft,
    EndAnnouncement,
    Rollback,
    SettingsDraft,
    params_of,
    params_to_json,
    stored_params,
)
from central.errors import Rejected
from central.models import Channel, Draft, Release, WorkingCopy
from central.publishing import superseded_params
from kiosk.content.manifest import Manifest, parse_manifest
from kiosk.errors import ContentError
from kiosk.wire import MAX_RELEASE

log = logging.getLogger(__name__)

REBASED_KEY = "rebased_on"
"""Kept beside a rebuilt draft's parameters: the release it was rebuilt on, when, and the sha256 of the
bytes it had before (so a signature over those is told apart from a forged one)."""
MAX_EARLIER = 16


def rebuild_pending(
    session: Session, row: Channel, new: Manifest, *, by: str, note: str, now: datetime
) -> None:
    """Every other pending draft, in id order, rebuilt on ``new`` with the next numbers; one that
    cannot be is superseded with the reason, and never undoes the approval."""
    number = new.release
    pending = session.scalars(
        select(Draft).where(Draft.channel_id == row.id, Draft.status == "pending").order_by(Draft.id)
    ).all()
    for draft in pending:
        try:
            if number >= MAX_RELEASE:
                raise Unbuildable("numbers", f"channel {row.name!r} has used every release number")
            _rebuild(session, row, draft, new, number + 1, now, by)
            number += 1
            continue
        except (Unbuildable, Rejected) as exc:
            code, detail = getattr(exc, "code", "refused"), getattr(exc, "detail", str(exc))
            reason = {"code": code, "detail": detail, "text": str(exc)}
            log.warning(
                "Channel %s: draft %d cannot be rebuilt on release %d: %s",
                row.name,
                draft.id,
                new.release,
                exc,
            )
        except Exception as exc:  # one draft's fault must not undo the approval
            log.exception(
                "Channel %s: rebuilding draft %d on release %d failed", row.name, draft.id, new.release
            )
            reason = {"code": "failed", "detail": type(exc).__name__, "text": f"rebuilding failed: {exc}"}
        draft.status = "superseded"
        draft.params = superseded_params(draft.params, new.release, by, note, reason)


def _rebuild(
    session: Session, row: Channel, draft: Draft, new: Manifest, number: int, now: datetime, by: str
) -> None:
    stored = stored_params(draft.params)
    params = params_of(draft.kind, stored)
    if params is None:
        raise Unbuildable("unknown", f"draft {draft.id} keeps no parameters to rebuild it from")
    try:
        old = parse_manifest(bytes(draft.manifest))
    except ContentError as exc:
        raise Rejected(str(exc).splitlines()[0]) from exc
    if isinstance(params, Rollback):
        built = rollback_build(old, now)
    elif isinstance(params, AnnouncementDraft):
        params = replace(params, id=free_id(new, params.id or _legacy_id(old, params, draft.created)))
        built = announcement_build(new, params)
    elif isinstance(params, EndAnnouncement):
        built = end_build(new, params, now)
    elif isinstance(params, SettingsDraft):
        built = settings_build(new, params, now, rebuild=True)
        params = replace(params, entries=tuple(built.content.get("settings", [])))
    else:
        edited_from = release_in(session, row, params.base_release)
        built = content_rebuild(params, edited_from, old, new, now)
        params = replace(params, base_release=new.release)
        _follow_working_copy(session, row, draft.id, old, built, new.release, now, by)
    data = built.encode(number, now)
    earlier = [old.digest, *(rebuild_record(stored).get("earlier") or [])][:MAX_EARLIER]
    keep = {REBASED_KEY: {"release": new.release, "at": now.isoformat(), "earlier": earlier}}
    draft.manifest, draft.number, draft.params = data, number, params_to_json(params, keep)
    draft.description = params.describe()[:512]
    log.info(
        "Channel %s: draft %d rebuilt on release %d as release %d",
        row.name,
        draft.id,
        new.release,
        number,
    )


def release_in(session: Session, row: Channel, number: int) -> Manifest | None:
    """Release ``number`` of the channel, parsed; None for 0 or a release not kept."""
    if number <= 0:
        return None
    data = session.scalar(
        select(Release.manifest).where(Release.channel_id == row.id, Release.number == number)
    )
    return None if data is None else parse_manifest(bytes(data))


def free_id(base: Manifest, wanted: str) -> str:
    items = base.content.get("announcements")
    return unique_id(wanted, items if isinstance(items, list) else [])


def _legacy_id(old: Manifest, params: AnnouncementDraft, created: datetime) -> str:
    """The id a draft kept before ids were stored gave its announcement, found in its own bytes."""
    items = old.content.get("announcements")
    for item in items if isinstance(items, list) else []:
        if item.get("text") == dict(params.texts) and item.get("ends") == params.ends.isoformat():
            return str(item["id"])
    return f"console-{int(created.timestamp())}"


def _follow_working_copy(
    session: Session,
    row: Channel,
    draft_id: int,
    old: Manifest,
    built: Built,
    release: int,
    now: datetime,
    by: str,
) -> None:
    """A working copy that is exactly the rebuilt content draft follows it onto the new release, marked
    as changed by that release's approval (an editor page opened before it is then refused, saying so)."""
    copy = session.get(WorkingCopy, row.id)
    if copy is None or copy.draft_id != draft_id:
        return
    document: Mapping[str, Any] = json.loads(copy.document)
    if document == old.content:
        document = built.content
    else:  # edited since it was proposed: carry those edits along
        merged = merge_content(old.content, document, built.content)
        if merged.content is None:
            return  # left on its release; proposing it names the part changed on both sides
        document = merged.content
    copy.document = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    copy.base_release = release
    copy.updated, copy.updated_by = now, f"{by} (release {release})"[:128]


def follow_published(
    session: Session, row: Channel, draft_id: int, release: int, now: datetime, by: str
) -> None:
    """A working copy proposed as the draft just published is that release plus any edit made since, so
    it now counts as taken from that release (a later proposal builds on it instead of undoing it)."""
    copy = session.get(WorkingCopy, row.id)
    if copy is not None and copy.draft_id == draft_id:
        copy.base_release, copy.draft_id = release, None
        copy.updated, copy.updated_by = now, f"{by} (release {release})"[:128]


def rebuild_record(params: Mapping[str, Any]) -> dict[str, Any]:
    """The rebuild bookkeeping of a draft's stored parameters (``{}`` when it was never rebuilt)."""
    found = params.get(REBASED_KEY)
    if not isinstance(found, dict):
        return {}
    earlier = found.get("earlier")
    return {
        **found,
        "earlier": [e for e in earlier if isinstance(e, str)] if isinstance(earlier, list) else [],
    }
