"""What every visitor section shares: retranslation on language change and layout for the orientation."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.i18n import LanguageController
from ui.theme import Metrics


class Section(QWidget):
    """A full page between the header and the navigation bar."""

    key = ""

    def __init__(self, languages: LanguageController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SectionPage")
        self.languages = languages
        self.metrics = Metrics(1.0)
        self.portrait = False
        self.title = QLabel(self)
        self.title.setObjectName("SectionTitle")
        self.title.setWordWrap(True)
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("SectionSubtitle")
        self.subtitle.setWordWrap(True)
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.title)
        self.body.addWidget(self.subtitle)

    def nav_label(self) -> str:
        """The section's name on its navigation button."""
        raise NotImplementedError

    def retranslate(self) -> None:
        """Re-read every visible text in the current language."""

    def apply_layout(self, metrics: Metrics, portrait: bool) -> None:
        """Lay the section out for this window size and orientation."""
        self.metrics = metrics
        self.portrait = portrait
        margin = metrics.px(40)
        self.body.setContentsMargins(margin, metrics.px(28), margin, metrics.px(28))
        self.body.setSpacing(metrics.px(14))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
