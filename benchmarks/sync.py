"""Bytes and requests of content sync, measured on nginx over loopback (figures printed, never asserted).

1. a poll with nothing new; 2. one changed 5 MB blob among 200 items; 3. a 1,000-item first sync and
its time. Bytes are nginx's ``$bytes_sent`` + ``$request_length`` from its access log, so they are what
crossed the wire, headers included.

    .venv/bin/python benchmarks/sync.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.content.publish import publish
from kiosk.content.signing import generate_keys
from tests.kiosk.content.channel import Nginx, card, svg, write_source
from tests.kiosk.content.kiosk_sync import make_sync, open_kiosk_store

VIDEO_BYTES = 5 * 1024 * 1024


def wall_clock() -> datetime:
    return datetime.now(UTC)


def source(folder: Path, items: int, video_tag: str) -> Path:
    video = b"\x00\x00\x00\x18ftypmp42" + (video_tag.encode() * VIDEO_BYTES)[:VIDEO_BYTES]
    write_source(
        folder,
        [card(f"item-{i}") for i in range(items)],
        {f"icons/item-{i}.svg": svg(f"item {i} " + "x" * 1500) for i in range(items)},
    )
    with (folder / "content.toml").open("a", encoding="utf-8") as handle:
        handle.write(
            '[[videos]]\nid = "campaign"\nfile = "media/campaign.mp4"\n'
            'title = { az = "Kampaniya", en = "Campaign", ru = "Кампания" }\n'
        )
    (folder / "media").mkdir(exist_ok=True)
    (folder / "media" / "campaign.mp4").write_bytes(video)
    return folder


def traffic(nginx: Nginx, expect: int) -> tuple[int, int]:
    rows = nginx.log(expect=expect)
    return len(rows), sum(sent + length for _m, _u, _s, sent, length, _r in rows)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        channel = tmp / "channel"
        channel.mkdir()
        key, pub = generate_keys(tmp / "keys")
        nginx = Nginx(channel, tmp / "nginx")
        try:
            run(tmp, channel, key, pub, nginx)
        finally:
            nginx.close()


def run(tmp: Path, channel: Path, key: Path, pub: Path, nginx: Nginx) -> None:
    clock = wall_clock
    print(f"nginx on loopback, {os.cpu_count()} cores")
    # 200 items + a 5 MB video; then the video changes.
    publish(source(tmp / "src200", 200, "a"), key, str(channel))
    store = open_kiosk_store(tmp / "kiosk200")
    sync = make_sync(store, tmp / "kiosk200", nginx.url, pub, clock, centre=None, cache_limit_bytes=1 << 30)
    assert sync.sync_once().outcome == "installed"
    nginx.clear_log()
    result = sync.sync_once()
    requests, size = traffic(nginx, 1)
    print(f"no-change poll:           {requests} request(s), {size} bytes ({result.outcome})")
    publish(source(tmp / "src200", 200, "b"), key, str(channel))
    nginx.clear_log()
    result = sync.sync_once()
    requests, size = traffic(nginx, 3)
    print(
        f"5 MB changed of 200 items: {requests} requests, {size} bytes = {size / VIDEO_BYTES:.4f} x the "
        f"changed bytes ({result.outcome}, {result.blobs_fetched} blob)"
    )
    sync.close()
    store.close()
    # 1,000 items, first sync.
    for entry in channel.rglob("*"):
        if entry.is_file():
            entry.unlink()
    publish(source(tmp / "src1000", 1000, "c"), key, str(channel), release=100)
    store = open_kiosk_store(tmp / "kiosk1000")
    sync = make_sync(store, tmp / "kiosk1000", nginx.url, pub, clock, centre=None, cache_limit_bytes=1 << 30)
    nginx.clear_log()
    started = time.perf_counter()
    result = sync.sync_once()
    elapsed = time.perf_counter() - started
    requests, size = traffic(nginx, 1003)
    print(
        f"1,000-item first sync:    {requests} requests, {size} bytes, {elapsed:.2f} s "
        f"({result.outcome}, {result.blobs_fetched} blobs)"
    )
    sync.close()
    store.close()


if __name__ == "__main__":
    main()
