"""Layout at every supported window size: nothing a visitor or staff member needs is cut off or crushed.

These assert what was seen wrong in the rendered screenshots: a service page's text cut off in portrait
under an oversized QR code, the energy charts squeezed to nothing in large-text mode, and the admin
screen's buttons forcing a portrait window wider than the screen.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QFontMetricsF, QPalette
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from kiosk.content.model import Announcement, LocalizedText
from ui.app import KioskApp
from ui.theme import HIGH_CONTRAST_COLOURS, MIN_TOUCH_PX, NORMAL_COLOURS

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
    kiosk: KioskApp, qtbot: QtBot, size: tuple[int, int], overlay: str
) -> None:
    page = getattr(kiosk.admin, overlay)
    with qtbot.waitSignal(kiosk.admin.screen.status_shown):  # read in the thread pool
        kiosk.admin.refresh()
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


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("large", LARGE)
@pytest.mark.parametrize("language", ["az", "en", "ru"])
def test_service_cards_never_run_off_the_side(
    kiosk: KioskApp, size: tuple[int, int], large: bool, language: str
) -> None:
    """Seen in services_ru_1080x1920_large: one long word made two columns wider than the screen."""
    window = kiosk.window
    window.show_section("services")
    lay_out(kiosk, size, large=large, language=language)
    services = window.services_section
    shown = services.card_area.viewport().width()
    assert services.container.width() <= shown, f"cards {services.container.width() - shown} px too wide"
    for card in services.cards:
        for label in (card.title, card.summary):
            assert label.width() >= label.minimumSizeHint().width(), f"{label.text()!r} cut at {size}"
    if language != "ru":  # only Russian has words too long for two columns of large text in portrait
        columns = {card.x() for card in services.cards}
        assert len(columns) == (2 if size[0] < size[1] else 3), f"a column dropped that fitted at {size}"


@pytest.mark.parametrize("large", LARGE)
def test_announcement_heading_colour_follows_its_level(kiosk: KioskApp, large: bool) -> None:
    """Seen in the screenshots: an emergency shown after an announcement kept the announcement's colour."""
    colours = HIGH_CONTRAST_COLOURS if large else NORMAL_COLOURS
    window = kiosk.window
    window.set_accessible(large)
    view = window.announcement_view
    now = datetime.now(UTC)
    text = LocalizedText({"az": "Mətn", "en": "Text", "ru": "Текст"})
    window.show_overlay(view)
    for level, colour in [("info", "accent_text"), ("emergency", "emergency"), ("info", "accent_text")]:
        view.show_announcement(Announcement(level, level, text, now, now + timedelta(hours=1)), "az")
        QApplication.processEvents()
        shown = view.level.palette().color(QPalette.ColorRole.WindowText)
        assert shown == QColor(colours[colour]), f"{level}: {shown.name()} instead of {colours[colour]}"


def ink_runs(button: QPushButton) -> list[tuple[int, int]]:
    """Column ranges of a button's middle band that hold anything other than its background colour."""
    image = button.grab().toImage()
    middle = image.height() // 2
    rows = range(middle - image.height() // 5, middle + image.height() // 5)
    background = image.pixelColor(2, middle)
    inked = [any(image.pixelColor(x, y) != background for y in rows) for x in range(image.width())]
    runs: list[tuple[int, int]] = []
    for x, ink in enumerate(inked):
        if ink and runs and runs[-1][1] == x - 1:
            runs[-1] = (runs[-1][0], x)
        elif ink:
            runs.append((x, x))
    return runs


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("large", LARGE)
def test_nav_icons_keep_clear_of_their_labels(kiosk: KioskApp, size: tuple[int, int], large: bool) -> None:
    """Seen in every screenshot: the video icon all but touched the words "Campaign video"."""
    lay_out(kiosk, size, large=large, language="en")
    for key, button in kiosk.window.nav.buttons.items():
        runs = ink_runs(button)
        assert len(runs) >= 2, f"{key}: icon and label not found"
        gap = runs[1][0] - runs[0][1] - 1  # the icon is the first run of ink, the label's first letter next
        wanted = 2 * button.fontMetrics().horizontalAdvance(" ")  # at least two spaces' width
        assert gap >= wanted, f"{key}: only {gap} px between icon and label, {wanted} wanted"
