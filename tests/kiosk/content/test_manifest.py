"""Property tests of the manifest parser: it accepts what the publisher writes and nothing dangerous."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.content.manifest import (
    MAX_IMAGE_BYTES,
    SHA256_PATTERN,
    BlobInfo,
    blob_refs,
    encode_manifest,
    parse_manifest,
)
from kiosk.errors import ContentError
from tests.content_docs import document, service

CREATED = datetime(2026, 6, 21, 9, 0, tzinfo=UTC)
shas = st.text("0123456789abcdef", min_size=64, max_size=64)
centre_ids = st.sampled_from(["baku-1", "ganja-2", "sumqayit-3"])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=10,
)


@st.composite
def manifests(draw: st.DrawFn) -> tuple[bytes, dict[str, Any], dict[str, BlobInfo], int]:
    blobs = draw(
        st.dictionaries(
            shas,
            st.builds(
                BlobInfo, st.integers(0, MAX_IMAGE_BYTES), st.sampled_from(["image/png", "image/svg+xml"])
            ),
            min_size=1,
            max_size=5,
        )
    )
    names = sorted(blobs)
    count = draw(st.integers(0, 6))
    services = [
        service(
            f"item-{i}",
            icon=draw(st.sampled_from(names)),
            centres=draw(st.lists(centre_ids, max_size=2, unique=True)),
        )
        for i in range(count)
    ]
    content = document(services=services)
    release = draw(st.integers(1, 2**40))
    data = encode_manifest(
        release=release, created=CREATED, expires=CREATED + timedelta(days=30), content=content, blobs=blobs
    )
    return data, content, blobs, release


@given(manifests(), centre_ids)
def test_what_the_publisher_writes_parses_and_targets_by_centre(
    case: tuple[bytes, dict[str, Any], dict[str, BlobInfo], int], centre: str
) -> None:
    data, content, blobs, release = case
    manifest = parse_manifest(data)
    assert (manifest.release, dict(manifest.blobs)) == (release, blobs)
    stored = manifest.store_document(centre)
    kept = [s["id"] for s in content["services"] if not s["centres"] or centre in s["centres"]]
    assert [s["id"] for s in stored["services"]] == kept
    assert all(s["icon"].startswith("blob:") for s in stored["services"])
    assert blob_refs(stored) <= set(blobs)
    assert set(manifest.blobs_of(stored)) == blob_refs(stored)


@settings(max_examples=300)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_are_refused_with_a_content_error_only(data: bytes) -> None:
    with pytest.raises(ContentError):
        parse_manifest(data)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(["format", "release", "created", "expires", "content", "blobs"]), json_values
    )
)
def test_arbitrary_json_manifests_are_refused_with_a_content_error_only(raw: dict[str, Any]) -> None:
    with pytest.raises(ContentError):
        parse_manifest(json.dumps(raw).encode())


@given(manifests(), st.text(min_size=1, max_size=80))
def test_a_media_name_that_is_not_a_listed_sha256_is_refused(
    case: tuple[bytes, dict[str, Any], dict[str, BlobInfo], int], name: str
) -> None:
    _data, content, blobs, release = case
    if name in blobs:
        return
    content = document(services=[service("evil", icon=name)])
    data = encode_manifest(
        release=release, created=CREATED, expires=CREATED + timedelta(days=1), content=content, blobs=blobs
    )
    with pytest.raises(ContentError, match=r"services\[0\]\.icon"):
        parse_manifest(data)


@given(st.text(max_size=80), st.integers(-5, 2**41))
def test_blob_names_must_be_sha256_and_sizes_sane(name: str, size: int) -> None:
    raw = json.loads(
        encode_manifest(
            release=1, created=CREATED, expires=CREATED + timedelta(days=1), content=document(), blobs={}
        )
    )
    raw["blobs"] = {name: {"size": size, "type": "image/png"}}
    acceptable = bool(SHA256_PATTERN.match(name)) and 0 <= size <= 1 << 40
    if acceptable:
        assert parse_manifest(json.dumps(raw).encode()).blobs[name].size == size
    else:
        with pytest.raises(ContentError):
            parse_manifest(json.dumps(raw).encode())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"release": 0}, "release"),
        ({"release": True}, "release"),
        ({"format": 2}, "format"),
        ({"expires": "2026-06-20T09:00:00+00:00"}, "expires: must be after created"),
        ({"created": "2026-06-21T09:00:00"}, "created: expected a date and time with offset"),
        ({"extra": 1}, "extra: unknown key"),
    ],
)
def test_each_header_problem_is_named(change: dict[str, Any], message: str) -> None:
    raw = json.loads(
        encode_manifest(
            release=1, created=CREATED, expires=CREATED + timedelta(days=1), content=document(), blobs={}
        )
    )
    raw.update(change)
    with pytest.raises(ContentError, match=message):
        parse_manifest(json.dumps(raw).encode())
