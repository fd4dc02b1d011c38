"""Announcements by level on the real kiosk: info and warning are bands the kiosk stays usable under,
an emergency takes the whole screen, and a band's text is plain characters that always fit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt, QThreadPool
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kiosk.config import DisplaySettings, Settings
from kiosk.core import KioskCore, open_core
from kiosk.store.models import ContentRelease
from tests.conftest import FakeClock
from ui.app import KioskApp, create_application
from ui.widgets.announcement_band import AnnouncementBand

HOSTILE = '<b>Bold?</b> <img src="file:///etc/passwd"> <a href="https://evil.example">click</a> &amp;'
LONG = {
    "az": "Təkrar emal həftəsi: 1-7 dekabr tarixlərində köhnə batareyaları və plastik şüşələri girişdəki "
    "yaşıl qutulara atın. Hər bir batareya torpağı və suyu qoruyur; birlikdə mərkəzimizi daha yaşıl "
    "edək! Ətraflı: https://asan.gov.az/tekrar-emal-heftesi-2026-batareyalar-ve-plastik-sushe-qutulari",
    "en": "Recycling week: drop old batteries and plastic bottles into the green boxes at the entrance.",
    "ru": "Неделя переработки: с 1 по 7 декабря бросайте старые батарейки и пластиковые бутылки в "
    "зелёные контейнеры у входа. Каждая батарейка, не попавшая в мусор, бережёт почву и воду; "
    "сделаем наш центр зеленее вместе!",
}


@pytest.fixture
def kiosk(qtbot: QtBot, data_dir: Path, clock: FakeClock) -> Iterator[KioskApp]:
    """The real kiosk at 1920x1080, open (noon in Baku); never idle unless a test asks (idle resets the
    language)."""
    clock.now = clock.now.replace(hour=8)
    core = open_core(Settings(display=DisplaySettings(idle_seconds=5)), data_dir)
    create_application([])
    app = KioskApp(core, clock=clock)
    qtbot.addWidget(app.window)
    app.window.resize(1920, 1080)
    app.window.show()
    qtbot.waitExposed(app.window)
    qtbot.waitUntil(lambda: app.content.loaded)  # the first release is read in the thread pool
    app.idle.set_idle_seconds(3600)
    app.start(locked=True)
    yield app
    app.stop()
    core.close()


def announce(kiosk: KioskApp, clock: FakeClock, *items: tuple[str, str, dict[str, str]]) -> None:
    """Put (id, level, texts) announcements running for an hour into the active release, as a sync would."""
    core: KioskCore = kiosk.core
    starts, ends = clock.now - timedelta(minutes=1), clock.now + timedelta(hours=1)
    with core.store.session() as session:
        row = session.scalars(select(ContentRelease).where(ContentRelease.active)).one()
        doc = json.loads(row.document)
        doc["announcements"] = [
            {"id": key, "level": level, "starts": starts.isoformat(), "ends": ends.isoformat(), "text": text}
            for key, level, text in items
        ]
        row.document = json.dumps(doc)
    kiosk.content.reload()
    assert QThreadPool.globalInstance().waitForDone(5000)  # the release is read in the thread pool
    QApplication.processEvents()  # delivers it to the window (a queued signal), which posts its layout
    QApplication.processEvents()  # the layout of the new band, as one call did when the read was inline


def texts(words: str) -> dict[str, str]:
    return {"az": words, "en": words, "ru": words}


def on_window(widget: QWidget) -> QRect:
    return QRect(widget.mapTo(widget.window(), QPoint(0, 0)), widget.size())


def lay_out(kiosk: KioskApp, size: tuple[int, int], *, large: bool) -> None:
    kiosk.window.set_accessible(large)
    for _ in range(2):
        kiosk.window.resize(*size)
        QApplication.processEvents()


def test_an_info_band_leaves_the_sections_visible_and_usable(
    kiosk: KioskApp, qtbot: QtBot, clock: FakeClock
) -> None:
    window = kiosk.window
    announce(kiosk, clock, ("recycling", "info", texts("Recycling week at the entrance")))
    band = window.band
    assert window.overlays.currentWidget() is window.visitor_view
    assert band.isVisible() and band.text.text() == "Recycling week at the entrance"
    assert window.energy_section.isVisible()
    assert not on_window(band).intersects(on_window(window.nav)), "the band covers the nav buttons"
    assert not on_window(band).intersects(on_window(window.stack)), "the band covers the section"
    qtbot.mouseClick(window.nav.buttons["services"], Qt.MouseButton.LeftButton)
    assert window.current_section() == "services" and window.services_section.isVisible()
    assert band.isVisible()


def test_a_warning_band_is_larger_and_takes_turns_with_the_info_after_it(
    kiosk: KioskApp, clock: FakeClock
) -> None:
    window = kiosk.window
    band = window.band
    announce(kiosk, clock, ("info", "info", texts("Recycling week")))
    info_height, info_font = band.height(), band.text.font().pixelSize()
    assert "Elan" in band.heading.text()
    announce(
        kiosk, clock, ("info", "info", texts("Recycling week")), ("lift", "warning", texts("Lift broken"))
    )
    assert band.isVisible() and band.level == "warning"
    assert band.height() > info_height and band.text.font().pixelSize() > info_font
    assert (band.heading.text(), band.text.text()) == ("⚠  Xəbərdarlıq", "Lift broken")  # warnings first
    assert band.timer.isActive()
    band.next_page()
    assert (band.heading.text(), band.text.text()) == ("ℹ  Elan", "Recycling week")
    band.next_page()
    assert band.text.text() == "Lift broken"
    assert window.overlays.currentWidget() is window.visitor_view


def test_an_emergency_takes_the_whole_screen_and_the_bands_return_after_it(
    kiosk: KioskApp, clock: FakeClock
) -> None:
    window = kiosk.window
    announce(
        kiosk,
        clock,
        ("info", "info", texts("Recycling week")),
        ("flood", "emergency", texts("Leave the building by the east door")),
    )
    assert window.overlays.currentWidget() is window.announcement_view
    assert not window.visitor_view.isVisible() and not window.nav.isVisible()
    assert window.announcement_view.text.text() == "Leave the building by the east door"
    assert window.announcement_view.geometry() == window.overlays.rect()
    announce(kiosk, clock, ("info", "info", texts("Recycling week")))
    assert window.overlays.currentWidget() is window.visitor_view
    assert window.band.isVisible() and window.band.text.text() == "Recycling week"


def test_markup_in_an_announcement_is_shown_as_characters(kiosk: KioskApp, clock: FakeClock) -> None:
    window = kiosk.window
    announce(kiosk, clock, ("x", "warning", texts(HOSTILE)))
    label = window.band.text
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert " ".join(text.replace("\n", " ") for _level, text in window.band.pages) == HOSTILE
    announce(kiosk, clock, ("x", "emergency", texts(HOSTILE)))
    view = window.announcement_view
    assert view.text.textFormat() == Qt.TextFormat.PlainText and view.text.text() == HOSTILE


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("large", [False, True])
def test_band_text_fits_every_page_and_loses_no_word(
    kiosk: KioskApp, clock: FakeClock, size: tuple[int, int], large: bool
) -> None:
    window = kiosk.window
    for level in ("info", "warning"):
        announce(kiosk, clock, ("long", level, LONG))
        for language in ("az", "ru"):
            kiosk.languages.set_language(language)
            lay_out(kiosk, size, large=large)
            band = window.band
            assert band.width() <= window.width() and band.height() >= band.sizeHint().height()
            assert band.heading.width() >= band.heading.sizeHint().width(), "the level is cut off"
            assert len(band.pages) > 1 and band.timer.isActive(), "the long text needs more than one page"
            label = band.text
            fits = QFontMetricsF(label.font())
            shown: list[str] = []
            for _ in band.pages:
                assert label.heightForWidth(label.width()) <= label.height(), f"{language} {size} clipped"
                for line in label.text().split("\n"):
                    assert fits.horizontalAdvance(line) <= label.contentsRect().width()
                shown.append(label.text().replace("\n", " "))
                band.next_page()
            assert "".join(shown).replace(" ", "") == LONG[language].replace(" ", "")
            assert label.text() == band.pages[0][1], "the pages cycle back to the first"


def test_the_attract_loop_keeps_running_under_a_band(kiosk: KioskApp, qtbot: QtBot, clock: FakeClock) -> None:
    announce(kiosk, clock, ("lift", "warning", texts("Lift broken")))
    kiosk.idle.set_idle_seconds(1)
    with qtbot.waitSignal(kiosk.idle.idle, timeout=5000):
        pass
    assert kiosk.attract.running
    assert kiosk.window.overlays.currentWidget() is kiosk.window.visitor_view
    assert kiosk.window.band.isVisible()


def test_a_band_is_hidden_without_announcements(qtbot: QtBot) -> None:
    band = AnnouncementBand()
    qtbot.addWidget(band)
    band.show_announcements([], "az")
    assert band.isHidden() and band.pages == []


@pytest.mark.parametrize(
    ("size", "large"),
    [
        ((1920, 1080), False),
        ((1080, 1920), False),
        ((1080, 1920), True),
        ((1920, 1080), True),
    ],
)
def test_the_energy_section_keeps_its_room_under_a_warning_band(
    kiosk: KioskApp, clock: FakeClock, size: tuple[int, int], large: bool
) -> None:
    announce(kiosk, clock, ("long", "warning", LONG))
    kiosk.languages.set_language("ru")
    lay_out(kiosk, size, large=large)
    energy = kiosk.window.energy_section
    assert kiosk.window.band.isVisible() and energy.isVisible()
    for chart in (energy.curve, energy.bars):
        needed = QFontMetricsF(chart.font()).height() * 4.5  # as tests/ui/test_layout_fit.py asks
        assert chart.height() >= needed, f"{type(chart).__name__} {chart.height()} px < {needed} at {size}"
    for tile in (energy.power, energy.today, energy.total, energy.co2_today, energy.co2_total):
        caption, value = tile.caption, tile.value
        assert caption.height() >= caption.heightForWidth(caption.width()), f"caption cut at {size}"
        assert value.height() >= value.sizeHint().height(), f"figure cut at {size}, large={large}"
