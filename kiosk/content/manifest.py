"""The published channel's manifest: one signed JSON file naming a release's content and its blobs.

``manifest.json`` holds the format version, the release number, when it was made and when it expires,
the content document (the same shape as ``content.toml``) with every media file name replaced by the
file's sha256, and ``blobs``: every blob's sha256 with its size and media type. Blobs are named only by
their hash, so nothing a manifest says ever becomes a file path on the kiosk.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.content.model import Content, parse_content, short
from kiosk.content.source import media_fields, rewrite_media
from kiosk.errors import ContentError
from kiosk.wire import TimeRangeError, parse_aware

MANIFEST_FORMAT = 1
MANIFEST_FILE = "manifest.json"
SIGNATURE_FILE = "manifest.json.sig"
BLOBS_DIR = "blobs"
MAX_MANIFEST_BYTES = 32 * 1024 * 1024
MAX_BLOB_BYTES = 1 << 40
SHA256_PATTERN = re.compile(r"\A[0-9a-f]{64}\Z")
BLOB_REF_PREFIX = "blob:"
TARGETED_LISTS = ("services", "videos", "announcements")
_KEYS = ("format", "release", "created", "expires", "content", "blobs")
MAX_DEPTH = 32
MAX_SUBTITLE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_BYTES = 20 * 1024 * 1024
"""Subtitles are parsed and images decoded whole, in memory, on the kiosk: videos alone may be large."""
"""The manifest's own shape is 6 levels deep: anything deeper is an attack on the parser's recursion."""


@dataclass(frozen=True)
class BlobInfo:
    """What the manifest promises about one blob."""

    size: int
    media_type: str


@dataclass(frozen=True)
class Manifest:
    """A parsed, schema-checked manifest (its signature is checked before it is parsed)."""

    release: int
    created: datetime
    expires: datetime
    content: Mapping[str, Any]
    blobs: Mapping[str, BlobInfo]
    digest: str

    def store_document(self, centre: str | None) -> dict[str, Any]:
        """The content as the kiosk stores it: only the items for ``centre``, media as ``blob:<sha>``.

        ``centre`` None keeps every item (the publisher's view).
        """
        doc = copy.deepcopy(dict(self.content))
        if centre is not None:
            for name in TARGETED_LISTS:
                items = doc.get(name)
                if isinstance(items, list):
                    doc[name] = [item for item in items if _targets(item, centre)]
        return rewrite_media(doc, lambda _key, sha: BLOB_REF_PREFIX + sha)

    def blobs_of(self, document: Mapping[str, Any]) -> dict[str, BlobInfo]:
        """The blobs a store document (from :meth:`store_document`) needs, with what is promised."""
        return {sha: self.blobs[sha] for sha in blob_refs(document)}

    def total_size(self) -> int:
        return sum(info.size for info in self.blobs.values())


def blob_refs(document: Mapping[str, Any]) -> set[str]:
    """The sha256 of every ``blob:`` media reference in a store document."""
    refs: set[str] = set()
    for _key, table, name in media_fields(dict(document)):
        value = table[name]
        if value.startswith(BLOB_REF_PREFIX):
            refs.add(value[len(BLOB_REF_PREFIX) :])
    return refs


def _targets(item: Any, centre: str) -> bool:
    if not isinstance(item, Mapping):
        return True
    centres = item.get("centres") or []
    return not centres or centre in centres


def encode_manifest(
    *,
    release: int,
    created: datetime,
    expires: datetime,
    content: Mapping[str, Any],
    blobs: Mapping[str, BlobInfo],
) -> bytes:
    """The exact bytes that are signed and published (compact, keys sorted, UTF-8)."""
    doc = {
        "format": MANIFEST_FORMAT,
        "release": release,
        "created": created.isoformat(),
        "expires": expires.isoformat(),
        "content": content,
        "blobs": {sha: {"size": info.size, "type": info.media_type} for sha, info in sorted(blobs.items())},
    }
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def parse_manifest(data: bytes, *, where: str = MANIFEST_FILE) -> Manifest:
    """Check manifest bytes against the schema; ContentError names every problem found."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise ContentError(f"{where}: {len(data)} bytes, more than the {MAX_MANIFEST_BYTES} allowed")
    raw = load_json_object(data, where=where)
    problems: list[str] = []
    for key in raw:
        if key not in _KEYS:
            problems.append(f"{where}: {key}: unknown key (known: {', '.join(_KEYS)})")
    if raw.get("format") != MANIFEST_FORMAT:
        problems.append(f"{where}: format: expected {MANIFEST_FORMAT}, got {short(raw.get('format'))}")
    release = raw.get("release")
    if isinstance(release, bool) or not isinstance(release, int) or not 1 <= release < 2**62:
        problems.append(f"{where}: release: expected a whole number from 1, got {short(release)}")
        release = 0
    created = _aware(raw.get("created"), f"{where}: created", problems)
    expires = _aware(raw.get("expires"), f"{where}: expires", problems)
    if created and expires and expires <= created:
        problems.append(f"{where}: expires: must be after created")
    blobs = _blobs(raw.get("blobs"), where, problems)
    content = raw.get("content")
    if not isinstance(content, dict):
        problems.append(f"{where}: content: expected a JSON object")
        content = {}
    for key, table, name in media_fields(content):
        sha = table[name]
        if not SHA256_PATTERN.match(sha):
            problems.append(f"{where}: content.{key}: expected a blob's sha256, got {sha[:80]!r}")
        elif sha not in blobs:
            problems.append(f"{where}: content.{key}: blob {sha} is not listed in blobs")
        elif blobs[sha].size > media_size_limit(key):
            problems.append(
                f"{where}: content.{key}: {blobs[sha].size} bytes, more than the {media_size_limit(key)} "
                "a file of this kind may have"
            )
    if problems:
        raise ContentError("\n".join(problems))
    assert created is not None and expires is not None
    manifest = Manifest(release, created, expires, content, blobs, hashlib.sha256(data).hexdigest())
    content_of(manifest, None, where=where)
    return manifest


def load_json_object(data: bytes, *, where: str) -> dict[str, Any]:
    """A JSON object as strictly as a manifest is read: no NaN or infinite numbers, no duplicate keys,
    no nesting past MAX_DEPTH, no unpaired surrogates; ContentError otherwise."""
    try:
        raw = json.loads(
            data.decode("utf-8"),
            parse_constant=_reject_constant,
            parse_float=_finite_float,
            object_pairs_hook=_unique_keys,
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ContentError(f"{where}: not valid JSON: {str(exc)[:300]}") from exc
    if not isinstance(raw, dict):
        raise ContentError(f"{where}: expected a JSON object")
    _check_tree(raw, where)
    return raw


def content_of(manifest: Manifest, centre: str | None, *, where: str = MANIFEST_FILE) -> Content:
    """The release's Content for ``centre``, checked by the same parser as every content source."""
    return parse_content(
        manifest.store_document(centre), release=manifest.release, origin="sync", where=f"{where}: content"
    )


def media_size_limit(key: str) -> int:
    """The largest file a media field may name (``videos[0].subtitles.az``: 2 MiB; images: 20 MiB)."""
    if ".subtitles." in key:
        return MAX_SUBTITLE_BYTES
    if key.endswith((".icon", ".image", ".poster")):
        return MAX_IMAGE_BYTES
    return MAX_BLOB_BYTES


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text[:40]} is out of range")
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Duplicate keys are refused: two parsers could read different values from the same signed bytes."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key[:80]!r}")
        result[key] = value
    return result


