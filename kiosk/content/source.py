"""A content source as an admin edits it: a folder with ``content.toml`` and the media it names."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path, PurePosixPath
from typing import Any

from kiosk.content.model import Content, parse_content
from kiosk.errors import ContentError

CONTENT_FILE = "content.toml"


def load_source_document(folder: Path) -> dict[str, Any]:
    """Read ``content.toml`` into a JSON-compatible document (dates become ISO text)."""
    path = folder / CONTENT_FILE
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ContentError(f"{path}: not found (a content source is a folder with {CONTENT_FILE})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{path}: not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ContentError(f"{path}: cannot be read: {exc}") from exc
    result = _jsonable(raw)
    assert isinstance(result, dict)
    return result


def media_fields(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any], str]]:
    """Every place a media file is named: (key for messages, the table holding it, field name)."""
    places: list[tuple[str, dict[str, Any], str]] = []
    for i, service in enumerate(doc.get("services", []) if isinstance(doc.get("services"), list) else []):
        if isinstance(service, dict):
            places += [
                (f"services[{i}].{f}", service, f)
                for f in ("icon", "image")
                if isinstance(service.get(f), str)
            ]
    for i, video in enumerate(doc.get("videos", []) if isinstance(doc.get("videos"), list) else []):
        if not isinstance(video, dict):
            continue
        places += [
            (f"videos[{i}].{f}", video, f) for f in ("file", "poster") if isinstance(video.get(f), str)
        ]
        subtitles = video.get("subtitles")
        if isinstance(subtitles, dict):
            places += [
                (f"videos[{i}].subtitles.{lang}", subtitles, lang)
                for lang in subtitles
                if isinstance(subtitles.get(lang), str)
            ]
    return places


def safe_relative_path(name: str) -> PurePosixPath:
    """Accept a media file name only as a plain path inside the source folder (no traversal)."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name or ":" in name:
        raise ContentError(f"'{name}' is not a file name inside the content folder")
    return path


def rewrite_media(doc: dict[str, Any], rewrite: Callable[[str, str], str]) -> dict[str, Any]:
    """Replace every media file name in ``doc`` (in place) by ``rewrite(key, name)``; returns doc."""
    for key, table, name in media_fields(doc):
        table[name] = rewrite(key, table[name])
    return doc


def load_demo_content(folder: Path) -> tuple[dict[str, Any], Content]:
    """The bundled demo source as a store document (media as ``demo:<path>``) and its Content."""
    doc = load_source_document(folder)
    problems: list[str] = []

    def to_ref(key: str, name: str) -> str:
        try:
            relative = safe_relative_path(name)
        except ContentError as exc:
            problems.append(f"{folder / CONTENT_FILE}: {key}: {exc}")
            return name
        if not (folder / relative).is_file():
            problems.append(f"{folder / CONTENT_FILE}: {key}: file '{name}' does not exist")
        return f"demo:{relative}"

    rewrite_media(doc, to_ref)
    if problems:
        raise ContentError("\n".join(problems))
    return doc, parse_content(doc, release=0, origin="demo", where=str(folder / CONTENT_FILE))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value
