"""QR codes decode back to the exact URL, at small and large sizes, with a quiet zone."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from ui.widgets.qr_code import QUIET_ZONE, QrCodeView, qr_image, qr_matrix

pytestmark = pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbarimg (zbar-tools) not installed")


def decode(path: Path) -> str:
    result = subprocess.run(
        ["zbarimg", "--raw", "-q", str(path)], capture_output=True, text=True, timeout=30, check=True
    )
    return result.stdout.strip()


@pytest.mark.parametrize("size", [180, 640])
@pytest.mark.parametrize(
    "url", ["https://www.e-gov.az", "https://my.gov.az/services/elektron-xidmət?lang=az&ref=kiosk-baku-1"]
)
def test_rendered_qr_decodes_to_the_url(tmp_path: Path, url: str, size: int) -> None:
    path = tmp_path / "qr.png"
    assert qr_image(url, size).save(str(path))
    decoded = decode(path)
    assert decoded.isascii()  # scanners guess the charset of non-ASCII bytes, often wrongly
    assert unquote(decoded) == url


def test_quiet_zone_is_white() -> None:
    matrix = qr_matrix("https://asan.gov.az")
    count = len(matrix)
    for i in range(QUIET_ZONE):
        assert not any(matrix[i]) and not any(matrix[count - 1 - i])
        assert not any(row[i] or row[count - 1 - i] for row in matrix)


def test_widget_paints_a_decodable_code(qtbot: QtBot, tmp_path: Path) -> None:
    view = QrCodeView()
    qtbot.addWidget(view)
    view.resize(500, 500)
    view.set_text("https://area.gov.az")
    view.show()
    qtbot.waitExposed(view)
    image = view.grab().toImage()
    assert image.pixelColor(5, 5) == QColor("white")
    path = tmp_path / "widget.png"
    image.save(str(path))
    assert decode(path) == "https://area.gov.az"
