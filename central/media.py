"""A channel's media library: files uploaded in the console, kept as the blobs the channel serves.

An upload is received into a temporary file (counted and cut off at its kind's limit, never whole in
memory), checked as the kiosk would check it (extension, first bytes, size; videos and pictures read
by ffprobe), then stored content-addressed with :meth:`Publishing.store_blob`, so a release that names
its sha256 needs no second upload. The same bytes uploaded twice are one item. The content editor
picks from :meth:`MediaLibrary.items`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from central.console_media_text import MEDIA_TEXTS
from central.db import Database
from central.errors import (
    CentralError,
    Conflict,
    Invalid,
    NotFound,
    Rejected,
    StorageFull,
    TooLarge,
    Unsupported,
)
from central.media_probe import (
    MAX_IMAGE_SIDE,
    PROBE_SECONDS,
    ProbeFailed,
    ffprobe_available,
    parse_image,
    parse_video,
    run_ffprobe,
    video_problems,
)
from central.models import Draft, MediaFile, Release, WorkingCopy
from central.publishing import Publishing, channel_row, check_sha
from central.served_files import storage_errors
from kiosk.content.manifest import BLOBS_DIR, media_size_limit
from kiosk.content.publish import SNIFF_BYTES, allowed_types, looks_like

log = logging.getLogger(__name__)

KIND_FIELDS = {
    "icon": "services[0].icon",
    "image": "services[0].image",
    "video": "videos[0].file",
    "poster": "videos[0].poster",
    "subtitles": "videos[0].subtitles.az",
}
"""Each kind as the content field that holds it: the kiosk's own type and size rules follow from it."""
KINDS = tuple(KIND_FIELDS)
PICTURE_KINDS = frozenset({"icon", "image", "poster"})
RASTER_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp"})
MAX_NAME_CHARS = 120
CHUNK = 256 * 1024


@dataclass(frozen=True)
class MediaItem:
    """One file of the library. ``width``…``frame_rate`` are what ffprobe read (None where none)."""

    channel: str
    sha256: str
    size: int
    kind: str
    name: str
    media_type: str
    codec: str | None
    width: int | None
    height: int | None
    duration_s: float | None
    frame_rate: float | None
    uploaded_by: str
    uploaded_at: datetime

    def usable_as(self, kind: str) -> bool:
        """Any picture fits an icon, picture or poster field (same types, same limit); else its own kind."""
        if kind in PICTURE_KINDS:
            return self.media_type.startswith("image/")
        return self.kind == kind


class MediaRefused(CentralError):  # noqa: N818 - beside NotFound, Conflict, ...
    """A refusal the console shows in the reader's language: ``reason`` names the sentence."""

    def __init__(self, reason: str, **params: Any) -> None:
        self.reason = reason
        self.params = params
        super().__init__(MEDIA_TEXTS["en"]["media_" + reason].format(**params))


class MediaTooLarge(MediaRefused, TooLarge):
    """Over its kind's size limit (413)."""


class MediaUnsupported(MediaRefused, Unsupported):
    """Not a type this kind may hold, or not what its name says (415)."""


class MediaUnplayable(MediaRefused, Rejected):
    """A real file kiosks cannot play or show (422)."""


class MediaInUse(MediaRefused, Conflict):
    """Named by a release, a pending draft or the working copy, so it must stay (409)."""


class MediaDiskFull(MediaRefused, StorageFull):
    """The server's disk filled up under the upload (507); the partial file is removed."""


