"""Green services: a finger-scrollable grid of cards, all from the active content release."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.model import Content, Service
from ui.i18n import LanguageController
from ui.sections.base import Section
from ui.theme import Metrics


class ServiceCard(QFrame):
    """Icon, title, one line and a tag saying which kind of service it is."""

    def __init__(self, service: Service, icon: QIcon, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ServiceCard")
        self.service = service
        self._icon = icon
        self.icon = QLabel(self)
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.tag = QLabel(self)
        self.tag.setObjectName("CardTag")
        self.title = QLabel(self)
        self.title.setObjectName("CardTitle")
        self.title.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("CardSummary")
        self.summary.setWordWrap(True)
        texts = QVBoxLayout()
        texts.addWidget(self.tag, 0, Qt.AlignmentFlag.AlignLeft)
        texts.addWidget(self.title)
        texts.addWidget(self.summary)
        texts.addStretch(1)
        self._row = row = QHBoxLayout(self)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(texts, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def show_language(self, language: str, tag: str) -> None:
        self.title.setText(self.service.title.get(language))
        self.summary.setText(self.service.summary.get(language))
        self.tag.setText(tag)

    def apply_metrics(self, metrics: Metrics) -> None:
        size = metrics.px(88)
        self.icon.setPixmap(self._icon.pixmap(QSize(size, size)))
        self.icon.setFixedWidth(size)
        pad = metrics.px(24)
        self._row.setContentsMargins(pad, pad, pad, pad)
        self._row.setSpacing(pad)
        self.setMinimumHeight(metrics.px(170))


class ServicesSection(Section):
    """All service cards of the active release; scrolls by finger (kinetic), no scroll bars."""

    key = "services"

    def __init__(
        self,
        languages: LanguageController,
        resolve: Callable[[str | None], Path | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(languages, parent)
        self._resolve = resolve
        self.cards: list[ServiceCard] = []
        self.card_area = QScrollArea(self)
        self.card_area.setWidgetResizable(True)
        self.card_area.setFrameShape(QFrame.Shape.NoFrame)
        self.card_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.card_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(self.card_area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        self.container = QWidget()
        self.grid = QGridLayout(self.container)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.card_area.setWidget(self.container)
        self.body.addWidget(self.card_area, 1)
        self.retranslate()

    def nav_label(self) -> str:
        return self.tr("Green services")

    def show_content(self, content: Content) -> None:
        for card in self.cards:
            self.grid.removeWidget(card)
            card.deleteLater()
        self.cards = []
        for service in content.services:
            path = self._resolve(service.icon)
            card = ServiceCard(service, QIcon(str(path)) if path else QIcon(), self.container)
            self.cards.append(card)
        self._arrange()
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Green services"))
        self.subtitle.setText(self.tr("Tap a card to learn more and continue on your phone"))
        language = self.languages.current or self.languages.default
        green, online = self.tr("Green energy"), self.tr("E-service")
        for card in self.cards:
            card.show_language(language, online if card.service.category == "e-service" else green)

    def apply_layout(self, metrics: Metrics, portrait: bool) -> None:
        super().apply_layout(metrics, portrait)
        for card in self.cards:
            card.apply_metrics(metrics)
        self._arrange()

    def _arrange(self) -> None:
        columns = 2 if self.portrait else 3
        spacing = self.metrics.px(24)
        self.grid.setSpacing(spacing)
        for card in self.cards:
            self.grid.removeWidget(card)
        for index, card in enumerate(self.cards):
            card.apply_metrics(self.metrics)
            self.grid.addWidget(card, index // columns, index % columns)
        for column in range(3):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)
        self.grid.setRowStretch(len(self.cards), 1)
