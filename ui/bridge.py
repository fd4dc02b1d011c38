"""The seam between core services and views: background work in the thread pool, results as signals."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QBuffer,
    QIODevice,
    QMetaMethod,
    QObject,
    QRunnable,
    Qt,
    QThread,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QWidget

from kiosk.content.library import ContentLibrary
from kiosk.content.model import Content, LocalizedText
from kiosk.energy.history import BUCKET_SECONDS
from kiosk.energy.service import EnergyService, EnergySnapshot
from kiosk.status import KioskStatus

if TYPE_CHECKING:
    from kiosk.content.sync_service import ContentSyncService
    from kiosk.fleet import Reporter

log = logging.getLogger(__name__)

EnergyHistoryView = tuple[date, list[tuple[datetime, float]], list[tuple[date, float]]]
"""What the charts draw: the local day, its 5-minute curve (W) and the energy of recent days (Wh)."""


class _Relay(QObject):
    """Carries values from another thread to one receiver on the GUI thread.

    The relay belongs to whoever emits (a job, a sync callback), never to the receiver: when the receiver
    is deleted first (a window closed while its read was in flight), Qt drops the queued connection and
    the emit goes nowhere, instead of emitting on a deleted object.
    """

    ready = Signal(object)

    def __init__(self, receiver: Callable[[Any], None]) -> None:
        super().__init__()
        self.ready.connect(receiver, Qt.ConnectionType.QueuedConnection)


class BackgroundJob(QRunnable):
    """Runs a callable in Qt's thread pool (core I/O never runs on the GUI thread).

    With ``on_result``, what the callable returns (unless None) is handed to ``on_result`` on the
    receiver's thread; if the receiver is gone by then, the result is dropped.
    """

    def __init__(self, work: Callable[[], object], on_result: Callable[[Any], None] | None = None) -> None:
        super().__init__()
        self._work = work
        self._relay = None if on_result is None else _Relay(on_result)

    def run(self) -> None:
        value = self._work()
        if self._relay is not None and value is not None:
            self._relay.ready.emit(value)


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
        job = BackgroundJob(lambda: self._poll_in_worker(wants_history), self._deliver)
        QThreadPool.globalInstance().start(job)

    def refresh_history(self) -> None:
        """Read the charts' history after the next poll whatever the slot (e.g. after a restore)."""
        self._history_at = None

    def _poll_in_worker(self, wants_history: bool) -> tuple[EnergySnapshot, EnergyHistoryView | None] | None:
        history: EnergyHistoryView | None = None
        try:
            snapshot: EnergySnapshot = self.service.poll_once()
            if wants_history and self._history_due(snapshot):
                history = self._read_history()
        except Exception:  # a bug in a source must not kill the feed: log it and keep polling
            log.exception("Energy poll failed unexpectedly")
            return None
        finally:
            self._busy.release()
        return snapshot, history

    def _deliver(self, polled: tuple[EnergySnapshot, EnergyHistoryView | None]) -> None:
        snapshot, history = polled
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


NO_CONTENT = Content(release=-1, origin="loading", channel_name=LocalizedText({}), services=(), videos=())
"""What views show for the moment between start-up and the first release read from the store."""


