"""Idle and attract loop, first-touch swallowing, kiosk lock, admin PIN, announcements, display hours."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kiosk.admin_pin import hash_pin
from kiosk.config import AdminSettings, DisplaySettings, Settings
from kiosk.core import KioskCore, open_core
from kiosk.store.models import ContentRelease
from tests.conftest import FakeClock
from ui.app import KioskApp, create_application


def make_kiosk(qtbot: QtBot, core: KioskCore, clock: FakeClock) -> KioskApp:
    create_application([])
    app = KioskApp(core, clock=clock)
    qtbot.addWidget(app.window)
    app.window.resize(1920, 1080)
    app.window.show()
    qtbot.waitExposed(app.window)
    qtbot.waitUntil(lambda: app.content.loaded)  # the first release is read in the thread pool
    return app


@pytest.fixture
def settings() -> Settings:
    return Settings(
        display=DisplaySettings(idle_seconds=5, open_hours="08:00-20:00"),
        admin=AdminSettings(pin_hash=hash_pin("2468", iterations=1000)),
    )


@pytest.fixture
def kiosk(qtbot: QtBot, data_dir: Path, settings: Settings, clock: FakeClock) -> Iterator[KioskApp]:
    clock.now = clock.now.replace(hour=8)  # 12:00 in Baku: open
    core = open_core(settings, data_dir)
    app = make_kiosk(qtbot, core, clock)
    app.idle.set_idle_seconds(1)
    app.start(locked=True)
    yield app
    app.stop()
    core.close()


def go_idle(kiosk: KioskApp, qtbot: QtBot) -> None:
    with qtbot.waitSignal(kiosk.idle.idle, timeout=5000):
        pass


def test_idle_returns_to_azerbaijani_and_starts_the_attract_loop(kiosk: KioskApp, qtbot: QtBot) -> None:
    window = kiosk.window
    qtbot.mouseClick(window.language_switch.buttons["ru"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.nav.buttons["services"], Qt.MouseButton.LeftButton)
    assert kiosk.languages.current == "ru"
    go_idle(kiosk, qtbot)
    assert kiosk.languages.current == "az"
    assert kiosk.attract.running
    first = kiosk.attract.sequence[0]
    assert window.current_section() == ("services" if first == "featured" else first)


def test_attract_loop_cycles_through_its_steps(kiosk: KioskApp, qtbot: QtBot) -> None:
    kiosk.attract.set_plan(("energy", "featured", "video"), {"energy": 3, "featured": 3, "video": 3})
    kiosk.attract.start()
    window = kiosk.window
    assert window.current_section() == "energy"
    kiosk.attract.advance()
    assert window.current_section() == "services" and window.services_section.showing_page()
    assert window.services_section.page.service in window.featured
    kiosk.attract.advance()
    assert window.current_section() == "video"
    kiosk.attract.advance()
    assert window.current_section() == "energy"


def test_a_new_release_s_attract_loop_applies_to_a_kiosk_already_looping(
    kiosk: KioskApp, qtbot: QtBot
) -> None:
    go_idle(kiosk, qtbot)
    assert kiosk.attract.running and kiosk.window.current_section() == "energy"  # the demo starts there
    with kiosk.core.store.session() as session:  # a sync installs a release with a shorter loop
        row = session.scalars(select(ContentRelease).where(ContentRelease.active)).one()
        doc = json.loads(row.document)
        doc["attract"] = {"sequence": ["video", "featured"], "video_seconds": 3, "featured_seconds": 4}
        row.document = json.dumps(doc)
    with qtbot.waitSignal(kiosk.content.changed):  # read in the thread pool
        kiosk.content.reload()
    assert kiosk.attract.sequence == ("video", "featured")
    assert (kiosk.attract.seconds["video"], kiosk.attract.seconds["featured"]) == (3, 4)
    assert kiosk.window.current_section() == "video"  # started again from the new loop's first step
    assert kiosk.attract._timer.interval() == 3000  # the new step's seconds, not the old 20


def change_active_release(core: KioskCore, change: Callable[[dict[str, Any]], None]) -> None:
    """Change the active release's document, as a sync installing the next release would."""
    with core.store.session() as session:
        row = session.scalars(select(ContentRelease).where(ContentRelease.active)).one()
        doc = json.loads(row.document)
        change(doc)
        row.document = json.dumps(doc)


