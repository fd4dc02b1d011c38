"""A draft's manifest built from a base release and the draft's typed parameters.

The same functions make a draft when it is proposed and rebuild it when another draft is published
first, so a pending draft always means "the active release plus this change", never a stale copy of an
older release that would undo what was published since.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from central.content_merge import merge_content, referenced_blobs
from central.draft_params import AnnouncementDraft, ContentDraft, EndAnnouncement, SettingsDraft
from central.errors import Conflict, Rejected
from kiosk.content.manifest import BlobInfo, Manifest, content_of, encode_manifest, parse_manifest
from kiosk.errors import ContentError

EVERY = "every"
CONTENT_VALID = timedelta(days=90)
ROLLBACK_VALID = timedelta(days=365)


class Unbuildable(Conflict):
    """The draft's change cannot be made on this base; ``code`` and ``detail`` say why to the console."""

    def __init__(self, code: str, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Built:
    """A draft's content, blobs and expiry, before it gets a release number."""

    content: Mapping[str, Any]
    blobs: Mapping[str, BlobInfo]
    expires: datetime

    def encode(self, number: int, created: datetime) -> bytes:
        """The bytes to be signed, refused (Rejected) unless a kiosk's parser takes them."""
        data = encode_manifest(
            release=number, created=created, expires=self.expires, content=self.content, blobs=self.blobs
        )
        try:
            parse_manifest(data)
        except ContentError as exc:
            raise Rejected(str(exc).splitlines()[0]) from exc
        return data


def rollback_build(target: Manifest, now: datetime, valid: timedelta = ROLLBACK_VALID) -> Built:
    """An earlier release's content and blobs as they were."""
    return Built(target.content, target.blobs, now + valid)


def unique_id(wanted: str, items: Sequence[Any]) -> str:
    """``wanted``, or ``wanted-2``, ``-3``... when an item of ``items`` already has that id."""
    taken = {item.get("id") for item in items if isinstance(item, Mapping)}
    found, n = wanted, 2
    while found in taken:
        found, n = f"{wanted}-{n}", n + 1
    return found


def announcement_build(base: Manifest, params: AnnouncementDraft) -> Built:
    """The base's content with the announcement added (``params.id`` made unique there by the caller)."""
    content = copy.deepcopy(dict(base.content))
    items = content.setdefault("announcements", [])
    item: dict[str, Any] = {
        "id": params.id,
        "level": params.level,
        "starts": params.starts.isoformat(),
        "ends": params.ends.isoformat(),
        "text": dict(params.texts),
    }
    if params.centres:
        item["centres"] = list(params.centres)
    items.append(item)
    expires = base.expires if base.expires > params.ends else params.ends + timedelta(days=30)
    return Built(content, base.blobs, expires)


def end_build(base: Manifest, params: EndAnnouncement, now: datetime) -> Built:
    """The base's content with one announcement ending at ``params.at`` (removed if not started by then)."""
    found = next((a for a in content_of(base, None).announcements if a.id == params.announcement), None)
    name = params.announcement[:70]
    if found is None:
        raise Unbuildable(
            "announcement_gone", f"release {base.release} has no announcement {name!r}", params.announcement
        )
    if found.ends <= params.at:
        raise Unbuildable(
            "announcement_ended", f"announcement {name!r} has already ended", params.announcement
        )
    content = copy.deepcopy(dict(base.content))
    items = content.get("announcements") or []
    if found.starts >= params.at:
        content["announcements"] = [i for i in items if i.get("id") != params.announcement]
    else:
        for item in items:
            if item.get("id") == params.announcement:
                item["ends"] = params.at.isoformat()
    expires = base.expires if base.expires > now + timedelta(days=1) else now + timedelta(days=30)
    return Built(content, base.blobs, expires)


def target_of(entry: Mapping[str, Any]) -> str | None:
    """``every``, ``centre:<id>`` or ``kiosk:<id>`` for an entry the console's form can edit; else None."""
    centres, kiosks = entry.get("centres") or [], entry.get("kiosks") or []
    if not centres and not kiosks:
        return EVERY
    if len(centres) == 1 and not kiosks:
        return f"centre:{centres[0]}"
    if len(kiosks) == 1 and not centres:
        return f"kiosk:{kiosks[0]}"
    return None


def settings_build(base: Manifest, params: SettingsDraft, now: datetime, *, rebuild: bool = False) -> Built:
    """The base's content with the draft's ``[[settings]]``.

    Proposed, the list is the draft's as given. Rebuilt on a newer release, only the entry of the
    draft's target (the one the console's form edited) is the draft's: the newer release's entries for
    other targets stay, so two settings drafts for different centres both survive.
    """
    entries = [dict(entry) for entry in params.entries]
    current = base.content.get("settings")
    if (
        rebuild
        and params.target.partition(":")[0] in (EVERY, "centre", "kiosk")
        and isinstance(current, list)
    ):
        kept = [dict(e) for e in current if isinstance(e, Mapping) and target_of(e) != params.target]
        entries = kept + [e for e in entries if target_of(e) == params.target]
    content = copy.deepcopy(dict(base.content))
    if entries:
        content["settings"] = copy.deepcopy(entries)
    else:
        content.pop("settings", None)
    return Built(content, base.blobs, max(base.expires, now + CONTENT_VALID))


def content_build(
    document: Mapping[str, Any], blobs: Mapping[str, BlobInfo], base: Manifest | None, now: datetime
) -> Built:
    """A whole content document as the console's editor proposed it."""
    expires = max(base.expires, now + CONTENT_VALID) if base else now + CONTENT_VALID
    return Built(copy.deepcopy(dict(document)), blobs, expires)


def content_rebuild(
    params: ContentDraft, edited_from: Manifest | None, draft: Manifest, base: Manifest, now: datetime
) -> Built:
    """A content draft carried onto ``base``: a three-way merge with ``edited_from`` (its base release)."""
    if edited_from is None:
        raise Unbuildable(
            "no_base",
            f"release {params.base_release}, which the draft was edited from, is not kept",
            str(params.base_release),
        )
    return content_onto(edited_from, draft.content, draft.blobs, base, now)


def content_onto(
    edited_from: Manifest,
    content: Mapping[str, Any],
    blobs: Mapping[str, BlobInfo],
    base: Manifest,
    now: datetime,
) -> Built:
    """Content edited from ``edited_from`` carried onto the newer ``base`` (Unbuildable "conflict" naming
    the parts both changed)."""
    merged = merge_content(edited_from.content, content, base.content)
    if merged.content is None:
        parts = ", ".join(merged.conflicts)
        raise Unbuildable("conflict", f"{parts} changed in both the draft and release {base.release}", parts)
    found = referenced_blobs(merged.content, blobs, base.blobs)
    return Built(merged.content, found, max(base.expires, now + CONTENT_VALID))
