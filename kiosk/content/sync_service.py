"""Runs the content sync in its own thread, every ``poll_seconds`` and whenever asked.

The UI never waits for the network: it starts this service, calls ``sync_now()`` from the admin
screen's button, and learns of a new release through ``ContentSync.on_release_activated``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from kiosk.content.push import PushClient
from kiosk.content.sync import ContentSync, SyncResult

log = logging.getLogger(__name__)


class ContentSyncService:
    """A background loop around :meth:`ContentSync.sync_once`."""

    def __init__(
        self,
        engine: ContentSync,
        poll_seconds: float,
        *,
        on_result: Callable[[SyncResult], None] | None = None,
    ) -> None:
        self.engine = engine
        self.poll_seconds = poll_seconds
        self.on_result = on_result
        self.last_result: SyncResult | None = None
        self.push: PushClient | None = None
        """Push from the central server (started and stopped with this service), or None."""
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def on_release_activated(self) -> Callable[[int], None] | None:
        return self.engine.on_release_activated

    @on_release_activated.setter
    def on_release_activated(self, hook: Callable[[int], None] | None) -> None:
        self.engine.on_release_activated = hook

    def start(self) -> None:
        """Start polling (the first sync runs at once)."""
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="content-sync", daemon=True)
        self._thread.start()
        if self.push is not None:
            self.push.start()

    def sync_now(self) -> None:
        """Ask for a sync as soon as the thread is free (returns at once)."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the cycle in progress (an interrupted download resumes at the next start)."""
        self._stopping.set()
        self._wake.set()
        if self.push is not None:
            self.push.stop()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self.engine.close()

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                result = self.engine.sync_once()
            except Exception:  # a bug must not end the loop: the kiosk keeps its content and retries
                log.exception("Content sync cycle failed unexpectedly")
            else:
                self.last_result = result
                if self.on_result is not None:
                    try:
                        self.on_result(result)
                    except Exception:
                        log.exception("The sync result hook failed")
            self._wake.wait(self.poll_seconds)
