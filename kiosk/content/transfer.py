"""Paced HTTP transfers: a transfer that falls behind a minimum rate is given up on.

A per-read timeout never fires against a server that sends a byte at a time, so the sync would hold
its lock for as long as such a server liked. Here every response's headers must arrive within a grace
time, and its body must then keep a minimum average rate; both are checked as bytes arrive.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import requests
import urllib3.connection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

CHUNK = 64 * 1024


@dataclass(frozen=True)
class TransferPace:
    """The slowest a transfer may be: ``grace_seconds`` to get going, then ``min_bytes_per_second``.

    At any moment a transfer must have received at least (elapsed - grace) x rate bytes, so a file of
    N bytes has at most grace + N / rate seconds (30 s + 50 s per MB by default), and a server that
    trickles a byte a second is given up on after about the grace time, whatever size it claims.
    """

    grace_seconds: float = 30.0
    min_bytes_per_second: float = 20_000.0


class TransferTooSlowError(TimeoutError):
    """A transfer fell behind its :class:`TransferPace` (not retried within the cycle)."""


class Pacer:
    """Checks one transfer's progress against its pace after every read."""

    def __init__(self, name: str, pace: TransferPace) -> None:
        self.name, self.pace = name, pace
        self.started = time.monotonic()

    def check(self, received: int) -> None:
        elapsed = time.monotonic() - self.started
        if elapsed > self.pace.grace_seconds + received / self.pace.min_bytes_per_second:
            raise TransferTooSlowError(
                f"{self.name}: too slow, {received} bytes in {elapsed:.1f} s (the minimum is "
                f"{self.pace.min_bytes_per_second / 1000:g} kB/s after {self.pace.grace_seconds:g} s)"
            )


class HeaderWatch:
    """How long the server may take to send its status line and headers; ``fired`` once it was cut."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.fired = False

    def cut(self, sock: socket.socket | None) -> None:
        self.fired = True
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


watching = threading.local()  # the HeaderWatch of the request this thread is making, if any


def _timed_getresponse(connection: urllib3.connection.HTTPConnection, getresponse: Callable[[], Any]) -> Any:
    """Headers trickled a byte at a time never trip the read timeout: cut the socket at the deadline."""
    watch: HeaderWatch | None = getattr(watching, "watch", None)
    if watch is None:
        return getresponse()
    timer = threading.Timer(watch.seconds, lambda: watch.cut(connection.sock))
    timer.daemon = True
    timer.start()
    try:
        return getresponse()
    finally:
        timer.cancel()


class _WatchedHTTPConnection(urllib3.connection.HTTPConnection):
    def getresponse(self) -> Any:
        return _timed_getresponse(self, super().getresponse)


class _WatchedHTTPSConnection(urllib3.connection.HTTPSConnection):
    def getresponse(self) -> Any:
        return _timed_getresponse(self, super().getresponse)


class WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


def paced_body(response: requests.Response, pacer: Pacer, *, decode: bool = False) -> Iterator[bytes]:
    """The body as it arrives, paced: unlike iter_content, every byte received before a cut is kept,
    and a read returns what has arrived instead of waiting for a whole chunk (which a trickle never fills).
    """
    raw = response.raw
    received = 0
    pacer.check(received)
    while chunk := raw.read1(CHUNK, decode_content=decode):
        received += len(chunk)
        pacer.check(received)
        yield chunk
