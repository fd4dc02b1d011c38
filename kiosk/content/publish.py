"""Checking a content source and publishing it as a static, signed channel.

The channel is three kinds of static files (``manifest.json``, ``manifest.json.sig`` and
``blobs/<sha256>``), so any web server, S3 bucket or CDN can serve it. Blobs are written first and the
manifest last, each by an atomic rename, so a reader never sees a manifest whose blobs are missing.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from kiosk.atomic_file import write_atomically
from kiosk.content.manifest import (
    BLOBS_DIR,
    MANIFEST_FILE,
    SIGNATURE_FILE,
    BlobInfo,
    encode_manifest,
    media_size_limit,
)
from kiosk.content.model import parse_content
from kiosk.content.signing import load_private_key, sign
from kiosk.content.source import (
    CONTENT_FILE,
    load_source_document,
    media_fields,
    rewrite_media,
    safe_relative_path,
)
from kiosk.errors import ContentError

DEFAULT_VALID_DAYS = 90

# What each kind of media field may hold: extension -> media type.
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}
VIDEO_TYPES = {".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm", ".mkv": "video/x-matroska"}
SUBTITLE_TYPES = {".vtt": "text/vtt", ".srt": "application/x-subrip"}


@dataclass(frozen=True)
class SourceRelease:
    """A checked source ready to publish: the document with media as sha256, and the files behind them."""

    content: dict[str, Any]
    blobs: dict[str, BlobInfo]
    files: dict[str, Path]


@dataclass(frozen=True)
class PublishReport:
    """What one publish did."""

    release: int
    manifest_bytes: int
    blobs_total: int
    blobs_uploaded: int
    bytes_uploaded: int


def allowed_types(key: str) -> dict[str, str]:
    """Extension -> media type a media field (``services[0].icon``, ``videos[0].file``, …) may hold."""
    field = key.rsplit(".", 1)[-1]
    if key.startswith("videos[") and field == "file":
        return VIDEO_TYPES
    if ".subtitles." in key:
        return SUBTITLE_TYPES
    return IMAGE_TYPES


SNIFF_BYTES = 1024


def sniff(path: Path, suffix: str) -> bool:
    """True when the file's first bytes look like what its extension says."""
    with path.open("rb") as handle:
        return looks_like(handle.read(SNIFF_BYTES), suffix)


def looks_like(head: bytes, suffix: str) -> bool:
    """True when ``head`` (a file's first :data:`SNIFF_BYTES`) starts as a ``suffix`` file does."""
    if suffix == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if suffix in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if suffix == ".webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if suffix == ".svg":
        return b"<svg" in head
    if suffix in (".mp4", ".m4v"):
        return head[4:8] == b"ftyp"
    if suffix in (".webm", ".mkv"):
        return head.startswith(b"\x1a\x45\xdf\xa3")
    if suffix == ".vtt":
        return head.lstrip(b"\xef\xbb\xbf").startswith(b"WEBVTT")
    if suffix == ".srt":
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            return exc.start > len(head) - 4  # a multi-byte letter cut at the end of the sample
        return True
    return False


def check_source(folder: Path) -> tuple[dict[str, Any], list[str]]:
    """Every problem of a content source (schema, languages, files, media types, URLs), one a line.

    Returns the parsed document too, so publishing does not read it twice.
    """
    where = folder / CONTENT_FILE
    try:
        doc = load_source_document(folder)
    except ContentError as exc:
        return {}, [str(exc)]
    problems: list[str] = []
    try:
        parse_content(doc, release=0, origin="source", where=str(where))
    except ContentError as exc:
        problems.extend(str(exc).splitlines())
    root = folder.resolve()
    for key, table, name in media_fields(doc):
        value = table[name]
        try:
            relative = safe_relative_path(value)
        except ContentError as exc:
            problems.append(f"{where}: {key}: {exc}")
            continue
        path = folder / relative
        if not path.resolve().is_relative_to(root):
            problems.append(f"{where}: {key}: '{value}' points outside the content folder")
            continue
        if not path.is_file():
            problems.append(f"{where}: {key}: file '{value}' does not exist")
            continue
        allowed = allowed_types(key)
        suffix = path.suffix.lower()
        if suffix not in allowed:
            problems.append(f"{where}: {key}: '{value}' must be one of {', '.join(sorted(allowed))}")
        elif not sniff(path, suffix):
            problems.append(f"{where}: {key}: '{value}' does not contain {allowed[suffix]} data")
        elif path.stat().st_size > media_size_limit(key):
            size, limit = path.stat().st_size, media_size_limit(key)
            problems.append(
                f"{where}: {key}: '{value}' has {size} bytes, more than the {limit} kiosks accept"
            )
    return doc, problems


