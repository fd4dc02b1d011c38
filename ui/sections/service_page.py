"""One green service's page: its longer text and pictures, and a large QR code to continue on a phone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.model import Service
from ui.i18n import LanguageController
from ui.theme import Metrics
from ui.widgets.qr_code import QrCodeView

QWIDGETSIZE_MAX = 16_777_215
QR_PORTRAIT_PX = 420  # about 12 cm on a 1080p portrait screen: scans from arm's length, leaves the text room


class ServicePage(QWidget):
    """Text on one side, the QR code and its URL on the other (stacked in portrait)."""

    back_requested = Signal()

    def __init__(
        self,
        languages: LanguageController,
        resolve: Callable[[str | None], Path | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ServicePage")
        self.languages = languages
        self._resolve = resolve
        self.service: Service | None = None
        self.back = QPushButton(self)
        self.back.setObjectName("BackButton")
        self.back.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back.clicked.connect(self.back_requested)
        self.title = QLabel(self)
        self.title.setObjectName("PageTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # content text: markup shows as characters
        self.title.setWordWrap(True)
        self.text = QLabel()
        self.text.setObjectName("PageText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.hide()
        text_box = QWidget()
        text_box.setObjectName("PageTextBox")
        text_layout = QVBoxLayout(text_box)
        text_layout.setContentsMargins(0, 0, 0, 0)
        text_layout.addWidget(self.picture)
        text_layout.addWidget(self.text)
        text_layout.addStretch(1)
        self.text_area = QScrollArea(self)
        self.text_area.setWidget(text_box)
        self.text_area.setWidgetResizable(True)
        self.text_area.setFrameShape(QFrame.Shape.NoFrame)
        self.text_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.text_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(self.text_area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)

        self.qr_panel = QFrame(self)
        self.qr_panel.setObjectName("QrPanel")
        self.qr_hint = QLabel(self.qr_panel)
        self.qr_hint.setObjectName("QrHint")
        self.qr_hint.setWordWrap(True)
        self.qr_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr = QrCodeView(self.qr_panel)
        self.url = QLabel(self.qr_panel)
        self.url.setObjectName("QrUrl")
        self.url.setTextFormat(Qt.TextFormat.PlainText)
        self.url.setWordWrap(True)
        self.url.setAlignment(Qt.AlignmentFlag.AlignCenter)
        qr_layout = QVBoxLayout(self.qr_panel)
        qr_layout.addWidget(self.qr_hint)
        qr_layout.addWidget(self.qr, 1)
        qr_layout.addWidget(self.url)
        self._qr_layout = qr_layout

        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.columns.addWidget(self.text_area, 5)
        self.columns.addWidget(self.qr_panel, 3)
        top = QHBoxLayout()
        top.addWidget(self.back, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.title, 1)
        self._top = top
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(self.columns, 1)
        self._layout = layout
        self.retranslate()

    def show_service(self, service: Service) -> None:
        self.service = service
        self.qr.set_text(service.url)
        self.url.setText(service.url.removeprefix("https://").removeprefix("http://").rstrip("/"))
        image = self._resolve(service.image)
        pixmap = QPixmap(str(image)) if image else QPixmap()
        if pixmap.isNull():
            self.picture.hide()
        else:
            self.picture.setPixmap(pixmap.scaledToWidth(min(pixmap.width(), 900)))
            self.picture.show()
        self.text_area.verticalScrollBar().setValue(0)
        self.retranslate()

    def retranslate(self) -> None:
        self.back.setText("‹  " + self.tr("Back"))
        self.qr_hint.setText(self.tr("Scan with your phone's camera to continue online"))
        if self.service is None:
            return
        language = self.languages.current or self.languages.default
        self.title.setText(self.service.title.get(language))
        paragraphs = [p.strip() for p in self.service.body.get(language).split("\n\n") if p.strip()]
        self.text.setText("\n\n".join(paragraphs))

    def apply_layout(self, metrics: Metrics, portrait: bool) -> None:
        self.columns.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
        # portrait: the text takes what the QR panel leaves, so a long text is not cut off under a
        # QR code blown up to the full width of the screen
        self.columns.setStretch(0, 1 if portrait else 5)
        self.columns.setStretch(1, 0 if portrait else 3)
        self.qr_panel.setSizePolicy(
            QSizePolicy.Policy.Preferred,
            QSizePolicy.Policy.Maximum if portrait else QSizePolicy.Policy.Preferred,
        )
        side = metrics.px(QR_PORTRAIT_PX) if portrait else QWIDGETSIZE_MAX
        self.qr.setMaximumSize(side, side)
        self._qr_layout.setAlignment(
            self.qr, Qt.AlignmentFlag.AlignHCenter if portrait else Qt.AlignmentFlag(0)
        )
        self.columns.setSpacing(metrics.px(40))
        self._layout.setSpacing(metrics.px(16))
        self._top.setSpacing(metrics.px(24))
        pad = metrics.px(24)
        self._qr_layout.setContentsMargins(pad, pad, pad, pad)
        self.qr.setMinimumSize(metrics.px(220), metrics.px(220))
        self.qr_panel.setMinimumWidth(metrics.px(440))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
