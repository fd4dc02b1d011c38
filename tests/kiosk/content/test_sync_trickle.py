"""A server that trickles a byte at a time cannot hold the sync: each transfer has a minimum pace.

The per-read timeout never fires against a trickle (every read gets a byte), so without a pace a
malicious or broken server would hold the sync lock, and every later sync, for as long as it liked.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from kiosk.content.publish import publish
from kiosk.content.signing import load_public_key
from kiosk.content.sync import FAILED, INSTALLED, ContentSync
from kiosk.content.transfer import TransferPace
from kiosk.store.db import Store
from tests.conftest import FakeClock
from tests.kiosk.content.channel import simple_source
from tests.kiosk.content.kiosk_sync import active, open_kiosk_store, quick_retry

BYTE_EVERY_S = 0.2


class TrickleServer:
    """Serves a channel folder, but sends the file named ``slow`` one byte every 0.2 s (with
    ``headers_too``, its status line and headers as well)."""

    def __init__(self, root: Path) -> None:
        self.root, self.slow, self.headers_too = root, "", False
        self.stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                relative = self.path.lstrip("/")
                data = (server.root / relative).read_bytes()
                slow = relative.rsplit("/", 1)[-1] == server.slow
                if slow and server.headers_too:
                    head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(data)}\r\n\r\n".encode()
                    data = head + data
                else:
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                try:
                    if not slow:
                        self.wfile.write(data)
                        return
                    for offset in range(len(data)):
                        self.wfile.write(data[offset : offset + 1])
                        self.wfile.flush()
                        if server.stop.wait(BYTE_EVERY_S):
                            return
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/"
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def trickle(channel: Path) -> Iterator[TrickleServer]:
    running = TrickleServer(channel)
    yield running
    running.close()


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    opened = open_kiosk_store(data_dir)
    yield opened
    opened.close()


def _sync(store: Store, data_dir: Path, url: str, public_key: Path, clock: FakeClock) -> ContentSync:
    return ContentSync(
        url,
        load_public_key(public_key),
        store,
        data_dir / "blobs",
        centre="baku-1",
        cache_limit_bytes=10 << 20,
        clock=clock,
        retry=quick_retry(),
        timeout=(2.0, 5.0),
        pace=TransferPace(grace_seconds=0.5, min_bytes_per_second=100),
    )


@pytest.mark.parametrize("slow", ["manifest.json", "manifest.json.sig", "blob", "headers of manifest.json"])
def test_a_trickling_server_is_given_up_on_and_the_lock_released(
    slow: str,
    tmp_path: Path,
    channel: Path,
    keys: tuple[Path, Path],
    trickle: TrickleServer,
    store: Store,
    data_dir: Path,
    clock: FakeClock,
) -> None:
    publish(simple_source(tmp_path / "source", count=1), keys[0], str(channel), now=clock())
    blob = next((channel / "blobs").iterdir()).name
    trickle.slow = blob if slow == "blob" else slow.removeprefix("headers of ")
    trickle.headers_too = slow.startswith("headers of ")
    before = active(store)
    sync = _sync(store, data_dir, trickle.url, keys[1], clock)
    try:
        started = time.monotonic()
        result = sync.sync_once()
        elapsed = time.monotonic() - started
        assert result.outcome == FAILED
        assert "too slow" in result.message
        assert (
            "no complete answer header within 0.5 s" if trickle.headers_too else "the minimum is 0.1 kB/s"
        ) in (result.message)
        assert elapsed < 3.0
        assert active(store) == before
        trickle.slow = ""  # the server recovers: the next cycle is not blocked by the one given up on
        assert sync.sync_once().outcome == INSTALLED
    finally:
        sync.close()
