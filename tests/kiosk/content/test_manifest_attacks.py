"""Signed-but-hostile manifests, as a compromised publisher or a broken tool could write them.

Each is refused by the parser with a reason a person can read (one line, bounded), so the sync
reports it and installs nothing; none may escape as another exception and stop the sync thread.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kiosk.content.manifest import encode_manifest, parse_manifest
from kiosk.content.model import parse_content
from kiosk.errors import ContentError
from tests.content_docs import document, service, text

CREATED = datetime(2026, 6, 21, 9, 0, tzinfo=UTC)


def valid() -> dict[str, Any]:
    data = encode_manifest(
        release=3, created=CREATED, expires=CREATED + timedelta(days=30), content=document(), blobs={}
    )
    raw: dict[str, Any] = json.loads(data)
    return raw


def compact(raw: dict[str, Any]) -> bytes:
    return json.dumps(raw, separators=(",", ":")).encode()


def with_content(**change: Any) -> bytes:
    raw = valid()
    raw["content"].update(change)
    return compact(raw)


def nested(depth: int) -> bytes:
    raw = valid()
    raw["content"]["services"][0]["title"]["az"] = "x"
    inner = "[" * depth + "]" * depth
    return compact(raw).replace(b'"x"', inner.encode(), 1)


CASES: list[tuple[str, bytes, str]] = [
    ("100,000-deep JSON", b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    ("900-deep JSON inside a text", nested(900), "nested deeper than 32 levels"),
    ("NaN", compact(valid()).replace(b'"release":3', b'"release":NaN'), "NaN is not allowed"),
    ("Infinity", compact(valid()).replace(b'"release":3', b'"release":-Infinity'), "not allowed"),
    (
        "1e400 (a float that overflows to inf)",
        compact(valid()).replace(b'"release":3', b'"release":1e400'),
        "out of range",
    ),
    (
        "a 5000-digit number",
        compact(valid()).replace(b'"release":3', b'"release":' + b"9" * 5000),
        "not valid JSON",
    ),
    (
        "a release beyond 2^62",
        compact(valid()).replace(b'"release":3', b'"release":' + str(2**64).encode()),
        "release: expected a whole number",
    ),
    (
        "duplicate key",
        compact(valid()).replace(b'"release":3', b'"release":3,"release":999'),
        "duplicate key 'release'",
    ),
    (
        "duplicate key in content",
        compact(valid()).replace(b'"format":1,', b'"format":1,"format":1,', 1),
        "duplicate key 'format'",
    ),
    (
        "expires in year 9999 at -23:59",
        compact({**valid(), "expires": "9999-12-31T23:59:59-23:59"}),
        "out of range",
    ),
    (
        "created in year 1 at +23:59",
        compact({**valid(), "created": "0001-01-01T00:00:00+23:59"}),
        "out of range",
    ),
    (
        "a lone surrogate in a text",
        with_content(channel={"name": {**text("C"), "az": "\ud800"}}),
        "unpaired surrogate",
    ),
    (
        "a blob of 2^50 bytes",
        compact({**valid(), "blobs": {"ab" * 32: {"size": 2**50, "type": "image/png"}}}),
        "size: expected a whole number of bytes",
    ),
    (
        "a 1 GB subtitle file",
        compact(
            {
                **valid(),
                "content": document(
                    videos=[
                        {"id": "v", "file": "cd" * 32, "title": text("V"), "subtitles": {"az": "ab" * 32}}
                    ]
                ),
                "blobs": {
                    "ab" * 32: {"size": 2**30, "type": "text/vtt"},
                    "cd" * 32: {"size": 10**9, "type": "video/mp4"},
                },
            }
        ),
        "content.videos[0].subtitles.az: 1073741824 bytes, more than the 2097152",
    ),
    (
        "a 500 MB icon",
        compact(
            {
                **valid(),
                "content": document(services=[service("big", icon="ab" * 32)]),
                "blobs": {"ab" * 32: {"size": 500 << 20, "type": "image/png"}},
            }
        ),
        "content.services[0].icon: 524288000 bytes",
    ),
    (
        "a float blob size",
        compact({**valid(), "blobs": {"ab" * 32: {"size": 1.5, "type": "image/png"}}}),
        "size: expected a whole number",
    ),
    (
        "a 10,000-character title",
        with_content(services=[service("long", title={**text("T"), "en": "x" * 10_000})]),
        "services[0].title.en: 10000 characters",
    ),
    (
        "a 5,000-byte URL",
        with_content(services=[service("long", url="https://e.example/" + "a" * 5000)]),
        "longer than 700 bytes",
    ),
    ("600 services", with_content(services=[service(f"s-{i}") for i in range(600)]), "services: 600 items"),
    (
        "an announcement ending in year 9999 at -23:59",
        with_content(
            announcements=[
                {
                    "id": "a",
                    "text": text("A"),
                    "starts": "2026-01-01T00:00:00+04:00",
                    "ends": "9999-12-31T23:59:59-23:59",
                }
            ]
        ),
        "announcements[0].ends",
    ),
    (
        "a blob name ending in a newline (a second line in a file name)",
        compact({**valid(), "blobs": {"ab" * 32 + "\n": {"size": 10, "type": "image/png"}}}),
        "blobs",
    ),
    ("a service id ending in a newline", with_content(services=[service("tax\n")]), "services[0].id"),
    (
        "a schedule at 25 o'clock",
        with_content(services=[service("late", schedule={"hours": "25:00-26:00"})]),
        "schedule.hours",
    ),
]


@pytest.mark.parametrize(("data", "reason"), [(d, r) for _n, d, r in CASES], ids=[n for n, _d, _r in CASES])
def test_a_hostile_manifest_is_refused_with_a_readable_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ContentError) as raised:
        parse_manifest(data)
    message = str(raised.value)
    assert reason in message
    assert all(len(line) < 600 for line in message.splitlines())  # never the hostile value in full


def test_a_year_9999_schedule_and_announcement_in_range_are_accepted() -> None:
    """Far-future dates are legitimate ("until further notice"): only the unrepresentable is refused."""
    doc = document(
        services=[service("forever", schedule={"until": "9999-12-31"})],
        announcements=[
            {
                "id": "a",
                "text": text("A"),
                "starts": "2026-01-01T00:00:00+04:00",
                "ends": "9999-12-31T00:00:00+04:00",
            }
        ],
    )
    content = parse_content(doc, release=1, origin="test")
    assert content.announcements[0].ends.year == 9999
