"""Network faults: the kiosk keeps its content, reports the state, retries, and resumes downloads."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from requests.adapters import HTTPAdapter

from kiosk.config import ContentSettings, KioskSettings, Settings
from kiosk.content.publish import publish
from kiosk.content.releases import read_states
from kiosk.content.sync import FAILED, INSTALLED, UNCHANGED, ContentSync
from kiosk.content.sync_service import ContentSyncService
from kiosk.core import open_core
from kiosk.status import read_state
from kiosk.store.db import Store
from tests.conftest import FakeClock
from tests.kiosk.content.channel import (
    ChannelServer,
    card,
    free_port,
    sha256,
    simple_source,
    svg,
    write_source,
)
from tests.kiosk.content.kiosk_sync import active, make_sync, open_kiosk_store, quick_retry


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    opened = open_kiosk_store(data_dir)
    yield opened
    opened.close()


@pytest.fixture
def published(tmp_path: Path, channel: Path, keys: tuple[Path, Path], clock: FakeClock) -> Path:
    source = simple_source(tmp_path / "source")
    publish(source, keys[0], str(channel), now=clock())
    return source


def test_server_down_keeps_the_demo_content_and_reports_the_failure(
    store: Store, data_dir: Path, keys: tuple[Path, Path], clock: FakeClock
) -> None:
    engine = make_sync(store, data_dir, f"http://127.0.0.1:{free_port()}/", keys[1], clock, retries=2)
    result = engine.sync_once()
    assert result.outcome == FAILED and result.release == 0
    assert "Connection refused" in result.message or "Max retries" in result.message
    assert active(store).origin == "demo"
    state = read_states(store, ("last_sync", "last_result", "last_error"))
    assert state["last_sync"] == clock().isoformat(timespec="seconds")
    assert state["last_result"].startswith("failed:") and state["last_error"] == state["last_result"]


def test_first_boot_without_network_shows_the_bundled_demo_content(
    data_dir: Path, keys: tuple[Path, Path]
) -> None:
    settings = Settings(
        kiosk=KioskSettings(centre="baku-1"),
        content=ContentSettings(url=f"http://127.0.0.1:{free_port()}/", public_key=str(keys[1])),
    )
    core = open_core(settings, data_dir)
    try:
        assert core.sync is not None
        core.sync.engine._http.mount("http://", HTTPAdapter(max_retries=quick_retry(1)))
        assert core.sync.engine.sync_once().outcome == FAILED
        content = core.content.active()
        assert content.origin == "demo" and content.services
        assert core.status().last_result is not None and core.status().last_result.startswith("failed")
    finally:
        core.close()


def test_server_errors_are_retried_with_backoff_until_it_recovers(
    published: Path,
    store: Store,
    data_dir: Path,
    server: ChannelServer,
    keys: tuple[Path, Path],
    clock: FakeClock,
) -> None:
    engine = make_sync(store, data_dir, server.url, keys[1], clock, retries=3)
    server.faults.errors = 2
    result = engine.sync_once()
    assert result.outcome == INSTALLED and result.release == 1
    assert [r.status for r in server.requests[:3]] == [500, 500, 200]


def test_a_server_failing_for_longer_than_the_retries_is_reported_then_picked_up(
    published: Path,
    store: Store,
    data_dir: Path,
    server: ChannelServer,
    keys: tuple[Path, Path],
    clock: FakeClock,
) -> None:
    engine = make_sync(store, data_dir, server.url, keys[1], clock, retries=2)
    server.faults.errors = 100
    result = engine.sync_once()
    assert result.outcome == FAILED and "500" in result.message
    assert active(store).origin == "demo"
    assert read_state(store, "last_result") == result.message
    server.faults.errors = 0
    clock.advance(minutes=5)
    assert engine.sync_once().outcome == INSTALLED
    assert read_state(store, "last_error") is None


def test_a_cut_download_resumes_with_range_and_fetches_each_byte_once(
    tmp_path: Path,
    channel: Path,
    store: Store,
    data_dir: Path,
    server: ChannelServer,
    keys: tuple[Path, Path],
    clock: FakeClock,
) -> None:
    video = b"\x00\x00\x00\x18ftypmp42" + os.urandom(3 * 1024 * 1024)
    source = write_source(
        tmp_path / "source",
        [card("one")],
        {"icons/one.svg": svg("one")},
    )
    with (source / "content.toml").open("a", encoding="utf-8") as handle:
        handle.write(
            '[[videos]]\nid = "campaign"\nfile = "media/campaign.mp4"\n'
            'title = { az = "Kampaniya", en = "Campaign", ru = "Кампания" }\n'
        )
    (source / "media").mkdir()
    (source / "media" / "campaign.mp4").write_bytes(video)
    publish(source, keys[0], str(channel), now=clock())
    blob = sha256(video)
    cut_at = 1_000_000
    server.faults.cut[blob] = cut_at
    engine = make_sync(store, data_dir, server.url, keys[1], clock)

    result = engine.sync_once()

    assert result.outcome == INSTALLED
    fetches = [r for r in server.requests if r.path == f"/blobs/{blob}"]
    assert [(r.status, r.range, r.sent) for r in fetches] == [
        (200, None, cut_at),
        (206, f"bytes={cut_at}-", len(video) - cut_at),
    ]
    assert (data_dir / "blobs" / blob).read_bytes() == video
    assert not list((data_dir / "blobs").glob("*.part"))


def test_a_download_cut_by_a_restart_resumes_from_the_partial_file(
    published: Path,
    store: Store,
    data_dir: Path,
    server: ChannelServer,
    keys: tuple[Path, Path],
    clock: FakeClock,
) -> None:
    blob = sha256(svg("item 0 v1"))
    blobs = data_dir / "blobs"
    blobs.mkdir()
    (blobs / f"{blob}.part").write_bytes(svg("item 0 v1")[:30])
    engine = make_sync(store, data_dir, server.url, keys[1], clock)
    assert engine.sync_once().outcome == INSTALLED
    fetch = next(r for r in server.requests if r.path == f"/blobs/{blob}")
    assert (fetch.status, fetch.range, fetch.sent) == (206, "bytes=30-", len(svg("item 0 v1")) - 30)


def test_deleted_cache_files_are_fetched_again(
    published: Path,
    store: Store,
    data_dir: Path,
    server: ChannelServer,
    keys: tuple[Path, Path],
    clock: FakeClock,
) -> None:
    engine = make_sync(store, data_dir, server.url, keys[1], clock)
    assert engine.sync_once().outcome == INSTALLED
    (data_dir / "blobs" / sha256(svg("item 1 v1"))).unlink()
    result = engine.sync_once()
    assert result.outcome == INSTALLED and result.blobs_fetched == 1
    assert engine.sync_once().outcome == UNCHANGED


def test_centre_targeting_keeps_only_this_centres_items_and_blobs(
    tmp_path: Path,
    channel: Path,
    store: Store,
    data_dir: Path,
    server: ChannelServer,
    keys: tuple[Path, Path],
    clock: FakeClock,
) -> None:
    source = write_source(
        tmp_path / "source",
        [card("everywhere"), card("here", centres=["baku-1"]), card("elsewhere", centres=["ganja-2"])],
        {f"icons/{name}.svg": svg(name) for name in ("everywhere", "here", "elsewhere")},
    )
    publish(source, keys[0], str(channel), now=clock())
    engine = make_sync(store, data_dir, server.url, keys[1], clock, centre="baku-1")
    assert engine.sync_once().outcome == INSTALLED
    ids = [s["id"] for s in active(store).document["services"]]
    assert ids == ["everywhere", "here"]
    assert sorted(p.name for p in (data_dir / "blobs").iterdir()) == sorted(
        [sha256(svg("everywhere")), sha256(svg("here"))]
    )


def test_old_blobs_are_pruned_and_one_rollback_release_is_kept(
    tmp_path: Path,
    channel: Path,
    store: Store,
    data_dir: Path,
    server: ChannelServer,
    keys: tuple[Path, Path],
    clock: FakeClock,
) -> None:
    engine = make_sync(store, data_dir, server.url, keys[1], clock)
    for version in ("v1", "v2", "v3"):
        simple_source(tmp_path / "source", count=2, tag=version)
        publish(tmp_path / "source", keys[0], str(channel), now=clock())
        assert engine.sync_once().outcome == INSTALLED
    cached = sorted(p.name for p in (data_dir / "blobs").iterdir())
    assert cached == sorted(sha256(svg(f"item {i} {v}")) for i in range(2) for v in ("v2", "v3"))


def test_the_cache_limit_drops_the_rollback_copy_first(
    tmp_path: Path,
    channel: Path,
    store: Store,
    data_dir: Path,
    server: ChannelServer,
    keys: tuple[Path, Path],
    clock: FakeClock,
) -> None:
    def big_source(tag: str) -> None:
        data = b"\x89PNG\r\n\x1a\n" + tag.encode() * (300_000 // len(tag))
        write_source(tmp_path / "source", [card("one", icon="icons/one.png")], {"icons/one.png": data})

    engine = make_sync(store, data_dir, server.url, keys[1], clock, cache_limit_bytes=500_000)
    big_source("first ")
    publish(tmp_path / "source", keys[0], str(channel), now=clock())
    assert engine.sync_once().outcome == INSTALLED
    big_source("second ")
    publish(tmp_path / "source", keys[0], str(channel), now=clock())
    assert engine.sync_once().outcome == INSTALLED
    assert len(list((data_dir / "blobs").iterdir())) == 1
    assert sum(p.stat().st_size for p in (data_dir / "blobs").iterdir()) <= 500_000


def test_the_service_syncs_in_its_thread_and_signals_each_new_release(
    tmp_path: Path,
    channel: Path,
    published: Path,
    store: Store,
    data_dir: Path,
    server: ChannelServer,
    keys: tuple[Path, Path],
    clock: FakeClock,
) -> None:
    activated: list[int] = []
    arrived = threading.Condition()

    def on_release(number: int) -> None:
        with arrived:
            activated.append(number)
            arrived.notify_all()

    engine: ContentSync = make_sync(store, data_dir, server.url, keys[1], clock)
    service = ContentSyncService(engine, poll_seconds=3600)
    service.on_release_activated = on_release
    service.start()
    try:
        with arrived:
            assert arrived.wait_for(lambda: activated == [1], timeout=10)
        (published / "icons" / "item-0.svg").write_bytes(svg("item 0 v2"))
        publish(published, keys[0], str(channel), now=clock())
        service.sync_now()
        with arrived:
            assert arrived.wait_for(lambda: activated == [1, 2], timeout=10)
    finally:
        service.stop()
    assert service.last_result is not None and service.last_result.release == 2