def test_a_release_that_only_adds_an_announcement_leaves_the_visitor_on_their_page(
    kiosk: KioskApp, qtbot: QtBot, clock: FakeClock
) -> None:
    window, services = kiosk.window, kiosk.window.services_section
    window.show_section("services")
    services.open_service(services.cards[1].service)
    reading = services.page.service
    assert services.showing_page() and reading is not None
    cards = list(services.cards)
    notice = {"az": "Bu gün 17:00-dək", "en": "Until 17:00 today", "ru": "Сегодня до 17:00"}
    start = clock.now - timedelta(minutes=1)

    def announce(doc: dict[str, Any]) -> None:
        doc["announcements"] = [
            {"id": "hours", "level": "info", "text": notice,
             "starts": start.isoformat(), "ends": (start + timedelta(hours=1)).isoformat()}
        ]  # fmt: skip

    change_active_release(kiosk.core, announce)
    with qtbot.waitSignal(kiosk.content.changed):  # read in the thread pool
        kiosk.content.reload()
    assert window.band.isVisible()
    assert services.showing_page() and services.page.service == reading  # still reading
    assert services.cards == cards  # nothing rebuilt

    def retitle(doc: dict[str, Any]) -> None:
        doc["services"][1]["title"] = {"az": "Yeni ad", "en": "New name", "ru": "Новое имя"}

    change_active_release(kiosk.core, retitle)
    with qtbot.waitSignal(kiosk.content.changed):
        kiosk.content.reload()
    assert [c.title.text() for c in services.cards][1] == "Yeni ad"  # a changed card is rebuilt


def test_first_touch_wakes_without_pressing_the_button_under_it(kiosk: KioskApp, qtbot: QtBot) -> None:
    window = kiosk.window
    go_idle(kiosk, qtbot)
    window.show_section("energy")
    target = window.nav.buttons["services"]
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)
    assert not kiosk.attract.running and not kiosk.idle.asleep
    assert window.current_section() == "energy"  # the waking touch was swallowed
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)
    assert window.current_section() == "services"  # the next touch works


def test_exit_keys_and_close_requests_are_refused_while_locked(kiosk: KioskApp, qtbot: QtBot) -> None:
    window = kiosk.window
    for key, mods in [
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier),
    ]:
        before = kiosk.lock.refused
        event = QKeyEvent(QEvent.Type.KeyPress, key, mods)
        QApplication.sendEvent(window, event)
        assert kiosk.lock.refused == before + 1, key
    assert window.close() is False and window.isVisible()


