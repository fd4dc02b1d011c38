"""``kioskctl pull``: a release of a central server's channel written back as a content source folder.

So that work done in the console (an announcement, kiosk settings) is not lost when the next release is
made from a folder: pull the active release, edit, publish. Everything is checked before anything is
written (the signature with the channel's public key, each blob's sha256 and size), into a hidden folder
beside the target that is moved into place only when complete. The folder remembers which release it
came from (:mod:`kiosk.content.base_record`), so a later publish can tell the admin's edits from work
done since.

The console's working copy (``--working-copy``) is pulled the same way from a document and its blob
table, with no signature to check: the answer is turned into a manifest and read by the kiosk's own
parser before anything is written, and the folder records the release the copy was taken from.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.atomic_file import write_atomically
from kiosk.content.base_record import record_release
from kiosk.content.diff import shown
from kiosk.content.manifest import (
    MANIFEST_FORMAT,
    MAX_MANIFEST_BYTES,
    BlobInfo,
    Manifest,
    load_json_object,
    parse_manifest,
)
from kiosk.content.publish import IMAGE_TYPES, SUBTITLE_TYPES, VIDEO_TYPES, allowed_types, check_source
from kiosk.content.remote import CentralClient
from kiosk.content.signing import verify
from kiosk.content.source import CONTENT_FILE, media_fields
from kiosk.content.toml_writer import dumps_toml
from kiosk.errors import ContentError
from kiosk.wire import MAX_RELEASE, TimeRangeError, parse_aware

BLOB_SECONDS = 30.0
BLOB_BYTES_PER_SECOND = 128 * 1024
"""A blob must arrive within 30 s plus one second per 128 KiB: generous on any link a centre has, and a
server that trickles bytes cannot keep the command waiting for ever."""

_EXTENSIONS = {
    media_type: ext
    for table in (VIDEO_TYPES, SUBTITLE_TYPES, IMAGE_TYPES)
    for ext, media_type in reversed(list(table.items()))
}
_ROLE = re.compile(r"^(services|videos)\[(\d+)\]\.(icon|image|file|poster|subtitles\.([a-z]{2}))$")
_ROLE_FOLDERS = {"icon": "icons", "image": "images", "file": "videos", "poster": "posters"}
MAX_WORKING_COPY_BYTES = MAX_MANIFEST_BYTES
"""The working copy's answer may be as large as a release's manifest, no larger."""
_REVISION = re.compile(r"\A[0-9a-f]{1,64}\Z")
_WORKING_COPY = "the console's working copy"


@dataclass(frozen=True)
class WorkingCopyOrigin:
    """What the server says about the working copy it sent: nothing of it is signed."""

    base_release: int
    """The release it was taken from (0: the channel had none)."""
    updated: datetime | None
    updated_by: str
    revision: str
    draft: int | None
    """The pending draft it was proposed as or reopened from, if any."""


@dataclass(frozen=True)
class PullReport:
    """What one pull wrote, and whether the signature was checked."""

    release: int
    folder: Path
    files: int
    bytes: int
    verified: bool
    problems: tuple[str, ...]
    """What ``kioskctl validate`` would say about the folder (empty for any release a folder made)."""
    working_copy: WorkingCopyOrigin | None = None
    """Set when the console's working copy was pulled (then ``release`` is the one it was taken from)."""


