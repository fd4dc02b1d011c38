"""A big figure with its caption and unit, the building block of the energy dashboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget


class StatTile(QFrame):
    """Caption on top, value and unit below; the value keeps its width so digits do not jump."""

    def __init__(self, *, hero: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StatTile")
        self.setProperty("hero", hero)
        self.caption = QLabel(self)
        self.caption.setObjectName("StatCaption")
        self.caption.setWordWrap(True)
        self.value = QLabel("–", self)
        self.value.setObjectName("StatValue")
        self.unit = QLabel(self)
        self.unit.setObjectName("StatUnit")
        row = QHBoxLayout()
        row.setSpacing(12)
        row.addWidget(self.value, 0, Qt.AlignmentFlag.AlignBaseline)
        row.addWidget(self.unit, 0, Qt.AlignmentFlag.AlignBaseline)
        row.addStretch(1)
        self._layout = layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addStretch(1)
        layout.addLayout(row)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_margins(self, pixels: int) -> None:
        self._layout.setContentsMargins(pixels, pixels, pixels, pixels)

    def set_figure(self, value: str, unit: str) -> None:
        self.value.setText(value)
        self.unit.setText(unit)
