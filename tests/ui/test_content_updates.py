"""End to end: an admin publishes, the running kiosk switches release without restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.config import ContentSettings, Settings
from kiosk.content.publish import publish
from kiosk.content.signing import generate_keys
from kiosk.core import open_core
from tests.kiosk.content.channel import ChannelServer, card, simple_source, svg, write_source
from ui.app import KioskApp, create_application


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[ChannelServer, Path, Path]]:
    channel = tmp_path / "channel"
    channel.mkdir()
    private, _public = generate_keys(tmp_path / "keys")
    server = ChannelServer(channel)
    yield server, channel, private
    server.close()


def test_published_release_reaches_the_screen_without_restart(
    qtbot: QtBot, tmp_path: Path, data_dir: Path, served: tuple[ChannelServer, Path, Path]
) -> None:
    server, channel, key = served
    publish(simple_source(tmp_path / "src1", count=2), key, str(channel))
    settings = Settings(
        content=ContentSettings(url=server.url, public_key=str(key.with_name("content.pub")), poll_seconds=5)
    )
    core = open_core(settings, data_dir)
    create_application([])
    kiosk = KioskApp(core)
    qtbot.addWidget(kiosk.window)
    kiosk.window.resize(1920, 1080)
    kiosk.window.show()
    qtbot.waitUntil(lambda: kiosk.content.loaded)  # the first release is read in the thread pool
    cards = kiosk.window.services_section.cards
    assert "item-0" not in [c.service.id for c in cards]  # starts on the demo content
    try:
        with qtbot.waitSignal(kiosk.content.changed, timeout=15_000):
            kiosk.start()
        qtbot.waitUntil(
            lambda: [c.service.id for c in kiosk.window.services_section.cards] == ["item-0", "item-1"]
        )
        # The admin publishes a change; "Sync now" on the admin screen picks it up at once.
        write_source(
            tmp_path / "src2",
            [
                card("item-0", title={"az": "Yeni başlıq", "en": "New title", "ru": "Новый заголовок"}),
                card("item-1"),
            ],
            {"icons/item-0.svg": svg("item 0 v2"), "icons/item-1.svg": svg("item 1 v1")},
        )
        publish(tmp_path / "src2", key, str(channel))
        with qtbot.waitSignal(kiosk.content.changed, timeout=15_000):
            qtbot.mouseClick(kiosk.admin.screen.buttons["sync"], Qt.MouseButton.LeftButton)
        first = kiosk.window.services_section.cards[0]
        assert first.title.text() == "Yeni başlıq"
        assert kiosk.content.content.release == 2
    finally:
        kiosk.stop()
        core.close()
