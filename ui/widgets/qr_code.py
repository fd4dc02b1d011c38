"""A QR code drawn by Qt from qrcode's matrix: crisp at any size, with its quiet zone."""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit

import qrcode
import qrcode.constants
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks


def ascii_url(url: str) -> str:
    """The URL with non-ASCII letters percent-encoded (and an IDNA host), as every phone scanner reads it.

    QR byte mode carries no charset, so scanners guess one for non-ASCII bytes and often guess wrong.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        host = quote(host, safe="")
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            quote(parts.path, safe="/%:@!$&'()*+,;=-._~"),
            quote(parts.query, safe="/?%:@!$&'()*+,;=-._~"),
            quote(parts.fragment, safe="/?%:@!$&'()*+,;=-._~"),
        )
    )


def qr_matrix(text: str) -> list[list[bool]]:
    """The code's modules including the quiet zone (True = dark); URLs are made ASCII first."""
    if text.startswith(("http://", "https://")):
        text = ascii_url(text)
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(text)
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()
    return matrix


def paint_matrix(painter: QPainter, matrix: list[list[bool]], area: QRect) -> None:
    """Paint whole-pixel modules centred in ``area`` (no blurry half pixels)."""
    count = len(matrix)
    module = max(1, min(area.width(), area.height()) // count)
    side = module * count
    left = area.x() + (area.width() - side) // 2
    top = area.y() + (area.height() - side) // 2
    painter.fillRect(left, top, side, side, QColor("white"))
    dark = QColor("black")
    for row_index, row in enumerate(matrix):
        for column_index, is_dark in enumerate(row):
            if is_dark:
                painter.fillRect(left + column_index * module, top + row_index * module, module, module, dark)


def qr_image(text: str, size: int) -> QImage:
    """The code as an image of (at most) ``size`` pixels square."""
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    paint_matrix(painter, qr_matrix(text), image.rect())
    painter.end()
    return image


class QrCodeView(QWidget):
    """Shows one URL as a QR code, square, as large as the widget allows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._matrix: list[list[bool]] = []
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)

    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self._matrix = qr_matrix(text) if text else []
            self.update()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return min(width, self.maximumHeight())  # square, but no taller than allowed

    def sizeHint(self) -> QSize:
        return QSize(320, 320)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._matrix:
            return
        painter = QPainter(self)
        paint_matrix(painter, self._matrix, self.rect())
        painter.end()
