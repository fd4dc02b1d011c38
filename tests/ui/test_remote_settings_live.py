"""A running kiosk applies the display settings and PIN of a newly synced release without a restart."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.admin_pin import hash_pin
from kiosk.config import ContentSettings, KioskSettings, Settings
from kiosk.content.publish import publish
from kiosk.content.signing import generate_keys
from kiosk.core import open_core
from kiosk.schedule import DisplayHours
from tests.kiosk.content.channel import ChannelServer, simple_source
from ui.app import KioskApp, create_application

PIN = hash_pin("2468", iterations=10_000)


def test_synced_release_changes_language_hours_idle_time_and_pin_live(
    qtbot: QtBot, tmp_path: Path, data_dir: Path
) -> None:
    channel = tmp_path / "channel"
    channel.mkdir()
    key, public = generate_keys(tmp_path / "keys")
    source = simple_source(tmp_path / "src", count=1)
    with (source / "content.toml").open("a", encoding="utf-8") as toml:
        toml.write(
            '[[settings]]\ncentres = ["baku-1"]\n'
            'display = { language = "en", open_hours = "09:00-18:00", open_weekdays = [1, 2, 3, 4, 5], '
            "idle_seconds = 90 }\n"
            f'[[settings]]\nkiosks = ["lobby-2"]\nadmin = {{ pin_hash = "{PIN}" }}\n'
        )
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
    qtbot.waitUntil(lambda: kiosk.content.loaded)  # the first release is read in the thread pool
    assert kiosk.languages.default == "az" and not kiosk.admin.guard.stored_hash
    try:
        with qtbot.waitSignal(kiosk.content.changed, timeout=15_000):
            kiosk.start()
        assert kiosk.languages.default == "en"
        assert kiosk.window.display_hours == DisplayHours.parse("09:00-18:00", [1, 2, 3, 4, 5])
        assert kiosk.idle._timer.interval() == 90_000
        assert kiosk.admin.guard.stored_hash == PIN
        with qtbot.waitSignal(kiosk.admin.screen.status_shown):  # read in the thread pool
            kiosk.admin.refresh()
        shown = kiosk.admin.screen.rows["settings"][1].text()
        assert shown.startswith("settings from release 1:") and "admin.pin_hash" in shown
    finally:
        kiosk.stop()
        core.close()
        server.close()