class ContentFeed(QObject):
    """Reads the active release in the thread pool and hands it to views by signal, never blocking them.

    Each ``reload()`` reads the store in a worker; a reading older than one already shown is dropped, so
    two quick reloads cannot leave the screen on the earlier release.
    """

    changed = Signal(object)  # Content, immutable, delivered on the GUI thread

    def __init__(self, library: ContentLibrary, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.content: Content = NO_CONTENT
        self._requested = 0
        self._shown = 0
        self._activation = _Relay(self._on_activated)  # the sync thread calls it; outlives this feed

    @property
    def loaded(self) -> bool:
        """Whether a release read from the store is on screen (false only just after start-up)."""
        return self._shown > 0

    def watch(self, sync: ContentSyncService) -> None:
        """Reload whenever the sync switches to another release: the screen updates without restart."""
        sync.on_release_activated = self._activation.ready.emit

    def reload(self) -> None:
        """Read the active release in the thread pool; ``changed`` follows when it has been read."""
        self._requested += 1
        number, library = self._requested, self.library

        def work() -> tuple[int, Content] | None:
            try:
                return number, library.active()
            except Exception:  # the screen keeps what it shows; the next reload tries again
                log.exception("Reading the active release failed")
                return None

        QThreadPool.globalInstance().start(BackgroundJob(work, self._on_read))

    def _on_read(self, read: tuple[int, Content]) -> None:
        number, content = read
        if number <= self._shown:
            return
        self._shown = number
        self.content = content
        self.changed.emit(content)

    def _on_activated(self, release: int) -> None:
        log.info("Release %d is active: updating the screen", release)
        self.reload()


class StatusFeed(QObject):
    """Reads the kiosk's status (store, disk, outbox) in the thread pool for the admin screen.

    As with content, a reading older than one already delivered is dropped.
    """

    loaded = Signal(object)  # KioskStatus, delivered on the GUI thread

    def __init__(self, status: Callable[[], KioskStatus], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._status = status
        self._requested = 0
        self._delivered = 0

    def load(self) -> None:
        """Read the status in a worker; ``loaded`` follows."""
        self._requested += 1
        number, status = self._requested, self._status

        def work() -> tuple[int, KioskStatus] | None:
            try:
                return number, status()
            except Exception:  # the admin screen keeps the last status; staff can open it again
                log.exception("Reading the kiosk status failed")
                return None

        QThreadPool.globalInstance().start(BackgroundJob(work, self._on_read))

    def _on_read(self, read: tuple[int, KioskStatus]) -> None:
        number, status = read
        if number <= self._delivered:
            return
        self._delivered = number
        self.loaded.emit(status)


class PlayRecorder(QObject):
    """Proof of play: which section, service page and campaign video was shown, how long, in which language.

    Each is recorded when it leaves the screen, with its seconds (a ``service`` event per service page
    opened, a ``video`` event per video shown while the video section is on screen). Called on the GUI
    thread; the events are written to the outbox in the thread pool.
    """

    def __init__(
        self,
        reporter: Reporter,
        section: str,
        language: str,
        parent: QObject | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.reporter = reporter
        self._monotonic = monotonic
        self._section = section
        self._language = language
        self._since = self._service_since = self._video_since = monotonic()
        self._service = ""
        self._video = ""

    def section_shown(self, section: str) -> None:
        if section == self._section:
            return
        now = self._monotonic()
        self._close_video(now)
        self._close_service(now)
        self._close_segment(now)
        self._section = section

    def service_shown(self, item: str) -> None:
        """The services section shows ``item``'s page now ("" when it shows the cards)."""
        if item == self._service:
            return
        now = self._monotonic()
        self._close_service(now)
        self._service, self._service_since = item, now

    def video_shown(self, item: str) -> None:
        """The video section's player started the video ``item`` (counted while the section shows)."""
        if item == self._video:
            return
        self._close_video(self._monotonic())
        self._video = item

    def language_changed(self, language: str) -> None:
        if language == self._language:
            return
        self._close_segment(self._monotonic())
        self._language = language
        self._record("language", section=self._section, language=language)

    def finish(self) -> None:
        """Record what is on screen now (the kiosk is stopping)."""
        now = self._monotonic()
        self._close_video(now)
        self._close_service(now)
        self._close_segment(now)

    def _close_segment(self, now: float) -> None:
        seconds, self._since = now - self._since, now
        if self._section and seconds >= 0.05:
            self._record("section", section=self._section, seconds=seconds, language=self._language)

    def _close_service(self, now: float) -> None:
        if self._service:
            seconds = max(0.0, now - self._service_since)
            self._record(
                "service", section="services", item=self._service, seconds=seconds, language=self._language
            )
        self._service, self._service_since = "", now

    def _close_video(self, now: float) -> None:
        seconds, self._video_since = now - self._video_since, now
        if self._section == "video" and self._video and seconds >= 0.05:
            self._record("video", section="video", item=self._video, seconds=seconds, language=self._language)

    def _record(self, kind: str, **fields: Any) -> None:
        at = datetime.now(UTC)
        reporter = self.reporter

        def work() -> None:
            try:
                reporter.record_event(kind, at=at, **fields)
            except Exception:  # the visitor's screen must not suffer for a lost statistic
                log.exception("Recording a %s event failed", kind)

        QThreadPool.globalInstance().start(BackgroundJob(work))


class _ShotRequest:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.png: bytes | None = None


class ScreenshotTaker(QObject):
    """Grabs a widget as PNG on the GUI thread for a caller in another thread (the reporter)."""

    _requested = Signal(object)

    def __init__(self, widget: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.widget = widget
        self._requested.connect(self._grab, Qt.ConnectionType.QueuedConnection)

    def take(self, timeout_s: float = 10.0) -> bytes | None:
        """A PNG of the widget, or None when the GUI thread did not answer within ``timeout_s``."""
        if QThread.currentThread() is self.thread():
            return self._png()
        request = _ShotRequest()
        self._requested.emit(request)
        if not request.done.wait(timeout_s):
            log.warning("The screen did not answer a screenshot request within %.0f s", timeout_s)
            return None
        return request.png

    def _grab(self, request: _ShotRequest) -> None:
        try:
            request.png = self._png()
        except Exception:
            log.exception("Grabbing the screen failed")
        finally:
            request.done.set()

    def _png(self) -> bytes:
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.widget.grab().save(buffer, "PNG")
        return bytes(buffer.data().data())
