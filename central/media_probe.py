"""What a media file really is, read by ffprobe, and whether kiosks can play or show it.

ffprobe (Debian's ``ffmpeg`` package) reads the file in a child process with a time limit, so a
crafted file can at worst cost that process; its JSON is treated as hostile like any outside input:
bounded, every number finite and in range, anything missing is "cannot read", never a crash.
"""

from __future__ import annotations

import json
import logging
import math
import shutil
import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FFPROBE = "ffprobe"
PROBE_SECONDS = 20.0
MAX_PROBE_OUTPUT = 64 * 1024
"""ffprobe prints one stream's few fields: anything longer is not an answer to what was asked."""

# What kiosks play: H.264 in 8-bit 4:2:0 (the profile every GPU decodes, VA-API included, and that
# software decoding keeps up with at 1080p), at most full HD either way up, 30 frames a second (the
# measured CPU cost of 1080p25 is 40 % of a core without a GPU) and half an hour (a loop, not a film).
PLAYABLE_CODECS = frozenset({"h264"})
PLAYABLE_PIXEL_FORMATS = frozenset({"yuv420p", "yuvj420p"})
MAX_LONG_SIDE = 1920
MAX_SHORT_SIDE = 1080
MAX_FRAME_RATE = 30.5  # 30000/1001 and 30 pass, 50 and 60 do not
MAX_VIDEO_SECONDS = 30 * 60
MAX_IMAGE_SIDE = 8192
"""Kiosks decode an image whole: 8192x8192 is 256 MB of pixels, Qt's own allocation limit."""

CODEC_NAMES = {
    "h264": "H.264",
    "hevc": "HEVC (H.265)",
    "vp8": "VP8",
    "vp9": "VP9",
    "av1": "AV1",
    "mpeg4": "MPEG-4 Part 2",
    "mpeg2video": "MPEG-2",
    "prores": "ProRes",
}


class ProbeFailed(Exception):  # noqa: N818 - a plain outcome, beside the facts
    """ffprobe could not read the file (not media, broken, too slow) or answered nonsense."""


@dataclass(frozen=True)
class VideoFacts:
    """A video's first video stream as ffprobe reads it; numbers finite, texts short."""

    codec: str
    profile: str
    pixel_format: str
    width: int
    height: int
    duration_s: float
    frame_rate: float

    @property
    def codec_name(self) -> str:
        """The codec as an editor's export dialog names it (``HEVC (H.265)``), not ffprobe's ``hevc``."""
        return CODEC_NAMES.get(self.codec, self.codec.upper())


@dataclass(frozen=True)
class ImageFacts:
    """A raster image's size in pixels."""

    width: int
    height: int


def ffprobe_available() -> bool:
    return shutil.which(FFPROBE) is not None


def run_ffprobe(path: Path, timeout_s: float = PROBE_SECONDS) -> bytes:
    """ffprobe's JSON on the first video stream and the container; ProbeFailed when it cannot say."""
    command = [
        FFPROBE, "-v", "error", "-hide_banner", "-print_format", "json",
        "-select_streams", "v:0",
        "-show_entries",
        "stream=codec_name,profile,pix_fmt,width,height,avg_frame_rate,r_frame_rate,duration,nb_frames"
        ":format=format_name,duration",
        "--", str(path),
    ]  # fmt: skip
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=timeout_s, check=False, stdin=subprocess.DEVNULL
        )
    except FileNotFoundError as exc:
        raise ProbeFailed("ffprobe is not installed on the server (apt install ffmpeg)") from exc
    except subprocess.TimeoutExpired as exc:
        raise ProbeFailed(f"ffprobe did not finish reading the file within {timeout_s:g} s") from exc
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ProbeFailed(f"ffprobe cannot read it: {reason[-1][:200] if reason else done.returncode}")
    if len(done.stdout) > MAX_PROBE_OUTPUT:
        raise ProbeFailed(f"ffprobe answered with {len(done.stdout)} bytes, more than expected")
    return done.stdout


def parse_video(raw: bytes) -> VideoFacts:
    """The facts of ffprobe's JSON answer, or ProbeFailed when it holds no playable-looking video."""
    stream, container = _first_stream(raw)
    width = _whole(stream.get("width"), "width", 1, 1 << 16)
    height = _whole(stream.get("height"), "height", 1, 1 << 16)
    rate = _rate(stream.get("avg_frame_rate")) or _rate(stream.get("r_frame_rate"))
    if rate is None:
        raise ProbeFailed("it has no readable frame rate")
    duration = _seconds(stream.get("duration")) or _seconds(container.get("duration"))
    if duration is None:
        raise ProbeFailed("it has no readable length")
    return VideoFacts(
        codec=_word(stream.get("codec_name"), "codec"),
        profile=_text(stream.get("profile")),
        pixel_format=_text(stream.get("pix_fmt")),
        width=width,
        height=height,
        duration_s=duration,
        frame_rate=rate,
    )


def parse_image(raw: bytes) -> ImageFacts:
    stream, _container = _first_stream(raw)
    return ImageFacts(
        width=_whole(stream.get("width"), "width", 1, 1 << 20),
        height=_whole(stream.get("height"), "height", 1, 1 << 20),
    )


def video_problems(facts: VideoFacts) -> list[str]:
    """Why kiosks cannot play it (``codec``, ``pixels``, ``size``, ``rate``, ``length``); [] if they can."""
    problems = []
    if facts.codec not in PLAYABLE_CODECS:
        problems.append("codec")
    elif facts.pixel_format not in PLAYABLE_PIXEL_FORMATS:
        problems.append("pixels")
    if max(facts.width, facts.height) > MAX_LONG_SIDE or min(facts.width, facts.height) > MAX_SHORT_SIDE:
        problems.append("size")
    if facts.frame_rate > MAX_FRAME_RATE:
        problems.append("rate")
    if not 0 < facts.duration_s <= MAX_VIDEO_SECONDS:
        problems.append("length")
    return problems


def _first_stream(raw: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    if len(raw) > MAX_PROBE_OUTPUT:
        raise ProbeFailed("ffprobe's answer is too long")
    try:
        answer = json.loads(raw, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise ProbeFailed("ffprobe's answer is not JSON") from exc
    if not isinstance(answer, dict):
        raise ProbeFailed("ffprobe's answer is not a JSON object")
    streams = answer.get("streams")
    if not isinstance(streams, list) or not streams or not isinstance(streams[0], dict):
        raise ProbeFailed("it holds no picture")
    container = answer.get("format")
    return streams[0], container if isinstance(container, dict) else {}


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _whole(value: Any, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ProbeFailed(f"it has no readable {what}")
    return value


def _text(value: Any) -> str:
    return value[:40] if isinstance(value, str) else ""


def _word(value: Any, what: str) -> str:
    text = _text(value)
    if not text or not all(c.isascii() and (c.isalnum() or c in "_-.") for c in text):
        raise ProbeFailed(f"it has no readable {what}")
    return text


def _seconds(value: Any) -> float | None:
    """ffprobe writes times as text (``"12.480000"``); None for missing, non-finite or absurd ones."""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and 0 < seconds < 1e7 else None


def _rate(value: Any) -> float | None:
    """``"30000/1001"`` → 29.97; None for ``"0/0"``, missing or absurd rates."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        rate = float(Fraction(value))
    except (ValueError, ZeroDivisionError, OverflowError):
        return None
    return rate if math.isfinite(rate) and 0 < rate <= 1000 else None
