"""What the dashboard's two QPainter charts share: colours from the stylesheet, the value axis, fonts.

Drawn by hand rather than with QtCharts: a few dozen primitives per frame, crisp at any size, and the
look (colours, font sizes) comes from resources/style.qss like every other widget.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Property, QLocale, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui import formatting


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Round tick values from 0 to at least ``top`` (1, 2 or 5 times a power of ten), about ``count``."""
    top = max(top, 1e-9)
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    ticks = [0.0]
    while ticks[-1] < top - 1e-9:
        ticks.append(ticks[-1] + step)
    return ticks


def tick_count(plot_height: float, line_height: float) -> int:
    """How many value ticks fit a plot this tall with their labels well apart (2 to 4)."""
    return max(1, min(4, int(plot_height / (line_height * 1.8))))


def tick_decimals(ticks: list[float]) -> int:
    """Decimals the tick labels need: 0 for 0, 5, 10; 1 for 0, 0.5, 1; 2 for 0, 0.25, 0.5."""
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    for decimals in range(3):
        scaled = step * 10**decimals
        if abs(scaled - round(scaled)) < 1e-6:
            return decimals
    return 3


class ChartBase(QWidget):
    """A painted chart: colours from the stylesheet (``qproperty-line_color`` …), text in its font."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.locale_ = QLocale()
        self._line = QColor("#1b7f4c")
        self._accent = QColor("#f2b705")
        self._grid = QColor("#c9d8ce")
        self._text = QColor("#4f6357")

    # Size -----------------------------------------------------------------------------------------
    LINES_WANTED = 5.0  # labels above and below the plot and at least two value ticks well apart
    LINES_NEEDED = 4.5  # below this the value labels collide, or the plot is not drawn at all

    def sizeHint(self) -> QSize:
        line = QFontMetricsF(self.font()).height()
        return QSize(round(line * 16), round(line * self.LINES_WANTED))

    def minimumSizeHint(self) -> QSize:
        line = QFontMetricsF(self.font()).height()
        return QSize(round(line * 8), round(line * self.LINES_NEEDED))

    # Colours (set from resources/style.qss) -------------------------------------------------------
    def _get_line(self) -> QColor:
        return self._line

    def _set_line(self, colour: QColor) -> None:
        self._line = QColor(colour)
        self.update()

    def _get_accent(self) -> QColor:
        return self._accent

    def _set_accent(self, colour: QColor) -> None:
        self._accent = QColor(colour)
        self.update()

    def _get_grid(self) -> QColor:
        return self._grid

    def _set_grid(self, colour: QColor) -> None:
        self._grid = QColor(colour)
        self.update()

    def _get_text(self) -> QColor:
        return self._text

    def _set_text(self, colour: QColor) -> None:
        self._text = QColor(colour)
        self.update()

    line_color = Property(QColor, _get_line, _set_line)
    accent_color = Property(QColor, _get_accent, _set_accent)
    grid_color = Property(QColor, _get_grid, _set_grid)
    text_color = Property(QColor, _get_text, _set_text)

    def set_locale(self, locale: QLocale) -> None:
        """The language's locale for axis numbers and times."""
        self.locale_ = locale
        self.update()

    # Drawing helpers ------------------------------------------------------------------------------
    def line_width(self) -> float:
        return max(2.0, QFontMetricsF(self.font()).height() / 9.0)

    def bold_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def value_axis_width(self, ticks: list[float], decimals: int) -> float:
        metrics = QFontMetricsF(self.font())
        return (
            max(metrics.horizontalAdvance(self._tick_label(t, decimals)) for t in ticks)
            + metrics.height() * 0.5
        )

    def draw_value_axis(self, painter: QPainter, plot: QRectF, ticks: list[float], decimals: int) -> None:
        """Horizontal grid lines with their values at the left of ``plot`` (0 at the bottom)."""
        metrics = QFontMetricsF(self.font())
        top = ticks[-1]
        grid = QPen(self._grid, max(1.0, self.line_width() / 2))
        for tick in ticks:
            y = plot.bottom() - tick / top * plot.height()
            painter.setPen(grid)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(self._text)
            label = self._tick_label(tick, decimals)
            box = QRectF(0, y - metrics.height() / 2, plot.left() - metrics.height() * 0.4, metrics.height())
            painter.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)

    def draw_centred_message(self, painter: QPainter, area: QRectF, text: str) -> None:
        painter.setPen(self._text)
        painter.drawText(area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)

    def _tick_label(self, value: float, decimals: int) -> str:
        return formatting.number(self.locale_, value, decimals)
