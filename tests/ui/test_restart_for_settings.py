"""A release that turns the screen or changes the energy source restarts the kiosk under the service,
at the first moment nobody uses it; one that changes only live settings does not."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTimer
from pytestqt.qtbot import QtBot

from kiosk.config import ContentSettings, KioskSettings, Settings
from kiosk.content.publish import publish
from kiosk.content.signing import generate_keys
from kiosk.core import open_core
from kiosk.remote_settings import SESSION_DISPLAY
from tests.kiosk.content.channel import ChannelServer, simple_source
from ui.app import RESTART_EXIT_CODE, KioskApp, create_application

STILL_RUNNING = 1


@contextmanager
def kiosk_with_release(
    qtbot: QtBot, tmp_path: Path, data_dir: Path, settings_toml: str
) -> Iterator[KioskApp]:
    """The kiosk (not started yet) and a channel whose release carries ``settings_toml``."""
    channel = tmp_path / "channel"
    channel.mkdir()
    key, public = generate_keys(tmp_path / "keys")
    source = simple_source(tmp_path / "src", count=1)
    with (source / "content.toml").open("a", encoding="utf-8") as toml:
        toml.write(settings_toml)
    publish(source, key, str(channel))
    server = ChannelServer(channel)
    settings = Settings(
        kiosk=KioskSettings(id="lobby-2", centre="baku-1"),
        content=ContentSettings(url=server.url, public_key=str(public), poll_seconds=300),
    )
    core = open_core(settings, data_dir)
    create_application([])
    kiosk = KioskApp(core)
    qtbot.addWidget(kiosk.window)
    qtbot.waitUntil(lambda: kiosk.content.loaded)
    try:
        yield kiosk
    finally:
        kiosk.stop()
        core.close()
        server.close()


def exit_code(kiosk: KioskApp, *, sync: bool = False, idle: bool = False) -> int:
    """Run the event loop until the synced release is applied (``sync``: the kiosk starts, is not idle
    yet, and fetches it) or the idle timer fired (``idle``: nobody touched the kiosk); the exit code, or
    STILL_RUNNING when the kiosk went on."""
    app = QCoreApplication.instance()
    assert app is not None
    go_on = QTimer()  # stopped after exec(): a pending exit would end the next test's event loops
    go_on.setSingleShot(True)
    go_on.timeout.connect(lambda: app.exit(STILL_RUNNING))
    give_up = QTimer()
    give_up.setSingleShot(True)
    give_up.timeout.connect(lambda: app.exit(-1))
    give_up.start(20_000)
    applied = kiosk.content.changed.connect(lambda *_: go_on.start(0))  # after apply_release_settings
    if sync:
        QTimer.singleShot(0, kiosk.start)
    if idle:
        QTimer.singleShot(0, kiosk.idle._timer.timeout.emit)
        QTimer.singleShot(0, lambda: go_on.start(0))  # queued after everything the idle timer started
    try:
        return app.exec()
    finally:
        kiosk.content.changed.disconnect(applied)
        go_on.stop()
        give_up.stop()


@pytest.fixture
def under_service(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INVOCATION_ID", "0123456789abcdef0123456789abcdef")


@pytest.mark.usefixtures("under_service")
def test_remote_rotation_restarts_the_kiosk_once_idle_and_the_session_gets_it(
    qtbot: QtBot, tmp_path: Path, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ui.app")
    toml = '[[settings]]\nkiosks = ["lobby-2"]\ndisplay = { rotation = 90 }\n'
    with kiosk_with_release(qtbot, tmp_path, data_dir, toml) as kiosk:
        assert exit_code(kiosk, sync=True) == STILL_RUNNING  # not idle: it may be in use
        assert kiosk.core.settings.display.rotation == 90
        assert "changed display.rotation: restarting when nobody uses the kiosk" in caplog.text
        assert json.loads((data_dir / SESSION_DISPLAY).read_text(encoding="utf-8")) == {"rotation": 90}

        assert exit_code(kiosk, idle=True) == RESTART_EXIT_CODE


@pytest.mark.usefixtures("under_service")
def test_remote_language_and_hours_apply_live_without_a_restart(
    qtbot: QtBot, tmp_path: Path, data_dir: Path
) -> None:
    toml = '[[settings]]\ncentres = ["baku-1"]\ndisplay = { language = "en", idle_seconds = 90 }\n'
    with kiosk_with_release(qtbot, tmp_path, data_dir, toml) as kiosk:
        assert exit_code(kiosk, sync=True) == STILL_RUNNING
        assert kiosk.languages.default == "en"

        assert exit_code(kiosk, idle=True) == STILL_RUNNING
        assert kiosk.idle.asleep  # it did go idle: only nothing asked for a restart
        assert not (data_dir / SESSION_DISPLAY).exists()