class Upload:
    """An upload being received: a temporary file, hashed and counted as it grows, cut at ``limit``."""

    def __init__(self, folder: Path, limit: int, kind: str | None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=folder, prefix="upload-")
        self.path = Path(name)
        self._file = os.fdopen(handle, "wb")
        self.limit = limit
        self.kind = kind
        self.size = 0
        self.head = b""
        self._digest = hashlib.sha256()

    def write(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise MediaTooLarge("too_large", limit=_megabytes(self.limit))
        if len(self.head) < SNIFF_BYTES:
            self.head += data[: SNIFF_BYTES - len(self.head)]
        self._digest.update(data)
        with _disk_full_refused():
            self._file.write(data)

    def finish(self) -> str:
        with _disk_full_refused():
            self._file.close()
        return self._digest.hexdigest()

    def discard(self) -> None:
        try:
            self._file.close()
        except OSError as exc:  # a full disk cannot take the last buffered bytes: they go anyway
            log.info("Media: an unfinished upload could not be flushed (%s); it is removed", exc)
        finally:
            self.path.unlink(missing_ok=True)


class MediaLibrary:
    """The media rows in the database and their blobs in the channels' folders."""

    def __init__(
        self,
        publishing: Publishing,
        database: Database,
        clock: Callable[[], datetime],
        *,
        work_dir: Path,
        probe_seconds: float = PROBE_SECONDS,
    ) -> None:
        self.publishing = publishing
        self.database = database
        self.clock = clock
        self.work_dir = work_dir  # not under channels/: a half-received upload is never served
        self.probe_seconds = probe_seconds

    # --- what the content editor and the console read ---------------------------------------------
    def items(self, channel: str, kind: str | None = None) -> list[MediaItem]:
        """The channel's files, newest first; with ``kind``, those a field of that kind may name."""
        if kind is not None and kind not in KIND_FIELDS:
            raise Invalid(f"media kind {kind[:20]!r}: use one of {', '.join(KINDS)}")
        with self.database.session() as session:
            row = channel_row(session, channel)
            found = session.scalars(
                select(MediaFile)
                .where(MediaFile.channel_id == row.id)
                .order_by(MediaFile.uploaded_at.desc(), MediaFile.id.desc())
            )
            items = [_item(channel, media) for media in found]
        return [item for item in items if kind is None or item.usable_as(kind)]

    def get(self, channel: str, sha: str) -> MediaItem:
        check_sha(sha)
        with self.database.session() as session:
            row = channel_row(session, channel)
            media = session.scalar(
                select(MediaFile).where(MediaFile.channel_id == row.id, MediaFile.sha256 == sha)
            )
            if media is None:
                raise NotFound(f"channel {channel!r} has no media file {sha}")
            return _item(channel, media)

    def blob_path(self, channel: str, sha: str) -> Path:
        check_sha(sha)
        return self.publishing.channel_dir(channel) / BLOBS_DIR / sha

    # --- adding ------------------------------------------------------------------------------------
    def limit(self, kind: str | None) -> int:
        """The most bytes a file of ``kind`` may have: the kiosk's limit, within the server's blob limit."""
        kiosk_limit = media_size_limit(KIND_FIELDS[kind]) if kind in KIND_FIELDS else media_size_limit("")
        return min(kiosk_limit, self.publishing.max_blob_bytes)

    def start(self, kind: str | None) -> Upload:
        """A temporary file to receive an upload into (the HTTP edge writes to it as bytes arrive)."""
        if kind is not None and kind not in KIND_FIELDS:
            raise Invalid(f"media kind {kind[:20]!r}: use one of {', '.join(KINDS)}")
        return Upload(self.work_dir, self.limit(kind), kind)

    def add(
        self, channel: str, filename: str, chunks: Iterable[bytes], *, kind: str | None = None, by: str
    ) -> MediaItem:
        """Receive, check and store one file; the item already there when these bytes were uploaded before."""
        upload = self.start(kind)
        try:
            for chunk in chunks:
                upload.write(chunk)
            return self.finish(channel, upload, filename, by=by)
        finally:
            upload.discard()

    def finish(self, channel: str, upload: Upload, filename: str, *, by: str) -> MediaItem:
        """Check a received upload and keep it (the caller discards the temporary file)."""
        self.publishing.channel_release(channel)  # NotFound for an unknown channel
        sha = upload.finish()
        name = clean_name(filename)
        suffix = Path(name).suffix.lower() if "." in name else ""
        kind = upload.kind or kind_of(suffix)
        if kind is None:
            raise MediaUnsupported("unknown_type", name=name)
        types = allowed_types(KIND_FIELDS[kind])
        if suffix not in types:
            raise MediaUnsupported("wrong_type", name=name, allowed=", ".join(sorted(types)))
        if upload.size == 0:
            raise MediaUnsupported("empty", name=name)
        if upload.size > self.limit(kind):
            raise MediaTooLarge("too_large", limit=_megabytes(self.limit(kind)))
        if not looks_like(upload.head, suffix):
            raise MediaUnsupported("not_what_it_says", name=name, type=types[suffix])
        facts = self._probe(upload.path, name, kind, suffix)
        try:
            return self.get(channel, sha)  # the same bytes again: one item
        except NotFound:
            pass
        try:
            self.publishing.store_blob(channel, sha, upload.size, _read(upload.path))
        except StorageFull as exc:
            raise MediaDiskFull("disk_full") from exc
        try:
            self._insert(channel, sha, upload.size, kind, name, types[suffix], by, facts)
        except IntegrityError:  # the same bytes, uploaded at the same moment by someone else
            return self.get(channel, sha)
        log.info("Media: %s added %s (%s, %d bytes) to %s as %s", by, name, kind, upload.size, channel, sha)
        return self.get(channel, sha)

    def _insert(
        self,
        channel: str,
        sha: str,
        size: int,
        kind: str,
        name: str,
        media_type: str,
        by: str,
        facts: dict[str, Any],
    ) -> None:
        with self.database.session() as session:
            row = channel_row(session, channel)
            session.add(
                MediaFile(
                    channel_id=row.id,
                    sha256=sha,
                    size=size,
                    kind=kind,
                    name=name,
                    media_type=media_type,
                    uploaded_by=by[:128],
                    uploaded_at=self.clock(),
                    **facts,
                )
            )

    def _probe(self, path: Path, name: str, kind: str, suffix: str) -> dict[str, Any]:
        """What ffprobe reads of a video or a raster picture; refuses what kiosks cannot use."""
        if (kind == "video" or suffix in RASTER_SUFFIXES) and not ffprobe_available():
            log.error("Media: ffprobe is not installed, so no video or picture can be checked")
            raise MediaUnplayable("no_ffprobe")
        if kind == "video":
            try:
                video = parse_video(run_ffprobe(path, self.probe_seconds))
            except ProbeFailed as exc:
                log.info("Media: %s refused, not a readable video: %s", name, exc)
                raise MediaUnplayable("unreadable_video", name=name) from exc
            if video_problems(video):
                raise MediaUnplayable(
                    "video_refused",
                    codec=video.codec_name,
                    width=video.width,
                    height=video.height,
                    fps=f"{video.frame_rate:.3g}",
                    length=_clock(video.duration_s),
                )
            return {
                "codec": video.codec,
                "width": video.width,
                "height": video.height,
                "duration_s": round(video.duration_s, 3),
                "frame_rate": round(video.frame_rate, 3),
            }
        if suffix in RASTER_SUFFIXES:
            try:
                image = parse_image(run_ffprobe(path, self.probe_seconds))
            except ProbeFailed as exc:
                log.info("Media: %s refused, not a readable picture: %s", name, exc)
                raise MediaUnplayable("unreadable_image", name=name) from exc
            if max(image.width, image.height) > MAX_IMAGE_SIDE:
                raise MediaUnplayable(
                    "image_too_big", width=image.width, height=image.height, most=MAX_IMAGE_SIDE
                )
            return {"width": image.width, "height": image.height}
        return {}

    # --- removing ----------------------------------------------------------------------------------
    def in_use(self, channel: str) -> frozenset[str]:
        """The library's files a release, a pending draft or the working copy names: not removable."""
        shas = [item.sha256 for item in self.items(channel)]
        with self.database.session() as session:
            row = channel_row(session, channel)
            manifests = list(session.scalars(select(Release.manifest).where(Release.channel_id == row.id)))
            manifests += session.scalars(
                select(Draft.manifest).where(Draft.channel_id == row.id, Draft.status == "pending")
            )
            copy = session.get(WorkingCopy, row.id)
            document = copy.document if copy is not None else ""
        return frozenset(
            sha for sha in shas if sha in document or any(sha.encode() in manifest for manifest in manifests)
        )

    def remove(self, channel: str, sha: str, *, by: str) -> None:
        """Take a file out of the library and its blob off the disk, unless a release or draft names it."""
        item = self.get(channel, sha)
        with self.publishing.lock, self.database.session() as session:
            row = channel_row(session, channel)
            needle = sha.encode()
            releases = [
                number
                for number, manifest in session.execute(
                    select(Release.number, Release.manifest).where(Release.channel_id == row.id)
                )
                if needle in manifest
            ]
            drafts = [
                draft_id
                for draft_id, manifest in session.execute(
                    select(Draft.id, Draft.manifest).where(
                        Draft.channel_id == row.id, Draft.status == "pending"
                    )
                )
                if needle in manifest
            ]
            copy = session.get(WorkingCopy, row.id)
            if copy is not None and sha in copy.document:
                raise MediaInUse("in_working_copy", name=item.name)
            if releases or drafts:
                raise MediaInUse(
                    "in_use",
                    name=item.name,
                    releases=", ".join(str(n) for n in sorted(releases)) or "—",
                    drafts=", ".join(str(n) for n in sorted(drafts)) or "—",
                )
            session.execute(delete(MediaFile).where(MediaFile.channel_id == row.id, MediaFile.sha256 == sha))
            self.blob_path(channel, sha).unlink(missing_ok=True)
        log.info("Media: %s removed %s (%s) from %s", by, item.name, sha, channel)


@contextmanager
def _disk_full_refused() -> Iterator[None]:
    """A full disk while an upload is received is the admin's news (507), not a server error."""
    try:
        with storage_errors("a media upload"):
            yield
    except StorageFull as exc:
        raise MediaDiskFull("disk_full") from exc


def kind_of(suffix: str) -> str | None:
    """The kind a file is when the uploader did not say: a video, subtitles, or a picture."""
    for kind in ("video", "subtitles", "image"):
        if suffix in allowed_types(KIND_FIELDS[kind]):
            return kind
    return None


def clean_name(filename: str) -> str:
    """The uploaded name as a label: its last part only, printable, at most 120 characters, suffix kept."""
    base = re.split(r"[\\/]", filename[-4096:])[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(c for c in base if c.isprintable() and c not in '<>:"|?*').strip().strip(".")
    if not base:
        return "file"
    if len(base) > MAX_NAME_CHARS:
        stem, dot, suffix = base.rpartition(".")
        suffix = suffix[:10] if dot else ""
        base = stem[: MAX_NAME_CHARS - len(suffix) - 1] + "." + suffix if suffix else base[:MAX_NAME_CHARS]
    return base


def _read(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def _clock(seconds: float) -> str:
    """``2:05`` (``1:02:05`` from an hour): a length read alike in every language."""
    minutes, rest = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{rest:02d}" if hours else f"{minutes}:{rest:02d}"


def _megabytes(limit: int) -> str:
    return f"{limit / (1 << 20):g}"


def _item(channel: str, media: MediaFile) -> MediaItem:
    return MediaItem(
        channel=channel,
        sha256=media.sha256,
        size=media.size,
        kind=media.kind,
        name=media.name,
        media_type=media.media_type,
        codec=media.codec,
        width=media.width,
        height=media.height,
        duration_s=media.duration_s,
        frame_rate=media.frame_rate,
        uploaded_by=media.uploaded_by,
        uploaded_at=media.uploaded_at,
    )
