"""Layout at every supported window size: nothing a visitor or staff member needs is cut off or crushed.

These assert what was seen wrong in the rendered screenshots: a service page's text cut off in portrait
under an oversized QR code, the energy charts squeezed to nothing in large-text mode, and the admin
screen's buttons forcing a portrait window wider than the screen.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from ui.app import KioskApp
from ui.theme import MIN_TOUCH_PX

SIZES = [(1920, 1080), (1080, 1920), (1366, 768)]
LARGE = [False, True]


def lay_out(kiosk: KioskApp, size: tuple[int, int], *, large: bool, language: str = "ru") -> None:
    window = kiosk.window
    window.set_accessible(large)
    kiosk.languages.set_language(language)
    window.resize(*size)
    QApplication.processEvents()
    window.resize(*size)
    QApplication.processEvents()


def visible_buttons(page: QWidget) -> list[QPushButton]:
    return [b for b in page.findChildren(QPushButton) if b.isVisibleTo(page)]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("large", LARGE)
def test_service_page_text_is_never_cut_off(kiosk: KioskApp, size: tuple[int, int], large: bool) -> None:
    window = kiosk.window
    window.show_section("services")
    window.services_section.open_service(kiosk.content.content.services[0])
    lay_out(kiosk, size, large=large)
    page = window.services_section.page
    text = page.text
    needed = text.y() + text.heightForWidth(text.width())
    shown = page.text_area.viewport().height()
    assert needed <= shown, f"{needed - shown} px of the service text hidden at {size}, large={large}"
    qr = page.qr
    assert qr.width() >= qr.minimumWidth() and qr.height() >= qr.minimumHeight()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("large", LARGE)
def test_energy_charts_keep_room_to_draw(kiosk: KioskApp, size: tuple[int, int], large: bool) -> None:
    lay_out(kiosk, size, large=large)
    energy = kiosk.window.energy_section
    for chart in (energy.curve, energy.bars):
        # a line of labels above and below the plot, and two value labels at least a line apart
        needed = QFontMetricsF(chart.font()).height() * 4.5
        assert chart.height() >= needed, f"{type(chart).__name__} {chart.height()} px < {needed} at {size}"
    for tile in (energy.power, energy.today, energy.total, energy.co2_today, energy.co2_total):
        caption, value = tile.caption, tile.value
        assert caption.height() >= caption.heightForWidth(caption.width()), f"caption cut at {size}"
        assert value.height() >= value.sizeHint().height(), f"figure cut at {size}, large={large}"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("overlay", ["pin_pad", "screen"])
def test_admin_pages_fit_the_screen_with_whole_buttons(
    kiosk: KioskApp, size: tuple[int, int], overlay: str
) -> None:
    page = getattr(kiosk.admin, overlay)
    kiosk.admin.screen.refresh()
    kiosk.window.show_overlay(page)
    lay_out(kiosk, size, large=False, language="az")
    assert (kiosk.window.width(), kiosk.window.height()) == size  # not pushed wider than the screen
    for button in visible_buttons(page):
        name = button.text()
        assert button.width() >= button.sizeHint().width(), f"{name!r} cut off at {size}"
        assert min(button.width(), button.height()) >= MIN_TOUCH_PX, f"{name!r} too small at {size}"
        assert page.rect().contains(QRect(button.mapTo(page, QPoint(0, 0)), button.size())), name


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("large", LARGE)
def test_every_visitor_button_is_a_touch_target(kiosk: KioskApp, size: tuple[int, int], large: bool) -> None:
    window = kiosk.window
    lay_out(kiosk, size, large=large)
    for key in ("energy", "video", "services"):
        window.show_section(key)
        QApplication.processEvents()
        for button in visible_buttons(window):
            assert min(button.width(), button.height()) >= MIN_TOUCH_PX, f"{button.text()!r} at {size}"
