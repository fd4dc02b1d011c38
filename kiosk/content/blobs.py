"""The kiosk's blob cache: content-addressed media files in ``DATA_DIR/blobs/<sha256>``.

A file appears under its final name only after its bytes were written, flushed to disk and found to
have the promised sha256 and size, so a power cut or a kill at any moment leaves either a verified blob
or a ``.part`` file that the next download resumes (HTTP Range) or throws away.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from kiosk.content.manifest import SHA256_PATTERN
from kiosk.errors import ContentError

if TYPE_CHECKING:
    from hashlib import _Hash

log = logging.getLogger(__name__)

PART_SUFFIX = ".part"
_CHUNK = 1 << 20


class BlobCache:
    """Verified blobs on disk, named by their sha256."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, sha: str) -> Path:
        """Where a blob lives; only a sha256 ever becomes a file name."""
        if not SHA256_PATTERN.match(sha):
            raise ContentError(f"'{sha[:80]}' is not a blob's sha256")
        return self.folder / sha

    def part_path(self, sha: str) -> Path:
        return self.path(sha).with_name(sha + PART_SUFFIX)

    def has(self, sha: str, size: int) -> bool:
        """True when the verified blob is present with the expected size."""
        try:
            return self.path(sha).stat().st_size == size
        except FileNotFoundError:
            return False

    def part_size(self, sha: str) -> int:
        try:
            return self.part_path(sha).stat().st_size
        except FileNotFoundError:
            return 0

    def open_part(self, sha: str, *, resume: bool) -> tuple[PartWriter, int]:
        """A writer for a blob being downloaded, appending to what an earlier try left when asked."""
        self.folder.mkdir(parents=True, exist_ok=True)
        part = self.part_path(sha)
        digest = hashlib.sha256()
        offset = 0
        if resume and part.exists():
            with part.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
                    offset += len(chunk)
            handle_w = part.open("ab")
        else:
            handle_w = part.open("wb")
        return PartWriter(self, sha, handle_w, digest, offset), offset

    def add_file(self, source: Path, sha: str, size: int) -> None:
        """Copy a local file into the cache (verified like a download)."""
        writer, _ = self.open_part(sha, resume=False)
        with source.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                writer.write(chunk)
        writer.commit(size)

    def discard_part(self, sha: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.part_path(sha).unlink()

    def total_bytes(self) -> int:
        """Bytes on disk in the cache, partial downloads included."""
        if not self.folder.is_dir():
            return 0
        return sum(entry.stat().st_size for entry in os.scandir(self.folder) if entry.is_file())

    def prune(self, keep: Iterable[str], keep_parts: Iterable[str] = ()) -> int:
        """Delete every blob not in ``keep`` and every partial download not in ``keep_parts``.

        Returns the bytes freed. Stray files (not blobs) are left for a person to look at.
        """
        wanted, wanted_parts = set(keep), set(keep_parts)
        freed = 0
        if not self.folder.is_dir():
            return 0
        for entry in os.scandir(self.folder):
            name = entry.name
            sha = name[: -len(PART_SUFFIX)] if name.endswith(PART_SUFFIX) else name
            if not SHA256_PATTERN.match(sha) or not entry.is_file():
                continue
            if (name == sha and sha in wanted) or (name != sha and sha in wanted_parts):
                continue
            size = entry.stat().st_size
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
                freed += size
                log.debug("Pruned %s (%d bytes)", name, size)
        return freed


class PartWriter:
    """Writes a download to its ``.part`` file, hashing as it goes."""

    def __init__(self, cache: BlobCache, sha: str, handle: BinaryIO, digest: _Hash, offset: int) -> None:
        self._cache = cache
        self._sha = sha
        self._handle = handle
        self._digest = digest
        self.written = offset

    def write(self, chunk: bytes) -> None:
        self._handle.write(chunk)
        self._digest.update(chunk)
        self.written += len(chunk)

    def close(self) -> None:
        self._handle.close()

    def commit(self, size: int) -> None:
        """Verify size and hash, make the bytes durable, and give the file its final name.

        On a mismatch the partial file is deleted (it can never become the promised blob) and
        ContentError says what was wrong.
        """
        handle = self._handle
        try:
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            handle.close()
        actual = self._digest.hexdigest()
        if self.written != size or actual != self._sha:
            self._cache.discard_part(self._sha)
            raise ContentError(
                f"blob {self._sha}: got {self.written} bytes with sha256 {actual}, "
                f"expected {size} bytes with that sha256"
            )
        os.replace(self._cache.part_path(self._sha), self._cache.path(self._sha))
        _fsync_dir(self._cache.folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
