"""Today's power curve: 5-minute averages on an axis from sunrise to sunset over the centre.

Sunrise and sunset are computed from the sun's elevation (``solar_elevation_deg``, the simulator's
NOAA formulas) for the kiosk's site, not guessed from the first and last non-zero reading: the axis is
right before the first reading of the morning and stays right on a cloudy or offline day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import pairwise
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from kiosk.energy.history import BUCKET_SECONDS
from kiosk.energy.simulator import solar_elevation_deg
from ui import formatting
from ui.widgets.chart_base import ChartBase, nice_ticks, tick_count, tick_decimals

SITE_LATITUDE = 40.4  # Baku; every ASAN xidmət centre with a plant is within half a degree of it
SITE_LONGITUDE = 49.87
SUNRISE_ELEVATION_DEG = -0.833  # the sun's upper edge on the horizon, with refraction
GAP_SECONDS = 2 * BUCKET_SECONDS  # a missing slot breaks the line: no invented values in between


@lru_cache(maxsize=8)
def daylight(
    day: date, zone: ZoneInfo, latitude: float = SITE_LATITUDE, longitude: float = SITE_LONGITUDE
) -> tuple[datetime, datetime] | None:
    """Sunrise and sunset of local ``day`` (aware, in ``zone``), or None when the sun does not cross."""
    start = datetime.combine(day, time(0), zone)
    minutes = range(0, 24 * 60 + 1, 10)
    samples = [
        (start + timedelta(minutes=m), _elevation(start + timedelta(minutes=m), latitude, longitude))
        for m in minutes
    ]
    rise = set_ = None
    for (t0, e0), (t1, e1) in pairwise(samples):
        if rise is None and e0 < 0 <= e1:
            rise = _crossing(t0, t1, latitude, longitude, rising=True)
        elif rise is not None and e0 >= 0 > e1:
            set_ = _crossing(t0, t1, latitude, longitude, rising=False)
    if rise is None or set_ is None:
        return None
    return rise, set_


def _elevation(when: datetime, latitude: float, longitude: float) -> float:
    return solar_elevation_deg(when, latitude, longitude) - SUNRISE_ELEVATION_DEG


def _crossing(low: datetime, high: datetime, latitude: float, longitude: float, *, rising: bool) -> datetime:
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        above = _elevation(middle, latitude, longitude) >= 0
        if above == rising:
            high = middle
        else:
            low = middle
    return high


class PowerChart(ChartBase):
    """Average power per 5-minute slot as a filled line; gaps stay gaps; sunrise and sunset marked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PowerChart")
        self.zone = ZoneInfo("Asia/Baku")
        self.day: date | None = None
        self.points: list[tuple[datetime, float]] = []
        self.empty_text = ""
        self.sunrise_text = "%1"
        self.sunset_text = "%1"

    def set_curve(self, day: date, points: list[tuple[datetime, float]]) -> None:
        """Show ``points`` (slot start, W) of local ``day``; repaints only when something changed."""
        if day == self.day and points == self.points:
            return
        self.day = day
        self.points = list(points)
        self.update()

    def set_texts(self, *, empty: str, sunrise: str, sunset: str) -> None:
        """Translated texts: shown when there is no reading, and the sun times' labels ("%1" = time)."""
        self.empty_text, self.sunrise_text, self.sunset_text = empty, sunrise, sunset
        self.update()

    def time_range(self) -> tuple[datetime, datetime]:
        """The x axis: whole hours around sunrise and sunset, widened to include every slot shown."""
        day = self.day or datetime.now(self.zone).date()
        sun = daylight(day, self.zone)
        midnight = datetime.combine(day, time(0), self.zone)
        first, last = sun if sun else (midnight, midnight + timedelta(days=1))
        generating = [when for when, watts in self.points if watts > 0]
        if generating:
            first = min(first, generating[0])
            last = max(last, generating[-1] + timedelta(seconds=BUCKET_SECONDS))
        start = first.replace(minute=0, second=0, microsecond=0)
        end = last.replace(minute=0, second=0, microsecond=0)
        if end < last:
            end += timedelta(hours=1)
        return start, end

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self.font())
        metrics = QFontMetricsF(self.font())
        start, end = self.time_range()
        span = (end - start).total_seconds()
        shown = [(when, watts) for when, watts in self.points if start <= when < end]
        top = metrics.height() * 1.5
        height = self.height() - metrics.height() * 3.0
        peak_kw = max((w for _, w in shown), default=0.0) / 1000.0
        ticks = nice_ticks(max(peak_kw * 1.08, 1.0), tick_count(height, metrics.height())) if shown else []
        decimals = tick_decimals(ticks) if ticks else 0
        left = self.value_axis_width(ticks, decimals) if ticks else metrics.height() * 0.5
        hour_label_w = metrics.horizontalAdvance("00:00")
        plot = QRectF(left, top, self.width() - left - hour_label_w / 2 - 2, height)
        if plot.width() < 10 or plot.height() < 10:
            return

        def x_of(when: datetime) -> float:
            return plot.left() + (when - start).total_seconds() / span * plot.width()

        if ticks:
            self.draw_value_axis(painter, plot, ticks, decimals)
        else:
            painter.setPen(QPen(self._grid, max(1.0, self.line_width() / 2)))
            painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        self._draw_hours(painter, plot, start, end, x_of)
        self._draw_sun(painter, plot, x_of)
        if ticks:
            self._draw_curve(painter, plot, shown, ticks[-1] * 1000.0, x_of)
        else:
            self.draw_centred_message(painter, plot, self.empty_text)

    def _draw_hours(
        self,
        painter: QPainter,
        plot: QRectF,
        start: datetime,
        end: datetime,
        x_of: Callable[[datetime], float],
    ) -> None:
        metrics = QFontMetricsF(self.font())
        hours = max(1, round((end - start).total_seconds() / 3600))
        label_w = metrics.horizontalAdvance("00:00") * 1.6
        step = next((s for s in (1, 2, 3, 4, 6) if plot.width() / hours * s >= label_w), 6)
        painter.setPen(self._text)
        when = start
        while when <= end:
            local = when.astimezone(self.zone)
            if local.hour % step == 0:
                x = x_of(when)
                painter.setPen(QPen(self._grid, max(1.0, self.line_width() / 2)))
                painter.drawLine(
                    QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + metrics.height() * 0.25)
                )
                painter.setPen(self._text)
                box = QRectF(
                    x - label_w / 2, plot.bottom() + metrics.height() * 0.3, label_w, metrics.height()
                )
                painter.drawText(
                    box, Qt.AlignmentFlag.AlignCenter, formatting.hour_minute(self.locale_, local)
                )
            when += timedelta(hours=1)

    def _draw_sun(self, painter: QPainter, plot: QRectF, x_of: Callable[[datetime], float]) -> None:
        sun = daylight(self.day, self.zone) if self.day else None
        if sun is None:
            return
        metrics = QFontMetricsF(self.font())
        pen = QPen(self._accent, max(1.5, self.line_width() * 0.75), Qt.PenStyle.DashLine)
        for index, when in enumerate(sun):
            x = x_of(when)
            painter.setPen(pen)
            painter.drawLine(QPointF(x, plot.top() - metrics.height() * 0.2), QPointF(x, plot.bottom()))
            template = self.sunrise_text if index == 0 else self.sunset_text
            label = template.replace("%1", formatting.hour_minute(self.locale_, when.astimezone(self.zone)))
            width = metrics.horizontalAdvance(label) + 4
            painter.setPen(self._text)
            if index == 0:
                box = QRectF(max(0.0, x - metrics.height() * 0.3), 0, width, metrics.height() * 1.2)
                painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
            else:
                right = min(float(self.width()), x + metrics.height() * 0.3)
                box = QRectF(right - width, 0, width, metrics.height() * 1.2)
                painter.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)

    def _draw_curve(
        self,
        painter: QPainter,
        plot: QRectF,
        points: list[tuple[datetime, float]],
        top_w: float,
        x_of: Callable[[datetime], float],
    ) -> None:
        half_slot = timedelta(seconds=BUCKET_SECONDS / 2)
        segments: list[list[QPointF]] = []
        previous: datetime | None = None
        for when, watts in points:
            point = QPointF(x_of(when + half_slot), plot.bottom() - watts / top_w * plot.height())
            if previous is None or (when - previous).total_seconds() > GAP_SECONDS:
                segments.append([])
            segments[-1].append(point)
            previous = when
        fill = QColor(self._line)
        fill.setAlpha(60)
        line = QPen(self._line, self.line_width() * 1.5)
        line.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        line.setCapStyle(Qt.PenCapStyle.RoundCap)
        for segment in segments:
            path = QPainterPath(segment[0])
            for point in segment[1:]:
                path.lineTo(point)
            area = QPainterPath(path)
            area.lineTo(segment[-1].x(), plot.bottom())
            area.lineTo(segment[0].x(), plot.bottom())
            area.closeSubpath()
            painter.fillPath(area, fill)
            painter.setPen(line)
            painter.drawPath(path)
        last = segments[-1][-1]
        radius = self.line_width() * 2.5
        painter.setPen(QPen(self._line, self.line_width()))
        painter.setBrush(self._accent)
        painter.drawEllipse(last, radius, radius)
