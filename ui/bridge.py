"""The seam between core services and views: background work in the thread pool, results as signals."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from kiosk.content.library import ContentLibrary
from kiosk.content.model import Content
from kiosk.energy.service import EnergyService, EnergySnapshot

log = logging.getLogger(__name__)


class BackgroundJob(QRunnable):
    """Runs a callable in Qt's thread pool (core I/O never runs on the GUI thread)."""

    def __init__(self, work: Callable[[], object]) -> None:
        super().__init__()
        self._work = work

    def run(self) -> None:
        self._work()


class EnergyFeed(QObject):
    """Polls the energy service every ``interval`` seconds off the GUI thread; emits each snapshot."""

    updated = Signal(object)

    def __init__(self, service: EnergyService, interval_s: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self._busy = threading.Lock()
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
        QThreadPool.globalInstance().start(BackgroundJob(self._poll_in_worker))

    def _poll_in_worker(self) -> None:
        try:
            snapshot: EnergySnapshot = self.service.poll_once()
        except Exception:  # a bug in a source must not kill the feed: log it and keep polling
            log.exception("Energy poll failed unexpectedly")
            return
        finally:
            self._busy.release()
        self.updated.emit(snapshot)


class ContentFeed(QObject):
    """Gives views the active release and tells them when another one becomes active."""

    changed = Signal(object)

    def __init__(self, library: ContentLibrary, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.content: Content = library.active()

    def reload(self) -> None:
        self.content = self.library.active()
        self.changed.emit(self.content)
