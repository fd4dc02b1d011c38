"""Idle detection and the attract loop: an untouched kiosk cycles its sections to draw people in.

The first touch after the loop (or on a dark screen) only wakes the kiosk: it is swallowed, so it never
presses the button that happened to be under the finger.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

log = logging.getLogger(__name__)

_PRESS = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress, QEvent.Type.TabletPress}
_RELEASE = {
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.TouchEnd,
    QEvent.Type.TouchUpdate,
    QEvent.Type.KeyRelease,
    QEvent.Type.TabletRelease,
    QEvent.Type.MouseMove,
}


class IdleWatcher(QObject):
    """Application-wide event filter: restarts the idle timer on every touch, swallows waking touches."""

    idle = Signal()
    woke = Signal()

    def __init__(self, idle_seconds: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.asleep = False  # True while the attract loop runs or the screen is dark
        self._swallowing = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(idle_seconds * 1000)
        self._timer.timeout.connect(self._on_idle)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def set_idle_seconds(self, seconds: int) -> None:
        self._timer.setInterval(seconds * 1000)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _PRESS:
            if self.asleep:
                self.asleep = False
                self._swallowing = kind != QEvent.Type.KeyPress
                self._timer.start()
                log.debug("Woken by a touch; the touch is not passed on")
                self.woke.emit()
                return True
            self._timer.start()
        elif self._swallowing and kind in _RELEASE:
            if kind in (QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd, QEvent.Type.TabletRelease):
                self._swallowing = False
            return True
        return False

    def _on_idle(self) -> None:
        if not self.asleep:
            self.asleep = True
            self.idle.emit()


class AttractLoop(QObject):
    """Steps through the content's attract sequence, each step for its own number of seconds."""

    def __init__(self, show_step: Callable[[str], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._show_step = show_step
        self.sequence: tuple[str, ...] = ("energy", "video", "featured")
        self.seconds: dict[str, int] = {"energy": 20, "video": 40, "featured": 15}
        self.running = False
        self._index = -1
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.advance)

    def set_plan(self, sequence: tuple[str, ...], seconds: dict[str, int]) -> None:
        self.sequence = sequence or ("energy",)
        self.seconds = dict(seconds)

    def start(self) -> None:
        self.running = True
        self._index = -1
        self.advance()

    def stop(self) -> None:
        self.running = False
        self._timer.stop()

    def advance(self) -> None:
        """Show the next step that has something to show (a step may be empty, e.g. no featured item)."""
        if not self.running:
            return
        for _ in range(len(self.sequence)):
            self._index = (self._index + 1) % len(self.sequence)
            step = self.sequence[self._index]
            if self._show_step(step):
                self._timer.start(self.seconds.get(step, 15) * 1000)
                return
        self._timer.start(15_000)
