"""Every manifest or blob the kiosk must refuse: the active release stays as it was, and it is logged."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from kiosk.content.manifest import BlobInfo
from kiosk.content.publish import publish
from kiosk.content.releases import read_states
from kiosk.content.signing import generate_keys
from kiosk.content.sync import INSTALLED, REJECTED, ContentSync
from kiosk.store.db import Store
from tests.conftest import FakeClock
from tests.content_docs import document, service
from tests.kiosk.content.channel import (
    ChannelServer,
    forged_manifest,
    sha256,
    sign_raw,
    simple_source,
    svg,
)
from tests.kiosk.content.kiosk_sync import MB, active, make_sync, open_kiosk_store


class Kiosk:
    """A kiosk that has installed release 2 of a channel, and the means to tamper with the channel."""

    def __init__(self, tmp_path: Path, channel: Path, keys: tuple[Path, Path], clock: FakeClock) -> None:
        self.tmp_path, self.channel, self.key, self.clock = tmp_path, channel, keys[0], clock
        self.source = simple_source(tmp_path / "source")
        publish(self.source, self.key, str(channel), now=clock())
        self.replay = tmp_path / "release-1"
        self.replay.mkdir()
        for name in ("manifest.json", "manifest.json.sig"):
            shutil.copy(channel / name, self.replay / name)
        (self.source / "icons" / "item-0.svg").write_bytes(svg("item 0 v2"))
        publish(self.source, self.key, str(channel), now=clock())

    def publish_change(self, **kwargs: object) -> str:
        """Publish release 3 with one new icon; returns that blob's path on the server."""
        (self.source / "icons" / "item-1.svg").write_bytes(svg("item 1 changed in v3"))
        publish(self.source, self.key, str(self.channel), **kwargs)  # type: ignore[arg-type]
        return str(self.channel / "blobs" / sha256(svg("item 1 changed in v3")))


@pytest.fixture
def kiosk(tmp_path: Path, channel: Path, keys: tuple[Path, Path], clock: FakeClock) -> Kiosk:
    return Kiosk(tmp_path, channel, keys, clock)


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    opened = open_kiosk_store(data_dir)
    yield opened
    opened.close()


@pytest.fixture
def engine(
    store: Store, data_dir: Path, server: ChannelServer, keys: tuple[Path, Path], clock: FakeClock
) -> Iterator[ContentSync]:
    sync = make_sync(store, data_dir, server.url, keys[1], clock, cache_limit_bytes=10 * MB)
    yield sync
    sync.close()


def bad_signature(kiosk: Kiosk) -> str:
    kiosk.publish_change(now=kiosk.clock())
    sig = kiosk.channel / "manifest.json.sig"
    data = bytearray(sig.read_bytes())
    data[10] ^= 0x01
    sig.write_bytes(bytes(data))
    return "signature does not verify"


def other_key(kiosk: Kiosk) -> str:
    kiosk.publish_change(now=kiosk.clock())
    _key, _pub = generate_keys(kiosk.tmp_path / "intruder")
    sign_raw(kiosk.channel, _key, (kiosk.channel / "manifest.json").read_bytes())
    return "signature does not verify"


def older_release(kiosk: Kiosk) -> str:
    for name in ("manifest.json", "manifest.json.sig"):
        shutil.copy(kiosk.replay / name, kiosk.channel / name)
    return "release 1 is older than the active release 2"


def expired_manifest(kiosk: Kiosk) -> str:
    kiosk.publish_change(now=kiosk.clock() - timedelta(days=100), valid_days=90)
    return "expired"


def blob_with_wrong_hash(kiosk: Kiosk) -> str:
    path = Path(kiosk.publish_change(now=kiosk.clock()))
    data = path.read_bytes()
    path.write_bytes(data[:-2] + b"X>")
    return "expected"


def truncated_blob(kiosk: Kiosk) -> str:
    path = Path(kiosk.publish_change(now=kiosk.clock()))
    path.write_bytes(path.read_bytes()[:20])
    return "got 20 bytes"


def malformed_json(kiosk: Kiosk) -> str:
    sign_raw(kiosk.channel, kiosk.key, b'{"format": 1, "release": 3, "content": {')
    return "not valid JSON"


def _forged(kiosk: Kiosk, icon: str, blobs: dict[str, BlobInfo]) -> None:
    content = document(services=[service("evil", icon=icon)])
    created = kiosk.clock()
    data = forged_manifest(
        release=3, created=created, expires=created + timedelta(days=1), content=content, blobs=blobs
    )
    sign_raw(kiosk.channel, kiosk.key, data)


