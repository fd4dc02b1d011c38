"""Push from the real central server: the stream, its reconnection, and sync parity with nginx."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

from kiosk.content.publish import publish
from kiosk.content.push import PushClient, parse_events
from kiosk.content.remote import CentralClient, publish_remote
from kiosk.content.signing import load_public_key
from kiosk.content.sync import ContentSync
from kiosk.store.db import open_store
from kiosk.store.models import ContentRelease
from tests.central.conftest import Fleet
from tests.kiosk.content.channel import Nginx, simple_source, svg


def test_events_are_parsed_across_chunk_boundaries_and_comments_skipped() -> None:
    stream = [b"retry: 5000\n: connected\n\nevent: rel", b'ease\nid: 3\ndata: {"release"', b": 3}\n", b"\n"]
    stream += [b": keep-alive\n\n", b"data: a\r\ndata: b\r\n\r\n"]
    events = list(parse_events(iter(stream)))
    assert [(e.event, e.data, e.id) for e in events] == [
        ("release", '{"release": 3}', "3"),
        ("message", "a\nb", "3"),
    ]


def test_push_reconnects_after_the_server_restarts(fleet: Fleet, tmp_path: Path) -> None:
    client = CentralClient(fleet.server.channel_url(), fleet.admin_token)
    asked = threading.Event()
    push = PushClient(
        f"{fleet.server.channel_url()}/events", fleet.kiosk_tokens["baku-1-lobby"], lambda: 0, asked.set
    )
    push.start()
    try:
        assert push.connected.wait(10)
        assert not asked.wait(0.2)  # release 0 on the server: nothing to do
        fleet.server.stop()
        fleet.server.start()
        deadline = datetime.now(UTC).timestamp() + 15
        while push.connections < 2 and datetime.now(UTC).timestamp() < deadline:
            push.connected.wait(0.1)
        assert push.connections == 2 and push.connected.is_set()
        publish_remote(simple_source(tmp_path / "source", count=1), fleet.key, client)
        assert asked.wait(5)
        assert push.server_release == 1
    finally:
        push.stop()
    assert not push.connected.is_set()


def test_a_wrong_token_is_refused_and_retried_slowly(fleet: Fleet) -> None:
    push = PushClient(f"{fleet.server.channel_url()}/events", "gkk_wrong", lambda: 0, lambda: None)
    push.start()
    try:
        assert not push.connected.wait(0.5)
        assert push.connections == 0
    finally:
        push.stop()


def test_the_server_and_nginx_give_a_kiosk_the_same_release(
    fleet: Fleet, tmp_path: Path, nginx_channel: tuple[Nginx, Path]
) -> None:
    nginx, folder = nginx_channel
    now = datetime.now(UTC).replace(microsecond=0)
    source = simple_source(tmp_path / "source", count=3)
    publish(source, fleet.key, str(folder), now=now)
    publish_remote(source, fleet.key, CentralClient(fleet.server.channel_url(), fleet.admin_token), now=now)
    (source / "icons" / "item-1.svg").write_bytes(svg("item 1 v2"))
    publish(source, fleet.key, str(folder), now=now)
    publish_remote(source, fleet.key, CentralClient(fleet.server.channel_url(), fleet.admin_token), now=now)
    served = fleet.server.data / "channels" / "main"
    for name in ("manifest.json", "manifest.json.sig"):
        assert (served / name).read_bytes() == (folder / name).read_bytes()

    results = {}
    for label, url in (("server", fleet.server.channel_url()), ("nginx", nginx.url)):
        data = tmp_path / f"kiosk-{label}"
        store = open_store(data)
        engine = ContentSync(
            url, load_public_key(fleet.public_key), store, data / "blobs", centre="baku-1",
            cache_limit_bytes=1 << 30,
        )  # fmt: skip
        try:
            result = engine.sync_once()
            assert result.outcome == "installed" and result.release == 2, result
            with store.session() as session:
                active = session.query(ContentRelease).filter_by(active=True).one()
                document = (active.release_number, active.document)
            blobs = {p.name: p.read_bytes() for p in (data / "blobs").rglob("*") if p.is_file()}
            results[label] = (document, blobs, result.blobs_fetched)
        finally:
            engine.close()
            store.close()
    assert results["server"] == results["nginx"]
    assert len(results["server"][1]) == 3
