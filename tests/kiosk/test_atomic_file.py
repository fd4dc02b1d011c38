"""The one atomic write: a failed write leaves the previous file whole and no temporary file behind."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pytest

from kiosk.atomic_file import write_atomically


def test_a_write_replaces_the_file_whole_with_the_given_mtime(tmp_path: Path) -> None:
    target = tmp_path / "manifest.json"
    target.write_bytes(b"old")
    write_atomically(target, b"new", mtime=1_800_000_000)
    assert target.read_bytes() == b"new"
    assert int(target.stat().st_mtime) == 1_800_000_000
    assert target.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json"]


def test_a_write_that_fails_half_way_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    target.write_bytes(b"previous")

    def fill(handle: BinaryIO) -> None:
        handle.write(b"half of the ")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, fill)
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]
