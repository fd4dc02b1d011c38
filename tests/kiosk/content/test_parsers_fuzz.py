"""Property tests: whatever a manifest or a content document holds, the parsers answer with a value
or a ContentError, never another exception, and what they accept can be stored and shown.

A valid document is mutated at a random place with a hostile value (huge or non-finite numbers,
deep nesting, unrepresentable dates, lone surrogates, markup, wrong types, unknown keys).
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.content.manifest import BlobInfo, content_of, encode_manifest, parse_manifest
from kiosk.content.model import Content, parse_content
from kiosk.errors import ContentError
from kiosk.schedule import active_announcement, visible_services, visible_videos
from tests.content_docs import document, service, text

CREATED = datetime(2026, 6, 21, 9, 0, tzinfo=UTC)
SHA = "ab" * 32
BOUNDED = settings(max_examples=120, deadline=1000, suppress_health_check=[HealthCheck.too_slow])

HOSTILE_TEXTS = [
    "\ud800",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+23:59",
    "9999-12-31",
    "25:00-26:00",
    "23:59-00:00",
    "<font color=red size=7>BIG</font>",
    "javascript:alert(1)",
    "blob:" + SHA,
    "../../etc/passwd",
    "x" * 5000,
]


def deep(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(HOSTILE_TEXTS)
    | st.integers(1, 300).map(deep)
)
values = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def full_document() -> dict[str, Any]:
    return document(
        services=[
            service("one", icon=SHA, schedule={"from": "2026-01-01", "hours": "09:00-18:00"}),
            service("two"),
        ],
        videos=[{"id": "clip", "file": SHA, "title": text("Clip"), "subtitles": {"az": SHA}}],
        announcements=[
            {
                "id": "note",
                "text": text("Note"),
                "starts": "2026-06-21T09:00:00+04:00",
                "ends": "2026-06-22T09:00:00+04:00",
            }
        ],
        attract={"sequence": ["energy", "video"], "video_seconds": 30},
    )


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*prefix, index))
    return found


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths(doc)))
        if not path:
            continue
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        if draw(st.booleans()) or not isinstance(parent, dict):
            parent[path[-1]] = draw(values)
        else:
            parent[draw(st.text(min_size=1, max_size=8))] = draw(values)
    return doc


def _show(content: Content) -> None:
    """What the kiosk does with an accepted release: filter it by centre and time, and store it."""
    now = datetime(2026, 6, 21, 12, 0, tzinfo=UTC)
    visible_services(content, "baku-1", now)
    visible_videos(content, "baku-1", now)
    active_announcement(content, "baku-1", now)


def _manifest_bytes(raw: dict[str, Any]) -> bytes:
    try:
        return json.dumps(raw, ensure_ascii=True).encode()  # NaN/Infinity are written as such
    except (RecursionError, ValueError):
        return b"{}"


def _valid_manifest() -> dict[str, Any]:
    data = encode_manifest(
        release=3,
        created=CREATED,
        expires=CREATED + timedelta(days=30),
        content=full_document(),
        blobs={SHA: BlobInfo(10, "image/png")},
    )
    raw: dict[str, Any] = json.loads(data)
    return raw


@BOUNDED
@given(mutated(_valid_manifest()))
def test_a_mutated_manifest_is_accepted_whole_or_refused_with_a_content_error(raw: dict[str, Any]) -> None:
    try:
        manifest = parse_manifest(_manifest_bytes(raw))
    except ContentError as exc:
        assert str(exc).strip()
        return
    content = content_of(manifest, "baku-1")
    json.dumps(manifest.store_document("baku-1"), ensure_ascii=False).encode("utf-8")  # what install stores
    _show(content)


@BOUNDED
@given(mutated(full_document()))
def test_a_mutated_content_document_parses_or_raises_a_content_error(doc: dict[str, Any]) -> None:
    try:
        content = parse_content(doc, release=1, origin="test")
    except ContentError as exc:
        assert all(len(line) < 1000 for line in str(exc).splitlines())
        return
    _show(content)
