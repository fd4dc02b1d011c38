"""Which media a channel's content may name: the one place the console's media lists come from.

First the files of the channel's media library (uploaded in the console, checked and probed there),
newest first; then the blobs the channel already serves that the library does not list, known from its
releases and pending drafts (each manifest promises a blob's size and media type) and present in the
channel's blob folder (e.g. published from a folder with ``kioskctl publish``). Nothing else in the
console lists or describes media.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from central.models import Draft, Release
from central.publishing import channel_row
from kiosk.content.manifest import BLOBS_DIR, BlobInfo
from kiosk.content.publish import IMAGE_TYPES, SUBTITLE_TYPES, VIDEO_TYPES

if TYPE_CHECKING:
    from central.service import Central

log = logging.getLogger(__name__)

MEDIA_KINDS: dict[str, frozenset[str]] = {
    "image": frozenset(IMAGE_TYPES.values()),
    "video": frozenset(VIDEO_TYPES.values()),
    "subtitles": frozenset(SUBTITLE_TYPES.values()),
}
"""A media field's kind → the media types a kiosk accepts there (the same lists ``kioskctl publish`` uses)."""
RECENT_MANIFESTS = 30
"""Releases looked at for media, newest first: older blobs stay in the folder but leave the list."""


@dataclass(frozen=True)
class MediaItem:
    """One blob the channel holds: what its manifests promise and where the newest one used it."""

    sha: str
    info: BlobInfo
    used_as: str

    def label(self) -> str:
        size = self.info.size
        shown = f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(1, round(size / 1024))} kB"
        subtype = self.info.media_type.split("/")[-1].removeprefix("x-").split("+")[0].upper()
        return f"{self.used_as} · {subtype} · {shown} · {self.sha[:10]}"


def media_kind(media_type: str) -> str | None:
    """``image``, ``video`` or ``subtitles`` for a media type a kiosk shows; None for anything else."""
    return next((kind for kind, types in MEDIA_KINDS.items() if media_type in types), None)


def media_choices(central: Central, channel: str, kind: str) -> list[tuple[str, str]]:
    """``(sha256, label)`` of every blob of ``kind`` the channel's content may name: uploads first."""
    choices = [
        (item.sha, item.label())
        for item in _library_media(central, channel)
        if media_kind(item.info.media_type) == kind
    ]
    listed = {sha for sha, _label in choices}
    return choices + [
        (item.sha, item.label())
        for item in _channel_media(central, channel)
        if media_kind(item.info.media_type) == kind and item.sha not in listed
    ]


def channel_blobs(central: Central, channel: str) -> dict[str, BlobInfo]:
    """What a manifest must promise about each blob the channel holds and its content may name."""
    found = {item.sha: item.info for item in _channel_media(central, channel)}
    for item in _library_media(central, channel):
        found.setdefault(item.sha, item.info)
    return found


def _library_media(central: Central, channel: str) -> list[MediaItem]:
    """The media library's files whose blob is in place, labelled by their uploaded name."""
    folder = central.publishing.channel_dir(channel) / BLOBS_DIR
    found: list[MediaItem] = []
    for media in central.media.items(channel):
        path = folder / media.sha256
        if path.is_file() and path.stat().st_size == media.size:
            found.append(MediaItem(media.sha256, BlobInfo(media.size, media.media_type), media.name[:60]))
    return found


def _channel_media(central: Central, channel: str) -> list[MediaItem]:
    folder = central.publishing.channel_dir(channel) / BLOBS_DIR
    found: dict[str, MediaItem] = {}
    for manifest in _manifests(central, channel):
        blobs = manifest.get("blobs")
        if not isinstance(blobs, dict):
            continue
        uses = dict(_uses(manifest.get("content")))
        for sha, raw in blobs.items():
            if sha in found or not isinstance(raw, dict):
                continue
            size, media_type = raw.get("size"), raw.get("type")
            if not isinstance(size, int) or not isinstance(media_type, str):
                continue
            path = folder / sha
            if len(sha) == 64 and path.is_file() and path.stat().st_size == size:
                found[sha] = MediaItem(sha, BlobInfo(size, media_type), uses.get(sha, sha[:10]))
    return list(found.values())


def _manifests(central: Central, channel: str) -> Iterator[dict[str, Any]]:
    """Pending drafts' and recent releases' manifests, newest first, as JSON (already checked once)."""
    with central.database.session() as session:
        row = channel_row(session, channel)
        rows: list[bytes] = list(
            session.scalars(
                select(Draft.manifest)
                .where(Draft.channel_id == row.id, Draft.status == "pending")
                .order_by(Draft.id.desc())
            )
        )
        rows += session.scalars(
            select(Release.manifest)
            .where(Release.channel_id == row.id)
            .order_by(Release.number.desc())
            .limit(RECENT_MANIFESTS)
        )
    for data in rows:
        try:
            doc = json.loads(data)
        except ValueError:
            log.warning("Channel %s: a stored manifest is not JSON; its media are not listed", channel)
            continue
        if isinstance(doc, dict):
            yield doc


def _uses(content: Any) -> Iterator[tuple[str, str]]:
    """``(sha, "service-id › icon")`` for each media field, so a list can say what a blob was."""
    if not isinstance(content, dict):
        return
    for table in ("services", "videos"):
        items = content.get(table)
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict):
                continue
            name = str(item.get("id", "?"))[:64]
            for field in ("icon", "image", "file", "poster"):
                if isinstance(item.get(field), str):
                    yield item[field], f"{name} › {field}"
            subtitles = item.get("subtitles")
            if isinstance(subtitles, dict):
                for language, sha in subtitles.items():
                    if isinstance(sha, str):
                        yield sha, f"{name} › subtitles {str(language)[:8]}"