def open_pin_pad(kiosk: KioskApp, qtbot: QtBot) -> None:
    kiosk.idle.set_idle_seconds(60)  # the 3 s long press must not count as idleness here
    kiosk.idle.start()
    logo = kiosk.window.logo
    with qtbot.waitSignal(kiosk.window.admin_gesture, timeout=5000):
        qtbot.mousePress(logo, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    qtbot.mouseRelease(logo, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert kiosk.window.overlays.currentWidget() is kiosk.admin.pin_pad


def enter(kiosk: KioskApp, qtbot: QtBot, pin: str) -> None:
    pad = kiosk.admin.pin_pad
    for digit in pin:
        qtbot.mouseClick(pad.keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pad.keys["ok"], Qt.MouseButton.LeftButton)


def test_long_press_and_right_pin_open_the_admin_screen(kiosk: KioskApp, qtbot: QtBot) -> None:
    open_pin_pad(kiosk, qtbot)
    screen = kiosk.admin.screen
    with qtbot.waitSignal(screen.status_shown):  # the status is read in the thread pool
        enter(kiosk, qtbot, "2468")
    assert kiosk.window.overlays.currentWidget() is screen
    assert screen.rows["kiosk"][1].text().startswith("demo-kiosk")
    assert "0" in screen.rows["release"][1].text()
    assert "simulator" in screen.rows["energy"][1].text()
    qtbot.mouseClick(screen.buttons["close"], Qt.MouseButton.LeftButton)
    assert kiosk.window.overlays.currentWidget() is kiosk.window.visitor_view


def test_wrong_pins_lock_the_pad(kiosk: KioskApp, qtbot: QtBot, clock: FakeClock) -> None:
    open_pin_pad(kiosk, qtbot)
    for _ in range(3):
        enter(kiosk, qtbot, "1111")
    pad = kiosk.admin.pin_pad
    assert not pad.keys["5"].isEnabled()
    assert "30" in pad.message.text()
    clock.advance(seconds=31)
    qtbot.waitUntil(lambda: pad.keys["5"].isEnabled(), timeout=3000)
    enter(kiosk, qtbot, "2468")
    assert kiosk.window.overlays.currentWidget() is kiosk.admin.screen


def publish_announcement(core: KioskCore, starts: str, ends: str) -> None:
    """Put an announcement into the active release, as a sync would."""
    with core.store.session() as session:
        row = session.scalars(select(ContentRelease).where(ContentRelease.active)).one()
        doc = json.loads(row.document)
        doc["announcements"] = [
            {
                "id": "water-outage",
                "level": "emergency",
                "starts": starts,
                "ends": ends,
                "text": {
                    "az": "Mərkəz bu gün 15:00-da bağlanır",
                    "en": "The centre closes at 15:00 today",
                    "ru": "Центр сегодня закрывается в 15:00",
                },
            }
        ]
        row.document = json.dumps(doc)


def test_announcement_overrides_every_section_until_it_expires(
    kiosk: KioskApp, qtbot: QtBot, clock: FakeClock
) -> None:
    window = kiosk.window
    start = clock.now - timedelta(minutes=1)
    publish_announcement(kiosk.core, start.isoformat(), (start + timedelta(minutes=31)).isoformat())
    with qtbot.waitSignal(kiosk.content.changed):  # read in the thread pool
        kiosk.content.reload()
    assert window.overlays.currentWidget() is window.announcement_view
    assert "Emergency" not in window.announcement_view.level.text()  # Azerbaijani
    assert window.announcement_view.text.text() == "Mərkəz bu gün 15:00-da bağlanır"
    qtbot.mouseClick(window.language_switch.buttons["en"], Qt.MouseButton.LeftButton)
    assert window.announcement_view.text.text() == "The centre closes at 15:00 today"
    assert "Emergency" in window.announcement_view.level.text()
    clock.advance(minutes=30)
    window.tick()
    assert window.overlays.currentWidget() is window.visitor_view


def test_screen_goes_black_outside_opening_hours_and_wakes_on_touch(
    kiosk: KioskApp, qtbot: QtBot, clock: FakeClock
) -> None:
    window = kiosk.window
    clock.now = clock.now.replace(hour=17)  # 21:00 in Baku: closed
    go_idle(kiosk, qtbot)
    assert window.screen_is_off() and not kiosk.attract.running
    qtbot.mouseClick(window.nav.buttons["video"], Qt.MouseButton.LeftButton)
    assert not window.screen_is_off()
    assert window.current_section() != "video"  # the waking touch did nothing else
    clock.now = clock.now.replace(hour=3)  # 07:00 in Baku, still closed
    go_idle(kiosk, qtbot)
    assert window.screen_is_off()
    clock.now = clock.now.replace(hour=4)  # 08:00 in Baku: opening time
    kiosk.apply_display_hours()
    assert not window.screen_is_off() and kiosk.attract.running


def test_accessibility_mode_enlarges_text_and_resets_when_idle(kiosk: KioskApp, qtbot: QtBot) -> None:
    window = kiosk.window
    caption = window.energy_section.power.caption
    normal = caption.fontInfo().pixelSize()
    qtbot.mouseClick(window.access_button, Qt.MouseButton.LeftButton)
    assert window.high_contrast and window.large_text
    assert caption.fontInfo().pixelSize() > normal
    go_idle(kiosk, qtbot)
    assert not window.access_button.isChecked() and caption.fontInfo().pixelSize() == normal
