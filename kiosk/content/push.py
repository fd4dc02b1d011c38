"""Push from the central server: hold the channel's event stream and sync as soon as a release appears.

The server sends ``event: release`` with ``{"release": N}`` when the connection opens and whenever a
release is published, and a comment every 15 s; a read timeout of 45 s therefore means the connection
is dead. When the stream breaks the client reconnects with the back-off of
:class:`~kiosk.periodic.PeriodicWorker` (1 s doubling to 60 s; 60 s when the token is refused). Polling by
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

from kiosk.central_connection import CentralConnection, CentralConnectionError
from kiosk.periodic import BACKOFF_FIRST_S, Outcome, PeriodicWorker

log = logging.getLogger(__name__)


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
        self._http = CentralConnection(
            events_url, token, what="Push from the central server", timeout=self.timeout, session=session
        )
        self._worker = PeriodicWorker("content-push", self._cycle, BACKOFF_FIRST_S)
        self._response: requests.Response | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        self._worker.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._worker.request_stop()
        with self._lock:
            response = self._response
        if response is not None:
            _shut_down(response)
        self._worker.stop(timeout)
        self._http.close()

    def _cycle(self, _regular: bool) -> Outcome:
        """Hold one stream until it ends; the worker reconnects 1 s after a stream that was open."""
        try:
            self._listen()
            outcome, reason = Outcome.DONE, "the server closed the stream"
        except CentralConnectionError as exc:
            refused = exc.status in (401, 403, 404)  # token or channel: retrying soon would not help
            outcome, reason = (Outcome.REFUSED if refused else Outcome.FAILED), str(exc)
        except (requests.RequestException, OSError) as exc:
            outcome, reason = Outcome.FAILED, f"{type(exc).__name__}"
        finally:
            self.connected.clear()
            with self._lock:
                self._response = None
        if not self._worker.stopping:
            log.info("Push from %s interrupted (%s); reconnecting", self.events_url, reason)
        return outcome

    def _listen(self) -> None:
        response = self._http.open_stream(self.events_url, headers={"Accept": "text/event-stream"})
        with self._lock:
            self._response = response
        if self._worker.stopping:
            response.close()
            return
        with response:
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


def _shut_down(response: requests.Response) -> None:
    """Wake a thread blocked reading ``response`` (closing alone does not interrupt a blocking read)."""
    connection = getattr(response.raw, "connection", None)
    sock = getattr(connection, "sock", None)
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    response.close()
