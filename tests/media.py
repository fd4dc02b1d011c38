"""Test videos made with ffmpeg at test time (real H.264 files, and broken ones)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def make_clip(path: Path, *, seconds: float = 1.0, size: str = "160x120", rate: int = 25) -> Path:
    """A real H.264 test clip (ffmpeg's testsrc2 pattern, which changes every frame)."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}",
            "-t", str(seconds), "-c:v", "libx264", "-pix_fmt", "yuv420p",
            "-movflags", "+faststart", str(path),
        ],
        check=True,
        timeout=120,
    )  # fmt: skip
    return path


def make_corrupt(path: Path) -> Path:
    path.write_bytes(os.urandom(64 * 1024))
    return path
