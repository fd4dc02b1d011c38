"""Push (Server-Sent Events) to the kiosks held by this process, and hearing the other processes' releases.

One process with SQLite hears its own publishes through :class:`~central.publishing.ReleaseNotifier`.
On PostgreSQL every publish also sends ``NOTIFY green_release, '<channel>:<release>'`` in its
transaction, and each server process keeps ONE ``LISTEN`` connection (:class:`ReleaseListener`) that
wakes its own streams: so any number of uvicorn workers, on one machine or several, push every release.
A revoked or renewed token travels the same way (``green_credentials``, ``'<kind>:<name>'``) and
ends that holder's streams in every process.
When it wakes, a stream reads only its own token's row (is it still live?): the release number
travels with the notification.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field

import anyio.to_thread
from starlette.requests import Request

from central.accounts import CREDENTIALS_CHANNEL
from central.publishing import NAME_PATTERN, NOTIFY_CHANNEL

log = logging.getLogger(__name__)

KEEPALIVE_SECONDS = 15.0
LISTEN_HEALTH_SECONDS = 30.0  # a silent LISTEN connection is probed this often, so a dead one is found
BACKOFF_FIRST_S, BACKOFF_MAX_S = 0.5, 30.0
APPLICATION_NAME = "green-central-push"


@dataclass(frozen=True)
class Holder:
    """Who holds a stream open: a token's kind and name, and the token itself to check it again."""

    kind: str  # "admin" | "kiosk"
    name: str
    token: str = field(repr=False)


@dataclass(eq=False)
class _Stream:
    channel: str
    holder: Holder
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    recheck: bool = False


class PushHub:
    """The newest release of each channel this process knows of, and the streams waiting for a newer one.

    ``on_release`` and ``on_credentials`` may be called from any thread; the streams live on the event
    loop given to ``attach``. Release numbers only grow (publishing refuses any other), so an older or
    repeated number is ignored. A holder whose token changed has its streams check the token again.
    """

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._streams: set[_Stream] = set()
        self._latest: dict[str, int] = {}
        self.connections = 0

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def on_release(self, channel: str, release: int) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self.update, channel, release)

    def on_credentials(self, kind: str, name: str) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self.credentials_changed, kind, name)

    def update(self, channel: str, release: int) -> None:
        """Record ``release`` (on the loop's thread) and wake the channel's streams if it is newer."""
        if release <= self._latest.get(channel, -1):
            return
        self._latest[channel] = release
        for stream in self._streams:
            if stream.channel == channel:
                stream.wake.set()

    def credentials_changed(self, kind: str | None = None, name: str | None = None) -> None:
        """Make the streams of that holder (of every holder, without one) check their token now."""
        for stream in self._streams:
            if kind is None or (stream.holder.kind == kind and stream.holder.name == name):
                stream.recheck = True
                stream.wake.set()

    def latest(self, channel: str) -> int:
        return self._latest.get(channel, 0)

    def open(self, channel: str, holder: Holder) -> _Stream:
        stream = _Stream(channel, holder)
        self._streams.add(stream)
        self.connections += 1
        return stream

    def close(self, stream: _Stream) -> None:
        self._streams.discard(stream)
        self.connections -= 1


async def event_stream(
    hub: PushHub, channel: str, request: Request, holder: Holder, is_live: Callable[[Holder], bool]
) -> AsyncIterator[str]:
    """The SSE body: the channel's release at once and at every change, a keep-alive every 15 s.

    The token is checked again (``is_live``, in a worker thread) before every release and keep-alive
    and whenever the hub says it changed: a revoked token's stream ends at once, or at the latest by
    its next keep-alive when the revocation was made where this process cannot hear it.
    """

    async def live() -> bool:
        if await anyio.to_thread.run_sync(is_live, holder):
            return True
        log.warning("Push: closed the stream of %s %s on %s: its token was revoked or replaced",
                    holder.kind, holder.name, channel)  # fmt: skip
        return False

    stream = hub.open(channel, holder)
    try:
        yield f"retry: 5000\n: connected to channel {channel}\n\n"
        last: int | None = None
        while True:
            stream.wake.clear()  # before reading: a release or revocation after this wakes it again
            if stream.recheck:
                stream.recheck = False
                if not await live():
                    return
            release = hub.latest(channel)
            if release != last:
                if not await live():
                    return
                yield f"event: release\nid: {release}\ndata: {json.dumps({'release': release})}\n\n"
                last = release
            try:
                await asyncio.wait_for(stream.wake.wait(), KEEPALIVE_SECONDS)
            except TimeoutError:
                if await request.is_disconnected() or not await live():
                    return
                yield ": keep-alive\n\n"
    finally:
        hub.close(stream)