def traversal_in_media(kiosk: Kiosk) -> str:
    _forged(kiosk, "../../etc/passwd", {})
    return "expected a blob's sha256"


def traversal_in_blobs(kiosk: Kiosk) -> str:
    _forged(kiosk, "../../etc/passwd", {"../../etc/passwd": BlobInfo(10, "text/plain")})  # type: ignore[dict-item]
    return "not a sha256"


def duplicate_keys(kiosk: Kiosk) -> str:
    """Two parsers could read different values from the same signed bytes: refused outright."""
    created = kiosk.clock()
    data = forged_manifest(
        release=3, created=created, expires=created + timedelta(days=1), content=document(), blobs={}
    )
    sign_raw(kiosk.channel, kiosk.key, data.replace(b'"release":3', b'"release":3,"release":4'))
    return "duplicate key 'release'"


def deeply_nested(kiosk: Kiosk) -> str:
    """900 levels: json.loads copes, but copying or storing it would exhaust the recursion limit."""
    deep: list[object] = []
    for _ in range(900):
        deep = [deep]
    created = kiosk.clock()
    data = forged_manifest(
        release=3,
        created=created,
        expires=created + timedelta(days=1),
        content=document(services=[service("deep", extra=deep)]),
        blobs={},
    )
    sign_raw(kiosk.channel, kiosk.key, data)
    return "nested deeper than 32 levels"


def over_cache_limit(kiosk: Kiosk) -> str:
    sha = "ab" * 32
    _forged(kiosk, sha, {sha: BlobInfo(11 * MB, "image/png")})
    return "more than the cache limit"


CASES: list[Callable[[Kiosk], str]] = [
    bad_signature,
    other_key,
    older_release,
    expired_manifest,
    blob_with_wrong_hash,
    truncated_blob,
    malformed_json,
    traversal_in_media,
    traversal_in_blobs,
    over_cache_limit,
    duplicate_keys,
    deeply_nested,
]


@pytest.mark.parametrize("tamper", CASES, ids=[case.__name__ for case in CASES])
def test_refused_content_keeps_the_active_release(
    tamper: Callable[[Kiosk], str],
    kiosk: Kiosk,
    engine: ContentSync,
    store: Store,
    data_dir: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert engine.sync_once().outcome == INSTALLED
    before = active(store)
    assert before.number == 2
    blobs_before = sorted(p.name for p in (data_dir / "blobs").iterdir())
    expected = tamper(kiosk)
    with caplog.at_level(logging.ERROR, logger="kiosk.content.sync"):
        result = engine.sync_once()
    assert result.outcome == REJECTED
    assert expected in result.message
    assert active(store) == before
    assert sorted(p.name for p in (data_dir / "blobs").iterdir()) == blobs_before
    assert any(
        "Rejected the content" in r.getMessage() and expected in r.getMessage() for r in caplog.records
    )
    state = read_states(store, ("last_result", "last_error"))
    assert state["last_result"] == state["last_error"] == result.message


def test_a_manifest_racing_its_signature_is_read_again(
    kiosk: Kiosk, engine: ContentSync, store: Store, server: ChannelServer
) -> None:
    """The publisher renames the signature first: a poll reading the manifest before it reads it again."""
    assert engine.sync_once().outcome == INSTALLED
    kiosk.publish_change(now=kiosk.clock())
    manifest_3 = (kiosk.channel / "manifest.json").read_bytes()
    (kiosk.source / "icons" / "item-2.svg").write_bytes(svg("item 2 changed in v4"))
    publish(kiosk.source, kiosk.key, str(kiosk.channel), now=kiosk.clock())
    manifest_4 = (kiosk.channel / "manifest.json").read_bytes()
    (kiosk.channel / "manifest.json").write_bytes(manifest_3)  # signature 4 is already in place
    paths: list[str] = []
    handle = server._handle

    def rename_lands_during_the_signature_read(handler: BaseHTTPRequestHandler) -> None:
        paths.append(handler.path)
        if handler.path == "/manifest.json.sig":
            (kiosk.channel / "manifest.json").write_bytes(manifest_4)
        handle(handler)

    server._handle = rename_lands_during_the_signature_read  # type: ignore[method-assign]
    result = engine.sync_once()
    assert result.outcome == INSTALLED and result.release == 4
    assert paths[:3] == ["/manifest.json", "/manifest.json.sig", "/manifest.json"]
