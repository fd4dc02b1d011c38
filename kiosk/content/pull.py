"""``kioskctl pull``: a release of a central server's channel written back as a content source folder.

So that work done in the console (an announcement, kiosk settings) is not lost when the next release is
made from a folder: pull the active release, edit, publish. Everything is checked before anything is
written (the signature with the channel's public key, each blob's sha256 and size), into a hidden folder
beside the target that is moved into place only when complete. The folder remembers which release it
came from (:mod:`kiosk.content.base_record`), so a later publish can tell the admin's edits from work
done since.

A second place to pull from, the console's working copy (``--working-copy``, on the console-editor
branch), plugs in at :func:`pull`'s ``fetch`` step: a document and its blobs, without a signature.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.atomic_file import write_atomically
from kiosk.content.base_record import record_base
from kiosk.content.manifest import BlobInfo, parse_manifest
from kiosk.content.publish import IMAGE_TYPES, SUBTITLE_TYPES, VIDEO_TYPES, _allowed_types, check_source
from kiosk.content.remote import CentralClient
from kiosk.content.signing import verify
from kiosk.content.source import CONTENT_FILE, media_fields
from kiosk.content.toml_writer import dumps_toml
from kiosk.errors import ContentError

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


def pull(
    client: CentralClient,
    folder: Path,
    *,
    release: int | None = None,
    public_key: Ed25519PublicKey | None = None,
    force: bool = False,
) -> PullReport:
    """Write release ``release`` (default: the active one) of ``client``'s channel into ``folder``."""
    _check_target(folder, force)
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
    manifest = parse_manifest(data, where=f"release {number}")
    document = json.loads(json.dumps(manifest.content))
    files = _media_names(document, manifest.blobs)
    header = (
        f"Release {number} of {client.channel.files()}, made {manifest.created.isoformat()}.\n"
        f"Written by kioskctl pull; edit it, then: kioskctl validate DIR, kioskctl publish DIR --to URL"
    )
    text = dumps_toml(document, header=header)
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
        record_base(staging, client.channel.files(), manifest)
        _move_into(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return PullReport(number, folder, len(files), total, public_key is not None, tuple(problems))


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
        allowed = _allowed_types(key)
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