def _check_tree(raw: Any, where: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH and texts that cannot be stored (lone UTF-16 surrogates)."""
    stack: list[tuple[Any, int]] = [(raw, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ContentError(f"{where}: nested deeper than {MAX_DEPTH} levels")
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
            stack.extend((key, depth) for key in value)
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ContentError(f"{where}: a text holds an unpaired surrogate ({value[:40]!r})") from exc


def _aware(value: Any, label: str, problems: list[str]) -> datetime | None:
    try:
        if not isinstance(value, str):
            raise ValueError(label)
        return parse_aware(value, label)
    except TimeRangeError:
        problems.append(f"{label}: {short(value)} is out of range")
    except ValueError:
        problems.append(f"{label}: expected a date and time with offset, got {str(value)[:80]!r}")
    return None


def _blobs(raw: Any, where: str, problems: list[str]) -> dict[str, BlobInfo]:
    if not isinstance(raw, dict):
        problems.append(f"{where}: blobs: expected an object of sha256: {{size, type}}")
        return {}
    blobs: dict[str, BlobInfo] = {}
    for sha, info in raw.items():
        label = f"{where}: blobs.{str(sha)[:80]}"
        if not SHA256_PATTERN.match(sha):
            problems.append(f"{label}: not a sha256 (64 lowercase hex digits)")
            continue
        if not isinstance(info, dict) or set(info) != {"size", "type"}:
            problems.append(f"{label}: expected {{size, type}}")
            continue
        size, media_type = info["size"], info["type"]
        if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= MAX_BLOB_BYTES:
            problems.append(f"{label}.size: expected a whole number of bytes, got {short(size)}")
            continue
        if not isinstance(media_type, str) or not re.fullmatch(r"[a-z]+/[a-z0-9.+-]+", media_type):
            problems.append(f"{label}.type: expected a media type like video/mp4, got {short(media_type)}")
            continue
        blobs[sha] = BlobInfo(size, media_type)
    return blobs
