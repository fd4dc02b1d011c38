"""The one atomic file write: after a power cut a reader finds the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

TEMP_SUFFIX = ".tmp"


def write_atomically(
    target: Path, fill: bytes | Callable[[BinaryIO], object], *, mtime: int | None = None
) -> None:
    """Write ``fill`` (bytes, or a function writing to the handle) through a hidden temporary file in
    the same folder, fsync it, rename it into place and fsync the folder, so the rename itself lasts.

    The file is readable by all (0644): channels are served to kiosks, state files are no secret.
    """
    place(stage(target, fill, mtime=mtime), target)


def stage(target: Path, fill: bytes | Callable[[BinaryIO], object], *, mtime: int | None = None) -> Path:
    """The first half of :func:`write_atomically`: the complete, fsynced temporary file beside
    ``target``, for a caller that must decide (e.g. commit a database) before :func:`place` shows it.

    On any failure (a full disk, too) the temporary file is gone and the error is raised.
    """
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
    temp = Path(name)
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
    except BaseException:
        discard(temp)
        raise
    return temp


def place(temp: Path, target: Path) -> None:
    """Rename a :func:`stage`\\ d file onto ``target`` and fsync the folder, so the rename lasts."""
    try:
        os.replace(temp, target)
    except BaseException:
        discard(temp)
        raise
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def discard(temp: Path) -> None:
    """Remove a staged file that will not be placed (gone already is fine)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temp)


def is_temporary(path: Path) -> bool:
    """True for a file :func:`stage` made (left behind only when a process died between stage and place)."""
    return path.name.startswith(".") and path.name.endswith(TEMP_SUFFIX)
