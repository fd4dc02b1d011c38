"""A big figure with its caption and unit, the building block of the energy dashboard."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

_DIGIT = re.compile(r"\d")


class FigureLabel(QLabel):
    """A number that keeps its width while its digits change, so nothing beside it moves.

    The width reserved is that of the widest text shown so far with every digit written as "0" (Noto
    Sans has tabular figures), re-measured when the font changes; it only grows, and the text is
    right-aligned inside it like on a scoreboard.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("–", parent)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self._widest = ""

    def show_figure(self, text: str) -> None:
        if text != self.text():
            self.setText(text)
        sample = _DIGIT.sub("0", text)
        if self.fontMetrics().horizontalAdvance(sample) > self.fontMetrics().horizontalAdvance(self._widest):
            self._widest = sample
            self._reserve()

    def reset_width(self) -> None:
        """Forget the widest figure (e.g. another language or another quantity): reserve anew."""
        self._widest = _DIGIT.sub("0", self.text())
        self._reserve()

    def _reserve(self) -> None:
        self.setFixedWidth(self.fontMetrics().horizontalAdvance(self._widest) + 2)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._reserve()


class SentenceLabel(QLabel):
    """Wrapped text that takes the height of the tallest of the sentences it rotates through.

    So a rotating sentence (the CO2 equivalents) never moves what is above or below it; the height is
    re-measured when the width or the font changes.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._sentences: list[str] = []

    def set_rotation(self, sentences: list[str]) -> None:
        """The sentences that will take turns here (the current one is set with ``setText``)."""
        self._sentences = list(sentences)
        self._fit()

    def _fit(self) -> None:
        width = self.contentsRect().width()
        if width < 20 or not self._sentences:
            return
        flags = int(Qt.TextFlag.TextWordWrap)
        metrics = self.fontMetrics()
        needed = max(metrics.boundingRect(0, 0, width, 100_000, flags, s).height() for s in self._sentences)
        if needed != self.minimumHeight():
            self.setMinimumHeight(needed)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()


class StatTile(QFrame):
    """Caption on top (with room for an indicator), value and unit below; digits never move the unit."""

    def __init__(self, *, hero: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StatTile")
        self.setProperty("hero", hero)
        self.caption = QLabel(self)
        self.caption.setObjectName("StatCaption")
        self.caption.setWordWrap(True)
        self.value = FigureLabel(self)
        self.value.setObjectName("StatValue")
        self.unit = QLabel(self)
        self.unit.setObjectName("StatUnit")
        self.caption_row = QHBoxLayout()
        self.caption_row.setSpacing(12)
        self.caption_row.addWidget(self.caption, 1)
        self._figure_row = row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        row.setSpacing(12)
        row.addWidget(self.value, 0, Qt.AlignmentFlag.AlignBaseline)
        row.addWidget(self.unit, 0, Qt.AlignmentFlag.AlignBaseline)
        row.addStretch(1)
        self._layout = layout = QVBoxLayout(self)
        layout.setSpacing(0)
        layout.addLayout(self.caption_row)
        layout.addStretch(1)
        layout.addLayout(row)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def add_footer(self, widget: QWidget) -> None:
        """Something under the figure (the hero tile's rotating equivalent)."""
        self._layout.addWidget(widget)

    def set_margins(self, pixels: int, vertical: int | None = None) -> None:
        """Side margins of ``pixels``; top and bottom ``vertical`` (default 0.6 of the sides)."""
        vertical = round(pixels * 0.6) if vertical is None else vertical
        self._layout.setContentsMargins(pixels, vertical, pixels, vertical)
        self.caption_row.setSpacing(max(6, pixels // 2))

    def set_figure(self, value: str, unit: str) -> None:
        self.value.show_figure(value)
        if unit != self.unit.text():
            self.unit.setText(unit)
        self._fit_unit()

    def _fit_unit(self) -> None:
        """The unit beside the figure, or under it when a narrow tile has no room for both."""
        margins = self._layout.contentsMargins()
        room = self.width() - margins.left() - margins.right()
        needed = self.value.width() + self._figure_row.spacing() + self.unit.sizeHint().width()
        direction = QBoxLayout.Direction.LeftToRight if needed <= room else QBoxLayout.Direction.TopToBottom
        if self._figure_row.direction() != direction:
            self._figure_row.setDirection(direction)
            alignment = (
                Qt.AlignmentFlag.AlignBaseline
                if direction == QBoxLayout.Direction.LeftToRight
                else Qt.AlignmentFlag.AlignLeft
            )
            for label in (self.value, self.unit):
                self._figure_row.setAlignment(label, alignment)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_unit()