def pull(
    client: CentralClient,
    folder: Path,
    *,
    release: int | None = None,
    public_key: Ed25519PublicKey | None = None,
    force: bool = False,
    working_copy: bool = False,
) -> PullReport:
    """Write release ``release`` (default: the active one) of ``client``'s channel into ``folder``, or
    with ``working_copy`` the console's working copy (unsigned: ``release`` and ``public_key`` unused)."""
    _check_target(folder, force)
    origin: WorkingCopyOrigin | None = None
    if working_copy:
        if release is not None or public_key is not None:
            raise ContentError(
                "--working-copy: the console's working copy is not a release and has no signature; "
                "leave out --release and --key-pub"
            )
        manifest, origin = read_working_copy(client.working_copy(MAX_WORKING_COPY_BYTES))
        number = origin.base_release
        header = (
            f"NOT SIGNED: the console's working copy of {client.channel.files()} as of "
            f"{_when(origin.updated)}, {taken_from(number)}.\n"
            "Written by kioskctl pull --working-copy; edit it, then: kioskctl validate DIR, "
            "kioskctl publish DIR --to URL"
        )
    else:
        number, manifest = _release(client, release, public_key)
        header = (
            f"Release {number} of {client.channel.files()}, made {manifest.created.isoformat()}.\n"
            f"Written by kioskctl pull; edit it, then: kioskctl validate DIR, kioskctl publish DIR --to URL"
        )
    document = json.loads(json.dumps(manifest.content))
    files = _media_names(document, manifest.blobs)
    text = dumps_toml(document, header=header)
    base_digest = manifest.digest if origin is None else _base_digest(client, number)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.pull-", dir=folder.parent))
    try:
        total = 0
        for sha, name in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            size = manifest.blobs[sha].size
            deadline = time.monotonic() + BLOB_SECONDS + size / BLOB_BYTES_PER_SECOND
            client.fetch_blob(sha, size, target, deadline=deadline)
            total += size
        write_atomically(staging / CONTENT_FILE, text.encode("utf-8"))
        _, found = check_source(staging)
        problems = [problem.replace(str(staging), str(folder)) for problem in found]
        if number >= 1:  # a later publish then counts only what the channel changed since that release
            record_release(staging, client.channel.files(), number, base_digest)
        _move_into(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    verified = public_key is not None
    return PullReport(number, folder, len(files), total, verified, tuple(problems), origin)


def _release(
    client: CentralClient, release: int | None, public_key: Ed25519PublicKey | None
) -> tuple[int, Manifest]:
    """Release ``release`` (default: the active one), its signature checked when a key is given."""
    number = client.active_release() if release is None else release
    if number < 1:
        raise ContentError(f"{client.channel.files()}: the channel has no release yet, so nothing to pull")
    data, signature = client.release_files(number)
    if public_key is not None:
        try:
            verify(public_key, data, signature)
        except ContentError as exc:
            raise ContentError(
                f"release {number}: not signed by the key given with --key-pub ({exc}); nothing written"
            ) from exc
    return number, parse_manifest(data, where=f"release {number}")


def read_working_copy(data: bytes) -> tuple[Manifest, WorkingCopyOrigin]:
    """The server's answer checked as strictly as a release: bounded, strict JSON, and its document and
    blob table read by the kiosk's manifest parser (schema, shas, sizes, media types, finite numbers)."""
    where = _WORKING_COPY
    if len(data) > MAX_WORKING_COPY_BYTES:
        raise ContentError(f"{where}: more than the {MAX_WORKING_COPY_BYTES} bytes a release may have")
    raw = load_json_object(data, where=where)
    base = raw.get("base_release")
    if isinstance(base, bool) or not isinstance(base, int) or not 0 <= base <= MAX_RELEASE:
        raise ContentError(f"{where}: base_release: expected a release number, got {shown(str(base))[:40]}")
    revision = raw.get("revision")
    if not isinstance(revision, str) or not _REVISION.match(revision):
        raise ContentError(f"{where}: revision: expected up to 64 hex digits")
    who = raw.get("updated_by", "")
    if not isinstance(who, str) or len(who) > 128:
        raise ContentError(f"{where}: updated_by: expected a name of at most 128 characters")
    draft = raw.get("draft")
    bad_draft = isinstance(draft, bool) or not isinstance(draft, int) or not 0 < draft <= MAX_RELEASE
    if draft is not None and bad_draft:
        raise ContentError(f"{where}: draft: expected a draft number or null")
    updated = raw.get("updated")
    when: datetime | None = None
    if updated is not None:
        try:
            if not isinstance(updated, str):
                raise ValueError(updated)
            when = parse_aware(updated, "updated")
        except (TimeRangeError, ValueError) as exc:
            raise ContentError(f"{where}: updated: expected a date and time with offset") from exc
    now = datetime.now(UTC).replace(microsecond=0)
    as_manifest = {
        "format": MANIFEST_FORMAT,
        "release": max(base, 1),
        "created": now.isoformat(),
        "expires": (now + timedelta(days=1)).isoformat(),
        "content": raw.get("content"),
        "blobs": raw.get("blobs"),
    }
    encoded = json.dumps(as_manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    manifest = parse_manifest(encoded.encode("utf-8"), where=where)
    return manifest, WorkingCopyOrigin(base, when, who, revision, draft)


def _base_digest(client: CentralClient, number: int) -> str:
    """The sha256 of the release a working copy was taken from, for the folder's record ("" if gone)."""
    if number < 1:
        return ""
    try:
        data, _signature = client.release_files(number)
    except ContentError:
        return ""
    return hashlib.sha256(data).hexdigest()


def taken_from(release: int) -> str:
    """Where a working copy started, as the command's output and the folder's header say it."""
    return f"taken from release {release}" if release else "started before the channel's first release"


def _when(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else "(never edited)"


def _check_target(folder: Path, force: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise ContentError(f"{folder}: exists and is not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise ContentError(
            f"{folder}: not empty; pull into a new folder, or add --force to overwrite content.toml and "
            "the media files the release names (other files stay)"
        )


def _media_names(document: dict[str, Any], blobs: dict[str, BlobInfo] | Any) -> dict[str, str]:
    """Give every media field a file name from its role (``icons/<service-id>.svg``), rewrite the
    document to name it, and return sha256 -> file name. Ids are only used once made safe."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for key, table, field in media_fields(document):
        sha = table[field]
        info = blobs[sha]
        allowed = allowed_types(key)
        extension = _EXTENSIONS.get(info.media_type)
        if extension is None or extension not in allowed:
            raise ContentError(
                f"{key}: a {info.media_type} file cannot be written into a content folder "
                f"(it takes {', '.join(sorted(allowed))})"
            )
        if sha in names and Path(names[sha]).suffix in allowed:
            table[field] = names[sha]
            continue
        stem = _stem(document, key)
        name, n = f"{stem}{extension}", 1
        while name in taken:
            n += 1
            name = f"{stem}-{n}{extension}"
        taken.add(name)
        names.setdefault(sha, name)
        table[field] = name
    return names


def _stem(document: dict[str, Any], key: str) -> str:
    """``icons/tax-return``, ``videos/campaign``, ``subtitles/campaign.az``: the folder says the role."""
    match = _ROLE.match(key)
    if match is None:  # media_fields names only these roles; a new one still gets a safe name
        return "media/" + _safe(key, "item")
    items, index, role, language = match.group(1), int(match.group(2)), match.group(3), match.group(4)
    item = document[items][index]
    item_id = _safe(str(item.get("id", "")), f"{items[:-1]}-{index + 1}")
    if language:
        return f"subtitles/{item_id}.{language}"
    return f"{_ROLE_FOLDERS[role]}/{item_id}"


def _safe(text: str, fallback: str) -> str:
    cleaned = re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")[:64]
    return cleaned or fallback


def _move_into(staging: Path, folder: Path) -> None:
    """Put the complete staging folder in place: renamed whole when the target is new or empty, else
    file by file (only with --force), each an atomic rename on the same file system."""
    if not folder.exists() or not any(folder.iterdir()):
        with contextlib.suppress(FileNotFoundError):
            folder.rmdir()
        staging.rename(folder)
        return
    for path in sorted(staging.rglob("*")):
        if path.is_file():
            target = folder / path.relative_to(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
