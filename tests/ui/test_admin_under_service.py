"""The admin screen under the package's service: buttons that mean what they say, start-up problems shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTimer
from pytestqt.qtbot import QtBot

from kiosk.core import KioskCore, open_core
from kiosk.startup import load_startup_settings
from ui.app import RESTART_EXIT_CODE, KioskApp, create_application


@pytest.fixture
def service_kiosk(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KioskApp]:
    """The kiosk as systemd runs it (INVOCATION_ID set), over a config with a mistake, in safe mode."""
    monkeypatch.setenv("INVOCATION_ID", "0123456789abcdef0123456789abcdef")
    config = tmp_path / "kiosk.toml"
    config.write_text("[display]\nidle_seconds = 2\n", encoding="utf-8")
    startup = load_startup_settings(config, tmp_path / "data")
    core: KioskCore = open_core(
        startup.settings, tmp_path / "data", safe_mode=True, problems=list(startup.problems)
    )
    create_application([])
    app = KioskApp(core)
    qtbot.addWidget(app.window)
    app.window.resize(1080, 1920)
    app.window.show()
    qtbot.waitExposed(app.window)
    qtbot.waitUntil(lambda: app.content.loaded)  # the first release is read in the thread pool
    yield app
    app.stop()
    core.close()


def test_no_exit_to_desktop_under_the_service_and_problems_on_the_admin_screen(
    service_kiosk: KioskApp, qtbot: QtBot
) -> None:
    service_kiosk.languages.set_language("en")
    screen = service_kiosk.admin.screen
    with qtbot.waitSignal(screen.status_shown):  # read in the thread pool
        service_kiosk.admin.refresh()
    service_kiosk.window.show_overlay(screen)
    qtbot.waitUntil(lambda: screen.buttons["close"].isVisible())
    assert not screen.buttons["exit"].isVisible()
    assert screen.buttons["restart"].isVisible()
    startup = screen.rows["startup"][1].text()
    assert "SAFE MODE" in startup
    assert "line 2: [display] idle_seconds: expected at least 5" in startup


def test_restart_under_the_service_exits_for_systemd_instead_of_starting_a_second_kiosk(
    service_kiosk: KioskApp,
) -> None:
    app = QCoreApplication.instance()
    assert app is not None
    QTimer.singleShot(0, service_kiosk.admin.screen.buttons["restart"].click)
    give_up = QTimer()  # a kiosk that ignores the button fails the test instead of hanging it
    give_up.setSingleShot(True)
    give_up.timeout.connect(lambda: app.exit(-1))
    give_up.start(20_000)
    try:
        assert app.exec() == RESTART_EXIT_CODE
    finally:
        give_up.stop()
