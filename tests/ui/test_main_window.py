from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot

from kiosk.energy.service import LIVE, SLEEPING
from ui.app import KioskApp


def tap(qtbot: QtBot, button: QAbstractButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_starts_on_energy_in_azerbaijani(kiosk: KioskApp) -> None:
    window = kiosk.window
    assert window.current_section() == "energy"
    assert kiosk.languages.current == "az"
    assert window.nav.buttons["energy"].text() == "Enerji"
    assert window.nav.buttons["energy"].isChecked()


@pytest.mark.parametrize("key", ["video", "services", "energy"])
def test_tapping_the_nav_bar_reaches_each_section(kiosk: KioskApp, qtbot: QtBot, key: str) -> None:
    window = kiosk.window
    window.show_section("services" if key == "energy" else "energy")
    tap(qtbot, window.nav.buttons[key])
    assert window.current_section() == key
    assert window.stack.currentWidget() is window.sections[key]
    assert window.nav.buttons[key].isChecked()


def test_language_switch_changes_visible_texts(kiosk: KioskApp, qtbot: QtBot) -> None:
    window = kiosk.window
    first_service = kiosk.content.content.services[0]
    tap(qtbot, window.language_switch.buttons["ru"])
    assert kiosk.languages.current == "ru"
    assert window.nav.buttons["energy"].text() == "Энергия"
    assert window.nav.buttons["services"].text() == "Зелёные услуги"
    assert window.energy_section.power.caption.text() == "Мощность сейчас"
    assert window.services_section.cards[0].title.text() == first_service.title.get("ru")
    assert window.language_switch.buttons["ru"].isChecked()
    tap(qtbot, window.language_switch.buttons["en"])
    assert window.nav.buttons["video"].text() == "Campaign video"
    assert window.services_section.cards[0].title.text() == first_service.title.get("en")
    tap(qtbot, window.language_switch.buttons["az"])
    assert window.nav.buttons["services"].text() == "Yaşıl xidmətlər"
    assert window.services_section.cards[0].title.text() == first_service.title.get("az")


def test_energy_figures_arrive_from_the_simulator(kiosk: KioskApp, qtbot: QtBot) -> None:
    with qtbot.waitSignal(kiosk.energy.updated, timeout=10_000) as blocker:
        kiosk.energy.poll()
    snapshot = blocker.args[0]
    # The simulated plant follows the real clock: live by day, asleep (0 W, still live) at night.
    assert snapshot.state == LIVE or (snapshot.state == SLEEPING and snapshot.power_w == 0.0)
    section = kiosk.window.energy_section
    qtbot.waitUntil(lambda: section.total.value.text() != "–")
    assert section.total.unit.text() == "MVt·saat"
    assert "," in section.total.value.text()  # decimal comma in Azerbaijani


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1366, 768)])
def test_touch_targets_are_at_least_60_px(kiosk: KioskApp, qtbot: QtBot, size: tuple[int, int]) -> None:
    window = kiosk.window
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size().toTuple() == size)
    buttons = [*window.nav.buttons.values(), *window.language_switch.buttons.values()]
    for button in buttons:
        assert button.height() >= 60 and button.width() >= 60, button.text()
        assert button.isVisible()


def test_services_list_every_demo_service(kiosk: KioskApp) -> None:
    cards = kiosk.window.services_section.cards
    assert [c.service.id for c in cards] == [s.id for s in kiosk.content.content.services]
    assert len(cards) >= 6


def test_window_refuses_to_close_while_locked(kiosk: KioskApp) -> None:
    window = kiosk.window
    window.locked = True
    assert window.close() is False
    assert window.isVisible()
    window.locked = False
    assert window.close() is True
