"""Push from the central server: hold the channel's event stream and sync as soon as a release appears.

The server sends ``event: release`` with ``{"release": N}`` when the connection opens and whenever a
release is published, and a comment every 15 s; a read timeout of 45 s therefore means the connection
is dead. When the stream breaks the client reconnects with backoff (1 s doubling to 60 s). Polling by
:class:`~kiosk.content.sync_service.ContentSyncService` goes on regardless: push only makes it quicker.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import requests

log = logging.getLogger(__name__)

BACKOFF_FIRST_S, BACKOFF_MAX_S = 1.0, 60.0


@dataclass(frozen=True)
class ServerEvent:
    """One Server-Sent Event."""

    event: str
    data: str
    id: str = ""


def parse_events(chunks: Iterator[bytes]) -> Iterator[ServerEvent]:
    """Server-Sent Events from a byte stream (comments and ``retry:`` are skipped)."""
    buffer = b""
    event, event_id = "", ""
    data: list[str] = []
    for chunk in chunks:
        buffer += chunk
        while b"\n" in buffer:
            raw, buffer = buffer.split(b"\n", 1)
            line = raw.rstrip(b"\r").decode("utf-8", "replace")
            if not line:
                if data:
                    yield ServerEvent(event or "message", "\n".join(data), event_id)
                event, data = "", []
                continue
            if line.startswith(":"):
                continue
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "event":
                event = value
            elif name == "data":
                data.append(value)
            elif name == "id":
                event_id = value


class PushClient:
    """A thread on ``{channel}/events``; calls ``on_release()`` when the server's release is newer.

    ``active_release`` gives the kiosk's active release number (read when an event arrives).
    """

    def __init__(
        self,
        events_url: str,
        token: str,
        active_release: Callable[[], int],
        on_release: Callable[[], None],
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 45.0,
        session: requests.Session | None = None,
    ) -> None:
        self.events_url = events_url
        self.active_release = active_release
        self.on_release = on_release
        self.timeout = (connect_timeout, read_timeout)
        self.connected = threading.Event()
        self.connections = 0
        """How many times a stream was opened (tests and the log use it)."""
        self.server_release: int | None = None
        self._token = token
        self._http = session or requests.Session()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._response: requests.Response | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="content-push", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        with self._lock:
            response = self._response
        if response is not None:
            _shut_down(response)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._http.close()

    def _run(self) -> None:
        backoff = BACKOFF_FIRST_S
        while not self._stopping.is_set():
            try:
                self._listen()
                backoff = BACKOFF_FIRST_S  # the stream was open: the next try is quick again
                reason = "the server closed the stream"
            except _RefusedError as exc:
                backoff = BACKOFF_MAX_S
                reason = str(exc)
            except (requests.RequestException, OSError) as exc:
                reason = f"{type(exc).__name__}"
            except Exception:  # a bug must not end push: polling still works, log and retry
                if not self._stopping.is_set():
                    log.exception("Push from %s failed unexpectedly", self.events_url)
                reason = "unexpected error"
            finally:
                self.connected.clear()
                with self._lock:
                    self._response = None
            if self._stopping.is_set():
                break
            log.info(
                "Push from %s interrupted (%s); reconnecting in %.0f s", self.events_url, reason, backoff
            )
            self._stopping.wait(backoff)
            backoff = min(BACKOFF_MAX_S, backoff * 2)

    def _listen(self) -> None:
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "text/event-stream"}
        response = self._http.get(self.events_url, headers=headers, stream=True, timeout=self.timeout)
        with self._lock:
            self._response = response
        if self._stopping.is_set():
            response.close()
            return
        with response:
            if response.status_code in (401, 403, 404):
                raise _RefusedError(f"HTTP {response.status_code}: {response.text[:200]}")
            response.raise_for_status()
            self.connections += 1
            self.connected.set()
            log.info("Listening for new releases at %s", self.events_url)
            for event in parse_events(response.iter_content(chunk_size=None)):
                if event.event == "release":
                    self._on_release_event(event)

    def _on_release_event(self, event: ServerEvent) -> None:
        try:
            release = json.loads(event.data)["release"]
        except (ValueError, KeyError, TypeError):
            log.warning("Push from %s: a release event without a release number: %r", self.events_url, event)
            return
        if not isinstance(release, int) or isinstance(release, bool):
            return
        self.server_release = release
        if release > self.active_release():
            log.info("The central server announces release %d: syncing now", release)
            self.on_release()


class _RefusedError(Exception):
    """The server refused the stream (token, channel): retrying soon would not help."""


def _shut_down(response: requests.Response) -> None:
    """Wake a thread blocked reading ``response`` (closing alone does not interrupt a blocking read)."""
    connection = getattr(response.raw, "connection", None)
    sock = getattr(connection, "sock", None)
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    response.close()
