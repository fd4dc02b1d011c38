"""The seam between core services and views: background work in the thread pool, results as signals."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QMetaMethod, QObject, QRunnable, QThreadPool, QTimer, Signal

from kiosk.content.library import ContentLibrary
from kiosk.content.model import Content
from kiosk.energy.history import BUCKET_SECONDS
from kiosk.energy.service import EnergyService, EnergySnapshot

if TYPE_CHECKING:
    from kiosk.content.sync_service import ContentSyncService

log = logging.getLogger(__name__)

EnergyHistoryView = tuple[date, list[tuple[datetime, float]], list[tuple[date, float]]]
"""What the charts draw: the local day, its 5-minute curve (W) and the energy of recent days (Wh)."""


class BackgroundJob(QRunnable):
    """Runs a callable in Qt's thread pool (core I/O never runs on the GUI thread)."""

    def __init__(self, work: Callable[[], object]) -> None:
        super().__init__()
        self._work = work

    def run(self) -> None:
        self._work()


class EnergyFeed(QObject):
    """Polls the energy service every ``interval`` seconds off the GUI thread; emits each snapshot.

    After a poll, and only while ``history_updated`` has a receiver, the same worker also reads today's
    5-minute curve and the last 30 days' energy from the store: when the 5-minute slot has changed or
    ``HISTORY_REFRESH_S`` has passed, so the charts follow the data without a query on every poll.
    ``clock`` must be the service's clock (both default to the wall clock): it decides which day is today.
    """

    updated = Signal(object)
    history_updated = Signal(object, object, object)  # local date, [(aware datetime, W)], [(date, Wh)]

    HISTORY_REFRESH_S = 60.0
    HISTORY_DAYS = 30

    def __init__(
        self,
        service: EnergyService,
        interval_s: float,
        parent: QObject | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self._clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self._busy = threading.Lock()
        self._history_slot: int | None = None
        self._history_at: float | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(max(200, int(interval_s * 1000)))
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.poll()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def poll(self) -> None:
        """Start one poll in the thread pool unless the previous one is still running."""
        if not self._busy.acquire(blocking=False):
            return
        wants_history = self.isSignalConnected(QMetaMethod.fromSignal(self.history_updated))
        QThreadPool.globalInstance().start(BackgroundJob(lambda: self._poll_in_worker(wants_history)))

    def refresh_history(self) -> None:
        """Read the charts' history after the next poll whatever the slot (e.g. after a restore)."""
        self._history_at = None

    def _poll_in_worker(self, wants_history: bool) -> None:
        history: EnergyHistoryView | None = None
        try:
            snapshot: EnergySnapshot = self.service.poll_once()
            if wants_history and self._history_due(snapshot):
                history = self._read_history()
        except Exception:  # a bug in a source must not kill the feed: log it and keep polling
            log.exception("Energy poll failed unexpectedly")
            return
        finally:
            self._busy.release()
        self.updated.emit(snapshot)
        if history is not None:
            self.history_updated.emit(*history)

    def _history_due(self, snapshot: EnergySnapshot) -> bool:
        slot = None if snapshot.read_at is None else int(snapshot.read_at.timestamp()) // BUCKET_SECONDS
        now = time.monotonic()
        due = (
            self._history_at is None
            or slot != self._history_slot
            or now - self._history_at >= self.HISTORY_REFRESH_S
        )
        if due:
            self._history_slot, self._history_at = slot, now
        return due

    def _read_history(self) -> EnergyHistoryView | None:
        history = self.service.history
        day = self._clock().astimezone(self.service.zone).date()
        try:
            return day, history.today_curve(day), history.daily_totals(self.HISTORY_DAYS, until=day)
        except Exception:  # the figures still go out; the charts keep what they have
            log.exception("Reading the energy history for the charts failed")
            self._history_at = None
            return None


class ContentFeed(QObject):
    """Gives views the active release and tells them when another one becomes active."""

    changed = Signal(object)
    _activated = Signal(int)  # emitted from the sync thread, delivered on the GUI thread

    def __init__(self, library: ContentLibrary, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.content: Content = library.active()
        self._activated.connect(self._on_activated)

    def watch(self, sync: ContentSyncService) -> None:
        """Reload whenever the sync switches to another release: the screen updates without restart."""
        sync.on_release_activated = self._activated.emit

    def reload(self) -> None:
        self.content = self.library.active()
        self.changed.emit(self.content)

    def _on_activated(self, release: int) -> None:
        log.info("Release %d is active: updating the screen", release)
        self.reload()
