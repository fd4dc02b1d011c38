"""The one atomic file write: after a power cut a reader finds the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_atomically(
    target: Path, fill: bytes | Callable[[BinaryIO], object], *, mtime: int | None = None
) -> None:
    """Write ``fill`` (bytes, or a function writing to the handle) through a hidden temporary file in
    the same folder, fsync it, rename it into place and fsync the folder, so the rename itself lasts.

    The file is readable by all (0644): channels are served to kiosks, state files are no secret.
    """
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(fill, bytes):
                handle.write(fill)
            else:
                fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        if mtime is not None:
            os.utime(temp, (mtime, mtime))
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
