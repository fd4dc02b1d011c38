"""Push (Server-Sent Events) to the kiosks held by this process, and hearing the other processes' releases.

One process with SQLite hears its own publishes through :class:`~central.publishing.ReleaseNotifier`.
On PostgreSQL every publish also sends ``NOTIFY green_release, '<channel>:<release>'`` in its
transaction, and each server process keeps ONE ``LISTEN`` connection (:class:`ReleaseListener`) that
wakes its own streams: so any number of uvicorn workers, on one machine or several, push every release.
A stream never reads the database when it wakes: the release number travels with the notification.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager, suppress

import anyio.to_thread
from starlette.requests import Request

from central.publishing import NAME_PATTERN, NOTIFY_CHANNEL

log = logging.getLogger(__name__)

KEEPALIVE_SECONDS = 15.0
LISTEN_HEALTH_SECONDS = 30.0  # a silent LISTEN connection is probed this often, so a dead one is found
BACKOFF_FIRST_S, BACKOFF_MAX_S = 0.5, 30.0
APPLICATION_NAME = "green-central-push"


class PushHub:
    """The newest release of each channel this process knows of, and the streams waiting for a newer one.

    ``on_release`` may be called from any thread; the streams live on the event loop given to ``attach``.
    Release numbers only grow (publishing refuses any other), so an older or repeated number is ignored.
    """

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiters: dict[str, asyncio.Event] = {}
        self._latest: dict[str, int] = {}
        self.connections = 0

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def on_release(self, channel: str, release: int) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self.update, channel, release)

    def update(self, channel: str, release: int) -> None:
        """Record ``release`` (on the loop's thread) and wake the channel's streams if it is newer."""
        if release <= self._latest.get(channel, -1):
            return
        self._latest[channel] = release
        waiter = self._waiters.pop(channel, None)
        if waiter is not None:
            waiter.set()

    def latest(self, channel: str) -> int:
        return self._latest.get(channel, 0)

    def waiter(self, channel: str) -> asyncio.Event:
        return self._waiters.setdefault(channel, asyncio.Event())


async def event_stream(hub: PushHub, channel: str, request: Request) -> AsyncIterator[str]:
    """The SSE body: the channel's release at once and at every change, a keep-alive every 15 s."""
    hub.connections += 1
    try:
        yield f"retry: 5000\n: connected to channel {channel}\n\n"
        last: int | None = None
        while True:
            waiter = hub.waiter(channel)  # taken before reading: no release slips between
            release = hub.latest(channel)
            if release != last:
                yield f"event: release\nid: {release}\ndata: {json.dumps({'release': release})}\n\n"
                last = release
            try:
                await asyncio.wait_for(waiter.wait(), KEEPALIVE_SECONDS)
            except TimeoutError:
                if await request.is_disconnected():
                    return
                yield ": keep-alive\n\n"
    finally:
        hub.connections -= 1


def parse_payload(payload: str) -> tuple[str, int] | None:
    """``'<channel>:<release>'`` from a notification, or None for anything else."""
    channel, _, number = payload.rpartition(":")
    if not NAME_PATTERN.match(channel) or not number.isdigit() or len(number) > 10:
        return None
    return channel, int(number)


class ReleaseListener:
    """This process's one ``LISTEN green_release`` connection, forwarding each release to the hub.

    When the connection drops it reconnects after 0.5 s, doubling to 30 s, and on every (re)connect
    re-reads each channel's release (``current``), so a release published while it was away still
    reaches the streams.
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
                    self.connections += 1
                    # After LISTEN, so a release is either in this reading or in a notification.
                    for channel, release in (await anyio.to_thread.run_sync(self.current)).items():
                        self.hub.update(channel, release)
                    self.listening.set()
                    backoff = BACKOFF_FIRST_S
                    log.info("Push: listening for releases of other server processes")
                    while True:
                        async for notice in connection.notifies(timeout=LISTEN_HEALTH_SECONDS):
                            self._deliver(notice.payload)
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

    def _deliver(self, payload: str) -> None:
        parsed = parse_payload(payload)
        if parsed is None:
            log.warning("Push: ignored a %s notification %r", NOTIFY_CHANNEL, payload[:80])
            return
        self.hub.update(*parsed)


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
