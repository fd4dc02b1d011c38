"""The last 30 days' energy as bars, today's (still growing) bar in the sun colour."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from ui import formatting
from ui.widgets.chart_base import ChartBase, nice_ticks, tick_count, tick_decimals


class DayBars(ChartBase):
    """One bar per local day (kWh); a day without a record is an empty slot, not a zero bar."""

    def __init__(self, days: int = 30, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DayBars")
        self.span = days
        self.until: date | None = None
        self.days: list[tuple[date, float]] = []
        self.empty_text = ""

    def set_days(self, until: date, days: list[tuple[date, float]]) -> None:
        """Show ``days`` (local date, Wh) among the ``span`` days ending with ``until`` (today)."""
        if until == self.until and days == self.days:
            return
        self.until = until
        self.days = list(days)
        self.update()

    def set_texts(self, *, empty: str) -> None:
        self.empty_text = empty
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self.font())
        metrics = QFontMetricsF(self.font())
        first = (self.until or date.today()) - timedelta(days=self.span - 1)
        shown = [(day, wh) for day, wh in self.days if 0 <= (day - first).days < self.span]
        peak_kwh = max((wh for _, wh in shown), default=0.0) / 1000.0
        height = self.height() - metrics.height() * 2.1
        count = tick_count(height, metrics.height())
        ticks = nice_ticks(peak_kwh * 1.05, count) if shown and peak_kwh > 0 else []
        decimals = tick_decimals(ticks) if ticks else 0
        left = self.value_axis_width(ticks, decimals) if ticks else metrics.height() * 0.5
        plot = QRectF(left, metrics.height() * 0.6, self.width() - left - metrics.height() * 0.5, height)
        if plot.width() < 10 or plot.height() < 10:
            return
        slot = plot.width() / self.span
        if ticks:
            self.draw_value_axis(painter, plot, ticks, decimals)
        else:
            painter.setPen(QPen(self._grid, max(1.0, self.line_width() / 2)))
            painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        self._draw_dates(painter, plot, first, slot)
        if not ticks:
            self.draw_centred_message(painter, plot, self.empty_text)
            return
        top_wh = ticks[-1] * 1000.0
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setClipRect(plot.adjusted(0, -1, 0, 0))
        radius = min(slot * 0.15, self.line_width() * 2)
        for day, wh in shown:
            index = (day - first).days
            height = wh / top_wh * plot.height()
            bar = QRectF(plot.left() + slot * (index + 0.15), plot.bottom() - height, slot * 0.7, height)
            painter.setBrush(self._accent if day == self.until else self._line)
            painter.drawRoundedRect(bar.adjusted(0, 0, 0, radius), radius, radius)

    def _draw_dates(self, painter: QPainter, plot: QRectF, first: date, slot: float) -> None:
        """A date under every few bars, counted back from today so today's bar is always labelled."""
        metrics = QFontMetricsF(self.font())
        widest = max(
            metrics.horizontalAdvance(formatting.day_month(self.locale_, first + timedelta(days=i)))
            for i in range(self.span)
        )
        stride = next((s for s in (1, 2, 5, 7, 10, 15) if s * slot >= widest * 1.25), self.span)
        painter.setPen(self._text)
        for index in range(self.span - 1, -1, -stride):
            day = first + timedelta(days=index)
            centre = plot.left() + slot * (index + 0.5)
            label = formatting.day_month(self.locale_, day)
            width = metrics.horizontalAdvance(label) + 4
            x = min(max(0.0, centre - width / 2), self.width() - width)
            box = QRectF(x, plot.bottom() + metrics.height() * 0.3, width, metrics.height())
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)
