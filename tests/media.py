"""Test videos made with ffmpeg at test time: real H.264 files, and broken ones.

Made once per session (a few hundred kB in a temporary folder) so the repository holds no binaries and
the tests exercise the same decoder path as the kiosk.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

CLIP_FPS = 25


@dataclass(frozen=True)
class TestVideos:
    """The session's test files; ``*_frames`` are how many frames each good clip holds."""

    __test__ = False  # not a test class, despite its name

    long: Path  # 2 s, 320x240
    short: Path  # 0.4 s, 320x240, for loops
    other: Path  # 0.4 s, 160x120, a second playlist item with another aspect
    corrupt: Path  # random bytes named .mp4
    truncated: Path  # a faststart mp4 cut short: plays its first part, then a decoding error
    headless: Path  # an mp4 cut before its index (no faststart): cannot be opened at all
    long_frames: int = 2 * CLIP_FPS
    short_frames: int = 10


def make_clip(
    path: Path,
    *,
    seconds: float = 1.0,
    size: str = "320x240",
    rate: int = CLIP_FPS,
    faststart: bool = True,
) -> Path:
    """A real H.264 yuv420p clip of ffmpeg's testsrc2 pattern, which changes every frame."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    command = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}"]
    command += ["-t", str(seconds), "-c:v", "libx264", "-pix_fmt", "yuv420p"]
    command += ["-movflags", "+faststart"] if faststart else []
    subprocess.run([*command, str(path)], check=True, timeout=120)
    return path


def make_corrupt(path: Path, size: int = 64 * 1024) -> Path:
    """Random bytes with a video's name, as a broken download or a disk error would leave."""
    path.write_bytes(os.urandom(size))
    return path


def make_truncated(source: Path, path: Path, fraction: float) -> Path:
    """The first ``fraction`` of ``source``, as an interrupted copy would leave it."""
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)])
    return path


def make_test_videos(folder: Path) -> TestVideos:
    """Every file the video tests need, in ``folder``."""
    long = make_clip(folder / "long.mp4", seconds=2.0)
    plain = make_clip(folder / "plain.mp4", seconds=2.0, faststart=False)
    return TestVideos(
        long=long,
        short=make_clip(folder / "short.mp4", seconds=0.4),
        other=make_clip(folder / "other.mp4", seconds=0.4, size="160x120"),
        corrupt=make_corrupt(folder / "corrupt.mp4"),
        truncated=make_truncated(long, folder / "truncated.mp4", 0.6),
        headless=make_truncated(plain, folder / "headless.mp4", 0.75),
    )
