"""Subtitles for the campaign video: SRT and WebVTT files parsed into timed cues.

The video widget asks "what text shows at this position?" many times a second, so cues are parsed
once into a sorted tuple and looked up with a binary search. Styling (cue settings, tags, STYLE
blocks) is dropped: the kiosk paints every subtitle the same way, in its own font.
"""

from __future__ import annotations

import html
import logging
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.errors import ContentError

log = logging.getLogger(__name__)

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_TIMESTAMP = r"(?:(\d+):)?(\d{1,2}):(\d{1,2})[,.](\d{1,3})"
_TIMING = re.compile(rf"^\s*{_TIMESTAMP}\s*-->\s*{_TIMESTAMP}(?:\s+.*)?\s*$")
# Formatting tags both formats use (<i>, <b>, <font …>, WebVTT's <c.x>, <v Name>, <00:01.000>) and
# SRT's ASS-style position codes ({\an8}); the kiosk paints plain text.
_TAG = re.compile(r"</?(?:[a-zA-Z][^<>]*|\d[\d:.]*)>")
_ASS_CODE = re.compile(r"\{\\[^{}]*\}")
_VTT_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")


@dataclass(frozen=True)
class Cue:
    """One subtitle: its text shows from ``start_ms`` (inclusive) until ``end_ms`` (exclusive)."""

    start_ms: int
    end_ms: int
    text: str


def load_subtitles(path: Path) -> tuple[Cue, ...]:
    """Parse the SRT or WebVTT file at ``path`` (the format is told by its first line, not its name)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError(f"{path}: cannot read the subtitle file ({exc.strerror or exc})") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ContentError(f"{path}, line {line}: subtitle files must be UTF-8") from exc
    return parse_subtitles(text, source=str(path))


def parse_subtitles(text: str, *, source: str = "<subtitles>") -> tuple[Cue, ...]:
    """Parse SRT or WebVTT text into cues sorted by start time; ``source`` names the file in errors."""
    text = text.removeprefix("\ufeff")
    lines = _LINE_BREAK.split(text)
    is_vtt = lines[0].startswith("WEBVTT") and lines[0][6:7] in ("", " ", "\t")
    cues: list[Cue] = []
    for first_line, block in _blocks(lines):
        cue = (
            _parse_vtt_block(block, first_line, source)
            if is_vtt
            else _parse_srt_block(block, first_line, source)
        )
        if cue is not None:
            cues.append(cue)
    cues.sort(key=lambda cue: (cue.start_ms, cue.end_ms))
    return tuple(cues)


def cue_at(cues: Sequence[Cue], position_ms: int) -> str:
    """The text showing at ``position_ms``, or "" between cues.

    Where cues overlap, the one that started last is shown until it ends.
    """
    index = bisect_right(cues, position_ms, key=lambda cue: cue.start_ms)
    if index == 0:
        return ""
    cue = cues[index - 1]
    return cue.text if position_ms < cue.end_ms else ""


def render_srt(cues: Iterable[Cue]) -> str:
    """The cues as an SRT document (used by tests and by admins' tooling to round-trip a file)."""
    parts = [
        f"{number}\n{_stamp(cue.start_ms, ',')} --> {_stamp(cue.end_ms, ',')}\n{cue.text}\n"
        for number, cue in enumerate(cues, start=1)
    ]
    return "\n".join(parts)


def render_vtt(cues: Iterable[Cue]) -> str:
    """The cues as a WebVTT document, with &, < and > escaped as the format requires."""
    parts = ["WEBVTT\n"]
    parts.extend(
        f"{_stamp(cue.start_ms, '.')} --> {_stamp(cue.end_ms, '.')}\n{html.escape(cue.text, quote=False)}\n"
        for cue in cues
    )
    return "\n".join(parts)


def _blocks(lines: list[str]) -> Iterable[tuple[int, list[str]]]:
    """Blank-line separated blocks, each with the 1-based number of its first line."""
    block: list[str] = []
    start = 0
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def _parse_srt_block(block: list[str], first_line: int, source: str) -> Cue | None:
    # A block is "index / timing / text…"; a missing index is tolerated, a missing timing line is not.
    timing_at = 0 if "-->" in block[0] else 1
    if timing_at >= len(block) or "-->" not in block[timing_at]:
        raise ContentError(
            f"{source}, line {first_line}: expected a cue number and a timing line "
            f"'00:00:01,000 --> 00:00:02,500', found {block[0].strip()!r}"
        )
    if timing_at == 1 and not block[0].strip().isdigit():
        log.debug("%s, line %d: SRT cue number %r is not a number", source, first_line, block[0])
    return _cue(block, timing_at, first_line, source, unescape=False)


def _parse_vtt_block(block: list[str], first_line: int, source: str) -> Cue | None:
    head = block[0]
    if first_line == 1:  # the WEBVTT line and its header
        if any("-->" in line for line in block):
            raise ContentError(f"{source}, line 2: a blank line must follow the WEBVTT header")
        return None
    if head.split(maxsplit=1)[0] in _VTT_SKIPPED_BLOCKS and "-->" not in head:
        return None
    if "-->" in head:
        timing_at = 0
    elif len(block) > 1 and "-->" in block[1]:
        timing_at = 1  # a cue identifier comes first
    else:
        raise ContentError(
            f"{source}, line {first_line}: expected a timing line '00:01.000 --> 00:02.500', "
            f"found {head.strip()!r}"
        )
    return _cue(block, timing_at, first_line, source, unescape=True)


def _cue(block: list[str], timing_at: int, first_line: int, source: str, *, unescape: bool) -> Cue | None:
    line_number = first_line + timing_at
    match = _TIMING.match(block[timing_at])
    if match is None:
        raise ContentError(
            f"{source}, line {line_number}: cannot read the cue timing {block[timing_at].strip()!r}"
        )
    groups = match.groups()
    start, end = _milliseconds(groups[:4]), _milliseconds(groups[4:])
    if start is None or end is None:
        raise ContentError(
            f"{source}, line {line_number}: minutes and seconds in {block[timing_at].strip()!r} "
            "must be below 60"
        )
    if end < start:
        raise ContentError(f"{source}, line {line_number}: the cue ends before it starts")
    text_lines = []
    for offset, line in enumerate(block[timing_at + 1 :], start=timing_at + 1):
        if "-->" in line and _TIMING.match(line):
            raise ContentError(
                f"{source}, line {first_line + offset}: a timing line inside a cue's text "
                "(is a blank line missing before it?)"
            )
        cleaned = _TAG.sub("", line)
        text_lines.append((html.unescape(cleaned) if unescape else _ASS_CODE.sub("", cleaned)).strip())
    text = "\n".join(line for line in text_lines if line)
    return Cue(start, end, text) if text else None


def _milliseconds(parts: Sequence[str | None]) -> int | None:
    """A timestamp's groups (the hours may be absent) in milliseconds; None when out of range."""
    hours, minutes, seconds, fraction = parts
    whole = [int(part or 0) for part in (hours, minutes, seconds)]
    if whole[1] >= 60 or whole[2] >= 60:
        return None
    millis = int((fraction or "0").ljust(3, "0"))
    return ((whole[0] * 60 + whole[1]) * 60 + whole[2]) * 1000 + millis


def _stamp(ms: int, separator: str) -> str:
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"
