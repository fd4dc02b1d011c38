"""The files a channel serves (manifest, signature, blobs) kept true to the database, whatever fails.

A release's two files are staged (complete and fsynced, under hidden temporary names) before its
transaction commits and renamed into place only after it did, so the folder never announces a release
the database does not know. A crash between commit and rename leaves the old files served and the
database ahead; :func:`restore` (at every server start and before every publish) rewrites them from the
database. A full disk or a failing disk becomes :class:`StorageFull` / :class:`Unavailable` with a
sentence for the admin, never a traceback.
"""

from __future__ import annotations

import errno
import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from central.errors import StorageFull, Unavailable
from kiosk.atomic_file import discard, is_temporary, place, stage
from kiosk.content.manifest import BLOBS_DIR, MANIFEST_FILE, SIGNATURE_FILE
from kiosk.content.publish import next_mtime

log = logging.getLogger(__name__)

FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
STALE_TEMP_SECONDS = 3600
"""A temporary file untouched this long is a dead process's leftover (a live upload writes every
minute or is given up), so another server process's work in progress is never swept."""


def full_disk_message(what: str) -> str:
    return (
        f"{what}: the server's disk is full, so nothing was changed and the active release is still "
        "served; free space on the server (old uploads, logs) and try again"
    )


@contextmanager
def storage_errors(what: str) -> Iterator[None]:
    """Turn an OSError of the server's own disk into a refusal the admin can act on (507 / 503)."""
    try:
        yield
    except OSError as exc:
        if exc.errno in FULL_ERRNOS:
            log.error("%s: the disk is full: %s", what, exc)
            raise StorageFull(full_disk_message(what)) from exc
        log.error("%s: the disk failed: %s", what, exc)
        raise Unavailable(
            f"{what}: the server could not write its files ({exc.strerror or exc}); nothing was "
            "changed; see the server's log"
        ) from exc


@dataclass
class StagedRelease:
    """A release's signature and manifest written under temporary names beside the served ones."""

    channel: str
    release: int
    folder: Path
    signature: Path
    manifest: Path

    def place(self) -> None:
        """Rename both into place: the signature first, the manifest (what kiosks poll) last."""
        try:
            place(self.signature, self.folder / SIGNATURE_FILE)
            place(self.manifest, self.folder / MANIFEST_FILE)
        finally:
            self.discard()

    def discard(self) -> None:
        discard(self.signature)
        discard(self.manifest)


def stage_release(
    channel: str, release: int, folder: Path, manifest: bytes, signature: bytes
) -> StagedRelease:
    """Write a release's files completely (fsynced) without showing them; StorageFull on a full disk."""
    mtime = next_mtime(folder / MANIFEST_FILE)
    with storage_errors(f"release {release} of channel {channel}"):
        signature_temp = stage(folder / SIGNATURE_FILE, signature, mtime=mtime)
        try:
            manifest_temp = stage(folder / MANIFEST_FILE, manifest, mtime=mtime)
        except BaseException:
            discard(signature_temp)
            raise
    return StagedRelease(channel, release, folder, signature_temp, manifest_temp)


def served(folder: Path) -> tuple[bytes | None, bytes | None]:
    """The manifest and signature a channel folder serves now (None for a missing or unreadable file)."""
    found: list[bytes | None] = []
    for name in (MANIFEST_FILE, SIGNATURE_FILE):
        try:
            found.append((folder / name).read_bytes())
        except OSError:
            found.append(None)
    return found[0], found[1]


def restore(
    channel: str, folder: Path, release: int, manifest: bytes | None, signature: bytes | None
) -> bool:
    """Make ``folder`` serve the database's active ``release`` (``manifest`` None: no release yet).

    Returns True when the folder said something else and was rewritten (logged as a WARNING).
    """
    now_manifest, now_signature = served(folder)
    if (now_manifest, now_signature) == (manifest, signature):
        return False
    what = f"Channel {channel}: the served manifest ({_release_of(now_manifest)})"
    with storage_errors(f"restoring channel {channel}'s served files"):
        if manifest is None or signature is None:
            for name in (MANIFEST_FILE, SIGNATURE_FILE):  # the manifest first: nothing announced
                (folder / name).unlink(missing_ok=True)
            log.warning("%s is unknown to the database, which has no release yet: removed", what)
            return True
        folder.mkdir(parents=True, exist_ok=True)
        stage_release(channel, release, folder, manifest, signature).place()
    log.warning(
        "%s differed from the database's active release %d: rewritten from the database", what, release
    )
    return True


def sweep_temporaries(folders: list[Path], older_than_s: float = STALE_TEMP_SECONDS) -> int:
    """Remove staged files and unfinished uploads a killed process left (those older than
    ``older_than_s``), which a full disk cannot spare; returns how many."""
    removed = 0
    cutoff = time.time() - older_than_s
    for folder in folders:
        try:
            candidates = [p for p in folder.iterdir() if is_temporary(p) or p.name.startswith("upload-")]
        except FileNotFoundError:
            continue
        for path in candidates:
            try:
                if path.is_file() and path.lstat().st_ctime <= cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
    if removed:
        log.warning("Removed %d unfinished temporary files left by a stopped server", removed)
    return removed


def temporary_folders(channels_dir: Path, uploads_dir: Path) -> list[Path]:
    """Where temporary files are made: each channel folder, its blobs folder, the uploads folder."""
    folders = [uploads_dir]
    try:
        channels = [p for p in channels_dir.iterdir() if p.is_dir()]
    except FileNotFoundError:
        channels = []
    for channel in channels:
        folders += [channel, channel / BLOBS_DIR]
    return folders


def _release_of(manifest: bytes | None) -> str:
    if manifest is None:
        return "none"
    try:
        number = json.loads(manifest).get("release")
    except (ValueError, AttributeError):
        return "unreadable"
    return f"release {number}" if isinstance(number, int) else "unreadable"
