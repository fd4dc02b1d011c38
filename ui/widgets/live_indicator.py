"""A small pulsing dot that says "these figures are live"; still and hollow when they are not.

It is never the only sign: the section writes the state in words beside it. The pulse is driven by a
timer that runs only while the dot is live and visible; the dot paints its own background (opaque), so
a frame repaints only the dot and not the styled tile beneath it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Property, QElapsedTimer, QEvent, QPointF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QHideEvent, QPainter, QPaintEvent, QPen, QShowEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

PULSE_PERIOD_MS = 2000
FRAME_MS = 100  # 10 fps: a slow pulse looks smooth, and the kiosk stays under 2 % of a core


class LiveIndicator(QWidget):
    """The dot: ``set_live(True)`` pulses, ``set_live(False)`` shows a still ring."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LiveIndicator")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)  # no parent repaint per frame
        self.live = False
        self._background = QColor("#0e4d2e")
        self._colour = QColor("#f2b705")
        self._idle_colour = QColor("#cfe9d9")
        self._clock = QElapsedTimer()
        self._clock.start()
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self.update)

    def _get_colour(self) -> QColor:
        return self._colour

    def _set_colour(self, colour: QColor) -> None:
        self._colour = QColor(colour)
        self.update()

    def _get_idle_colour(self) -> QColor:
        return self._idle_colour

    def _set_idle_colour(self, colour: QColor) -> None:
        self._idle_colour = QColor(colour)
        self.update()

    def _get_background(self) -> QColor:
        return self._background

    def _set_background(self, colour: QColor) -> None:
        self._background = QColor(colour)
        self.update()

    dot_color = Property(QColor, _get_colour, _set_colour)
    background_color = Property(QColor, _get_background, _set_background)
    idle_color = Property(QColor, _get_idle_colour, _set_idle_colour)

    def sizeHint(self) -> QSize:
        side = round(self.fontMetrics().height() * 1.1)
        return QSize(side, side)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.updateGeometry()

    def set_live(self, live: bool) -> None:
        if live == self.live:
            return
        self.live = live
        self._run_timer()
        self.update()

    def is_pulsing(self) -> bool:
        return self._timer.isActive()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._run_timer()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._run_timer()

    def _run_timer(self) -> None:
        if self.live and self.isVisible():
            if not self._timer.isActive():
                self._clock.restart()
                self._timer.start()
        else:
            self._timer.stop()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self._background)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        centre = QPointF(self.width() / 2, self.height() / 2)
        outer = min(self.width(), self.height()) / 2 - 1
        core = outer * 0.45
        if not self.live:
            painter.setPen(QPen(self._idle_colour, max(2.0, outer * 0.18)))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, core, core)
            return
        phase = (self._clock.elapsed() % PULSE_PERIOD_MS) / PULSE_PERIOD_MS
        halo = QColor(self._colour)
        halo.setAlphaF(0.55 * (1.0 - phase))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(halo)
        radius = core + (outer - core) * math.sin(phase * math.pi / 2)
        painter.drawEllipse(centre, radius, radius)
        painter.setBrush(self._colour)
        painter.drawEllipse(centre, core, core)