def parse_credentials(payload: str) -> tuple[str, str] | None:
    """``'<kind>:<name>'`` from a credentials notification, or None for anything else."""
    kind, _, name = payload.partition(":")
    if kind not in ("admin", "kiosk") or not 0 < len(name) <= 128 or not name.isprintable():
        return None
    return kind, name


def parse_payload(payload: str) -> tuple[str, int] | None:
    """``'<channel>:<release>'`` from a notification, or None for anything else."""
    channel, _, number = payload.rpartition(":")
    if not NAME_PATTERN.match(channel) or not number.isdigit() or len(number) > 10:
        return None
    return channel, int(number)


class ReleaseListener:
    """This process's one ``LISTEN`` connection, forwarding each release and token change to the hub.

    When the connection drops it reconnects after 0.5 s, doubling to 30 s, and on every (re)connect
    re-reads each channel's release (``current``), so a release published while it was away still
    reaches the streams, and every stream checks its token again.
    """

    def __init__(self, conninfo: str, hub: PushHub, current: Callable[[], Mapping[str, int]]) -> None:
        self.conninfo = conninfo
        self.hub = hub
        self.current = current
        self.connections = 0
        self.listening = asyncio.Event()

    async def run(self) -> None:
        import psycopg

        backoff = BACKOFF_FIRST_S
        while True:
            try:
                connection = await psycopg.AsyncConnection.connect(
                    self.conninfo, autocommit=True, application_name=APPLICATION_NAME, connect_timeout=10
                )
                async with connection:
                    await connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    await connection.execute(f"LISTEN {CREDENTIALS_CHANNEL}")
                    self.connections += 1
                    # After LISTEN, so a release is either in this reading or in a notification.
                    for channel, release in (await anyio.to_thread.run_sync(self.current)).items():
                        self.hub.update(channel, release)
                    self.hub.credentials_changed()  # a token revoked while away: every stream checks
                    self.listening.set()
                    backoff = BACKOFF_FIRST_S
                    log.info("Push: listening for releases of other server processes")
                    while True:
                        async for notice in connection.notifies(timeout=LISTEN_HEALTH_SECONDS):
                            self._deliver(notice.channel, notice.payload)
                        await connection.execute("SELECT 1")  # a dead connection raises here
            except Exception as exc:  # any failure: log, wait, reconnect
                was_listening = self.listening.is_set()
                self.listening.clear()
                log.warning(
                    "Push: the database connection for releases %s (%s); retrying in %.1f s",
                    "dropped" if was_listening else "failed",
                    str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
                    backoff,
                )
            await asyncio.sleep(backoff)
            backoff = min(BACKOFF_MAX_S, backoff * 2)

    def _deliver(self, topic: str, payload: str) -> None:
        if topic == CREDENTIALS_CHANNEL:
            holder = parse_credentials(payload)
            if holder is not None:
                self.hub.credentials_changed(*holder)
                return
        else:
            parsed = parse_payload(payload)
            if parsed is not None:
                self.hub.update(*parsed)
                return
        log.warning("Push: ignored a %s notification %r", topic[:40], payload[:80])


def listener_conninfo(sqlalchemy_url: str) -> str:
    """The libpq URL of a SQLAlchemy ``postgresql+psycopg://`` URL (password kept)."""
    from sqlalchemy.engine import make_url

    return make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(hide_password=False)


@asynccontextmanager
async def push_running(
    hub: PushHub, database_url: str, current: Callable[[], Mapping[str, int]]
) -> AsyncIterator[ReleaseListener | None]:
    """Attach the hub to the running loop and, on PostgreSQL, run this process's listener meanwhile."""
    hub.attach(asyncio.get_running_loop())
    if not database_url.startswith("postgresql"):
        yield None
        return
    listener = ReleaseListener(listener_conninfo(database_url), hub, current)
    task = asyncio.create_task(listener.run(), name="release-listener")
    try:
        yield listener
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
