"""Green services: a finger-scrollable grid of cards, all from the active content release."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QMouseEvent, QResizeEvent
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

from kiosk.content.model import Service
from ui.i18n import LanguageController
from ui.sections.base import Section
from ui.sections.service_page import ServicePage
from ui.theme import Metrics
from ui.widgets.page_stack import PageStack


class ServiceCard(QFrame):
    """Icon, title, one line and a tag saying which kind of service it is; a tap opens its page."""

    tapped = Signal(object)
    _TAP_SLOP_PX = 24  # a finger that moved further was scrolling, not tapping

    def __init__(self, service: Service, icon: QIcon, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ServiceCard")
        self.service = service
        self._pressed_at: QPoint | None = None
        self._base_height = 0
        self._icon = icon
        self.icon = QLabel(self)
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.tag = QLabel(self)
        self.tag.setObjectName("CardTag")
        self.tag.setTextFormat(Qt.TextFormat.PlainText)
        self.title = QLabel(self)
        self.title.setObjectName("CardTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # content text: markup shows as characters
        self.title.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("CardSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self._texts = texts = QVBoxLayout()
        texts.addWidget(self.tag, 0, Qt.AlignmentFlag.AlignLeft)
        texts.addWidget(self.title)
        texts.addWidget(self.summary)
        texts.addStretch(1)
        self._row = row = QHBoxLayout(self)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(texts, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._pressed_at = event.globalPosition().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        start, self._pressed_at = self._pressed_at, None
        moved = (event.globalPosition().toPoint() - start).manhattanLength() if start else 0
        if (
            start is not None
            and moved <= self._TAP_SLOP_PX
            and self.rect().contains(event.position().toPoint())
        ):
            self.tapped.emit(self.service)
        super().mouseReleaseEvent(event)

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
        self._base_height = metrics.px(170)
        self._fit_height()

    def remeasure(self) -> None:
        """Forget the measured size: the text or its font changed since the layout last looked."""
        self._row.invalidate()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow to fit wrapped title and summary: a grid in a scroll area does not do it by itself."""
        margins = self._row.contentsMargins()
        text_width = self.width() - margins.left() - margins.right() - self.icon.width() - self._row.spacing()
        if text_width <= 0:
            self.setMinimumHeight(self._base_height)
            return
        spacing = self._texts.spacing()
        needed = (
            margins.top()
            + margins.bottom()
            + self.tag.sizeHint().height()
            + self.title.heightForWidth(text_width)
            + self.summary.heightForWidth(text_width)
            + 2 * spacing
        )
        height = max(self._base_height, needed)
        if height != self.minimumHeight():
            self.setMinimumHeight(height)


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
        self.card_area.viewport().installEventFilter(self)
        self._columns = 0
        self.container = QWidget()
        self.grid = QGridLayout(self.container)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.card_area.setWidget(self.container)
        self.page = ServicePage(languages, resolve, self)
        self.page.back_requested.connect(self.show_list)
        self.pages = PageStack(self)
        self.pages.addWidget(self.card_area)
        self.pages.addWidget(self.page)
        self.body.addWidget(self.pages, 1)
        self.retranslate()

    def open_service(self, service: Service) -> None:
        """Show one service's page with its QR code."""
        self.page.show_service(service)
        self.pages.setCurrentWidget(self.page)
        self.title.hide()  # the page has its own title, and the nav bar still says where we are
        self.subtitle.hide()

    def show_list(self) -> None:
        self.pages.setCurrentWidget(self.card_area)
        self.title.show()
        self.subtitle.show()

    def showing_page(self) -> bool:
        return self.pages.currentWidget() is self.page

    def nav_label(self) -> str:
        return self.tr("Green services")

    def show_services(self, services: tuple[Service, ...]) -> None:
        """Replace the cards with these services (the ones visible now, in content order)."""
        self.show_list()
        for card in self.cards:
            self.grid.removeWidget(card)
            card.deleteLater()
        self.cards = []
        for service in services:
            path = self._resolve(service.icon)
            card = ServiceCard(service, QIcon(str(path)) if path else QIcon(), self.container)
            card.tapped.connect(self.open_service)
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
        if self.cards and self._fitting_columns() != self._columns:
            self._arrange()  # a longer word in this language may need a column less

    def apply_layout(self, metrics: Metrics, portrait: bool) -> None:
        super().apply_layout(metrics, portrait)
        for card in self.cards:
            card.apply_metrics(metrics)
        self.page.apply_layout(metrics, portrait)
        self._arrange()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.card_area.viewport()
            and event.type() == QEvent.Type.Resize
            and self._fitting_columns() != self._columns
        ):
            self._arrange()
        return False

    def _fitting_columns(self) -> int:
        """Three columns (two in portrait), fewer when a card's longest word would not fit its column."""
        preferred = 2 if self.portrait else 3
        width = self.card_area.viewport().width()
        if not self.cards or width <= 0:
            return preferred
        spacing = self.metrics.px(24)
        for card in self.cards:
            card.remeasure()
        least = [card.minimumSizeHint().width() for card in self.cards]
        for columns in range(preferred, 1, -1):
            needed = sum(max(least[column::columns], default=0) for column in range(columns))
            if needed + (columns - 1) * spacing <= width:
                return columns
        return 1

    def _arrange(self) -> None:
        spacing = self.metrics.px(24)
        self.grid.setSpacing(spacing)
        for card in self.cards:
            card.apply_metrics(self.metrics)
        self._columns = columns = self._fitting_columns()
        for card in self.cards:
            self.grid.removeWidget(card)
        for index, card in enumerate(self.cards):
            self.grid.addWidget(card, index // columns, index % columns)
        for column in range(3):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)
        self.grid.setRowStretch(len(self.cards), 1)
