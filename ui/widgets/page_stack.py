"""A stacked widget sized by the page on show, not by the largest page it holds."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QStackedWidget, QWidget


class PageStack(QStackedWidget):
    """Lets a small screen (1366x768) show a page even when another page would need more room."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def minimumSizeHint(self) -> QSize:
        """The page's own minimum: one set explicitly (e.g. 1x1, "sized by the window"), else its hint."""
        current = self.currentWidget()
        if current is None:
            return super().minimumSizeHint()
        hint, explicit = current.minimumSizeHint(), current.minimumSize()
        return QSize(explicit.width() or hint.width(), explicit.height() or hint.height())

    def sizeHint(self) -> QSize:
        current = self.currentWidget()
        return current.sizeHint() if current is not None else super().sizeHint()