def load_release(folder: Path) -> SourceRelease:
    """Check a source and hash its media; ContentError lists every problem."""
    doc, problems = check_source(folder)
    if problems:
        raise ContentError("\n".join(problems))
    blobs: dict[str, BlobInfo] = {}
    files: dict[str, Path] = {}
    hashes: dict[str, str] = {}

    def to_sha(key: str, name: str) -> str:
        path = folder / safe_relative_path(name)
        if name not in hashes:
            with path.open("rb") as handle:
                hashes[name] = hashlib.file_digest(handle, "sha256").hexdigest()
        sha = hashes[name]
        blobs[sha] = BlobInfo(path.stat().st_size, allowed_types(key)[path.suffix.lower()])
        files[sha] = path
        return sha

    content = rewrite_media(doc, to_sha)
    return SourceRelease(content, blobs, files)


def published_release(dest: Path) -> int:
    """The release number of the manifest already in a channel folder (0 when there is none)."""
    try:
        raw = json.loads((dest / MANIFEST_FILE).read_bytes())
    except FileNotFoundError:
        return 0
    except (OSError, ValueError) as exc:
        raise ContentError(f"{dest / MANIFEST_FILE}: cannot read the published manifest: {exc}") from exc
    release = raw.get("release") if isinstance(raw, dict) else None
    return release if isinstance(release, int) and not isinstance(release, bool) else 0


def publish(
    source: Path,
    key_path: Path,
    dest: str,
    *,
    release: int | None = None,
    valid_days: int = DEFAULT_VALID_DAYS,
    now: datetime | None = None,
) -> PublishReport:
    """Publish ``source`` signed with ``key_path`` to the channel ``dest`` (a folder)."""
    if dest.startswith(("http://", "https://")):
        raise ContentError(f"{dest}: a server URL: use kiosk.content.remote.publish_remote")
    if valid_days < 1:
        raise ContentError(f"--valid-days: expected at least 1, got {valid_days}")
    key = load_private_key(key_path)
    content = load_release(source)
    folder = Path(dest)
    current = published_release(folder)
    number = current + 1 if release is None else release
    if number < max(current, 1):
        raise ContentError(
            f"--release {number}: the channel already has release {current}; kiosks refuse older numbers"
        )
    blob_dir = folder / BLOBS_DIR
    blob_dir.mkdir(parents=True, exist_ok=True)
    uploaded = uploaded_bytes = 0
    for sha, info in sorted(content.blobs.items()):
        target = blob_dir / sha
        if target.is_file() and target.stat().st_size == info.size:
            continue
        _atomic_copy(content.files[sha], target)
        uploaded += 1
        uploaded_bytes += info.size
    created = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    data = encode_manifest(
        release=number,
        created=created,
        expires=created + timedelta(days=valid_days),
        content=content.content,
        blobs=content.blobs,
    )
    write_manifest(folder, data, sign(key, data))
    return PublishReport(number, len(data), len(content.blobs), uploaded, uploaded_bytes)


def write_manifest(folder: Path, data: bytes, signature: bytes) -> None:
    """Put a signed manifest in place: signature first, manifest last, each atomically.

    Static servers derive ETag and Last-Modified from the whole-second mtime and the size, so
    a second release published within the same second (same size) would be answered "304 Not
    Modified": both files' mtimes move strictly past the previous manifest's.
    """
    mtime = next_mtime(folder / MANIFEST_FILE)
    write_atomically(folder / SIGNATURE_FILE, signature, mtime=mtime)
    write_atomically(folder / MANIFEST_FILE, data, mtime=mtime)


def write_blob(target: Path, fill: Callable[[BinaryIO], object]) -> None:
    """Write a blob through a temporary file, fsynced and renamed into place."""
    write_atomically(target, fill)


def next_mtime(previous: Path) -> int:
    """A whole-second mtime later than ``previous``'s (if it exists) and not before now."""
    now = int(time.time())
    try:
        return max(now, int(previous.stat().st_mtime) + 1)
    except FileNotFoundError:
        return now


def _atomic_copy(source: Path, target: Path) -> None:
    with source.open("rb") as reader:
        write_atomically(target, lambda handle: _copy(reader, handle))


def _copy(reader: BinaryIO, writer: BinaryIO) -> None:
    while chunk := reader.read(1 << 20):
        writer.write(chunk)
