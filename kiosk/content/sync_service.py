"""Runs the content sync in its own thread, every ``poll_seconds`` and whenever asked.

The UI never waits for the network: it starts this service, calls ``sync_now()`` from the admin
screen's button, and learns of a new release through ``ContentSync.on_release_activated``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from kiosk.content.push import PushClient
from kiosk.content.sync import ContentSync, SyncResult
from kiosk.periodic import Outcome, PeriodicWorker

log = logging.getLogger(__name__)


class ContentSyncService:
    """A :class:`PeriodicWorker` around :meth:`ContentSync.sync_once`.

    A failed sync waits for the next poll, as a successful one does: the engine retries within a cycle,
    and a down server is not asked more often than ``poll_seconds``.
    """

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
        self._worker = PeriodicWorker("content-sync", self._cycle, poll_seconds)

    @property
    def on_release_activated(self) -> Callable[[int], None] | None:
        return self.engine.on_release_activated

    @on_release_activated.setter
    def on_release_activated(self, hook: Callable[[int], None] | None) -> None:
        self.engine.on_release_activated = hook

    def start(self) -> None:
        """Start polling (the first sync runs at once)."""
        self._worker.start()
        if self.push is not None:
            self.push.start()

    def sync_now(self) -> None:
        """Ask for a sync as soon as the thread is free (returns at once)."""
        self._worker.wake()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the cycle in progress (an interrupted download resumes at the next start)."""
        self._worker.request_stop()
        if self.push is not None:
            self.push.stop()
        self._worker.stop(timeout)
        self.engine.close()

    def _cycle(self, _regular: bool) -> Outcome:
        try:
            result = self.engine.sync_once()
        except Exception:  # a bug must not end syncing: keep the content, try at the next poll
            log.exception("Content sync cycle failed unexpectedly")
            return Outcome.DONE
        self.last_result = result
        if self.on_result is not None:
            try:
                self.on_result(result)
            except Exception:
                log.exception("The sync result hook failed")
        return Outcome.DONE
